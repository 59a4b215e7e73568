/* Coprocesses (see coproc.h): spawning over pipes or a pty, the output
 * buffer, reaping, exit notices and the shutdown at exit. */
#include "config.h"
#include "coproc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include "ast.h"
#include "coreq.h"
#include "exec.h"
#include "job.h"
#include "lexer.h"
#include "loop.h"
#include "shell.h"
#include "util/signames.h"

#define READ_CHUNK 65536

/* Names are looked up on every send and recv: a hash table, so a
 * thousand live coprocesses cost a round trip nothing. */
#define COTAB_SIZE 1024

static size_t name_hash(const char *s)
{
	size_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h % COTAB_SIZE;
}

struct coproc *coproc_find(struct shell *sh, const char *name)
{
	if (!sh->cotab)
		return NULL;
	for (struct coproc *cp = sh->cotab[name_hash(name)]; cp; cp = cp->hnext)
		if (strcmp(cp->name, name) == 0)
			return cp;
	return NULL;
}

static void table_add(struct shell *sh, struct coproc *cp)
{
	if (!sh->cotab)
		sh->cotab = xcalloc(COTAB_SIZE, sizeof *sh->cotab);
	struct coproc **b = &sh->cotab[name_hash(cp->name)];
	cp->hnext = *b;
	*b = cp;
}

static void table_remove(struct shell *sh, struct coproc *cp)
{
	if (!sh->cotab)
		return;
	for (struct coproc **p = &sh->cotab[name_hash(cp->name)]; *p; p = &(*p)->hnext)
		if (*p == cp) {
			*p = cp->hnext;
			return;
		}
}

static void buf_reserve(struct cobuf *b, size_t extra)
{
	if (b->off + b->len + extra <= b->cap)
		return;
	if (b->off > 0) { /* slide the data to the front first */
		memmove(b->p, b->p + b->off, b->len);
		b->off = 0;
		if (b->len + extra <= b->cap)
			return;
	}
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + extra)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void coproc_consume(struct shell *sh, struct coproc *cp, size_t n)
{
	struct cobuf *b = &cp->out;
	if (n > b->len)
		n = b->len;
	b->off += n;
	b->len -= n;
	cp->nl_scanned = cp->nl_scanned > n ? cp->nl_scanned - n : 0;
	if (b->len == 0) {
		b->off = 0;
		/* a big buffer that drained goes back to small */
		if (b->cap > 1 << 20) {
			free(b->p);
			b->p = NULL;
			b->cap = 0;
		} else if (b->p) {
			b->p[0] = 0;
		}
	}
	coproc_update_watch(sh, cp);
}

static void end_of_output(struct shell *sh, struct coproc *cp)
{
	loop_remove(sh->loop, cp->rwatch);
	cp->rwatch = NULL;
	if (cp->out_fd >= 0)
		close(cp->out_fd);
	cp->out_fd = -1;
}

/* Reads once from cp's output; false when nothing more is there now
 * (a short read says the pipe is empty: no second read to hear EAGAIN). */
static bool read_some(struct shell *sh, struct coproc *cp)
{
	if (cp->out_fd < 0)
		return false;
	/* past the cap only what a waiting request needs; below it, up to it */
	size_t want = READ_CHUNK;
	if (cp->users == 0 && (cp->out.len >= cp->bufmax || cp->bufmax - cp->out.len < want))
		want = cp->out.len < cp->bufmax ? cp->bufmax - cp->out.len : 1;
	buf_reserve(&cp->out, want + 1);
	ssize_t r = read(cp->out_fd, cp->out.p + cp->out.off + cp->out.len, want);
	if (r > 0)
		cp->out.len += (size_t)r;
	/* regexec is given the length (REG_STARTEND), but the sanitizers'
	 * regexec measures the string with strlen all the same */
	cp->out.p[cp->out.off + cp->out.len] = 0;
	if (r > 0)
		return (size_t)r == want;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	/* 0, or EIO from a pty whose other side is gone: the output ended */
	end_of_output(sh, cp);
	return false;
}

static void on_output(void *data, int fd, unsigned events)
{
	(void)fd;
	(void)events;
	struct coproc *cp = data;
	/* a few reads a round, so one chatty coprocess cannot starve the rest */
	for (int k = 0; k < 4 && read_some(cp->sh, cp); k++)
		if (cp->out.len >= cp->bufmax && cp->users == 0)
			break;
	coproc_update_watch(cp->sh, cp);
}

static void on_writable(void *data, int fd, unsigned events)
{
	(void)fd;
	(void)events;
	struct coproc *cp = data;
	/* the blocked send moves on in the loop's after-hook; stop asking */
	coproc_want_write(cp->sh, cp, false);
}

void coproc_fill(struct shell *sh, struct coproc *cp)
{
	for (int k = 0; k < 64 && read_some(sh, cp); k++)
		;
	coproc_update_watch(sh, cp);
}

void coproc_update_watch(struct shell *sh, struct coproc *cp)
{
	if (!cp->rwatch)
		return;
	bool want = cp->out.len < cp->bufmax || cp->users > 0;
	loop_modify(sh->loop, cp->rwatch, want ? LOOP_IN : 0);
}

void coproc_want_write(struct shell *sh, struct coproc *cp, bool on)
{
	if (on && !cp->wwatch && cp->in_fd >= 0) {
		cp->wwatch = loop_add(sh->loop, cp->in_fd, LOOP_OUT, on_writable, cp);
	} else if (!on && cp->wwatch) {
		loop_remove(sh->loop, cp->wwatch);
		cp->wwatch = NULL;
	}
}

bool coproc_drained(const struct coproc *cp)
{
	return cp->out_fd < 0 && cp->out.len == 0;
}

int coproc_exit_status(const struct coproc *cp)
{
	return status_from_wait(cp->wstatus);
}

void coproc_status_text(const struct coproc *cp, bool list_form, char *buf, size_t n)
{
	if (!cp->exited) {
		snprintf(buf, n, "running");
	} else if (WIFSIGNALED(cp->wstatus)) {
		const char *s = sig_name(WTERMSIG(cp->wstatus));
		if (s)
			snprintf(buf, n, list_form ? "killed SIG%s" : "killed by SIG%s", s);
		else
			snprintf(buf, n, list_form ? "killed %d" : "killed by signal %d",
				 WTERMSIG(cp->wstatus));
	} else {
		snprintf(buf, n, list_form ? "exited %d" : "status %d", WEXITSTATUS(cp->wstatus));
	}
}

/* ---- spawning ---- */

static const char *env_get(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (char **e = envp; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static char *join_words(char **argv)
{
	struct strbuf b;
	strbuf_init(&b);
	for (char **a = argv; *a; a++) {
		if (a != argv)
			strbuf_addc(&b, ' ');
		strbuf_adds(&b, *a);
	}
	return strbuf_take(&b);
}

static void free_record(struct coproc *cp)
{
	if (cp->in_fd >= 0)
		close(cp->in_fd);
	if (cp->out_fd >= 0)
		close(cp->out_fd);
	if (cp->has_prompt)
		regfree(&cp->prompt);
	free(cp->out.p);
	free(cp->name);
	free(cp->command);
	free(cp);
}

static void unlink_record(struct shell *sh, struct coproc *cp)
{
	table_remove(sh, cp);
	if (cp->collected)
		sh->co_collected--;
	for (struct coproc **p = &sh->coprocs; *p; p = &(*p)->next)
		if (*p == cp) {
			*p = cp->next;
			break;
		}
	loop_remove(sh->loop, cp->rwatch);
	loop_remove(sh->loop, cp->wwatch);
	free_record(cp);
}

/* Opens the files a coprocess's redirections name, in the shell, so a bad
 * one is reported by coproc and nothing starts. */
static bool open_redirs(const struct coop *op, int *fds, struct coresult *res)
{
	for (size_t i = 0; i < op->nredirs; i++) {
		const struct coredir *r = &op->redirs[i];
		fds[i] = -1;
		int flags = O_CLOEXEC;
		switch (r->op) {
		case R_IN: flags |= O_RDONLY; break;
		case R_RDWR: flags |= O_RDWR | O_CREAT; break;
		case R_APPEND: flags |= O_WRONLY | O_CREAT | O_APPEND; break;
		case R_OUT: case R_BOTH: flags |= O_WRONLY | O_CREAT | O_TRUNC; break;
		default: continue; /* dups act on the child's own fds */
		}
		char *path = r->target;
		char *full = NULL;
		if (path[0] != '/' && op->cwd)
			path = full = xasprintf("%s/%s", op->cwd, r->target);
		fds[i] = open(path, flags, 0666);
		free(full);
		if (fds[i] < 0) {
			coresult_fail(res, 1, "coproc: %s: %s", r->target, strerror(errno));
			for (size_t k = 0; k < i; k++)
				if (fds[k] >= 0)
					close(fds[k]);
			return false;
		}
	}
	return true;
}

/* In the child: the redirections, in order, after stdin/stdout are set. */
static void apply_redirs(const struct coop *op, const int *fds)
{
	for (size_t i = 0; i < op->nredirs; i++) {
		const struct coredir *r = &op->redirs[i];
		bool input = r->op == R_IN || r->op == R_DUPIN || r->op == R_RDWR;
		int fd = r->fd >= 0 ? r->fd : (input ? 0 : 1);
		if (fds[i] >= 0) {
			if (r->op == R_BOTH) {
				dup2(fds[i], 1);
				dup2(fds[i], 2);
			} else {
				dup2(fds[i], fd);
			}
		} else if (strcmp(r->target, "-") == 0) {
			close(fd);
		} else if (dup2(atoi(r->target), fd) < 0) {
			fprintf(stderr, "cosh: coproc: %s: %s\n", r->target, strerror(errno));
			_exit(1);
		}
	}
}

static void window_size(struct winsize *ws)
{
	memset(ws, 0, sizeof *ws);
	if ((ioctl(0, TIOCGWINSZ, ws) != 0 && ioctl(2, TIOCGWINSZ, ws) != 0) || ws->ws_col == 0) {
		ws->ws_row = 24;
		ws->ws_col = 80;
	}
}

static bool make_pty(int *master, int *slave, struct coresult *res)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	char name[128];
	if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    ptsname_r(*master, name, sizeof name) != 0) {
		coresult_fail(res, 1, "coproc: cannot open a pseudo-terminal: %s", strerror(errno));
		if (*master >= 0)
			close(*master);
		return false;
	}
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		coresult_fail(res, 1, "coproc: %s: %s", name, strerror(errno));
		close(*master);
		return false;
	}
	/* no echo and no \r\n: recv sees the same lines as over pipes */
	struct termios t;
	if (tcgetattr(*slave, &t) == 0) {
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		t.c_oflag &= ~(tcflag_t)OPOST;
		t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR);
		tcsetattr(*slave, TCSANOW, &t);
	}
	struct winsize ws;
	window_size(&ws);
	ioctl(*slave, TIOCSWINSZ, &ws);
	return true;
}

struct coproc *coproc_spawn(struct shell *sh, const struct coop *op, struct coresult *res)
{
	if (!is_name(op->name, strlen(op->name))) {
		coresult_fail(res, 1, "coproc: '%s': not a valid coprocess name", op->name);
		return NULL;
	}
	struct coproc *old = coproc_find(sh, op->name);
	if (old && !old->exited) {
		coresult_fail(res, 1, "coproc: %s: a coprocess of that name is running (pid %ld)",
			      op->name, (long)old->pid);
		return NULL;
	}
	char *path = exec_find(sh, op->argv[0], env_get(op->envp, "PATH"));
	struct stat st;
	if (!path) {
		coresult_fail(res, 127, "coproc: %s: command not found", op->argv[0]);
		return NULL;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		coresult_fail(res, 126, "coproc: %s: Is a directory", op->argv[0]);
		free(path);
		return NULL;
	}
	if (access(path, X_OK) != 0) {
		coresult_fail(res, errno == ENOENT ? 127 : 126, "coproc: %s: %s", op->argv[0],
			      strerror(errno));
		free(path);
		return NULL;
	}
	regex_t re;
	if (op->prompt) {
		int e = regcomp(&re, op->prompt, REG_EXTENDED);
		if (e) {
			char m[256];
			regerror(e, &re, m, sizeof m);
			coresult_fail(res, 2, "coproc: %s: %s", op->prompt, m);
			free(path);
			return NULL;
		}
	}
	int *rfds = xcalloc(op->nredirs + 1, sizeof *rfds);
	int in[2] = {-1, -1}, out[2] = {-1, -1}, master = -1, slave = -1;
	bool ok = open_redirs(op, rfds, res);
	if (ok && op->pty)
		ok = make_pty(&master, &slave, res);
	else if (ok && (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)) {
		coresult_fail(res, 1, "coproc: pipe: %s", strerror(errno));
		ok = false;
	}
	if (!ok) {
		for (int k = 0; k < 2; k++) {
			if (in[k] >= 0)
				close(in[k]);
			if (out[k] >= 0)
				close(out[k]);
		}
		if (op->prompt)
			regfree(&re);
		free(rfds);
		free(path);
		return NULL;
	}
	if (old)
		unlink_record(sh, old); /* an exited namesake: its unread output goes */

	/* the child reports a failed exec here; a successful exec closes it, so
	 * coproc returns once the child runs CMD in its own group or session */
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		ep[0] = ep[1] = -1;
	sigset_t all, mask;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &mask);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		if (op->pty) {
			setsid();
			ioctl(slave, TIOCSCTTY, 0);
			dup2(slave, 0);
			dup2(slave, 1);
			dup2(slave, 2);
		} else {
			setpgid(0, 0); /* Ctrl-C at the terminal never reaches it */
			dup2(in[0], 0);
			dup2(out[1], 1);
		}
#ifdef HAVE_SYS_PRCTL_H
		/* if the shell is killed outright, the kernel ends its coprocesses */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(129);
#endif
		apply_redirs(op, rfds);
		if (op->cwd && chdir(op->cwd) < 0) {
			fprintf(stderr, "cosh: coproc: %s: %s\n", op->cwd, strerror(errno));
			_exit(1);
		}
		exec_reset_for_exec(sh);
		execve(path, op->argv, op->envp);
		int e = errno;
		if (e == ENOEXEC)
			e = exec_as_script(path, op->argv, op->envp);
		if (ep[1] >= 0)
			(void)!write(ep[1], &e, sizeof e);
		_exit(e == ENOENT ? 127 : 126);
	}
	int fork_errno = errno;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	int exec_errno = 0;
	if (ep[1] >= 0) {
		close(ep[1]);
		if (pid > 0) {
			ssize_t n;
			do
				n = read(ep[0], &exec_errno, sizeof exec_errno);
			while (n < 0 && errno == EINTR);
			if (n != (ssize_t)sizeof exec_errno)
				exec_errno = 0;
		}
		close(ep[0]);
	}
	for (size_t i = 0; i < op->nredirs; i++)
		if (rfds[i] >= 0)
			close(rfds[i]);
	free(rfds);
	free(path);
	if (op->pty) {
		close(slave);
	} else {
		close(in[0]);
		close(out[1]);
	}
	if (pid > 0 && exec_errno) {
		waitpid(pid, NULL, 0);
		pid = -1;
		fork_errno = exec_errno;
	}
	if (pid < 0) {
		if (exec_errno)
			coresult_fail(res, exec_errno == ENOENT ? 127 : 126, "coproc: %s: %s",
				      op->argv[0], strerror(exec_errno));
		else
			coresult_fail(res, 1, "coproc: fork: %s", strerror(fork_errno));
		if (op->pty) {
			close(master);
		} else {
			close(in[1]);
			close(out[0]);
		}
		if (op->prompt)
			regfree(&re);
		return NULL;
	}
	if (!op->pty)
		setpgid(pid, pid);
	struct coproc *cp = xcalloc(1, sizeof *cp);
	cp->sh = sh;
	cp->name = xstrdup(op->name);
	cp->command = join_words(op->argv);
	cp->pid = pid;
	cp->pty = op->pty;
	if (op->pty) {
		cp->out_fd = fd_move_high(master);
		cp->in_fd = fcntl(cp->out_fd, F_DUPFD_CLOEXEC, 10);
	} else {
		cp->in_fd = fd_move_high(in[1]);
		cp->out_fd = fd_move_high(out[0]);
	}
	fcntl(cp->in_fd, F_SETFL, fcntl(cp->in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(cp->out_fd, F_SETFL, fcntl(cp->out_fd, F_GETFL) | O_NONBLOCK);
	cp->bufmax = op->bufmax ? op->bufmax : 8u << 20;
	if (op->prompt) {
		cp->prompt = re;
		cp->has_prompt = true;
	}
	cp->rwatch = loop_add(sh->loop, cp->out_fd, LOOP_IN, on_output, cp);
	struct coproc **tail = &sh->coprocs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = cp;
	table_add(sh, cp);
	res->pid = pid;
	return cp;
}

void coproc_discard(struct shell *sh, struct coproc *cp)
{
	kill(-cp->pid, SIGKILL);
	unlink_record(sh, cp); /* the loop reaps the child; nothing was started */
}

void coproc_close_input(struct shell *sh, struct coproc *cp)
{
	if (cp->in_fd < 0)
		return;
	if (cp->pty) {
		/* a pty has no half-close: ^D at the start of a line is end of file */
		const char *eof = cp->last_sent && cp->last_sent != '\n' ? "\x04\x04" : "\x04";
		(void)!write(cp->in_fd, eof, strlen(eof));
	}
	coproc_want_write(sh, cp, false);
	close(cp->in_fd);
	cp->in_fd = -1;
	cp->input_closed = true;
}

bool coproc_reaped(struct shell *sh, pid_t pid, int wstatus)
{
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
		if (cp->pid == pid && !cp->exited) {
			cp->exited = true;
			cp->wstatus = wstatus;
			return true;
		}
	return false;
}

void coproc_collected(struct shell *sh, struct coproc *cp)
{
	if (!cp->collected) {
		cp->collected = true;
		sh->co_collected++;
	}
}

void coproc_forget_done(struct shell *sh)
{
	if (sh->co_collected == 0) /* the common case costs nothing per request */
		return;
	for (struct coproc *cp = sh->coprocs, *next; cp; cp = next) {
		next = cp->next;
		if (cp->exited && cp->collected && coproc_drained(cp) && !cp->reader &&
		    !cp->writer && cp->users == 0)
			unlink_record(sh, cp);
	}
}

void coproc_notify(struct shell *sh)
{
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next) {
		if (!cp->exited || cp->collected)
			continue;
		char st[64];
		coproc_status_text(cp, false, st, sizeof st);
		if (WIFSIGNALED(cp->wstatus))
			fd_printf(2, "cosh: coproc %s %s\n", cp->name, st);
		else
			fd_printf(2, "cosh: coproc %s exited (%s)\n", cp->name, st);
		coproc_collected(sh, cp);
	}
	coproc_forget_done(sh);
}

void coproc_resize(struct shell *sh)
{
	struct winsize ws;
	window_size(&ws);
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
		if (cp->pty && !cp->exited && cp->out_fd >= 0)
			ioctl(cp->out_fd, TIOCSWINSZ, &ws); /* the program gets SIGWINCH */
}

int coproc_running(struct shell *sh)
{
	int n = 0;
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
		if (!cp->exited)
			n++;
	return n;
}

static bool any_running(struct shell *sh)
{
	return coproc_running(sh) > 0;
}

/* Runs the loop until every coprocess has exited or ms pass (-1: no limit). */
static void wait_exits(struct shell *sh, long ms)
{
	long deadline = mono_ms() + ms;
	while (any_running(sh)) {
		long left = deadline - mono_ms();
		if (ms >= 0 && left <= 0)
			break;
		loop_run_once(sh->loop, ms >= 0 ? (int)left : 100);
		jobs_reap(sh);
	}
}

static void signal_running(struct shell *sh, int signo)
{
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
		if (!cp->exited)
			kill(-cp->pid, signo);
}

void coproc_shutdown(struct shell *sh)
{
	if (!sh->coprocs || sh->shutting_down)
		return;
	sh->shutting_down = true;
	coreq_forget_all(sh);
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next) {
		if (!cp->exited)
			coproc_close_input(sh, cp);
		/* nobody will read what is left: a program still writing gets
		 * EPIPE (or SIGPIPE) rather than a full pipe to wait on */
		end_of_output(sh, cp);
	}
	const char *g = var_get(sh, "COSH_EXIT_GRACE");
	char *end = NULL;
	double grace = g && *g ? strtod(g, &end) : 1.0;
	if (!(grace >= 0) || grace > 3600 || (end && *end))
		grace = 1.0;
	wait_exits(sh, (long)(grace * 1000));
	if (any_running(sh)) {
		signal_running(sh, SIGTERM);
		wait_exits(sh, 1000);
	}
	if (any_running(sh)) {
		signal_running(sh, SIGKILL);
		wait_exits(sh, -1);
	}
}

void coproc_after_fork(struct shell *sh)
{
	free(sh->cotab);
	sh->cotab = NULL;
	sh->co_collected = 0;
	while (sh->coprocs) {
		struct coproc *cp = sh->coprocs;
		sh->coprocs = cp->next;
		free_record(cp); /* the loop's watches went with loop_after_fork */
	}
}

void coproc_free_all(struct shell *sh)
{
	while (sh->coprocs)
		unlink_record(sh, sh->coprocs);
	free(sh->cotab);
	sh->cotab = NULL;
}

struct coproc *coproc_adopt(struct shell *sh, const char *name, int in_fd, int out_fd, bool pty,
			    const char *prompt, size_t bufmax)
{
	regex_t re;
	if (prompt && regcomp(&re, prompt, REG_EXTENDED) != 0)
		return NULL;
	struct coproc *cp = xcalloc(1, sizeof *cp);
	cp->sh = sh;
	cp->name = xstrdup(name);
	cp->command = xstrdup(name);
	cp->pty = pty;
	cp->in_fd = in_fd;
	cp->out_fd = out_fd;
	cp->bufmax = bufmax ? bufmax : 8u << 20;
	if (prompt) {
		cp->prompt = re;
		cp->has_prompt = true;
	}
	struct coproc **tail = &sh->coprocs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = cp;
	table_add(sh, cp);
	return cp;
}
