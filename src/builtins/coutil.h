/* What the coprocess builtins share: reporting a result, reading standard
 * input through the event loop, printing and storing output. */
#ifndef COSH_COUTIL_H
#define COSH_COUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "coreq.h"

struct shell;

/* Prints res's messages to stderr, frees res and returns its status. */
int co_done(struct coresult *res);
/* A co_sink_fn that writes to standard output (ctx unused). */
size_t co_sink_stdout(void *ctx, const char *p, size_t n);
/* Reads up to max bytes of standard input (all of it when max is 0),
 * waiting in the event loop.  Returns 0, 130 when interrupted, 1 on a
 * read error (printed); *eof tells whether the input ended. */
int co_read_stdin(struct shell *sh, const char *builtin, struct strbuf *out, size_t max,
		  bool *eof);
/* Stores data in variable var: NUL bytes dropped (with a warning naming
 * the coprocess), trailing newlines removed when strip. */
void co_set_var(struct shell *sh, const char *builtin, const char *coname, const char *var,
		const char *data, size_t len, bool strip);
/* Checks a variable name given to a builtin; prints the error. */
bool co_valid_var(struct shell *sh, const char *builtin, const char *var);
/* TEXT words joined by blanks, with a newline unless no_newline. */
char *co_join(int argc, char **argv, bool newline, size_t *len);

#endif
