/* Word expansion: ~, parameters, $( ), $(( )), field splitting of $( ),
 * pathname expansion and quote removal, in one left-to-right pass over
 * the parts the lexer made.  What an expansion produces is never
 * expanded again.  The value of an unquoted parameter is never split or
 * globbed (it is one word, or none when empty). */
#ifndef COSH_EXPAND_H
#define COSH_EXPAND_H

#include <stddef.h>

#include "ast.h"
#include "util/util.h"

struct shell;

/* Expands words into fields (malloc'd strings pushed onto out).
 * Returns 0, or -1 after printing an error. */
int expand_words(struct shell *sh, struct word *const *words, size_t n, struct ptrvec *out);
/* One word to one string, no splitting or globbing (assignments,
 * redirection targets, here-documents, case subjects).  NULL on error. */
char *expand_string(struct shell *sh, const struct word *w);
/* A word as an fnmatch pattern: quoted characters escaped.  NULL on error. */
char *expand_pattern(struct shell *sh, const struct word *w);

#endif
