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
#include <time.h>
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

static void buf_reserve(struct costream *b, size_t extra)
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

void coproc_consume(struct shell *sh, struct costream *b, size_t n)
{
	if (n > b->len)
		n = b->len;
	b->off += n;
	b->len -= n;
	b->taken += n;
	b->nl_scanned = b->nl_scanned > n ? b->nl_scanned - n : 0;
	/* stamps of reads wholly taken go */
	while (b->stamp0 < b->nstamps && b->stamps[b->stamp0].end <= b->taken)
		b->stamp0++;
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
	coproc_update_watch(sh, b->cp);
}

unsigned long long coproc_arrival(const struct costream *s, size_t n)
{
	for (size_t k = s->stamp0; k < s->nstamps; k++)
		if (s->stamps[k].end >= s->taken + n)
			return s->stamps[k].seq;
	return s->eof_seq;
}

/* Past this many reads not taken, a read joins the stamp before it: the
 * order of lines is then kept to that of the older read. */
#define STAMPS_MAX 4096

static void stamp(struct shell *sh, struct costream *s)
{
	size_t end = s->taken + s->len;
	if (s->nstamps - s->stamp0 == STAMPS_MAX) {
		s->stamps[s->nstamps - 1].end = end;
		return;
	}
	/* slide down when that frees at least half: a stamp moves O(1) times */
	if (s->nstamps == s->stamps_cap && s->stamp0 >= s->stamps_cap / 2 && s->stamp0 > 0) {
		s->nstamps -= s->stamp0;
		memmove(s->stamps, s->stamps + s->stamp0, s->nstamps * sizeof *s->stamps);
		s->stamp0 = 0;
	}
	if (s->nstamps == s->stamps_cap) {
		s->stamps_cap = s->stamps_cap ? 2 * s->stamps_cap : 8;
		s->stamps = xrealloc(s->stamps, s->stamps_cap * sizeof *s->stamps);
	}
	s->stamps[s->nstamps++] = (struct costamp){end, ++sh->co_seq};
}

static void end_of_output(struct shell *sh, struct costream *s)
{
	loop_remove(sh->loop, s->watch);
	s->watch = NULL;
	if (s->fd >= 0) {
		struct coproc *cp = s->cp;
		/* Closing a pty master hangs the terminal up: the kernel sends
		 * SIGHUP to the session, and a program that closed its end and
		 * is about to exit (cat at end of input) would die of it.  Keep
		 * the master until the child is reaped. */
		if (s == &cp->out && cp->pty && !cp->exited && cp->pty_hold < 0)
			cp->pty_hold = s->fd;
		else
			close(s->fd);
		s->eof_seq = ++sh->co_seq;
	}
	s->fd = -1;
}

/* Reads once from a coprocess's output; false when nothing more is there
 * now (a short read says the pipe is empty: no second read to hear EAGAIN). */
static bool read_some(struct shell *sh, struct costream *s)
{
	struct coproc *cp = s->cp;
	if (s->fd < 0)
		return false;
	/* past the cap only what a waiting request needs; below it, up to it */
	size_t want = READ_CHUNK;
	if (cp->users == 0 && (s->len >= cp->bufmax || cp->bufmax - s->len < want))
		want = s->len < cp->bufmax ? cp->bufmax - s->len : 1;
	buf_reserve(s, want + 1);
	ssize_t r = read(s->fd, s->p + s->off + s->len, want);
	if (r > 0) {
		if (s == &cp->out)
			cp->quiet = false;
		if (cp->log_fd >= 0)
			coproc_log(cp, s->mark, s->p + s->off + s->len, (size_t)r);
		s->len += (size_t)r;
		stamp(sh, s);
	}
	/* regexec is given the length (REG_STARTEND), but the sanitizers'
	 * regexec measures the string with strlen all the same */
	s->p[s->off + s->len] = 0;
	if (r > 0)
		return (size_t)r == want;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	/* 0, or EIO from a pty whose other side is gone: the output ended */
	end_of_output(sh, s);
	return false;
}

void coproc_log(struct coproc *cp, char dir, const char *p, size_t n)
{
	struct timespec ts;
	struct tm tm;
	char stamp[64];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t k = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + k, sizeof stamp - k, ".%06ldZ %c ", ts.tv_nsec / 1000, dir);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, stamp);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\\')
			strbuf_adds(&b, "\\\\");
		else if (c == '\n')
			strbuf_adds(&b, "\\n");
		else if (c == '\t')
			strbuf_adds(&b, "\\t");
		else if (c < 0x20 || c > 0x7e)
			strbuf_addf(&b, "\\x%02x", c);
		else
			strbuf_addc(&b, (char)c);
	}
	strbuf_addc(&b, '\n');
	/* one write per record: O_APPEND keeps records whole */
	(void)!write_all(cp->log_fd, b.s, b.len);
	strbuf_finish(&b);
}

ssize_t coproc_write(struct coproc *cp, const char *p, size_t n)
{
	ssize_t w = write(cp->in_fd, p, n);
	if (w > 0) {
		cp->last_sent = p[w - 1];
		cp->quiet = true;
		if (cp->log_fd >= 0)
			coproc_log(cp, '>', p, (size_t)w);
	}
	return w;
}

static void on_output(void *data, int fd, unsigned events)
{
	(void)fd;
	(void)events;
	struct costream *s = data;
	struct coproc *cp = s->cp;
	/* a few reads a round, so one chatty coprocess cannot starve the rest */
	for (int k = 0; k < 4 && read_some(cp->sh, s); k++)
		if (s->len >= cp->bufmax && cp->users == 0)
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
	for (int k = 0; k < 64 && read_some(sh, &cp->out); k++)
		;
	for (int k = 0; k < 64 && read_some(sh, &cp->err); k++)
		;
	coproc_update_watch(sh, cp);
}

static void update_stream(struct shell *sh, struct costream *s)
{
	if (!s->watch)
		return;
	bool want = s->len < s->cp->bufmax || s->cp->users > 0;
	loop_modify(sh->loop, s->watch, want ? LOOP_IN : 0);
}

void coproc_update_watch(struct shell *sh, struct coproc *cp)
{
	update_stream(sh, &cp->out);
	update_stream(sh, &cp->err);
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

bool costream_drained(const struct costream *s)
{
	return s->fd < 0 && s->len == 0;
}

bool coproc_drained(const struct coproc *cp)
{
	return costream_drained(&cp->out) && costream_drained(&cp->err);
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

static void free_stream(struct costream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->p);
	free(s->stamps);
}

static void free_record(struct coproc *cp)
{
	if (cp->in_fd >= 0)
		close(cp->in_fd);
	if (cp->pty_hold >= 0)
		close(cp->pty_hold);
	if (cp->log_fd >= 0)
		close(cp->log_fd);
	free_stream(&cp->out);
	free_stream(&cp->err);
	if (cp->has_prompt)
		regfree(&cp->prompt);
	free(cp->name);
	free(cp->command);
	free(cp);
}

static void unlink_record(struct shell *sh, struct coproc *cp)
{
	coreq_drop_coproc(sh, cp);
	table_remove(sh, cp);
	if (cp->collected)
		sh->co_collected--;
	for (struct coproc **p = &sh->coprocs; *p; p = &(*p)->next)
		if (*p == cp) {
			*p = cp->next;
			break;
		}
	loop_remove(sh->loop, cp->out.watch);
	loop_remove(sh->loop, cp->err.watch);
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

/* The child of vfork() shares the shell's memory until it execs: it
 * makes system calls only (no malloc, no stdio).  This says why it
 * gives up, in one write, and ends it. */
static _Noreturn void child_fail(const char *what, int err)
{
	char msg[512];
	size_t n = 0;
	const char *parts[] = {"cosh: coproc: ", what, ": ", strerror(err), "\n"};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		for (const char *p = parts[i]; *p && n < sizeof msg; p++)
			msg[n++] = *p;
	(void)!write(2, msg, n);
	_exit(1);
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
			child_fail(r->target, errno);
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
		*master = -1;
		return false;
	}
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		coresult_fail(res, 1, "coproc: %s: %s", name, strerror(errno));
		close(*master);
		*master = *slave = -1;
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

/* The program a coprocess runs, found in its PATH and executable; NULL
 * with the failure in res. */
static char *find_program(struct shell *sh, const struct coop *op, struct coresult *res)
{
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
	return path;
}

/* The shell's end of a channel: out of the way of the low fds, and never
 * blocking (the loop waits, not a read or write). */
static int our_end(int fd)
{
	fd = fd_move_high(fd);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void close_above_stdio(int fd)
{
	if (fd > 2)
		close(fd);
}

/* What `coprocs` shows for a group: its text on one line. */
static char *group_command(const char *text)
{
	char *c = xstrdup(text);
	for (char *p = c; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return c;
}

/* A new record, last in the list and in the table by name: no channel
 * yet (every fd -1), no transcript, command owned by it. */
static struct coproc *new_record(struct shell *sh, const char *name, char *command, bool pty,
				 size_t bufmax, const regex_t *prompt)
{
	struct coproc *cp = xcalloc(1, sizeof *cp);
	cp->sh = sh;
	cp->name = xstrdup(name);
	cp->command = command;
	cp->pty = pty;
	cp->in_fd = cp->log_fd = cp->pty_hold = -1;
	cp->out.cp = cp;
	cp->out.mark = '<';
	cp->out.fd = -1;
	cp->err.cp = cp;
	cp->err.mark = '!';
	cp->err.fd = -1;
	cp->bufmax = bufmax ? bufmax : 8u << 20;
	if (prompt) {
		cp->prompt = *prompt;
		cp->has_prompt = true;
	}
	struct coproc **tail = &sh->coprocs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = cp;
	table_add(sh, cp);
	return cp;
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
	bool group = op->group_text != NULL; /* coproc NAME { list; }: no program */
	char *path = group ? NULL : find_program(sh, op, res);
	if (!group && !path)
		return NULL;
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
	int log_fd = -1, errp[2] = {-1, -1};
	bool ok = open_redirs(op, rfds, res);
	if (ok && op->log) {
		char *full = op->log[0] != '/' && op->cwd ? xasprintf("%s/%s", op->cwd, op->log) : NULL;
		log_fd = open(full ? full : op->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		free(full);
		if (log_fd < 0) {
			coresult_fail(res, 1, "coproc: %s: %s", op->log, strerror(errno));
			ok = false;
		} else {
			log_fd = fd_move_high(log_fd);
		}
	}
	if (ok && op->pty)
		ok = make_pty(&master, &slave, res);
	else if (ok && (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0))
		ok = false;
	if (ok && op->err && pipe2(errp, O_CLOEXEC) < 0)
		ok = false;
	if (!ok && !res->msg.len)
		coresult_fail(res, 1, "coproc: pipe: %s", strerror(errno));
	if (!ok) {
		for (size_t i = 0; i < op->nredirs; i++)
			if (rfds[i] >= 0)
				close(rfds[i]);
		if (log_fd >= 0)
			close(log_fd);
		if (master >= 0)
			close(master);
		if (slave >= 0)
			close(slave);
		for (int k = 0; k < 2; k++) {
			if (in[k] >= 0)
				close(in[k]);
			if (out[k] >= 0)
				close(out[k]);
			if (errp[k] >= 0)
				close(errp[k]);
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
	/* made before vfork: the child may not allocate */
	char **script_argv = group ? NULL : exec_script_argv(path, op->argv);
	pid_t pid;
	if (group) /* the group runs shell code: it needs a copy of the shell */
		pid = fork();
	else /* no copy of the shell's page tables nor copy-on-write faults
	      * after it; the shell sleeps until the child has exec'd */
		pid = vfork();
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
		if (op->err)
			dup2(errp[1], 2); /* -E: stderr on a pipe of its own, pty or not */
#ifdef HAVE_SYS_PRCTL_H
		/* if the shell is killed outright, the kernel ends its coprocesses */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(129);
#endif
		apply_redirs(op, rfds);
		if (op->cwd && chdir(op->cwd) < 0)
			child_fail(op->cwd, errno);
		if (group) {
			/* no exec to close them: the channels' other ends, the
			 * originals of what is now 0, 1 and 2, and the shell's files */
			int fds[] = {in[0], in[1], out[0], out[1], master, slave,
				     errp[0], errp[1], log_fd, ep[0], ep[1]};
			for (size_t i = 0; i < op->nredirs; i++)
				if (rfds[i] >= 0)
					close_above_stdio(rfds[i]);
			for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
				close_above_stdio(fds[i]); /* ep[1] closed: coproc goes on */
			var_import_environ(sh, op->envp); /* TERM=dumb on a pty, as for programs */
			/* the request, op with it, is freed as the child drops the
			 * owner's state; the tree, when there is one, is the caller's */
			exec_group_child(sh, op->group, xstrdup(op->group_text));
		}
		exec_reset_for_exec(sh);
		execve(path, op->argv, op->envp);
		int e = errno;
		if (e == ENOEXEC) {
			execve("/proc/self/exe", script_argv, op->envp);
			e = errno;
		}
		if (ep[1] >= 0)
			(void)!write(ep[1], &e, sizeof e);
		_exit(e == ENOENT ? 127 : 126);
	}
	int fork_errno = errno;
	free(script_argv);
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
	if (op->err)
		close(errp[1]);
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
		if (log_fd >= 0)
			close(log_fd);
		if (op->err)
			close(errp[0]);
		if (op->prompt)
			regfree(&re);
		return NULL;
	}
	if (!op->pty)
		setpgid(pid, pid);
	struct coproc *cp =
		new_record(sh, op->name, group ? group_command(op->group_text) : join_words(op->argv),
			   op->pty, op->bufmax, op->prompt ? &re : NULL);
	cp->pid = pid;
	if (op->pty) { /* the dup shares the master's non-blocking mode */
		cp->out.fd = our_end(master);
		cp->in_fd = fcntl(cp->out.fd, F_DUPFD_CLOEXEC, 10);
	} else {
		cp->in_fd = our_end(in[1]);
		cp->out.fd = our_end(out[0]);
	}
	cp->keep_err = op->err;
	if (op->err) {
		cp->err.fd = our_end(errp[0]);
		cp->err.watch = loop_add(sh->loop, cp->err.fd, LOOP_IN, on_output, &cp->err);
	}
	cp->log_fd = log_fd;
	cp->out.watch = loop_add(sh->loop, cp->out.fd, LOOP_IN, on_output, &cp->out);
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
		(void)!coproc_write(cp, eof, strlen(eof));
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
			if (cp->pty_hold >= 0) {
				close(cp->pty_hold);
				cp->pty_hold = -1;
			}
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
		if (cp->exited && cp->collected && coproc_drained(cp) && !cp->out.reader &&
		    !cp->err.reader &&
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
		if (cp->pty && !cp->exited && cp->out.fd >= 0)
			ioctl(cp->out.fd, TIOCSWINSZ, &ws); /* the program gets SIGWINCH */
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
		end_of_output(sh, &cp->out);
		end_of_output(sh, &cp->err);
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
	struct coproc *cp = new_record(sh, name, xstrdup(name), pty, bufmax, prompt ? &re : NULL);
	cp->in_fd = in_fd;
	cp->out.fd = out_fd;
	return cp;
}
