/* echo [-n] [-e] [ARG...]: print the arguments separated by blanks. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdbool.h>
#include <string.h>

#include "shell.h"

/* Appends s with -e escapes; returns false after \c (stop all output). */
static bool add_escaped(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			strbuf_addc(b, *s);
			continue;
		}
		s++;
		int v;
		switch (*s) {
		case 'a': v = '\a'; break;
		case 'b': v = '\b'; break;
		case 'c': return false;
		case 'e': case 'E': v = 033; break;
		case 'f': v = '\f'; break;
		case 'n': v = '\n'; break;
		case 'r': v = '\r'; break;
		case 't': v = '\t'; break;
		case 'v': v = '\v'; break;
		case '\\': v = '\\'; break;
		case '0':
			v = 0;
			for (int k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
				v = v * 8 + (*++s - '0');
			break;
		case 'x':
			if (hex_digit(s[1]) < 0) {
				strbuf_adds(b, "\\x");
				continue;
			}
			v = hex_digit(*++s);
			if (hex_digit(s[1]) >= 0)
				v = v * 16 + hex_digit(*++s);
			break;
		default:
			strbuf_addc(b, '\\');
			v = *s;
		}
		strbuf_addc(b, (char)v);
	}
	return true;
}

BUILTIN(echo)
{
	bool newline = true, escapes = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *f = argv[i] + 1;
		if (strspn(f, "neE") != strlen(f))
			break;
		for (; *f; f++) {
			if (*f == 'n')
				newline = false;
			else
				escapes = *f == 'e';
		}
	}
	struct strbuf b;
	strbuf_init(&b);
	bool more = true;
	for (int first = i; i < argc && more; i++) {
		if (i > first)
			strbuf_addc(&b, ' ');
		if (escapes)
			more = add_escaped(&b, argv[i]);
		else
			strbuf_adds(&b, argv[i]);
	}
	if (newline && more)
		strbuf_addc(&b, '\n');
	int st = builtin_out(sh, "echo", strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return st;
}
