/* The arithmetic evaluator: precedence climbing over the text, with a
 * flag that turns off side effects in branches not taken (&&, ||, ?:). */
#include "config.h"
#include "arith.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "shell.h"

#define ARITH_MAX_DEPTH 1000

struct ar {
	struct shell *sh;
	const char *s, *expr;
	size_t i;
	bool err;
	int depth;
	int nesting; /* variables holding expressions */
};

/* A value: an integer, and the variable it came from (for assignment). */
/* A value, and the variable it was read from (for ++ and assignments):
 * name points into the expression's text, nlen bytes, 0 for none.
 * Small, since every precedence level returns one. */
struct val {
	int64_t v;
	const char *name;
	size_t nlen;
};

#define ARITH_NAME_MAX 128 /* longer names are an error */

/* The variable's name as a C string, in buf (ARITH_NAME_MAX bytes). */
static const char *val_name(const struct val *x, char *buf)
{
	memcpy(buf, x->name, x->nlen);
	buf[x->nlen] = 0;
	return buf;
}

static void fail(struct ar *a, const char *msg)
{
	if (!a->err)
		sh_error(a->sh, "%s: %s (error token is \"%s\")", a->expr, msg, a->s + a->i);
	a->err = true;
}

/* Every recursive rule goes through here: deep input is an error, not a
 * stack overflow. */
static bool deeper(struct ar *a)
{
	if (++a->depth > ARITH_MAX_DEPTH) {
		a->depth--;
		fail(a, "expression nested too deeply");
		return false;
	}
	return true;
}

static void skip(struct ar *a)
{
	while (a->s[a->i] == ' ' || a->s[a->i] == '\t' || a->s[a->i] == '\n')
		a->i++;
}

static bool at(struct ar *a, const char *op)
{
	skip(a);
	for (const char *s = a->s + a->i; *op; op++, s++)
		if (*s != *op)
			return false;
	return true;
}

static int64_t wrap_add(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
static int64_t wrap_sub(int64_t x, int64_t y) { return (int64_t)((uint64_t)x - (uint64_t)y); }
static int64_t wrap_mul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }
static int64_t wrap_shl(int64_t x, int64_t y) { return (int64_t)((uint64_t)x << (y & 63)); }
static int64_t arith_shr(int64_t x, int64_t y)
{
	int s = (int)(y & 63);
	/* arithmetic shift without relying on implementation-defined >> of negatives */
	return x < 0 ? ~(int64_t)(~(uint64_t)x >> s) : (int64_t)((uint64_t)x >> s);
}

static bool divide(struct ar *a, int op, int64_t x, int64_t y, int64_t *r, bool live)
{
	if (y == 0) {
		if (live) {
			fail(a, "division by 0");
			return false;
		}
		*r = 0;
		return true;
	}
	if (y == -1) {
		*r = op == '/' ? wrap_sub(0, x) : 0;
		return true;
	}
	*r = op == '/' ? x / y : x % y;
	return true;
}

static int64_t power(struct ar *a, int64_t b, int64_t e, bool live)
{
	if (e < 0) {
		if (live)
			fail(a, "exponent less than 0");
		return 0;
	}
	uint64_t r = 1, base = (uint64_t)b;
	while (e) {
		if (e & 1)
			r *= base;
		base *= base;
		e >>= 1;
	}
	return (int64_t)r;
}

static int64_t expr_comma(struct ar *a, bool live);
static int64_t eval_string(struct ar *a, const char *text, bool live);

/* A value that is a plain decimal number (what $(( )) itself stores) is
 * read without a recursive evaluation: "0", or an optional '-' and up
 * to 18 digits not starting with 0 (010 is octal), blanks after. */
static bool plain_decimal(const char *v, int64_t *out)
{
	const char *d = v + (*v == '-');
	if (d[0] == '0' && d[1] >= '0' && d[1] <= '9')
		return false; /* octal */
	const char *p = scan_decimal(v, out);
	if (!p)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == 0;
}

static int64_t var_value(struct ar *a, const char *name, bool live)
{
	const char *v = var_get(a->sh, name);
	if (!v) {
		if (a->sh->opt.nounset && live) {
			sh_error(a->sh, "%s: unbound variable", name);
			a->err = true;
		}
		return 0;
	}
	while (*v == ' ' || *v == '\t')
		v++;
	if (!*v)
		return 0;
	int64_t k;
	if (plain_decimal(v, &k))
		return k;
	/* the expression may assign a variable whose value is being read
	 * (x='x=1'), which frees it in the table: evaluate a copy */
	size_t n = strlen(v);
	char small[64];
	char *copy = n < sizeof small ? small : xmalloc(n + 1);
	memcpy(copy, v, n + 1);
	int64_t r = eval_string(a, copy, live);
	if (copy != small)
		free(copy);
	return r;
}

static void assign(struct ar *a, struct val *lhs, int64_t v, bool live)
{
	if (!lhs->nlen) {
		fail(a, "attempted assignment to non-variable");
		return;
	}
	if (!live)
		return;
	char buf[32], nm[ARITH_NAME_MAX];
	fmt_i64(buf, v);
	var_set(a->sh, val_name(lhs, nm), buf, 0);
}

static bool parse_number(struct ar *a, int64_t *out)
{
	const char *s = a->s + a->i;
	uint64_t v = 0;
	int base = 10;
	size_t k = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		k = 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	size_t start = k;
	for (;; k++) {
		int c = (unsigned char)s[k];
		int d;
		if (isdigit(c))
			d = c - '0';
		else if (isalpha(c) || c == '_')
			d = isupper(c) ? c - 'A' + 10 : (c == '_' ? 99 : c - 'a' + 10);
		else
			break;
		if (d >= base) {
			a->i += k;
			fail(a, "value too great for base");
			return false;
		}
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (base == 16 && k == start) {
		fail(a, "invalid number");
		return false;
	}
	a->i += k;
	*out = (int64_t)v;
	return true;
}

static struct val unary(struct ar *a, bool live);

static struct val primary(struct ar *a, bool live)
{
	struct val r = {0};
	skip(a);
	char c = a->s[a->i];
	if (c == '(') {
		a->i++;
		if (!deeper(a))
			return r;
		r.v = expr_comma(a, live);
		a->depth--;
		if (a->err)
			return r; /* stay where it failed: it may be the end */
		if (!at(a, ")")) {
			fail(a, "missing ')'");
			return r;
		}
		a->i++;
		return r;
	}
	if (isdigit((unsigned char)c)) {
		parse_number(a, &r.v);
		return r;
	}
	if (is_name_start((unsigned char)c)) {
		size_t b = a->i;
		while (is_name_char((unsigned char)a->s[a->i]))
			a->i++;
		size_t n = a->i - b;
		if (n >= ARITH_NAME_MAX) {
			fail(a, "variable name too long");
			return r;
		}
		r.name = a->s + b;
		r.nlen = n;
		char nm[ARITH_NAME_MAX];
		r.v = var_value(a, val_name(&r, nm), live);
		/* postfix ++ and -- */
		if (at(a, "++") || at(a, "--")) {
			bool inc = a->s[a->i] == '+';
			a->i += 2;
			assign(a, &r, inc ? wrap_add(r.v, 1) : wrap_sub(r.v, 1), live);
			r.nlen = 0;
		}
		return r;
	}
	if (c == 0)
		fail(a, "syntax error: operand expected");
	else
		fail(a, "syntax error: operand expected");
	return r;
}

static struct val unary(struct ar *a, bool live)
{
	struct val r = {0};
	skip(a);
	if (!deeper(a))
		return r;
	if ((at(a, "++") || at(a, "--")) && is_name_start((unsigned char)a->s[a->i + 2 +
			strspn(a->s + a->i + 2, " \t\n")])) {
		bool inc = a->s[a->i] == '+';
		a->i += 2;
		r = unary(a, live);
		if (!a->err) {
			r.v = inc ? wrap_add(r.v, 1) : wrap_sub(r.v, 1);
			assign(a, &r, r.v, live);
			r.nlen = 0;
		}
	} else if (at(a, "!")) {
		a->i++;
		r = unary(a, live);
		r.v = !r.v;
		r.nlen = 0;
	} else if (at(a, "~")) {
		a->i++;
		r = unary(a, live);
		r.v = ~r.v;
		r.nlen = 0;
	} else if (at(a, "-")) {
		a->i++;
		r = unary(a, live);
		r.v = wrap_sub(0, r.v);
		r.nlen = 0;
	} else if (at(a, "+")) {
		a->i++;
		r = unary(a, live);
		r.nlen = 0;
	} else {
		r = primary(a, live);
	}
	a->depth--;
	return r;
}

static struct val power_expr(struct ar *a, bool live)
{
	struct val l = unary(a, live);
	if (!a->err && at(a, "**")) {
		a->i += 2;
		if (!deeper(a))
			return l;
		struct val r = power_expr(a, live); /* right-associative */
		a->depth--;
		l.v = power(a, l.v, r.v, live);
		l.nlen = 0;
	}
	return l;
}

/* Binary operators from loosest to tightest, below the conditional. */
enum { P_LOR = 1, P_LAND, P_BOR, P_BXOR, P_BAND, P_EQ, P_REL, P_SHIFT, P_ADD, P_MUL, P_TOP };

struct binop {
	const char *op;
	int prec;
};

/* The binary operator at the current position (NULL for none): a switch
 * on its first character, since this runs at every precedence level. */
static const struct binop *peek_binop(struct ar *a)
{
	static const struct binop
		lor = {"||", P_LOR}, land = {"&&", P_LAND}, eq = {"==", P_EQ}, ne = {"!=", P_EQ},
		le = {"<=", P_REL}, ge = {">=", P_REL}, shl = {"<<", P_SHIFT}, shr = {">>", P_SHIFT},
		bor = {"|", P_BOR}, bxor = {"^", P_BXOR}, band = {"&", P_BAND}, lt = {"<", P_REL},
		gt = {">", P_REL}, add = {"+", P_ADD}, sub = {"-", P_ADD}, mul = {"*", P_MUL},
		dv = {"/", P_MUL}, md = {"%", P_MUL};
	skip(a);
	const char *s = a->s + a->i;
	if (!s[0])
		return NULL;
	char c1 = s[1], c2 = c1 ? s[2] : 0;
	switch (s[0]) {
	case '|': return c1 == '|' ? &lor : c1 == '=' ? NULL : &bor;
	case '&': return c1 == '&' ? &land : c1 == '=' ? NULL : &band;
	case '=': return c1 == '=' ? &eq : NULL;
	case '!': return c1 == '=' ? &ne : NULL;
	case '<': return c1 == '=' ? &le : c1 == '<' ? (c2 == '=' ? NULL : &shl) : &lt;
	case '>': return c1 == '=' ? &ge : c1 == '>' ? (c2 == '=' ? NULL : &shr) : &gt;
	case '^': return c1 == '=' ? NULL : &bxor;
	case '+': return c1 == '=' ? NULL : &add;
	case '-': return c1 == '=' ? NULL : &sub;
	case '*': return c1 == '=' || c1 == '*' ? NULL : &mul;
	case '/': return c1 == '=' ? NULL : &dv;
	case '%': return c1 == '=' ? NULL : &md;
	}
	return NULL;
}

/* Precedence climbing: one loop for all the binary levels, so an operand
 * costs one look at the operator after it, not one per level. */
static int64_t binary(struct ar *a, int min_prec, bool live)
{
	int64_t l = power_expr(a, live).v;
	for (;;) {
		if (a->err)
			return 0;
		const struct binop *b = peek_binop(a);
		if (!b || b->prec < min_prec)
			return l;
		a->i += b->op[1] ? 2 : 1;
		const char *op = b->op;
		if (b->prec == P_LOR || b->prec == P_LAND) {
			bool is_or = b->prec == P_LOR;
			bool short_circuit = is_or ? l != 0 : l == 0;
			int64_t r = binary(a, b->prec + 1, live && !short_circuit);
			l = is_or ? (l || r) : (l && r);
			continue;
		}
		skip(a);
		size_t rstart = a->i; /* where a division by zero points */
		int64_t r = binary(a, b->prec + 1, live);
		if (a->err)
			return 0;
		if (r == 0 && live && (op[0] == '/' || op[0] == '%'))
			a->i = rstart;
		switch (op[0]) {
		case '|': l = l | r; break;
		case '^': l = l ^ r; break;
		case '&': l = l & r; break;
		case '=': l = l == r; break;
		case '!': l = l != r; break;
		case '<': l = op[1] == '=' ? l <= r : op[1] == '<' ? wrap_shl(l, r) : l < r; break;
		case '>': l = op[1] == '=' ? l >= r : op[1] == '>' ? arith_shr(l, r) : l > r; break;
		case '+': l = wrap_add(l, r); break;
		case '-': l = wrap_sub(l, r); break;
		case '*': l = wrap_mul(l, r); break;
		default:
			if (!divide(a, op[0], l, r, &l, live))
				return 0;
		}
	}
}

static int64_t conditional(struct ar *a, bool live)
{
	int64_t c = binary(a, P_LOR, live);
	if (a->err || !at(a, "?"))
		return c;
	a->i++;
	if (!deeper(a))
		return 0;
	int64_t t = expr_comma(a, live && c), f = 0;
	if (!a->err && !at(a, ":"))
		fail(a, "syntax error: ':' expected for conditional expression");
	if (!a->err) {
		a->i++;
		f = conditional(a, live && !c);
	}
	a->depth--;
	return c ? t : f;
}

static const char *const assign_ops[] = {"<<=", ">>=", "**=", "+=", "-=", "*=", "/=", "%=",
					 "&=",  "^=",  "|=",  "="};

static int64_t assignment(struct ar *a, bool live)
{
	skip(a);
	size_t save = a->i;
	if (is_name_start((unsigned char)a->s[a->i])) {
		struct val lhs = {0};
		size_t b = a->i;
		while (is_name_char((unsigned char)a->s[a->i]))
			a->i++;
		size_t n = a->i - b;
		skip(a);
		for (size_t k = 0; k < sizeof assign_ops / sizeof assign_ops[0]; k++) {
			const char *op = assign_ops[k];
			if (a->s[a->i] != op[0]) /* most names are followed by no operator of these */
				continue;
			size_t on = strlen(op);
			if (strncmp(a->s + a->i, op, on) != 0 || (on == 1 && a->s[a->i + 1] == '='))
				continue;
			if (n >= ARITH_NAME_MAX) {
				fail(a, "variable name too long");
				return 0;
			}
			lhs.name = a->s + b;
			lhs.nlen = n;
			a->i += on;
			/* x += (x = 5): the variable is read before the right side */
			char nm[ARITH_NAME_MAX];
			int64_t cur = on > 1 ? var_value(a, val_name(&lhs, nm), live) : 0;
			if (!deeper(a))
				return 0;
			skip(a);
			size_t rstart = a->i;
			int64_t r = assignment(a, live);
			if (!a->err && r == 0 && live && (op[0] == '/' || op[0] == '%'))
				a->i = rstart;
			a->depth--;
			if (a->err)
				return 0;
			int64_t v = r;
			if (on > 1) {
				switch (op[0]) {
				case '+': v = wrap_add(cur, r); break;
				case '-': v = wrap_sub(cur, r); break;
				case '*': v = op[1] == '*' ? power(a, cur, r, live) : wrap_mul(cur, r); break;
				case '&': v = cur & r; break;
				case '^': v = cur ^ r; break;
				case '|': v = cur | r; break;
				case '<': v = wrap_shl(cur, r); break;
				case '>': v = arith_shr(cur, r); break;
				default:
					if (!divide(a, op[0], cur, r, &v, live))
						return 0;
				}
			}
			assign(a, &lhs, v, live);
			return v;
		}
		a->i = save;
	}
	return conditional(a, live);
}

static int64_t expr_comma(struct ar *a, bool live)
{
	int64_t v = assignment(a, live);
	while (!a->err && at(a, ",")) {
		a->i++;
		v = assignment(a, live);
	}
	return v;
}

static int64_t eval_string(struct ar *a, const char *text, bool live)
{
	if (++a->nesting > 100) {
		fail(a, "expression recursion level exceeded");
		return 0;
	}
	const char *os = a->s;
	size_t oi = a->i;
	a->s = text;
	a->i = 0;
	int64_t v = expr_comma(a, live);
	skip(a);
	if (!a->err && a->s[a->i])
		fail(a, "syntax error in expression");
	a->s = os;
	a->i = oi;
	a->nesting--;
	return v;
}

int arith_eval(struct shell *sh, const char *expr, int64_t *result)
{
	struct ar a = {.sh = sh, .s = expr, .expr = expr};
	skip(&a);
	if (!expr[a.i]) {
		*result = 0;
		return 0;
	}
	int64_t v = expr_comma(&a, true);
	skip(&a);
	if (!a.err && a.s[a.i])
		fail(&a, "syntax error in expression");
	if (a.err)
		return -1;
	*result = v;
	return 0;
}
