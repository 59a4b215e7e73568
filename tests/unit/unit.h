/* Helpers shared by the unit-test programs (header only).
 *
 * Results are rendered to strings so that each test is one exact string
 * comparison:
 *   parse_dump    the ast_dump of a parse, or "error L:C msg" /
 *                 "incomplete L:C msg" when it fails;
 *   expand_fields the fields of a one-command program, each in brackets:
 *                 "[a][b c][]" (so no field and one empty field differ);
 *   lex_tokens    the tokens of a text, "TYPE@L:C" each, blank-separated.
 * Every string is malloc'd; the ck_assert_* macros below free them.
 * Build and run one program: make tests/unit/check_parser &&
 * ./tests/unit/check_parser (CK_VERBOSITY=verbose lists every test). */
#ifndef COSH_UNIT_H
#define COSH_UNIT_H

#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arith.h"
#include "ast.h"
#include "exec.h"
#include "expand.h"
#include "lexer.h"
#include "parser.h"
#include "shell.h"
#include "util/util.h"

/* ---- running a suite ---- */

/* The string of the last comparison: kept until the next one (or the end
 * of the run) so that a failing assertion, which leaves the test at once,
 * leaks nothing when tests run without fork (CK_FORK=no under valgrind). */
static char *unit_held;

static inline char *unit_hold(char *s)
{
	free(unit_held);
	unit_held = s;
	return s;
}

/* Runs the suite with CK_VERBOSITY (and CK_RUN_CASE, CK_EXCLUDE_TAGS...)
 * honoured; the process exit status.  Test cases that nest input very
 * deeply are tagged "deep": CK_EXCLUDE_TAGS=deep skips them. */
static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unit_hold(NULL);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- parsing ---- */

static inline const char *status_name(enum parse_status st)
{
	switch (st) {
	case PARSE_OK: return "ok";
	case PARSE_ERROR: return "error";
	case PARSE_INCOMPLETE: return "incomplete";
	}
	return "?";
}

/* "error L:C msg" for a failed parse or lex. */
static inline char *error_string(enum parse_status st, struct pos pos, const char *msg)
{
	return xasprintf("%s %d:%d %s", status_name(st), pos.line, pos.col, msg ? msg : "(null)");
}

/* The canonical dump of src parsed from line 1, or its error. */
static inline char *parse_dump(const char *src, bool final)
{
	struct parse_result res;
	parse_text(src, strlen(src), 1, final, &res);
	char *out;
	if (res.status != PARSE_OK) {
		out = error_string(res.status, res.pos, res.msg);
	} else {
		struct strbuf b;
		strbuf_init(&b);
		ast_dump(res.tree, &b);
		out = strbuf_take(&b);
	}
	parse_result_finish(&res);
	return out;
}

/* Compares a malloc'd string with the expected one; the first is freed
 * (by the next comparison, see unit_hold). */
#define ck_assert_str_eq_free(got, expected) ck_assert_str_eq(unit_hold(got), expected)

/* src parses (final) to exactly the dump expected. */
#define ck_assert_parse(src, expected) ck_assert_str_eq_free(parse_dump(src, true), expected)
/* src fails with exactly "error L:C msg" or "incomplete L:C msg". */
#define ck_assert_parse_fails(src, final, expected) \
	ck_assert_str_eq_free(parse_dump(src, final), expected)

/* ---- lexing ---- */

static inline const char *tok_name(enum tok_type t)
{
	static const char *const names[] = {
		[T_EOF] = "EOF",        [T_NEWLINE] = "NL",       [T_WORD] = "WORD",
		[T_IO_NUMBER] = "IO",   [T_SEMI] = ";",           [T_DSEMI] = ";;",
		[T_AMP] = "&",          [T_AND_IF] = "&&",        [T_PIPE] = "|",
		[T_OR_IF] = "||",       [T_LPAREN] = "(",         [T_RPAREN] = ")",
		[T_LESS] = "<",         [T_GREAT] = ">",          [T_DGREAT] = ">>",
		[T_LESSAND] = "<&",     [T_GREATAND] = ">&",      [T_ANDGREAT] = "&>",
		[T_LESSGREAT] = "<>",   [T_DLESS] = "<<",         [T_DLESSDASH] = "<<-",
		[T_ERROR] = "ERROR",
	};
	return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* A lexer over a text, with its arena and error (no nested parser: $( ) is an error). */
struct lexfix {
	struct lexer lx;
	struct arena *arena;
	struct parse_error err;
};

static inline void lexfix_init(struct lexfix *f, const char *src, bool final)
{
	memset(f, 0, sizeof *f);
	f->arena = arena_create();
	lexer_init(&f->lx, src, strlen(src), 1, final, f->arena, &f->err);
}

static inline void lexfix_finish(struct lexfix *f)
{
	lexer_finish(&f->lx);
	arena_unref(f->arena);
}

/* One token rendered: "TYPE@L:C"; words add "=" and their dump, IO
 * numbers "=N"; T_ERROR is "ERROR{...}" with the error as error_string
 * renders it. */
static inline void tok_render(struct lexfix *f, const struct token *t, struct strbuf *out)
{
	strbuf_adds(out, tok_name(t->type));
	if (t->type != T_ERROR) /* an error's place is in the parse_error */
		strbuf_addf(out, "@%d:%d", t->pos.line, t->pos.col);
	if (t->type == T_WORD) {
		strbuf_addc(out, '=');
		ast_dump_word(t->word, out);
	} else if (t->type == T_IO_NUMBER) {
		strbuf_addf(out, "=%d", t->number);
	} else if (t->type == T_ERROR) {
		char *e = error_string(f->err.status, f->err.pos, f->err.msg);
		strbuf_addf(out, "{%s}", e);
		free(e);
	}
}

/* All tokens of src up to and including EOF or ERROR, blank-separated. */
static inline char *lex_tokens(const char *src, bool final)
{
	struct lexfix f;
	lexfix_init(&f, src, final);
	struct strbuf b;
	strbuf_init(&b);
	for (int k = 0; k < 1000; k++) {
		struct token t;
		lexer_next(&f.lx, &t);
		if (k)
			strbuf_addc(&b, ' ');
		tok_render(&f, &t, &b);
		if (t.type == T_EOF || t.type == T_ERROR)
			break;
	}
	lexfix_finish(&f);
	return strbuf_take(&b);
}

#define ck_assert_lex(src, final, expected) ck_assert_str_eq_free(lex_tokens(src, final), expected)

/* ---- expansion ---- */

/* How one word becomes one string: expand_string or expand_pattern. */
typedef char *(*word_expander)(struct shell *sh, const struct word *w);

/* Parses src (final), which must be one simple command, and renders the
 * expansion of its words: all of them as fields ("[a][b]") when one is
 * NULL, else the first word through one.  "<error>" when expansion
 * fails; a parse error as error_string renders it. */
static inline char *expand_simple(struct shell *sh, const char *src, word_expander one)
{
	struct parse_result res;
	parse_text(src, strlen(src), 1, true, &res);
	struct strbuf b;
	strbuf_init(&b);
	if (res.status != PARSE_OK) {
		char *e = error_string(res.status, res.pos, res.msg);
		strbuf_adds(&b, e);
		free(e);
	} else if (!res.tree || res.tree->type != N_SIMPLE ||
		   AST_CAST(node_simple, res.tree)->nwords == 0) {
		strbuf_adds(&b, "<not a simple command with words>");
	} else if (one) {
		char *v = one(sh, AST_CAST(node_simple, res.tree)->words[0]);
		strbuf_adds(&b, v ? v : "<error>");
		free(v);
	} else {
		struct node_simple *cmd = AST_CAST(node_simple, res.tree);
		struct ptrvec fields;
		ptrvec_init(&fields);
		int r = expand_words(sh, cmd->words, cmd->nwords, &fields);
		for (size_t i = 0; i < fields.len; i++) {
			strbuf_addf(&b, "[%s]", (char *)fields.v[i]);
			free(fields.v[i]);
		}
		ptrvec_finish(&fields);
		if (r < 0) {
			strbuf_reset(&b);
			strbuf_adds(&b, "<error>");
		}
	}
	parse_result_finish(&res);
	return strbuf_take(&b);
}

/* The fields of the words of src, each in brackets. */
static inline char *expand_fields(struct shell *sh, const char *src)
{
	return expand_simple(sh, src, NULL);
}

/* The first word of src expanded as one string (expand_string). */
static inline char *expand_str(struct shell *sh, const char *src)
{
	return expand_simple(sh, src, expand_string);
}

/* The first word of src expanded as a pattern (expand_pattern). */
static inline char *expand_pat(struct shell *sh, const char *src)
{
	return expand_simple(sh, src, expand_pattern);
}

#define ck_assert_fields(sh, src, expected) ck_assert_str_eq_free(expand_fields(sh, src), expected)

/* ---- stderr capture ---- */

/* Runs fn(ctx) with fd 2 sent to a temporary file, and returns what was
 * written there (malloc'd). */
static inline char *capture_stderr(void (*fn)(void *ctx), void *ctx)
{
	char path[] = "/tmp/cosh-unit-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	int saved = dup(2);
	ck_assert_int_ge(saved, 0);
	dup2(fd, 2);
	fn(ctx);
	dup2(saved, 2);
	close(saved);
	struct strbuf b;
	strbuf_init(&b);
	char buf[512];
	ssize_t n;
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		strbuf_addn(&b, buf, (size_t)n);
	close(fd);
	return strbuf_take(&b);
}

#endif
