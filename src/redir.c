/* Redirections (see redir.h). */
#include "config.h"
#include "redir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"
#include "shell.h"

static void remember(struct redir_save *save, int fd)
{
	if (!save)
		return;
	for (size_t i = 0; i < save->n; i++)
		if (save->v[i].fd == fd)
			return;
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	save->v = xrealloc(save->v, (save->n + 1) * sizeof *save->v);
	save->v[save->n++] = (struct saved_fd){fd, copy};
}

void redir_restore(struct redir_save *save)
{
	for (size_t i = save->n; i-- > 0;) {
		struct saved_fd *s = &save->v[i];
		if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
	}
	free(save->v);
	save->v = NULL;
	save->n = 0;
}

int redir_text_fd(const char *text, size_t len)
{
	/* A pipe holds at least one page even when the user's pipe quota is
	 * spent, so small text never blocks the writer. */
	if (len <= 4096) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		if (write_all(p[1], text, len) < 0) {
			close(p[0]);
			close(p[1]);
			return -1;
		}
		close(p[1]);
		return p[0];
	}
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/cosh-hereXXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	if (write_all(fd, text, len) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Puts newfd at fd (closing newfd); -1 on failure. */
static int install(int newfd, int fd)
{
	if (newfd == fd) {
		/* the file got the very fd we want: make it inheritable */
		int fl = fcntl(fd, F_GETFD);
		return fl < 0 ? -1 : fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
	int r = dup2(newfd, fd);
	int e = errno;
	close(newfd);
	errno = e;
	return r < 0 ? -1 : 0;
}

static int apply_one(struct shell *sh, const struct redir *r, struct redir_save *save)
{
	bool input = r->op == R_IN || r->op == R_DUPIN || r->op == R_RDWR || r->op == R_HEREDOC;
	int fd = r->fd >= 0 ? r->fd : (input ? 0 : 1);
	if (r->op == R_HEREDOC) {
		char *text = r->quoted ? xstrdup(r->body->parts->text) : expand_string(sh, r->body);
		if (!text)
			return 1;
		remember(save, fd);
		int t = redir_text_fd(text, strlen(text));
		free(text);
		if (t < 0) {
			sh_error(sh, "here-document: %s", strerror(errno));
			return 1;
		}
		if (install(t, fd) < 0) {
			sh_error(sh, "%d: %s", fd, strerror(errno));
			return 1;
		}
		return 0;
	}
	char *target = expand_string(sh, r->target);
	if (!target)
		return 1;
	int status = 0;
	if (r->op == R_DUPIN || r->op == R_DUPOUT) {
		if (strcmp(target, "-") == 0) {
			remember(save, fd);
			close(fd);
			goto out;
		}
		if (all_digits(target)) {
			int from = atoi(target);
			if (fcntl(from, F_GETFD) < 0) {
				sh_error(sh, "%s: %s", target, strerror(EBADF));
				status = 1;
				goto out;
			}
			if (from != fd) {
				remember(save, fd);
				if (dup2(from, fd) < 0) {
					sh_error(sh, "%d: %s", fd, strerror(errno));
					status = 1;
				}
			}
			goto out;
		}
		if (r->op == R_DUPIN || r->fd >= 0) {
			sh_error(sh, "%s: ambiguous redirect", target);
			status = 1;
			goto out;
		}
		/* >&file with no fd: as &>file */
	}
	int flags = O_CLOEXEC;
	switch (r->op) {
	case R_IN: flags |= O_RDONLY; break;
	case R_RDWR: flags |= O_RDWR | O_CREAT; break;
	case R_APPEND: flags |= O_WRONLY | O_CREAT | O_APPEND; break;
	default: flags |= O_WRONLY | O_CREAT | O_TRUNC; break;
	}
	bool both = r->op == R_BOTH || (r->op == R_DUPOUT && r->fd < 0);
	/* saved before opening: the file may land on a closed target fd */
	if (both) {
		remember(save, 1);
		remember(save, 2);
	} else {
		remember(save, fd);
	}
	int nfd = open(target, flags, 0666);
	if (nfd < 0) {
		sh_error(sh, "%s: %s", target, strerror(errno));
		status = 1;
		goto out;
	}
	if (both) {
		if (dup2(nfd, 2) < 0 || install(nfd, 1) < 0) {
			sh_error(sh, "%s: %s", target, strerror(errno));
			status = 1;
		}
		goto out;
	}
	if (install(nfd, fd) < 0) {
		sh_error(sh, "%d: %s", fd, strerror(errno));
		status = 1;
	}
out:
	free(target);
	return status;
}

int redir_apply(struct shell *sh, const struct redir *list, struct redir_save *save)
{
	for (const struct redir *r = list; r; r = r->next)
		if (apply_one(sh, r, save) != 0)
			return 1;
	return 0;
}
