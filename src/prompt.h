/* Prompt strings: the escapes of PS1 and PS2. */
#ifndef COSH_PROMPT_H
#define COSH_PROMPT_H

#include <stdbool.h>

struct shell;

/* Expands \u \h \H \w \W \$ \j \c \t \n \e \a \\ and \[ \] in ps.  For
 * readline, \[ \] become its markers around invisible text; otherwise
 * they vanish.  Returns a malloc'd string. */
char *prompt_expand(struct shell *sh, const char *ps, bool for_readline);

#endif
