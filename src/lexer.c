/* The lexer.  It works directly on the source text; words are built into
 * parts as they are read (see lexer.h). */
#include "config.h"
#include "lexer.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_name(const char *s, size_t n)
{
	if (n == 0 || !is_name_start((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_name_char((unsigned char)s[i]))
			return false;
	return true;
}

void lexer_init(struct lexer *lx, const char *src, size_t len, int first_line, bool final,
		struct arena *arena, struct parse_error *err)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src;
	lx->len = len;
	lx->line = first_line;
	lx->col = 1;
	lx->final = final;
	lx->arena = arena;
	lx->err = err;
}

void lexer_finish(struct lexer *lx)
{
	free(lx->pending);
	lx->pending = NULL;
	lx->npending = lx->cappending = 0;
}

static void set_error(struct lexer *lx, enum parse_status st, struct pos pos, const char *fmt,
		      va_list ap)
{
	if (lx->err->status != PARSE_OK)
		return;
	struct strbuf b;
	strbuf_init(&b);
	strbuf_vaddf(&b, fmt, ap);
	lx->err->status = st;
	lx->err->msg = arena_strndup(lx->arena, strbuf_str(&b), b.len);
	lx->err->pos = pos;
	strbuf_finish(&b);
}

void lexer_error(struct lexer *lx, struct pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(lx, PARSE_ERROR, pos, fmt, ap);
	va_end(ap);
}

static void lexer_set(struct lexer *lx, enum parse_status st, struct pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void lexer_set(struct lexer *lx, enum parse_status st, struct pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(lx, st, pos, fmt, ap);
	va_end(ap);
}

bool lexer_enter(struct lexer *lx)
{
	if (++lx->err->depth > PARSE_MAX_DEPTH) {
		lx->err->depth--;
		lexer_error(lx, (struct pos){lx->line, lx->col},
			    "commands nested too deeply (more than %d levels)", PARSE_MAX_DEPTH);
		return false;
	}
	return true;
}

void lexer_leave(struct lexer *lx)
{
	lx->err->depth--;
}

void lexer_eof(struct lexer *lx, struct pos pos, const char *what)
{
	lexer_set(lx, lx->final ? PARSE_ERROR : PARSE_INCOMPLETE, pos, "%s", what);
}

static bool failed(struct lexer *lx)
{
	return lx->err->status != PARSE_OK;
}

static struct pos here(struct lexer *lx)
{
	return (struct pos){lx->line, lx->col};
}

static bool at_end(struct lexer *lx)
{
	return lx->i >= lx->len;
}

static int cur(struct lexer *lx)
{
	return lx->i < lx->len ? (unsigned char)lx->src[lx->i] : -1;
}

static int peekc(struct lexer *lx, size_t k)
{
	return lx->i + k < lx->len ? (unsigned char)lx->src[lx->i + k] : -1;
}

static void advance(struct lexer *lx)
{
	if (lx->i >= lx->len)
		return;
	if (lx->src[lx->i] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->i++;
}

static void advance_n(struct lexer *lx, size_t n)
{
	while (n--)
		advance(lx);
}

void lexer_push_heredoc(struct lexer *lx, struct redir *r)
{
	if (lx->npending == lx->cappending) {
		lx->cappending = lx->cappending ? lx->cappending * 2 : 4;
		lx->pending = xrealloc(lx->pending, lx->cappending * sizeof *lx->pending);
	}
	lx->pending[lx->npending++] = r;
}

/* ---- building words ---- */

struct wbuild {
	struct lexer *lx;
	struct part *head, **tail;
	struct strbuf lit;
	bool have_lit, lit_quoted;
	size_t added; /* characters and parts added so far */
};

static void wb_init(struct wbuild *wb, struct lexer *lx)
{
	wb->lx = lx;
	wb->head = NULL;
	wb->tail = &wb->head;
	strbuf_init(&wb->lit);
	wb->have_lit = wb->lit_quoted = false;
	wb->added = 0;
}

static struct part *new_part(struct lexer *lx, enum part_type t, bool quoted)
{
	struct part *p = arena_alloc(lx->arena, sizeof *p);
	p->type = t;
	p->quoted = quoted;
	return p;
}

static void wb_flush(struct wbuild *wb)
{
	if (!wb->have_lit)
		return;
	struct part *p = new_part(wb->lx, PART_LIT, wb->lit_quoted);
	p->text = arena_strndup(wb->lx->arena, strbuf_str(&wb->lit), wb->lit.len);
	*wb->tail = p;
	wb->tail = &p->next;
	strbuf_reset(&wb->lit);
	wb->have_lit = false;
}

static void wb_addc(struct wbuild *wb, char c, bool quoted)
{
	if (wb->have_lit && wb->lit_quoted != quoted)
		wb_flush(wb);
	wb->have_lit = true;
	wb->lit_quoted = quoted;
	wb->added++;
	strbuf_addc(&wb->lit, c);
}

/* Makes sure a quoted (possibly empty) literal exists: '' is a word. */
static void wb_quoted_empty(struct wbuild *wb)
{
	if (wb->have_lit && !wb->lit_quoted)
		wb_flush(wb);
	wb->have_lit = true;
	wb->lit_quoted = true;
}

static void wb_part(struct wbuild *wb, struct part *p)
{
	wb_flush(wb);
	wb->added++;
	*wb->tail = p;
	wb->tail = &p->next;
}

static struct word *wb_word(struct wbuild *wb, struct pos pos)
{
	wb_flush(wb);
	strbuf_finish(&wb->lit);
	struct word *w = arena_alloc(wb->lx->arena, sizeof *w);
	w->parts = wb->head;
	w->pos = pos;
	return w;
}

static void wb_discard(struct wbuild *wb)
{
	strbuf_finish(&wb->lit);
}

enum wmode {
	WM_WORD,     /* unquoted word: ends at a metacharacter */
	WM_DQUOTE,   /* inside "...": ends at " */
	WM_BRACE,    /* word of ${name-word}: ends at } */
	WM_BRACE_DQ, /* the same inside "..." */
	WM_HEREDOC,  /* here-document body: ends at end of input */
	WM_ARITH,    /* inside $(( )): ends at the matching )) */
};

static bool is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
	       c == ')' || c == '<' || c == '>';
}

static bool read_parts(struct lexer *lx, struct wbuild *wb, enum wmode mode, bool word_start);

/* read_parts one level deeper: ${x:-${x:-...}} must not overflow the
 * stack.  An error found where the nested part starts is reported where
 * its construct starts (the $ or the quote). */
static bool read_nested(struct lexer *lx, struct wbuild *wb, enum wmode mode, struct pos outer)
{
	if (!lexer_enter(lx))
		return false;
	struct pos inner = here(lx);
	bool ok = read_parts(lx, wb, mode, mode == WM_BRACE);
	lexer_leave(lx);
	if (!ok && lx->err->pos.line == inner.line && lx->err->pos.col == inner.col)
		lx->err->pos = outer;
	return ok;
}

/* $'...': C escapes, as bash. */
static bool read_cstring(struct lexer *lx, struct wbuild *wb, struct pos start)
{
	size_t before = wb->added;
	for (;;) {
		if (at_end(lx)) {
			lexer_eof(lx, start, "unterminated $'...' string");
			return false;
		}
		int c = cur(lx);
		advance(lx);
		if (c == '\'') {
			if (wb->added == before)
				wb_quoted_empty(wb);
			return true;
		}
		if (c != '\\' || at_end(lx)) {
			wb_addc(wb, (char)c, true);
			continue;
		}
		c = cur(lx);
		advance(lx);
		int v;
		switch (c) {
		case 'n': v = '\n'; break;
		case 't': v = '\t'; break;
		case 'r': v = '\r'; break;
		case 'a': v = '\a'; break;
		case 'b': v = '\b'; break;
		case 'f': v = '\f'; break;
		case 'v': v = '\v'; break;
		case 'e': case 'E': v = 033; break;
		case '\\': case '\'': case '"': case '?': v = c; break;
		case 'x': {
			int h = hex_digit(cur(lx));
			if (h < 0) {
				wb_addc(wb, '\\', true);
				v = 'x';
				break;
			}
			advance(lx);
			v = h;
			if ((h = hex_digit(cur(lx))) >= 0) {
				advance(lx);
				v = v * 16 + h;
			}
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				v = c - '0';
				for (int k = 0; k < 2 && cur(lx) >= '0' && cur(lx) <= '7'; k++) {
					v = v * 8 + (cur(lx) - '0');
					advance(lx);
				}
				v &= 0xff;
				break;
			}
			wb_addc(wb, '\\', true);
			v = c;
		}
		if (v != 0) /* a C string cannot hold NUL */
			wb_addc(wb, (char)v, true);
	}
}

static bool read_brace_param(struct lexer *lx, struct wbuild *wb, bool dq, struct pos start)
{
	struct part *p = new_part(lx, PART_PARAM, dq);
	if (cur(lx) == '#' && peekc(lx, 1) != '}' && peekc(lx, 1) != -1 &&
	    (is_name_char(peekc(lx, 1)) || strchr("?$!#@*-", peekc(lx, 1)))) {
		p->op = POP_LENGTH;
		advance(lx);
	}
	size_t b = lx->i;
	if (is_name_start(cur(lx))) {
		while (is_name_char(cur(lx)))
			advance(lx);
	} else if (cur(lx) >= '0' && cur(lx) <= '9') {
		while (cur(lx) >= '0' && cur(lx) <= '9')
			advance(lx);
	} else if (cur(lx) != -1 && strchr("?$!#@*-", cur(lx))) {
		advance(lx);
	}
	if (at_end(lx)) {
		lexer_eof(lx, start, "unterminated ${...}");
		return false;
	}
	if (lx->i == b) {
		lexer_error(lx, start, "bad substitution");
		return false;
	}
	p->text = arena_strndup(lx->arena, lx->src + b, lx->i - b);
	int c = cur(lx);
	if (c == '}') {
		advance(lx);
		wb_part(wb, p);
		return true;
	}
	if (p->op == POP_LENGTH) {
		lexer_error(lx, start, "bad substitution");
		return false;
	}
	if (c == ':') {
		p->colon = true;
		advance(lx);
		c = cur(lx);
		if (c == -1 || !strchr("-=+?", c)) {
			if (c == -1)
				lexer_eof(lx, start, "unterminated ${...}");
			else
				lexer_error(lx, start, "bad substitution");
			return false;
		}
	}
	switch (c) {
	case '-': p->op = POP_DEFAULT; break;
	case '=': p->op = POP_ASSIGN; break;
	case '+': p->op = POP_ALT; break;
	case '?': p->op = POP_ERROR; break;
	case '#':
		p->op = POP_TRIM_PREFIX;
		if (peekc(lx, 1) == '#') {
			p->op = POP_TRIM_PREFIX_LONG;
			advance(lx);
		}
		break;
	case '%':
		p->op = POP_TRIM_SUFFIX;
		if (peekc(lx, 1) == '%') {
			p->op = POP_TRIM_SUFFIX_LONG;
			advance(lx);
		}
		break;
	default:
		lexer_error(lx, start, "bad substitution");
		return false;
	}
	advance(lx);
	struct wbuild sub;
	wb_init(&sub, lx);
	struct pos apos = here(lx);
	/* a trimming pattern is a pattern even inside "...": ${f%.*} */
	bool trim = p->op >= POP_TRIM_PREFIX;
	if (!read_nested(lx, &sub, dq && !trim ? WM_BRACE_DQ : WM_BRACE, start)) {
		wb_discard(&sub);
		return false;
	}
	p->arg = wb_word(&sub, apos);
	wb_part(wb, p);
	return true;
}

static bool read_arith(struct lexer *lx, struct wbuild *wb, bool dq, struct pos start)
{
	struct wbuild sub;
	wb_init(&sub, lx);
	struct pos apos = here(lx);
	if (!read_nested(lx, &sub, WM_ARITH, start)) {
		wb_discard(&sub);
		return false;
	}
	struct part *p = new_part(lx, PART_ARITH, dq);
	p->arg = wb_word(&sub, apos);
	wb_part(wb, p);
	return true;
}

static bool nested_done(struct lexer *lx, struct wbuild *wb, struct node *body, bool dq)
{
	if (failed(lx))
		return false;
	struct part *p = new_part(lx, PART_CMDSUB, dq);
	p->body = body;
	wb_part(wb, p);
	return true;
}

static bool read_backquote(struct lexer *lx, struct wbuild *wb, bool dq, struct pos start)
{
	struct strbuf b;
	strbuf_init(&b);
	struct pos inner = here(lx);
	for (;;) {
		if (at_end(lx)) {
			strbuf_finish(&b);
			lexer_eof(lx, start, "unterminated `...`");
			return false;
		}
		int c = cur(lx);
		if (c == '`') {
			advance(lx);
			break;
		}
		if (c == '\\' && (peekc(lx, 1) == '$' || peekc(lx, 1) == '`' || peekc(lx, 1) == '\\' ||
				  (dq && peekc(lx, 1) == '"'))) {
			advance(lx);
			c = cur(lx);
		}
		strbuf_addc(&b, (char)c);
		advance(lx);
	}
	if (!lx->nested) {
		strbuf_finish(&b);
		lexer_error(lx, start, "command substitution not allowed here");
		return false;
	}
	char *text = arena_strndup(lx->arena, strbuf_str(&b), b.len);
	size_t n = b.len;
	strbuf_finish(&b);
	struct lexer sub;
	lexer_init(&sub, text, n, inner.line, true, lx->arena, lx->err);
	sub.col = inner.col;
	sub.nested = lx->nested;
	sub.ctx = lx->ctx;
	struct node *body = lx->nested(lx->ctx, &sub, true);
	lexer_finish(&sub);
	return nested_done(lx, wb, body, dq);
}

/* After a `$`: returns false on error. */
static bool read_dollar(struct lexer *lx, struct wbuild *wb, bool dq, enum wmode mode)
{
	struct pos start = here(lx);
	advance(lx); /* $ */
	int c = cur(lx);
	if (c == '\'' && mode == WM_WORD) {
		advance(lx);
		return read_cstring(lx, wb, start);
	}
	if (c == '"' && mode == WM_WORD) /* $"..." is "..." */
		return true;
	if (c == '(') {
		if (peekc(lx, 1) == '(') {
			advance_n(lx, 2);
			return read_arith(lx, wb, dq, start);
		}
		advance(lx);
		if (!lx->nested) {
			lexer_error(lx, start, "command substitution not allowed here");
			return false;
		}
		struct node *body = lx->nested(lx->ctx, lx, false);
		return nested_done(lx, wb, body, dq);
	}
	if (c == '{') {
		advance(lx);
		return read_brace_param(lx, wb, dq, start);
	}
	struct part *p = new_part(lx, PART_PARAM, dq);
	if (is_name_start(c)) {
		size_t b = lx->i;
		while (is_name_char(cur(lx)))
			advance(lx);
		p->text = arena_strndup(lx->arena, lx->src + b, lx->i - b);
	} else if ((c >= '0' && c <= '9') || (c != -1 && strchr("?$!#@*-", c))) {
		p->text = arena_strndup(lx->arena, lx->src + lx->i, 1);
		advance(lx);
	} else {
		wb_addc(wb, '$', dq);
		return true;
	}
	wb_part(wb, p);
	return true;
}

static bool read_tilde(struct lexer *lx, struct wbuild *wb, enum wmode mode)
{
	size_t k = 1;
	while (lx->i + k < lx->len) {
		int c = (unsigned char)lx->src[lx->i + k];
		if (!(is_name_char(c) || c == '.' || c == '-'))
			break;
		k++;
	}
	int after = peekc(lx, k);
	if (after != -1 && after != '/' && !(mode == WM_WORD ? is_meta(after) : after == '}'))
		return false;
	struct part *p = new_part(lx, PART_TILDE, false);
	p->text = arena_strndup(lx->arena, lx->src + lx->i + 1, k - 1);
	advance_n(lx, k);
	wb_part(wb, p);
	return true;
}

static const char *unterminated(enum wmode mode)
{
	switch (mode) {
	case WM_DQUOTE: return "unterminated quoted string";
	case WM_BRACE:
	case WM_BRACE_DQ: return "unterminated ${...}";
	case WM_ARITH: return "unterminated $((...))";
	default: return "unexpected end of file";
	}
}

static bool read_parts(struct lexer *lx, struct wbuild *wb, enum wmode mode, bool word_start)
{
	bool dq = mode == WM_DQUOTE || mode == WM_BRACE_DQ || mode == WM_HEREDOC || mode == WM_ARITH;
	struct pos start = here(lx);
	int depth = 0;
	for (bool first = word_start;; first = false) {
		if (at_end(lx)) {
			if (mode == WM_WORD || mode == WM_HEREDOC)
				return true;
			lexer_eof(lx, start, unterminated(mode));
			return false;
		}
		int c = cur(lx);
		switch (mode) {
		case WM_WORD:
			if (is_meta(c))
				return true;
			break;
		case WM_DQUOTE:
			if (c == '"') {
				advance(lx);
				return true;
			}
			break;
		case WM_BRACE:
		case WM_BRACE_DQ:
			if (c == '}') {
				advance(lx);
				return true;
			}
			break;
		case WM_ARITH:
			if (c == '(') {
				depth++;
			} else if (c == ')') {
				if (depth == 0) {
					if (peekc(lx, 1) == ')') {
						advance_n(lx, 2);
						return true;
					}
					if (peekc(lx, 1) == -1) {
						advance(lx);
						lexer_eof(lx, start, unterminated(mode));
						return false;
					}
					lexer_error(lx, here(lx), "unbalanced parentheses in $((...))");
					return false;
				}
				depth--;
			}
			break;
		case WM_HEREDOC:
			break;
		}
		if (c == '\\') {
			int n = peekc(lx, 1);
			if (n == '\n') {
				advance_n(lx, 2);
				if (at_end(lx) && !lx->final && mode == WM_WORD) {
					lexer_eof(lx, here(lx), "unexpected end of file");
					return false;
				}
				continue;
			}
			if (n == -1) {
				if (mode == WM_WORD && !lx->final) {
					lexer_eof(lx, here(lx), "unexpected end of file");
					return false;
				}
				wb_addc(wb, '\\', dq);
				advance(lx);
				continue;
			}
			if (!dq || strchr("$`\\", n) || (n == '"' && mode != WM_HEREDOC && mode != WM_ARITH) ||
			    (n == '}' && mode == WM_BRACE_DQ)) {
				advance(lx);
				wb_addc(wb, (char)n, true);
				advance(lx);
			} else {
				wb_addc(wb, '\\', true);
				advance(lx);
			}
			continue;
		}
		if (c == '\'' && (mode == WM_WORD || mode == WM_BRACE)) {
			struct pos qpos = here(lx);
			advance(lx);
			size_t before = wb->added;
			while (cur(lx) != '\'') {
				if (at_end(lx)) {
					lexer_eof(lx, qpos, "unterminated quoted string");
					return false;
				}
				wb_addc(wb, (char)cur(lx), true);
				advance(lx);
			}
			advance(lx);
			if (wb->added == before)
				wb_quoted_empty(wb);
			continue;
		}
		if (c == '"' && (mode == WM_WORD || mode == WM_BRACE)) {
			struct pos qpos = here(lx);
			advance(lx);
			size_t before = wb->added;
			if (!read_nested(lx, wb, WM_DQUOTE, qpos))
				return false;
			if (wb->added == before)
				wb_quoted_empty(wb);
			continue;
		}
		if (c == '"' && mode == WM_BRACE_DQ) {
			advance(lx);
			continue;
		}
		if (c == '$') {
			if (!read_dollar(lx, wb, dq, mode))
				return false;
			continue;
		}
		if (c == '`') {
			struct pos bpos = here(lx);
			advance(lx);
			if (!read_backquote(lx, wb, dq, bpos))
				return false;
			continue;
		}
		if (c == '~' && first && (mode == WM_WORD || mode == WM_BRACE) && read_tilde(lx, wb, mode))
			continue;
		wb_addc(wb, (char)c, dq);
		advance(lx);
	}
}

/* ---- here-documents ---- */

static bool read_heredoc(struct lexer *lx, struct redir *r)
{
	struct strbuf body;
	strbuf_init(&body);
	struct pos bpos = here(lx);
	size_t dlen = strlen(r->delim);
	bool found = false;
	while (!at_end(lx)) {
		size_t s = lx->i, e = s;
		while (e < lx->len && lx->src[e] != '\n')
			e++;
		size_t ts = s;
		if (r->strip_tabs)
			while (ts < e && lx->src[ts] == '\t')
				ts++;
		size_t next = e < lx->len ? e + 1 : e;
		if (e - ts == dlen && memcmp(lx->src + ts, r->delim, dlen) == 0) {
			advance_n(lx, next - s);
			found = true;
			break;
		}
		if (e == lx->len && !lx->final)
			break; /* a partial last line: wait for the rest */
		strbuf_addn(&body, lx->src + ts, e - ts);
		strbuf_addc(&body, '\n');
		advance_n(lx, next - s);
	}
	if (!found && !lx->final) {
		strbuf_finish(&body);
		lexer_eof(lx, r->pos, "here-document not ended");
		return false;
	}
	char *text = arena_strndup(lx->arena, strbuf_str(&body), body.len);
	size_t n = body.len;
	strbuf_finish(&body);
	struct word *w;
	if (r->quoted) {
		w = arena_alloc(lx->arena, sizeof *w);
		w->pos = bpos;
		struct part *p = new_part(lx, PART_LIT, true);
		p->text = text;
		w->parts = p;
	} else {
		struct lexer sub;
		lexer_init(&sub, text, n, bpos.line, true, lx->arena, lx->err);
		sub.nested = lx->nested;
		sub.ctx = lx->ctx;
		struct wbuild wb;
		wb_init(&wb, &sub);
		bool ok = read_parts(&sub, &wb, WM_HEREDOC, false);
		lexer_finish(&sub);
		if (!ok) {
			wb_discard(&wb);
			return false;
		}
		w = wb_word(&wb, bpos);
		/* A body is one field even if empty */
		if (!w->parts) {
			struct part *p = new_part(lx, PART_LIT, true);
			p->text = arena_strndup(lx->arena, "", 0);
			w->parts = p;
		}
	}
	r->body = w;
	return true;
}

static bool read_pending_heredocs(struct lexer *lx)
{
	/* Taken one at a time: a body may hold $( ) with here-documents of its own. */
	size_t n = lx->npending;
	struct redir **list = lx->pending;
	lx->pending = NULL;
	lx->npending = lx->cappending = 0;
	bool ok = true;
	for (size_t k = 0; k < n && ok; k++)
		ok = read_heredoc(lx, list[k]);
	free(list);
	return ok;
}

/* ---- tokens ---- */

struct opdef {
	const char *text;
	enum tok_type type;
};

static const struct opdef ops[] = {
	{"<<-", T_DLESSDASH}, {"&&", T_AND_IF}, {"||", T_OR_IF}, {";;", T_DSEMI}, {"<<", T_DLESS},
	{">>", T_DGREAT},     {"<&", T_LESSAND}, {">&", T_GREATAND}, {"&>", T_ANDGREAT},
	{"<>", T_LESSGREAT},  {">|", T_GREAT},   {";", T_SEMI},      {"&", T_AMP},
	{"|", T_PIPE},        {"(", T_LPAREN},   {")", T_RPAREN},    {"<", T_LESS},
	{">", T_GREAT},
};

void lexer_next(struct lexer *lx, struct token *tok)
{
	memset(tok, 0, sizeof *tok);
	if (failed(lx)) {
		tok->type = T_ERROR;
		return;
	}
	for (;;) {
		int c = cur(lx);
		if (c == ' ' || c == '\t') {
			advance(lx);
		} else if (c == '\\' && peekc(lx, 1) == '\n') {
			advance_n(lx, 2);
			if (at_end(lx) && !lx->final) {
				lexer_eof(lx, here(lx), "unexpected end of file");
				tok->type = T_ERROR;
				return;
			}
		} else if (c == '#') {
			while (!at_end(lx) && cur(lx) != '\n')
				advance(lx);
		} else {
			break;
		}
	}
	tok->pos = here(lx);
	tok->begin = lx->i;
	if (at_end(lx)) {
		if (lx->npending && !lx->final) {
			lexer_eof(lx, lx->pending[0]->pos, "here-document not ended");
			tok->type = T_ERROR;
			return;
		}
		if (lx->npending && !read_pending_heredocs(lx)) {
			tok->type = T_ERROR;
			return;
		}
		tok->type = T_EOF;
		tok->end = lx->i;
		return;
	}
	int c = cur(lx);
	if (c == '\n') {
		advance(lx);
		tok->type = T_NEWLINE;
		tok->end = lx->i;
		if (lx->npending && !read_pending_heredocs(lx))
			tok->type = T_ERROR;
		return;
	}
	bool op_start = c != 0 && strchr(";&|()<>", c) != NULL;
	for (size_t k = 0; op_start && k < sizeof ops / sizeof ops[0]; k++) {
		size_t n = strlen(ops[k].text);
		if (lx->len - lx->i >= n && memcmp(lx->src + lx->i, ops[k].text, n) == 0) {
			advance_n(lx, n);
			tok->type = ops[k].type;
			tok->end = lx->i;
			return;
		}
	}
	if (c >= '0' && c <= '9') {
		size_t k = 0;
		while (peekc(lx, k) >= '0' && peekc(lx, k) <= '9')
			k++;
		int after = peekc(lx, k);
		if ((after == '<' || after == '>') && k < 6) {
			tok->type = T_IO_NUMBER;
			tok->number = atoi(lx->src + lx->i);
			advance_n(lx, k);
			tok->end = lx->i;
			return;
		}
	}
	struct wbuild wb;
	wb_init(&wb, lx);
	if (!read_parts(lx, &wb, WM_WORD, true)) {
		wb_discard(&wb);
		tok->type = T_ERROR;
		return;
	}
	tok->type = T_WORD;
	tok->word = wb_word(&wb, tok->pos);
	tok->end = lx->i;
}

const char *token_describe(struct lexer *lx, const struct token *t)
{
	switch (t->type) {
	case T_EOF:
		return "end of file";
	case T_NEWLINE:
		return "newline";
	case T_ERROR:
		return "error";
	default: {
		size_t n = t->end - t->begin;
		if (n > 40)
			n = 40;
		char *s = arena_alloc(lx->arena, n + 3);
		s[0] = '\'';
		memcpy(s + 1, lx->src + t->begin, n);
		s[n + 1] = '\'';
		return s;
	}
	}
}
