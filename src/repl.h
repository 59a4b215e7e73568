/* The read-parse-run loop for input read line by line: the interactive
 * prompt and standard input.  Lines are gathered until the parser says
 * the command is complete (PS2 meanwhile), then run. */
#ifndef COSH_REPL_H
#define COSH_REPL_H

struct shell;
struct input;

/* Runs until end of input, `exit`, or (non-interactive) a syntax error.
 * Returns the status the shell should exit with. */
int repl_run(struct shell *sh, struct input *in);

#endif
