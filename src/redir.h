/* Redirections.  Around builtins, functions and compound commands the
 * shell's own fds are saved (as close-on-exec copies above 10) and put
 * back afterwards; in a child about to exec, they are simply applied. */
#ifndef COSH_REDIR_H
#define COSH_REDIR_H

#include <stddef.h>

#include "ast.h"

struct shell;

struct redir_save {
	struct saved_fd {
		int fd, copy; /* copy -1: fd was closed */
	} *v;
	size_t n;
};

/* Applies the list in order.  save NULL: permanently (exec, children).
 * Returns 0, or 1 after printing "cosh: FILE: reason" (fds already
 * changed stay recorded in save, so restore still undoes them). */
int redir_apply(struct shell *sh, const struct redir *list, struct redir_save *save);
void redir_restore(struct redir_save *save);
/* An fd reading text (here-documents): a pipe for small text, else an
 * unlinked temporary file.  -1 with errno on failure. */
int redir_text_fd(const char *text, size_t len);

#endif
