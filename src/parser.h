/* The parser: recursive descent, one static function per grammar rule.
 * It keeps the first error with its position, and tells input that is
 * merely incomplete (an open quote, a trailing |, an `if` without `fi`)
 * from input that is wrong, so the prompt can ask for more with PS2. */
#ifndef COSH_PARSER_H
#define COSH_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "lexer.h"

struct parse_result {
	enum parse_status status;
	struct node *tree;   /* NULL for empty input or on failure */
	struct arena *arena; /* owns tree and msg; release with parse_result_finish */
	const char *msg;     /* PARSE_ERROR/INCOMPLETE: "unexpected 'fi'" */
	struct pos pos;
};

/* Parses a whole program.  first_line numbers the first line of src.
 * final: no more input can follow, so running out is an error. */
void parse_text(const char *src, size_t len, int first_line, bool final, struct parse_result *res);
void parse_result_finish(struct parse_result *res);

#endif
