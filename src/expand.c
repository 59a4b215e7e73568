/* Word expansion (see expand.h). */
#include "config.h"
#include "expand.h"

#include <fnmatch.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arith.h"
#include "lexer.h"
#include "exec.h"
#include "shell.h"

enum exmode {
	EX_FIELDS,  /* split $( ), glob */
	EX_STRING,  /* one string */
	EX_PATTERN, /* one string, quoted characters escaped */
};

struct exp {
	struct shell *sh;
	enum exmode mode;
	struct ptrvec *out;
	struct strbuf text; /* the field as it will be */
	struct strbuf pat;  /* the field as a glob pattern */
	bool have;          /* a field exists, even if empty */
	int in_param;       /* > 0 inside ${name-word}: its text is a value, never globbed */
	bool glob;          /* the field has unquoted glob characters */
	bool err;
	bool spare;         /* text and pat are the shell's spare buffers */
};

/* An expansion builds its fields in two buffers.  The outermost one
 * borrows the shell's spare pair, grown once and kept, rather than
 * allocating and freeing two per command; a nested one (a $( ) or a
 * ${x-word} inside) makes its own. */
static void exp_begin(struct exp *e)
{
	struct shell *sh = e->sh;
	if (!sh->exp_busy) {
		sh->exp_busy = true;
		e->spare = true;
		e->text = sh->exp_text;
		e->pat = sh->exp_pat;
		strbuf_init(&sh->exp_text); /* the expansion owns them until exp_end */
		strbuf_init(&sh->exp_pat);
		strbuf_reset(&e->text);
		strbuf_reset(&e->pat);
	} else {
		strbuf_init(&e->text);
		strbuf_init(&e->pat);
	}
}

static void exp_end(struct exp *e)
{
	struct shell *sh = e->sh;
	if (e->spare) {
		sh->exp_text = e->text;
		sh->exp_pat = e->pat;
		sh->exp_busy = false;
	} else {
		strbuf_finish(&e->text);
		strbuf_finish(&e->pat);
	}
}

static bool is_glob_char(char c)
{
	return c == '*' || c == '?' || c == '[';
}

static bool has_glob_char(const char *s)
{
	for (; *s; s++)
		if (is_glob_char(*s))
			return true;
	return false;
}

static void add_escaped(struct strbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("\\*?[]!^-", s[i]))
			strbuf_addc(b, '\\');
		strbuf_addc(b, s[i]);
	}
}

/* Text that is matched literally: quoted text and expansion results. */
static void add_value(struct exp *e, const char *s, size_t n)
{
	if (e->mode == EX_PATTERN) {
		add_escaped(&e->text, s, n);
	} else {
		strbuf_addn(&e->text, s, n);
		if (e->mode == EX_FIELDS)
			add_escaped(&e->pat, s, n);
	}
	if (n)
		e->have = true;
}

/* Unquoted literal text from the source: glob characters are active. */
static void add_literal(struct exp *e, const char *s, size_t n)
{
	if (e->in_param && e->mode == EX_FIELDS) {
		add_value(e, s, n);
		return;
	}
	strbuf_addn(&e->text, s, n);
	if (e->mode == EX_FIELDS) {
		strbuf_addn(&e->pat, s, n);
		for (size_t i = 0; i < n; i++)
			if (is_glob_char(s[i]))
				e->glob = true;
	}
	if (n)
		e->have = true;
}

/* A * or ?, or a [ with its ], not escaped: `[` alone (the test
 * command) is no pattern, and costs no directory read. */
static bool is_pattern(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				break;
			continue;
		}
		if (*p == '*' || *p == '?')
			return true;
		if (*p == '[') {
			const char *q = p + 1;
			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++;
			for (; *q; q++)
				if (*q == ']')
					return true;
		}
	}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void field_end(struct exp *e)
{
	if (e->mode != EX_FIELDS || !e->have) {
		strbuf_reset(&e->text);
		strbuf_reset(&e->pat);
		e->have = e->glob = false;
		return;
	}
	bool matched = false;
	if (e->glob && is_pattern(strbuf_str(&e->pat))) {
		glob_t g;
		if (glob(strbuf_str(&e->pat), 0, NULL, &g) == 0) {
			size_t first = e->out->len;
			for (size_t i = 0; i < g.gl_pathc; i++) {
				/* never . or .. (as bash 5.2): `rm -r .*` stays safe */
				const char *base = strrchr(g.gl_pathv[i], '/');
				base = base ? base + 1 : g.gl_pathv[i];
				if (strcmp(base, ".") != 0 && strcmp(base, "..") != 0)
					ptrvec_push(e->out, xstrdup(g.gl_pathv[i]));
			}
			matched = e->out->len > first;
			/* only . or .. matched: nothing to sort, and the vector may
			 * still be unallocated (qsort of NULL is undefined) */
			if (matched)
				qsort(e->out->v + first, e->out->len - first, sizeof(void *), cmp_str);
		}
		globfree(&g);
	}
	if (!matched)
		ptrvec_push(e->out, xstrndup(strbuf_str(&e->text), e->text.len));
	strbuf_reset(&e->text);
	strbuf_reset(&e->pat);
	e->have = e->glob = false;
}

/* Unquoted $( ) output: split at blanks and newlines, fields not globbed. */
static void add_split(struct exp *e, const char *s, size_t n)
{
	if (e->mode != EX_FIELDS) {
		add_value(e, s, n);
		return;
	}
	for (size_t i = 0; i < n;) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			if (e->have)
				field_end(e);
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\n')
			j++;
		add_value(e, s + i, j - i);
		i = j;
	}
}

static void expand_parts(struct exp *e, const struct part *p);

/* ${x:?} and set -u: a script stops there, as bash does; at the prompt
 * only the command fails. */
static void fatal_param(struct exp *e)
{
	e->err = true;
	if (!e->sh->opt.interactive) {
		e->sh->unwind = UNWIND_EXIT;
		e->sh->exit_status = 1;
	}
}

static char *sub_expand(struct shell *sh, const struct word *w, enum exmode mode, bool *err)
{
	struct exp e = {.sh = sh, .mode = mode};
	exp_begin(&e);
	if (w)
		expand_parts(&e, w->parts);
	char *r = e.err ? NULL : xstrndup(strbuf_str(&e.text), e.text.len);
	exp_end(&e);
	if (!r)
		*err = true;
	return r;
}

/* The value of a special or ordinary parameter, or NULL when unset.
 * buf holds numbers. */
static const char *param_get(struct shell *sh, const char *name, char *buf, size_t bufsize)
{
	char c = name[0];
	if (name[1] == 0 || (c >= '0' && c <= '9')) {
		if (c >= '0' && c <= '9') {
			long k = strtol(name, NULL, 10);
			if (k == 0)
				return sh->arg0;
			return k <= sh->nparams ? sh->params[k - 1] : NULL;
		}
		switch (c) {
		case '?':
			snprintf(buf, bufsize, "%d", sh->last_status);
			return buf;
		case '$':
			snprintf(buf, bufsize, "%ld", (long)sh->pid);
			return buf;
		case '!':
			if (!sh->last_bg)
				return NULL;
			snprintf(buf, bufsize, "%ld", (long)sh->last_bg);
			return buf;
		case '#':
			snprintf(buf, bufsize, "%d", sh->nparams);
			return buf;
		case '-':
			snprintf(buf, bufsize, "%s%s%s%s", sh->opt.errexit ? "e" : "",
				 sh->opt.interactive ? "i" : "", sh->opt.nounset ? "u" : "",
				 sh->opt.xtrace ? "x" : "");
			return buf;
		}
	}
	return var_get(sh, name);
}

static void join_params(struct shell *sh, struct strbuf *b)
{
	for (int i = 0; i < sh->nparams; i++) {
		if (i)
			strbuf_addc(b, ' ');
		strbuf_adds(b, sh->params[i]);
	}
}

/* Removes the shortest or longest prefix or suffix matching pat. */
static char *trim(const char *v, const char *pat, enum param_op op)
{
	size_t n = strlen(v);
	char *tmp = xstrdup(v);
	char *result = NULL;
	if (op == POP_TRIM_PREFIX || op == POP_TRIM_PREFIX_LONG) {
		bool longest = op == POP_TRIM_PREFIX_LONG;
		for (size_t k = 0; k <= n; k++) {
			size_t len = longest ? n - k : k;
			char save = tmp[len];
			tmp[len] = 0;
			bool m = fnmatch(pat, tmp, 0) == 0;
			tmp[len] = save;
			if (m) {
				result = xstrdup(v + len);
				break;
			}
		}
	} else {
		bool longest = op == POP_TRIM_SUFFIX_LONG;
		for (size_t k = 0; k <= n; k++) {
			size_t start = longest ? k : n - k;
			if (fnmatch(pat, v + start, 0) == 0) {
				result = xstrndup(v, start);
				break;
			}
		}
	}
	free(tmp);
	return result ? result : xstrdup(v);
}

static size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* The word of ${name-word} or ${name+word}, in place of the parameter. */
static void expand_word_of(struct exp *e, const struct part *p)
{
	e->in_param++;
	expand_parts(e, p->arg->parts);
	e->in_param--;
	if (p->quoted)
		e->have = true; /* "${x:-}" is one empty word */
}

static void expand_param(struct exp *e, const struct part *p)
{
	struct shell *sh = e->sh;
	const char *name = p->text;
	bool at = strcmp(name, "@") == 0, star = strcmp(name, "*") == 0;
	if ((at || star) && p->op == POP_NONE) {
		if (p->quoted && star) {
			struct strbuf b;
			strbuf_init(&b);
			join_params(sh, &b);
			add_value(e, strbuf_str(&b), b.len);
			e->have = true;
			strbuf_finish(&b);
			return;
		}
		if (e->mode != EX_FIELDS) {
			struct strbuf b;
			strbuf_init(&b);
			join_params(sh, &b);
			add_value(e, strbuf_str(&b), b.len);
			if (p->quoted)
				e->have = true;
			strbuf_finish(&b);
			return;
		}
		for (int i = 0; i < sh->nparams; i++) {
			const char *v = sh->params[i];
			if (!p->quoted && !*v)
				continue;
			if (i > 0 && (e->have || p->quoted))
				field_end(e);
			add_value(e, v, strlen(v));
			if (p->quoted)
				e->have = true;
		}
		return;
	}
	char buf[64];
	char *owned = NULL;
	const char *v = NULL;
	if (at || star) {
		struct strbuf b;
		strbuf_init(&b);
		join_params(sh, &b);
		owned = strbuf_take(&b);
		v = sh->nparams ? owned : NULL;
	} else {
		v = param_get(sh, name, buf, sizeof buf);
	}
	bool unset = v == NULL;
	bool null = unset || (p->colon && !*v);
	switch (p->op) {
	case POP_NONE:
	case POP_LENGTH:
	case POP_TRIM_PREFIX:
	case POP_TRIM_PREFIX_LONG:
	case POP_TRIM_SUFFIX:
	case POP_TRIM_SUFFIX_LONG:
		if (unset && sh->opt.nounset && strcmp(name, "@") && strcmp(name, "*")) {
			sh_error(sh, "%s: unbound variable", name);
			fatal_param(e);
			goto out;
		}
		break;
	case POP_DEFAULT:
		if (null) {
			expand_word_of(e, p);
			goto out;
		}
		break;
	case POP_ALT:
		if (!null)
			expand_word_of(e, p);
		else if (p->quoted)
			e->have = true;
		goto out;
	case POP_ASSIGN:
		if (null) {
			bool err = false;
			char *val = sub_expand(sh, p->arg, EX_STRING, &err);
			if (err) {
				e->err = true;
				goto out;
			}
			if (!is_name(name, strlen(name))) {
				sh_error(sh, "$%s: cannot assign in this way", name);
				free(val);
				e->err = true;
				goto out;
			}
			var_set(sh, name, val, 0);
			add_value(e, val, strlen(val));
			if (p->quoted)
				e->have = true;
			free(val);
			goto out;
		}
		break;
	case POP_ERROR:
		if (null) {
			bool err = false;
			char *msg = sub_expand(sh, p->arg, EX_STRING, &err);
			if (!err)
				sh_error(sh, "%s: %s", name,
					 msg && *msg ? msg : "parameter null or not set");
			free(msg);
			fatal_param(e);
			goto out;
		}
		break;
	}
	if (p->op == POP_LENGTH) {
		if (at || star)
			snprintf(buf, sizeof buf, "%d", sh->nparams);
		else
			snprintf(buf, sizeof buf, "%zu", v ? utf8_length(v) : 0);
		add_value(e, buf, strlen(buf));
		goto out;
	}
	if (p->op >= POP_TRIM_PREFIX && v) {
		/* the pattern may assign the variable (${x%$((x=1))}), which
		 * frees the value v points to: trim the value it had, as bash */
		if (!owned)
			v = owned = xstrdup(v);
		bool err = false;
		char *pat = sub_expand(sh, p->arg, EX_PATTERN, &err);
		if (err) {
			e->err = true;
			goto out;
		}
		char *t = trim(v, pat, p->op);
		add_value(e, t, strlen(t));
		if (p->quoted)
			e->have = true;
		free(t);
		free(pat);
		goto out;
	}
	if (v) {
		if (e->mode == EX_PATTERN && !p->quoted)
			strbuf_adds(&e->text, v); /* an unquoted $pat in a pattern is a pattern */
		else
			add_value(e, v, strlen(v));
	}
	if (p->quoted)
		e->have = true;
out:
	free(owned);
}

static void expand_tilde(struct exp *e, const struct part *p)
{
	const char *home = NULL;
	if (!p->text[0]) {
		home = var_get(e->sh, "HOME");
		if (!home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : "";
		}
	} else {
		struct passwd *pw = getpwnam(p->text);
		if (!pw) {
			add_literal(e, "~", 1);
			add_literal(e, p->text, strlen(p->text));
			return;
		}
		home = pw->pw_dir;
	}
	add_value(e, home, strlen(home));
	e->have = true;
}

static void expand_parts(struct exp *e, const struct part *p)
{
	for (; p && !e->err; p = p->next) {
		switch (p->type) {
		case PART_LIT:
			if (p->quoted) {
				add_value(e, p->text, strlen(p->text));
				e->have = true;
			} else {
				add_literal(e, p->text, strlen(p->text));
			}
			break;
		case PART_TILDE:
			expand_tilde(e, p);
			break;
		case PART_PARAM:
			expand_param(e, p);
			break;
		case PART_CMDSUB: {
			char *out = exec_capture(e->sh, p->body);
			if (p->quoted) {
				add_value(e, out, strlen(out));
				e->have = true;
			} else {
				add_split(e, out, strlen(out));
			}
			free(out);
			break;
		}
		case PART_ARITH: {
			bool err = false;
			char *expr = sub_expand(e->sh, p->arg, EX_STRING, &err);
			int64_t v;
			if (err || arith_eval(e->sh, expr, &v) < 0) {
				free(expr);
				e->err = true;
				break;
			}
			free(expr);
			char buf[32];
			add_value(e, buf, fmt_i64(buf, v));
			break;
		}
		}
	}
}

int expand_words(struct shell *sh, struct word *const *words, size_t n, struct ptrvec *out)
{
	struct exp e = {.sh = sh, .mode = EX_FIELDS, .out = out};
	exp_begin(&e);
	for (size_t i = 0; i < n && !e.err; i++) {
		const struct part *p = words[i]->parts;
		if (p && !p->next && p->type == PART_LIT && (p->quoted || !has_glob_char(p->text))) {
			/* a word with nothing to expand nor glob: its text is the field */
			ptrvec_push(out, xstrdup(p->text));
			continue;
		}
		expand_parts(&e, p);
		field_end(&e);
	}
	exp_end(&e);
	return e.err ? -1 : 0;
}

char *expand_string(struct shell *sh, const struct word *w)
{
	bool err = false;
	return sub_expand(sh, w, EX_STRING, &err);
}

char *expand_pattern(struct shell *sh, const struct word *w)
{
	bool err = false;
	return sub_expand(sh, w, EX_PATTERN, &err);
}
