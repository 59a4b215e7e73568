/* set [-eux] [+eux] [-o NAME] [+o NAME] [--] [ARG...]: shell options and
 * positional parameters; with no arguments, list the variables. */
#include "config.h"
#include "builtins/builtin.h"

#include <string.h>

#include "shell.h"

static void list_var(void *ctx, const char *name, const char *value, unsigned flags)
{
	(void)flags;
	if (!value)
		return;
	struct strbuf *b = ctx;
	strbuf_addf(b, "%s=", name);
	strbuf_add_shquoted(b, value);
	strbuf_addc(b, '\n');
}

static bool *named_option(struct shell *sh, const char *name)
{
	if (strcmp(name, "errexit") == 0)
		return &sh->opt.errexit;
	if (strcmp(name, "nounset") == 0)
		return &sh->opt.nounset;
	if (strcmp(name, "xtrace") == 0)
		return &sh->opt.xtrace;
	if (strcmp(name, "pipefail") == 0)
		return &sh->opt.pipefail;
	if (strcmp(name, "noexec") == 0)
		return &sh->opt.noexec;
	return NULL;
}

static int list_options(struct shell *sh)
{
	static const char *const names[] = {"errexit", "noexec", "nounset", "pipefail", "xtrace"};
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		strbuf_addf(&b, "%-15s %s\n", names[i], *named_option(sh, names[i]) ? "on" : "off");
	int st = builtin_out(sh, "set", b.s, b.len);
	strbuf_finish(&b);
	return st;
}

BUILTIN(set)
{
	if (argc == 1) {
		struct strbuf b;
		strbuf_init(&b);
		var_each(sh, list_var, &b);
		int st = builtin_out(sh, "set", strbuf_str(&b), b.len);
		strbuf_finish(&b);
		return st;
	}
	int i = 1;
	bool set_params = false;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			set_params = true;
			break;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		bool on = a[0] == '-';
		for (const char *f = a + 1; *f; f++) {
			bool *opt = NULL;
			switch (*f) {
			case 'e': opt = &sh->opt.errexit; break;
			case 'u': opt = &sh->opt.nounset; break;
			case 'x': opt = &sh->opt.xtrace; break;
			case 'n': opt = &sh->opt.noexec; break;
			case 'o':
				if (i + 1 >= argc)
					return list_options(sh);
				opt = named_option(sh, argv[i + 1]);
				if (!opt) {
					sh_error(sh, "set: %s: invalid option name", argv[i + 1]);
					return 2;
				}
				i++;
				break;
			default:
				sh_error(sh, "set: %c%c: invalid option", a[0], *f);
				return 2;
			}
			/* -n only takes hold in scripts, as in bash */
			if (opt != &sh->opt.noexec || !sh->opt.interactive)
				*opt = on;
			if (*f == 'o')
				break;
		}
	}
	if (set_params || i < argc)
		shell_set_params(sh, argc - i, argv + i);
	return 0;
}
