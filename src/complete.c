/* Tab completion (see complete.h). */
#include "config.h"
#include "complete.h"
#include "rlapi.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "builtins/builtin.h"
#include "coproc.h"
#include "lexer.h"
#include "shell.h"
#include "util/util.h"

struct cands {
	struct ptrvec v;
	const char *prefix;
	size_t plen;
};

static void add(struct cands *c, const char *s, const char *sigil)
{
	if (strncmp(s, c->prefix, c->plen) != 0)
		return;
	for (size_t i = 0; i < c->v.len; i++) /* no duplicates */
		if (strcmp((char *)c->v.v[i] + strlen(sigil), s) == 0)
			return;
	ptrvec_push(&c->v, xasprintf("%s%s", sigil, s));
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* readline's format: the longest common prefix first, then the matches. */
static char **result(struct cands *c)
{
	if (c->v.len == 0) {
		ptrvec_finish(&c->v);
		return NULL;
	}
	qsort(c->v.v, c->v.len, sizeof *c->v.v, cmp);
	const char *first = c->v.v[0], *last = c->v.v[c->v.len - 1];
	size_t n = 0;
	while (first[n] && first[n] == last[n])
		n++;
	char **out = xcalloc(c->v.len + 2, sizeof *out);
	out[0] = xstrndup(first, n);
	for (size_t i = 0; i < c->v.len; i++)
		out[i + 1] = c->v.v[i];
	if (c->v.len == 1) { /* one match: it is the completion itself */
		free(out[0]);
		out[0] = out[1];
		out[1] = NULL;
	}
	ptrvec_finish(&c->v);
	return out;
}

static void add_path_programs(struct shell *sh, struct cands *c)
{
	const char *path = var_get(sh, "PATH");
	if (!path)
		return;
	char *copy = xstrdup(path);
	for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' || strncmp(e->d_name, c->prefix, c->plen) != 0)
				continue;
			char *full = xasprintf("%s/%s", dir, e->d_name);
			struct stat st;
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
				add(c, e->d_name, "");
			free(full);
		}
		closedir(d);
	}
	free(copy);
}

static void add_var(void *ctx, const char *name, const char *value, unsigned flags)
{
	(void)value;
	(void)flags;
	add(ctx, name, "$");
}

static bool is_separator(char ch)
{
	return strchr(";&|(`\n{", ch) != NULL;
}

/* The command word of the simple command being typed (malloc'd, "" when
 * the word at start is the command word itself). */
static char *command_word(const char *line, int start)
{
	int s = start;
	while (s > 0 && !is_separator(line[s - 1]))
		s--;
	static const char *const skip[] = {"if", "then", "else", "elif", "do", "while",
					   "until", "!", "time"};
	for (;;) {
		while (s < start && (line[s] == ' ' || line[s] == '\t'))
			s++;
		int e = s;
		while (e < start && line[e] != ' ' && line[e] != '\t')
			e++;
		if (e >= start) /* no complete word before the one being completed */
			return xstrdup("");
		char *w = xstrndup(line + s, (size_t)(e - s));
		bool again = strchr(w, '=') && is_name(w, (size_t)(strchr(w, '=') - w));
		for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
			if (!strcmp(w, skip[i]))
				again = true;
		if (!again)
			return w;
		free(w);
		s = e;
	}
}

char **complete_words(struct shell *sh, const char *line, const char *text, int start)
{
	struct cands c = {.prefix = text, .plen = strlen(text)};
	ptrvec_init(&c.v);
	if (text[0] == '$') { /* variable names */
		c.prefix = text + 1;
		c.plen--;
		var_each(sh, add_var, &c);
		return result(&c);
	}
	char *cmd = command_word(line, start);
	char **out = NULL;
	if (!*cmd) {
		size_t n;
		const struct builtin *t = builtin_table(&n);
		for (size_t i = 0; i < n; i++)
			add(&c, t[i].name, "");
		for (struct func *f = sh->funcs; f; f = f->next)
			add(&c, f->def->name, "");
		if (!strchr(text, '/')) {
			add_path_programs(sh, &c);
			out = result(&c);
		} else {
			ptrvec_finish(&c.v); /* ./prog: a file name */
		}
	} else if (text[0] != '-' &&
		   (!strcmp(cmd, "send") || !strcmp(cmd, "recv") || !strcmp(cmd, "ask") ||
		    !strcmp(cmd, "close") || !strcmp(cmd, "attach") || !strcmp(cmd, "kill") ||
		    !strcmp(cmd, "wait"))) {
		for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
			add(&c, cp->name, "");
		out = result(&c);
	} else {
		ptrvec_finish(&c.v);
	}
	free(cmd);
	return out;
}

/* File names: specials are backslash-escaped, unless inside quotes. */
static char *quote_filename(char *text, int match_type, char *quote)
{
	(void)match_type;
	if (quote && *quote)
		return xstrdup(text);
	struct strbuf b;
	strbuf_init(&b);
	for (const char *p = text; *p; p++) {
		if (strchr(" \t\n\\\"'@<>=;|&()#$`?*[!:{}~", *p))
			strbuf_addc(&b, '\\');
		strbuf_addc(&b, *p);
	}
	return strbuf_take(&b);
}

static char *dequote_filename(char *text, int quote)
{
	(void)quote;
	struct strbuf b;
	strbuf_init(&b);
	for (const char *p = text; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		strbuf_addc(&b, *p);
	}
	return strbuf_take(&b);
}

static int char_is_quoted(char *line, int index)
{
	int n = 0;
	while (index - n - 1 >= 0 && line[index - n - 1] == '\\')
		n++;
	return n % 2;
}

void complete_setup(const struct rlapi *rl)
{
	*rl->rl_completer_word_break_characters = " \t\n\"'`><=;|&(";
	*rl->rl_completer_quote_characters = "'\"";
	*rl->rl_filename_quote_characters = " \t\n\\\"'@<>=;|&()#$`?*[!:{}~";
	*rl->rl_filename_quoting_function = quote_filename;
	*rl->rl_filename_dequoting_function = dequote_filename;
	*rl->rl_char_is_quoted_p = char_is_quoted;
}
