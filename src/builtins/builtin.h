/* Builtins: one file each, all with the same signature.  They write their
 * output with write(2) (no stdio buffers to lose across fork and
 * redirections), print errors as "cosh: NAME: message", and return 2 for
 * usage errors, 1 for failures. */
#ifndef COSH_BUILTIN_H
#define COSH_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>

struct shell;

typedef int (*builtin_fn)(struct shell *sh, int argc, char **argv);

struct builtin {
	const char *name;
	builtin_fn fn;
	const char *usage;   /* after the name: "[-n] [-e] [ARG...]" */
	const char *summary; /* one line */
};

const struct builtin *builtin_find(const char *name);
/* The table, sorted by name. */
const struct builtin *builtin_table(size_t *n);

/* Helpers for builtins. */
/* Writes s to stdout; on failure prints "cosh: NAME: write error: ..." and returns 1. */
int builtin_out(struct shell *sh, const char *name, const char *s, size_t n);
/* Option parsing for builtins, getopt-style: spec lists the letters, a
 * letter followed by ':' takes an argument ("-t 5" or "-t5").  Returns the
 * letter, 0 at the first operand (o->ind indexes it; "--" is skipped), or
 * '?' after printing "cosh: NAME: -x: invalid option". */
struct bopt {
	int ind, pos;
	const char *arg;
};
int builtin_getopt(struct shell *sh, int argc, char **argv, const char *spec, struct bopt *o);
/* Decimal seconds ("0", "2.5") to milliseconds; false when not a time. */
bool builtin_seconds(const char *s, long *ms);
/* The argument of -t: as builtin_seconds, but prints
 * "cosh: NAME: ARG: not a number of seconds" when it is not one. */
bool builtin_timeout(struct shell *sh, const char *name, const char *arg, long *ms);
/* Parses a decimal integer; false when s is not one. */
bool builtin_number(const char *s, long *out);
/* Appends what name is to b ("ls is /usr/bin/ls", or just the path when
 * !verbose); false when it is nothing. */
struct strbuf;
bool builtin_describe(struct shell *sh, const char *name, bool verbose, bool functions,
		      struct strbuf *b);
/* The keywords of the language, for type and completion. */
bool builtin_is_keyword(const char *s);

#define BUILTIN(name) int builtin_##name(struct shell *sh, int argc, char **argv)
BUILTIN(ask);
BUILTIN(attach);
BUILTIN(bg);
BUILTIN(break);
BUILTIN(cd);
BUILTIN(colon);
BUILTIN(close);
BUILTIN(command);
BUILTIN(continue);
BUILTIN(coproc);
BUILTIN(coprocs);
BUILTIN(echo);
BUILTIN(eval);
BUILTIN(exec);
BUILTIN(exit);
BUILTIN(export);
BUILTIN(false);
BUILTIN(fg);
BUILTIN(help);
BUILTIN(history);
BUILTIN(jobs);
BUILTIN(kill);
BUILTIN(local);
BUILTIN(pwd);
BUILTIN(read);
BUILTIN(recv);
BUILTIN(return);
BUILTIN(send);
BUILTIN(set);
BUILTIN(shift);
BUILTIN(source);
BUILTIN(test);
BUILTIN(trap);
BUILTIN(type);
BUILTIN(unset);
BUILTIN(wait);

#endif
