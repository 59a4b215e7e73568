/* test EXPR and [ EXPR ]: files, strings, integers, !, -a, -o and
 * parentheses.  Up to four arguments follow the POSIX rules by count;
 * longer expressions are parsed with -o below -a below !. */
#include "config.h"
#include "builtins/builtin.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

struct t {
	struct shell *sh;
	const char *name; /* test or [ */
	char **av;
	int n, i;
	bool err;
};

static bool t_fail(struct t *t, const char *fmt, const char *arg)
{
	if (!t->err) {
		char *m = xasprintf(fmt, arg);
		sh_error(t->sh, "%s: %s", t->name, m);
		free(m);
	}
	t->err = true;
	return false;
}

static bool integer(struct t *t, const char *s, long long *v)
{
	/* the common case, digits and maybe a '-', without strtoll */
	int64_t n;
	const char *after = scan_decimal(s, &n);
	if (after && !*after) {
		*v = n;
		return true;
	}
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	char *end;
	errno = 0;
	*v = strtoll(p, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (end == p || *end || errno)
		return t_fail(t, "%s: integer expression expected", s);
	return true;
}

static bool is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghkLnOprsStuvwxzG", s[1]);
}

static bool is_binary(const char *s)
{
	static const char *const ops[] = {"=",   "==",  "!=",  "<",   ">",   "-eq", "-ne", "-lt",
					  "-le", "-gt", "-ge", "-nt", "-ot", "-ef"};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(s, ops[i]) == 0)
			return true;
	return false;
}

static bool unary(struct t *t, const char *op, const char *a)
{
	struct stat st;
	switch (op[1]) {
	case 'n': return *a != 0;
	case 'z': return *a == 0;
	case 'v': return var_get(t->sh, a) != NULL;
	case 't': {
		long long fd;
		return integer(t, a, &fd) && fd >= 0 && fd <= 1 << 20 && isatty((int)fd);
	}
	case 'h':
	case 'L': return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	case 'r': return access(a, R_OK) == 0;
	case 'w': return access(a, W_OK) == 0;
	case 'x': return access(a, X_OK) == 0;
	}
	if (stat(a, &st) != 0)
		return false;
	switch (op[1]) {
	case 'e': return true;
	case 'f': return S_ISREG(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'p': return S_ISFIFO(st.st_mode);
	case 'S': return S_ISSOCK(st.st_mode);
	case 's': return st.st_size > 0;
	case 'g': return (st.st_mode & S_ISGID) != 0;
	case 'u': return (st.st_mode & S_ISUID) != 0;
	case 'k': return (st.st_mode & S_ISVTX) != 0;
	case 'O': return st.st_uid == geteuid();
	case 'G': return st.st_gid == getegid();
	}
	return false;
}

static bool newer(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

static bool binary(struct t *t, const char *a, const char *op, const char *b)
{
	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return strcmp(a, b) == 0;
	if (!strcmp(op, "!="))
		return strcmp(a, b) != 0;
	if (!strcmp(op, "<"))
		return strcmp(a, b) < 0;
	if (!strcmp(op, ">"))
		return strcmp(a, b) > 0;
	if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef")) {
		struct stat sa, sb;
		bool ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
		if (!strcmp(op, "-ef"))
			return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
		if (!strcmp(op, "-nt"))
			return ha && (!hb || newer(&sa, &sb));
		return hb && (!ha || newer(&sb, &sa)); /* -ot */
	}
	long long x, y;
	if (!integer(t, a, &x) || !integer(t, b, &y))
		return false;
	if (!strcmp(op, "-eq")) return x == y;
	if (!strcmp(op, "-ne")) return x != y;
	if (!strcmp(op, "-lt")) return x < y;
	if (!strcmp(op, "-le")) return x <= y;
	if (!strcmp(op, "-gt")) return x > y;
	return x >= y; /* -ge */
}

static bool or_expr(struct t *t);

static const char *peek(struct t *t, int k)
{
	return t->i + k < t->n ? t->av[t->i + k] : NULL;
}

static bool primary(struct t *t)
{
	const char *a = peek(t, 0);
	if (!a)
		return t_fail(t, "%sargument expected", "");
	if (!strcmp(a, "(")) {
		t->i++;
		bool v = or_expr(t);
		if (!peek(t, 0) || strcmp(peek(t, 0), ")"))
			return t_fail(t, "%s')' expected", "");
		t->i++;
		return v;
	}
	const char *op = peek(t, 1);
	if (op && is_binary(op) && peek(t, 2)) {
		t->i += 3;
		return binary(t, a, op, t->av[t->i - 1]);
	}
	if (is_unary(a) && op) {
		t->i += 2;
		return unary(t, a, op);
	}
	t->i++;
	return *a != 0;
}

static bool not_expr(struct t *t)
{
	if (peek(t, 0) && !strcmp(peek(t, 0), "!")) {
		t->i++;
		return !not_expr(t);
	}
	return primary(t);
}

static bool and_expr(struct t *t)
{
	bool v = not_expr(t);
	while (!t->err && peek(t, 0) && !strcmp(peek(t, 0), "-a")) {
		t->i++;
		bool r = not_expr(t);
		v = v && r;
	}
	return v;
}

static bool or_expr(struct t *t)
{
	bool v = and_expr(t);
	while (!t->err && peek(t, 0) && !strcmp(peek(t, 0), "-o")) {
		t->i++;
		bool r = and_expr(t);
		v = v || r;
	}
	return v;
}

/* The POSIX rules for up to four arguments; -1 when they do not apply. */
static int by_count(struct t *t)
{
	char **a = t->av;
	switch (t->n) {
	case 0:
		return 0;
	case 1:
		return *a[0] != 0;
	case 2:
		if (!strcmp(a[0], "!"))
			return *a[1] == 0;
		if (is_unary(a[0]))
			return unary(t, a[0], a[1]);
		t_fail(t, "%s: unary operator expected", a[0]);
		return 0;
	case 3:
		if (is_binary(a[1]))
			return binary(t, a[0], a[1], a[2]);
		if (!strcmp(a[1], "-a") || !strcmp(a[1], "-o"))
			return -1;
		if (!strcmp(a[0], "!")) {
			struct t sub = {t->sh, t->name, a + 1, 2, 0, false};
			int r = by_count(&sub);
			t->err = sub.err;
			return !r;
		}
		if (!strcmp(a[0], "(") && !strcmp(a[2], ")"))
			return *a[1] != 0;
		return -1;
	case 4:
		if (!strcmp(a[0], "!")) {
			struct t sub = {t->sh, t->name, a + 1, 3, 0, false};
			int r = by_count(&sub);
			if (r >= 0) {
				t->err = sub.err;
				return !r;
			}
		}
		if (!strcmp(a[0], "(") && !strcmp(a[3], ")")) {
			struct t sub = {t->sh, t->name, a + 1, 2, 0, false};
			int r = by_count(&sub);
			t->err = sub.err;
			return r;
		}
		return -1;
	}
	return -1;
}

BUILTIN(test)
{
	if (!strcmp(argv[0], "[")) {
		if (argc < 2 || strcmp(argv[argc - 1], "]")) {
			sh_error(sh, "[: missing ']'");
			return 2;
		}
		argc--;
	}
	struct t t = {sh, argv[0], argv + 1, argc - 1, 0, false};
	int r = by_count(&t);
	if (r < 0 && !t.err) {
		r = or_expr(&t);
		if (!t.err && t.i < t.n)
			t_fail(&t, "%s: unexpected argument", t.av[t.i]);
	}
	return t.err ? 2 : !r;
}
