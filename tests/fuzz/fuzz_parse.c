/* Fuzz target: the lexer, the parser and word expansion, with nothing run.
 *
 * The input is a cosh program.  It is lexed on its own (no nested parser,
 * so $( ) is a token error), then parsed twice, as the prompt does
 * (final = false) and as a script file does (final = true); then every
 * word of the tree is expanded on a shell made for the purpose, and once
 * more with set -u in an interactive shell.
 *
 * Checked beyond "no crash, no leak, no undefined behaviour":
 *   - a text that is complete at the prompt parses the same as a script
 *     (same status, same tree, same error and place);
 *   - a script is never incomplete.
 *
 * Nothing is executed: a word that holds a command substitution anywhere
 * (even inside ${x:-...} or $((...))) is not expanded, since expanding it
 * would fork and run it; and a word with an unquoted * ? [ is expanded as
 * a string and as a pattern but not into fields, which would read
 * directories.  Arithmetic and parameter expansion, assignments by
 * ${x:=y} and $((x=1)) included, act on the purpose-made shell only. */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "expand.h"
#include "lexer.h"
#include "parser.h"
#include "shell.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- what may be expanded ---- */

static bool parts_safe(const struct part *p, bool *globby);

static bool word_safe(const struct word *w, bool *globby)
{
	return !w || parts_safe(w->parts, globby);
}

static bool parts_safe(const struct part *p, bool *globby)
{
	for (; p; p = p->next) {
		switch (p->type) {
		case PART_CMDSUB:
			return false;
		case PART_LIT:
			if (!p->quoted && strpbrk(p->text, "*?["))
				*globby = true;
			break;
		case PART_PARAM:
		case PART_ARITH:
			if (!word_safe(p->arg, globby))
				return false;
			break;
		case PART_TILDE:
			break;
		}
	}
	return true;
}

/* ---- expanding the words of a tree ---- */

static void expand_one(struct shell *sh, const struct word *w)
{
	bool globby = false;
	if (!w || !word_safe(w, &globby))
		return;
	free(expand_string(sh, w));
	free(expand_pattern(sh, w));
	if (!globby) {
		struct word *const v[1] = {(struct word *)w};
		struct ptrvec out;
		ptrvec_init(&out);
		expand_words(sh, v, 1, &out);
		for (size_t i = 0; i < out.len; i++)
			free(out.v[i]);
		ptrvec_finish(&out);
	}
	sh->unwind = UNWIND_NONE; /* ${x:?} in a script sets it; nothing runs here */
}

/* The words of a simple command together, as exec_simple expands them. */
static void expand_all(struct shell *sh, struct word *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool globby = false;
		if (!word_safe(words[i], &globby) || globby)
			return;
	}
	struct ptrvec out;
	ptrvec_init(&out);
	expand_words(sh, words, n, &out);
	for (size_t i = 0; i < out.len; i++)
		free(out.v[i]);
	ptrvec_finish(&out);
	sh->unwind = UNWIND_NONE;
}

static void walk(struct shell *sh, const struct node *n)
{
	if (!n)
		return;
	for (const struct redir *r = n->redirs; r; r = r->next) {
		expand_one(sh, r->target);
		expand_one(sh, r->body);
	}
	switch (n->type) {
	case N_SIMPLE: {
		const struct node_simple *c = AST_CAST(node_simple, n);
		for (const struct assign *a = c->assigns; a; a = a->next)
			expand_one(sh, a->value);
		expand_all(sh, c->words, c->nwords);
		for (size_t i = 0; i < c->nwords; i++)
			expand_one(sh, c->words[i]);
		break;
	}
	case N_PIPELINE: {
		const struct node_pipeline *p = AST_CAST(node_pipeline, n);
		for (size_t i = 0; i < p->n; i++)
			walk(sh, p->cmds[i]);
		break;
	}
	case N_AND:
	case N_OR: {
		const struct node_binary *b = AST_CAST(node_binary, n);
		walk(sh, b->left);
		walk(sh, b->right);
		break;
	}
	case N_LIST: {
		const struct node_list *l = AST_CAST(node_list, n);
		for (size_t i = 0; i < l->n; i++)
			walk(sh, l->items[i].cmd);
		break;
	}
	case N_GROUP:
	case N_SUBSHELL:
		walk(sh, AST_CAST(node_group, n)->body);
		break;
	case N_IF: {
		const struct node_if *i = AST_CAST(node_if, n);
		walk(sh, i->cond);
		walk(sh, i->then_part);
		walk(sh, i->else_part);
		break;
	}
	case N_WHILE:
	case N_UNTIL: {
		const struct node_loop *l = AST_CAST(node_loop, n);
		walk(sh, l->cond);
		walk(sh, l->body);
		break;
	}
	case N_FOR: {
		const struct node_for *f = AST_CAST(node_for, n);
		for (struct word **w = f->words; w && *w; w++)
			expand_one(sh, *w);
		walk(sh, f->body);
		break;
	}
	case N_CASE: {
		const struct node_case *c = AST_CAST(node_case, n);
		expand_one(sh, c->subject);
		for (size_t i = 0; i < c->n; i++) {
			for (struct word **w = c->items[i].patterns; w && *w; w++)
				expand_one(sh, *w);
			walk(sh, c->items[i].body);
		}
		break;
	}
	case N_FUNCDEF:
		walk(sh, AST_CAST(node_funcdef, n)->body);
		break;
	}
}

/* A shell with something in its variables and parameters to expand. */
static struct shell *make_shell(void)
{
	struct shell *sh = shell_create();
	var_set(sh, "HOME", "/home/fuzz", 0);
	var_set(sh, "IFS", " \t\n", 0);
	var_set(sh, "x", "a b*c", 0);
	var_set(sh, "n", "42", 0);
	var_set(sh, "e", "", 0);
	var_set(sh, "ex", "n*2+1", 0);
	var_set(sh, "PATH", "/nonexistent", VAR_EXPORT);
	char *params[] = {"one", "two words", "", "*"};
	shell_set_params(sh, 4, params);
	sh->last_status = 3;
	return sh;
}

/* ---- the checks ---- */

static char *render(const struct parse_result *res)
{
	struct strbuf b;
	strbuf_init(&b);
	if (res->status == PARSE_OK) {
		ast_dump(res->tree, &b);
	} else {
		strbuf_addf(&b, "%d %d:%d %s", (int)res->status, res->pos.line, res->pos.col,
			    res->msg ? res->msg : "(null)");
	}
	return strbuf_take(&b);
}

static void lex_alone(const char *src, size_t len)
{
	struct arena *arena = arena_create();
	struct parse_error err;
	memset(&err, 0, sizeof err);
	struct lexer lx;
	lexer_init(&lx, src, len, 1, true, arena, &err);
	for (size_t k = 0; k <= len + 1; k++) {
		struct token t;
		lexer_next(&lx, &t);
		if (t.type == T_EOF || t.type == T_ERROR)
			break;
	}
	lexer_finish(&lx);
	arena_unref(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	lex_alone(src, size);

	struct parse_result more, last;
	parse_text(src, size, 1, false, &more);
	parse_text(src, size, 1, true, &last);
	if (last.status == PARSE_INCOMPLETE)
		abort(); /* a script cannot be incomplete */
	/* incomplete at the prompt may be an error or fine as a script (a
	 * here-document may end at the end of a script, as in bash) */
	if (more.status != PARSE_INCOMPLETE) {
		char *a = render(&more), *b = render(&last);
		if (strcmp(a, b) != 0)
			abort(); /* the prompt and a script disagree */
		free(a);
		free(b);
	}
	parse_result_finish(&more);

	if (last.status == PARSE_OK) {
		struct shell *sh = make_shell();
		walk(sh, last.tree);
		shell_destroy(sh);
		/* again under set -u, as at the prompt (a fatal error there
		 * fails the command only) */
		sh = make_shell();
		sh->opt.nounset = sh->opt.interactive = true;
		walk(sh, last.tree);
		shell_destroy(sh);
	}
	parse_result_finish(&last);
	return 0;
}
