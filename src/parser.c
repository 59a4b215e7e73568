/* The parser.  Grammar (as POSIX sh, less aliases):
 *   program       : linebreak list? EOF
 *   list          : and_or ((';' | '&' | NEWLINE) linebreak and_or)* [';' | '&']
 *   and_or        : pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline      : ['!'] command ('|' linebreak command)*
 *   command       : simple_command | compound redirect* | funcdef
 *                   (a simple command `coproc WORD... NAME { list; }` takes
 *                   the group as its coprocess)
 *   compound      : '{' list '}' | '(' list ')' | if | while | until | for | case
 *   funcdef       : NAME '(' ')' linebreak compound redirect*
 */
#include "config.h"
#include "parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	struct lexer *lx;
	struct parse_error err;
	struct token tok;
	bool have_tok;
	size_t last_end; /* end offset of the last consumed token */
	struct arena *arena;
};

static bool failed(struct parser *p)
{
	return p->err.status != PARSE_OK;
}

static struct token *peek(struct parser *p)
{
	if (!p->have_tok) {
		struct token t;
		lexer_next(p->lx, &t); /* may recurse into the parser for $( ) */
		p->tok = t;
		p->have_tok = true;
	}
	return &p->tok;
}

static struct token next(struct parser *p)
{
	struct token t = *peek(p);
	p->have_tok = false;
	p->last_end = t.end;
	return t;
}

static bool is_kw(struct parser *p, const char *kw)
{
	struct token *t = peek(p);
	return t->type == T_WORD && word_is(t->word, kw);
}

static void unexpected(struct parser *p, const char *expecting)
{
	struct token *t = peek(p);
	if (t->type == T_ERROR || failed(p))
		return;
	char buf[64] = "";
	if (expecting)
		snprintf(buf, sizeof buf, " (expecting '%s')", expecting);
	if (t->type == T_EOF) {
		char msg[96];
		snprintf(msg, sizeof msg, "unexpected end of file%s", buf);
		lexer_eof(p->lx, t->pos, msg);
	} else {
		lexer_error(p->lx, t->pos, "unexpected %s%s", token_describe(p->lx, t), buf);
	}
}

static void *node_new(struct parser *p, size_t size, enum node_type type, struct pos pos)
{
	struct node *n = arena_alloc(p->arena, size);
	n->type = type;
	n->pos = pos;
	return n;
}

static void linebreak(struct parser *p)
{
	while (peek(p)->type == T_NEWLINE)
		next(p);
}

static bool expect_kw(struct parser *p, const char *kw)
{
	if (is_kw(p, kw)) {
		next(p);
		return true;
	}
	unexpected(p, kw);
	return false;
}

static const char *const closers[] = {"}", "then", "else", "elif", "fi", "do", "done", "esac"};

static bool at_stop(struct parser *p)
{
	struct token *t = peek(p);
	if (t->type == T_EOF || t->type == T_RPAREN || t->type == T_DSEMI || t->type == T_ERROR)
		return true;
	if (t->type != T_WORD)
		return false;
	for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
		if (word_is(t->word, closers[i]))
			return true;
	return false;
}

static bool enter(struct parser *p)
{
	return lexer_enter(p->lx);
}

static void leave(struct parser *p)
{
	lexer_leave(p->lx);
}

static struct node *list(struct parser *p);
static struct node *command(struct parser *p);
static struct node *group(struct parser *p, enum node_type type);

static struct node *compound_list(struct parser *p)
{
	struct node *n = list(p);
	if (!n && !failed(p))
		unexpected(p, NULL); /* an empty list: no command where one must be */
	return n;
}

static struct node *pipeline(struct parser *p)
{
	struct pos pos = peek(p)->pos;
	bool bang = false;
	if (is_kw(p, "!")) {
		next(p);
		bang = true;
	}
	struct ptrvec cmds;
	ptrvec_init(&cmds);
	for (;;) {
		struct node *c = command(p);
		if (!c) {
			ptrvec_finish(&cmds);
			return NULL;
		}
		ptrvec_push(&cmds, c);
		if (peek(p)->type != T_PIPE)
			break;
		next(p);
		linebreak(p);
	}
	if (cmds.len == 1 && !bang) {
		struct node *c = cmds.v[0];
		ptrvec_finish(&cmds);
		return c;
	}
	struct node_pipeline *pl = node_new(p, sizeof *pl, N_PIPELINE, pos);
	pl->bang = bang;
	pl->n = cmds.len;
	pl->cmds = arena_alloc(p->arena, cmds.len * sizeof *pl->cmds);
	memcpy(pl->cmds, cmds.v, cmds.len * sizeof *pl->cmds);
	ptrvec_finish(&cmds);
	return &pl->base;
}

static struct node *and_or(struct parser *p)
{
	struct node *left = pipeline(p);
	int links = 0;
	while (left) {
		enum tok_type t = peek(p)->type;
		if (t != T_AND_IF && t != T_OR_IF)
			break;
		struct pos pos = next(p).pos;
		if (++links > PARSE_MAX_DEPTH) { /* each link nests the tree one deeper */
			lexer_error(p->lx, pos, "more than %d && and || in one list", PARSE_MAX_DEPTH);
			return NULL;
		}
		linebreak(p);
		struct node *right = pipeline(p);
		if (!right)
			return NULL;
		struct node_binary *b = node_new(p, sizeof *b, t == T_AND_IF ? N_AND : N_OR, pos);
		b->left = left;
		b->right = right;
		left = &b->base;
	}
	return left;
}

static struct node *list(struct parser *p)
{
	struct pos pos = peek(p)->pos;
	linebreak(p);
	struct list_item *items = NULL;
	size_t n = 0, cap = 0;
	while (!failed(p) && !at_stop(p)) {
		size_t begin = peek(p)->begin;
		struct node *c = and_or(p);
		if (!c) {
			free(items);
			return NULL;
		}
		size_t end = p->last_end;
		bool bg = false;
		enum tok_type t = peek(p)->type;
		if (t == T_SEMI || t == T_AMP) {
			bg = t == T_AMP;
			next(p);
		} else if (t != T_NEWLINE && !at_stop(p)) {
			unexpected(p, NULL);
			free(items);
			return NULL;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			items = xrealloc(items, cap * sizeof *items);
		}
		items[n].cmd = c;
		items[n].background = bg;
		/* the text names a job in notices: `[1]+ Stopped  sleep 10` */
		items[n].text = arena_strndup(p->arena, p->lx->src + begin, end - begin);
		n++;
		linebreak(p);
	}
	if (failed(p) || n == 0) {
		free(items);
		return NULL;
	}
	if (n == 1 && !items[0].background) {
		struct node *c = items[0].cmd;
		free(items);
		return c;
	}
	struct node_list *l = node_new(p, sizeof *l, N_LIST, pos);
	l->n = n;
	l->items = arena_alloc(p->arena, n * sizeof *items);
	memcpy(l->items, items, n * sizeof *items);
	free(items);
	return &l->base;
}

static bool is_redir_tok(enum tok_type t)
{
	switch (t) {
	case T_IO_NUMBER: case T_LESS: case T_GREAT: case T_DGREAT: case T_LESSAND:
	case T_GREATAND: case T_ANDGREAT: case T_LESSGREAT: case T_DLESS: case T_DLESSDASH:
		return true;
	default:
		return false;
	}
}

/* The delimiter of a here-document: its text without quotes. */
static char *heredoc_delim(struct parser *p, const struct token *t, bool *quoted)
{
	struct strbuf b;
	strbuf_init(&b);
	*quoted = false;
	bool simple = true;
	for (const struct part *pt = t->word->parts; pt; pt = pt->next) {
		if (pt->quoted)
			*quoted = true;
		if (pt->type == PART_LIT)
			strbuf_adds(&b, pt->text);
		else
			simple = false;
	}
	if (!simple) { /* $x or $( ) in a delimiter: take the text as written */
		strbuf_reset(&b);
		strbuf_addn(&b, p->lx->src + t->begin, t->end - t->begin);
	}
	char *s = arena_strndup(p->arena, strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return s;
}

static struct redir *redirect(struct parser *p)
{
	struct redir *r = arena_alloc(p->arena, sizeof *r);
	r->fd = -1;
	r->pos = peek(p)->pos;
	if (peek(p)->type == T_IO_NUMBER)
		r->fd = next(p).number;
	struct token op = next(p);
	switch (op.type) {
	case T_LESS: r->op = R_IN; break;
	case T_GREAT: r->op = R_OUT; break;
	case T_DGREAT: r->op = R_APPEND; break;
	case T_LESSAND: r->op = R_DUPIN; break;
	case T_GREATAND: r->op = R_DUPOUT; break;
	case T_ANDGREAT: r->op = R_BOTH; break;
	case T_LESSGREAT: r->op = R_RDWR; break;
	case T_DLESS: r->op = R_HEREDOC; break;
	case T_DLESSDASH: r->op = R_HEREDOC; r->strip_tabs = true; break;
	default:
		lexer_error(p->lx, op.pos, "unexpected %s", token_describe(p->lx, &op));
		return NULL;
	}
	if (peek(p)->type != T_WORD) {
		unexpected(p, NULL);
		return NULL;
	}
	struct token t = next(p);
	if (r->op == R_HEREDOC) {
		r->delim = heredoc_delim(p, &t, &r->quoted);
		lexer_push_heredoc(p->lx, r);
	} else {
		r->target = t.word;
	}
	return r;
}

static bool redirect_list(struct parser *p, struct node *n)
{
	struct redir **tail = &n->redirs;
	while (*tail)
		tail = &(*tail)->next;
	while (is_redir_tok(peek(p)->type)) {
		struct redir *r = redirect(p);
		if (!r)
			return false;
		*tail = r;
		tail = &r->next;
	}
	return true;
}

/* NAME=value at the start of a simple command: split into name and value. */
static struct assign *as_assignment(struct parser *p, struct word *w)
{
	struct part *first = w->parts;
	if (!first || first->type != PART_LIT || first->quoted)
		return NULL;
	const char *eq = strchr(first->text, '=');
	if (!eq || !is_name(first->text, (size_t)(eq - first->text)))
		return NULL;
	struct assign *a = arena_alloc(p->arena, sizeof *a);
	a->name = arena_strndup(p->arena, first->text, (size_t)(eq - first->text));
	a->value = arena_alloc(p->arena, sizeof *a->value);
	a->value->pos = w->pos;
	const char *rest = eq + 1;
	struct part **tail = &a->value->parts;
	if (rest[0] == '~' && (rest[1] == '/' || (rest[1] == 0 && (!first->next || first->next->type != PART_LIT)))) {
		struct part *t = arena_alloc(p->arena, sizeof *t);
		t->type = PART_TILDE;
		t->text = arena_strndup(p->arena, "", 0);
		*tail = t;
		tail = &t->next;
		rest++;
	}
	if (*rest) {
		struct part *l = arena_alloc(p->arena, sizeof *l);
		l->type = PART_LIT;
		l->text = arena_strndup(p->arena, rest, strlen(rest));
		*tail = l;
		tail = &l->next;
	}
	*tail = first->next;
	return a;
}

static struct node *funcdef(struct parser *p, struct token *name)
{
	const char *s = word_literal(name->word);
	if (!s || name->word->parts->quoted || !is_name(s, strlen(s))) {
		lexer_error(p->lx, name->pos, "invalid function name %s", token_describe(p->lx, name));
		return NULL;
	}
	next(p); /* ( */
	if (peek(p)->type != T_RPAREN) {
		unexpected(p, ")");
		return NULL;
	}
	next(p);
	linebreak(p);
	struct token *t = peek(p);
	bool compound = t->type == T_LPAREN ||
			(t->type == T_WORD && (word_is(t->word, "{") || word_is(t->word, "if") ||
					       word_is(t->word, "while") || word_is(t->word, "until") ||
					       word_is(t->word, "for") || word_is(t->word, "case")));
	if (!compound) {
		unexpected(p, "{");
		return NULL;
	}
	struct node *body = command(p);
	if (!body)
		return NULL;
	struct node_funcdef *f = node_new(p, sizeof *f, N_FUNCDEF, name->pos);
	f->name = arena_strndup(p->arena, s, strlen(s));
	f->body = body;
	f->arena = p->arena;
	return &f->base;
}

static struct node *simple_command(struct parser *p)
{
	struct node_simple *s = node_new(p, sizeof *s, N_SIMPLE, peek(p)->pos);
	struct assign **atail = &s->assigns;
	struct redir **rtail = &s->base.redirs;
	struct ptrvec words;
	ptrvec_init(&words);
	for (;;) {
		struct token *t = peek(p);
		if (is_redir_tok(t->type)) {
			struct redir *r = redirect(p);
			if (!r)
				goto fail;
			*rtail = r;
			rtail = &r->next;
			continue;
		}
		if (t->type != T_WORD || s->group)
			break;
		if (words.len == 1 && word_is(t->word, "{") && word_is(words.v[0], "coproc")) {
			lexer_error(p->lx, t->pos, "a coprocess group needs a name: coproc NAME { list; }");
			goto fail;
		}
		if (words.len >= 2 && word_is(t->word, "{") && word_is(words.v[0], "coproc")) {
			/* coproc [OPTION...] NAME { list; }: the group is the coprocess */
			size_t begin = t->begin;
			s->group = group(p, N_GROUP);
			if (!s->group)
				goto fail;
			s->group_text = arena_strndup(p->arena, p->lx->src + begin, p->last_end - begin);
			continue;
		}
		if (words.len == 0) {
			struct assign *a = as_assignment(p, t->word);
			if (a) {
				next(p);
				*atail = a;
				atail = &a->next;
				continue;
			}
		}
		struct token w = next(p);
		if (words.len == 0 && !s->assigns && !s->base.redirs && peek(p)->type == T_LPAREN) {
			ptrvec_finish(&words);
			return funcdef(p, &w);
		}
		ptrvec_push(&words, w.word);
	}
	if (words.len == 0 && !s->assigns && !s->base.redirs) {
		unexpected(p, NULL);
		goto fail;
	}
	s->nwords = words.len;
	s->words = arena_alloc(p->arena, (words.len + 1) * sizeof *s->words);
	if (words.len)
		memcpy(s->words, words.v, words.len * sizeof *s->words);
	ptrvec_finish(&words);
	return &s->base;
fail:
	ptrvec_finish(&words);
	return NULL;
}

static struct node *group(struct parser *p, enum node_type type)
{
	struct pos pos = next(p).pos; /* { or ( */
	struct node *body = compound_list(p);
	if (!body)
		return NULL;
	if (type == N_GROUP) {
		if (!expect_kw(p, "}"))
			return NULL;
	} else if (peek(p)->type == T_RPAREN) {
		next(p);
	} else {
		unexpected(p, ")");
		return NULL;
	}
	struct node_group *g = node_new(p, sizeof *g, type, pos);
	g->body = body;
	return &g->base;
}

static struct node *if_clause(struct parser *p)
{
	struct pos pos = next(p).pos; /* if or elif */
	struct node *cond = compound_list(p);
	if (!cond || !expect_kw(p, "then"))
		return NULL;
	struct node *then_part = compound_list(p);
	if (!then_part)
		return NULL;
	struct node_if *n = node_new(p, sizeof *n, N_IF, pos);
	n->cond = cond;
	n->then_part = then_part;
	if (is_kw(p, "elif")) {
		if (!enter(p))
			return NULL;
		n->else_part = if_clause(p); /* consumes the fi */
		leave(p);
		return n->else_part ? &n->base : NULL;
	}
	if (is_kw(p, "else")) {
		next(p);
		n->else_part = compound_list(p);
		if (!n->else_part)
			return NULL;
	}
	return expect_kw(p, "fi") ? &n->base : NULL;
}

static struct node *loop_clause(struct parser *p, enum node_type type)
{
	struct pos pos = next(p).pos;
	struct node *cond = compound_list(p);
	if (!cond || !expect_kw(p, "do"))
		return NULL;
	struct node *body = compound_list(p);
	if (!body || !expect_kw(p, "done"))
		return NULL;
	struct node_loop *n = node_new(p, sizeof *n, type, pos);
	n->cond = cond;
	n->body = body;
	return &n->base;
}

static struct node *for_clause(struct parser *p)
{
	struct pos pos = next(p).pos;
	struct token *t = peek(p);
	const char *name = t->type == T_WORD ? word_literal(t->word) : NULL;
	if (!name || t->word->parts->quoted || !is_name(name, strlen(name))) {
		if (t->type == T_WORD)
			lexer_error(p->lx, t->pos, "invalid for-loop variable %s", token_describe(p->lx, t));
		else
			unexpected(p, NULL);
		return NULL;
	}
	next(p);
	struct node_for *n = node_new(p, sizeof *n, N_FOR, pos);
	n->name = arena_strndup(p->arena, name, strlen(name));
	linebreak(p);
	if (is_kw(p, "in")) {
		next(p);
		struct ptrvec words;
		ptrvec_init(&words);
		while (peek(p)->type == T_WORD)
			ptrvec_push(&words, next(p).word);
		n->words = arena_alloc(p->arena, (words.len + 1) * sizeof *n->words);
		if (words.len)
			memcpy(n->words, words.v, words.len * sizeof *n->words);
		ptrvec_finish(&words);
		if (peek(p)->type == T_SEMI || peek(p)->type == T_NEWLINE) {
			next(p);
		} else {
			unexpected(p, "do");
			return NULL;
		}
	} else if (peek(p)->type == T_SEMI) {
		next(p);
	}
	linebreak(p);
	if (!expect_kw(p, "do"))
		return NULL;
	n->body = compound_list(p);
	if (!n->body || !expect_kw(p, "done"))
		return NULL;
	return &n->base;
}

static struct node *case_clause(struct parser *p)
{
	struct pos pos = next(p).pos;
	if (peek(p)->type != T_WORD) {
		unexpected(p, NULL);
		return NULL;
	}
	struct node_case *n = node_new(p, sizeof *n, N_CASE, pos);
	n->subject = next(p).word;
	linebreak(p);
	if (!expect_kw(p, "in"))
		return NULL;
	linebreak(p);
	struct case_item *items = NULL;
	size_t cap = 0;
	while (!is_kw(p, "esac")) {
		if (peek(p)->type == T_LPAREN)
			next(p);
		struct ptrvec pats;
		ptrvec_init(&pats);
		for (;;) {
			if (peek(p)->type != T_WORD) {
				unexpected(p, "esac");
				ptrvec_finish(&pats);
				free(items);
				return NULL;
			}
			ptrvec_push(&pats, next(p).word);
			if (peek(p)->type != T_PIPE)
				break;
			next(p);
		}
		if (peek(p)->type != T_RPAREN) {
			unexpected(p, ")");
			ptrvec_finish(&pats);
			free(items);
			return NULL;
		}
		next(p);
		struct node *body = list(p);
		if (failed(p)) {
			ptrvec_finish(&pats);
			free(items);
			return NULL;
		}
		if (n->n == cap) {
			cap = cap ? cap * 2 : 4;
			items = xrealloc(items, cap * sizeof *items);
		}
		items[n->n].patterns = arena_alloc(p->arena, (pats.len + 1) * sizeof(struct word *));
		memcpy(items[n->n].patterns, pats.v, pats.len * sizeof(struct word *));
		items[n->n].body = body;
		n->n++;
		ptrvec_finish(&pats);
		if (peek(p)->type == T_DSEMI) {
			next(p);
			linebreak(p);
		} else if (!is_kw(p, "esac")) {
			unexpected(p, "esac");
			free(items);
			return NULL;
		}
	}
	next(p); /* esac */
	n->items = arena_alloc(p->arena, (n->n ? n->n : 1) * sizeof *items);
	if (n->n)
		memcpy(n->items, items, n->n * sizeof *items);
	free(items);
	return &n->base;
}

static struct node *compound(struct parser *p)
{
	struct token *t = peek(p);
	if (t->type == T_LPAREN)
		return group(p, N_SUBSHELL);
	if (is_kw(p, "{"))
		return group(p, N_GROUP);
	if (is_kw(p, "if"))
		return if_clause(p);
	if (is_kw(p, "while"))
		return loop_clause(p, N_WHILE);
	if (is_kw(p, "until"))
		return loop_clause(p, N_UNTIL);
	if (is_kw(p, "for"))
		return for_clause(p);
	if (is_kw(p, "case"))
		return case_clause(p);
	return NULL;
}

static struct node *command(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct node *n = NULL;
	struct token *t = peek(p);
	bool is_compound = t->type == T_LPAREN;
	if (t->type == T_WORD) {
		static const char *const starts[] = {"{", "if", "while", "until", "for", "case"};
		for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
			if (word_is(t->word, starts[i]))
				is_compound = true;
		for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++)
			if (word_is(t->word, closers[i])) {
				unexpected(p, NULL);
				goto out;
			}
		if (word_is(t->word, "!") || word_is(t->word, "in")) {
			unexpected(p, NULL);
			goto out;
		}
	}
	if (is_compound) {
		n = compound(p);
		if (n && !redirect_list(p, n))
			n = NULL;
	} else {
		n = simple_command(p);
	}
out:
	leave(p);
	return failed(p) ? NULL : n;
}

static struct node *nested(void *ctx, struct lexer *lx, bool to_eof)
{
	struct parser *p = ctx;
	struct lexer *olx = p->lx;
	struct token otok = p->tok;
	bool ohave = p->have_tok;
	size_t olast = p->last_end;
	p->lx = lx;
	p->have_tok = false;
	struct node *n = NULL;
	if (enter(p)) {
		n = list(p);
		if (!failed(p)) {
			struct token *t = peek(p);
			if (to_eof ? t->type == T_EOF : t->type == T_RPAREN) {
				next(p);
			} else if (t->type == T_EOF) {
				lexer_eof(lx, t->pos, "unterminated $(...)");
			} else {
				unexpected(p, NULL);
			}
		}
		leave(p);
	}
	p->lx = olx;
	p->tok = otok;
	p->have_tok = ohave;
	p->last_end = olast;
	return failed(p) ? NULL : n;
}

void parse_text(const char *src, size_t len, int first_line, bool final, struct parse_result *res)
{
	struct parser p;
	struct lexer lx;
	memset(&p, 0, sizeof p);
	memset(res, 0, sizeof *res);
	p.arena = arena_create();
	lexer_init(&lx, src, len, first_line, final, p.arena, &p.err);
	lx.nested = nested;
	lx.ctx = &p;
	p.lx = &lx;
	struct node *tree = list(&p);
	if (!failed(&p) && peek(&p)->type != T_EOF)
		unexpected(&p, NULL);
	lexer_finish(&lx);
	res->arena = p.arena;
	res->status = p.err.status;
	if (res->status == PARSE_OK) {
		res->tree = tree;
	} else {
		res->msg = p.err.msg;
		res->pos = p.err.pos;
	}
}

void parse_result_finish(struct parse_result *res)
{
	arena_unref(res->arena);
	memset(res, 0, sizeof *res);
}
