/* Tab completion for the readline front end: commands (builtins,
 * functions, programs in PATH) for the first word, coprocess names after
 * send recv ask close attach kill wait, variable names after $, file names
 * elsewhere (readline's, with blanks and specials backslash-quoted). */
#ifndef COSH_COMPLETE_H
#define COSH_COMPLETE_H

struct shell;

/* Matches for text (line[start..end)) in readline's format: [0] the common
 * prefix, then the matches, NULL-terminated; NULL to complete file names. */
char **complete_words(struct shell *sh, const char *line, const char *text, int start);
/* Sets readline's quoting of file names (once). */
struct rlapi;
void complete_setup(const struct rlapi *rl);

#endif
