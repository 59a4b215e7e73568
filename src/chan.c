/* The owner's socket and the forked shells' channels (see chan.h). */
#include "config.h"
#include "chan.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>

#include "coproc.h"
#include "loop.h"
#include "shell.h"

/* Data travels in messages of at most this many bytes. */
#define CHUNK 32768

enum { MSG_REQUEST = 'R', MSG_DATA = 'D', MSG_END = 'E', MSG_HELLO = 'H' };

struct msg {
	struct msg *next;
	size_t len;
	char data[];
};

struct client {
	struct client *next;
	struct shell *sh;
	int fd;
	struct loop_watch *w;
	struct coreq *req;      /* the request being served, or NULL */
	struct msg *q, **qtail; /* messages the socket did not take yet */
};

struct owner {
	int fd; /* our end of the shared socket */
	struct loop_watch *w;
	struct client *clients;
};

/* ---- encoding ---- */

static void put_u8(struct strbuf *b, int v)
{
	strbuf_addc(b, (char)v);
}

static void put_i64(struct strbuf *b, int64_t v)
{
	strbuf_addn(b, (const char *)&v, sizeof v);
}

static void put_bytes(struct strbuf *b, const char *s, size_t n)
{
	put_i64(b, (int64_t)n);
	strbuf_addn(b, s, n);
}

static void put_str(struct strbuf *b, const char *s)
{
	if (!s)
		put_i64(b, -1);
	else
		put_bytes(b, s, strlen(s));
}

static void put_strv(struct strbuf *b, char **v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	put_i64(b, v ? (int64_t)n : -1);
	for (size_t i = 0; i < n; i++)
		put_str(b, v[i]);
}

struct reader {
	const char *p;
	size_t len, off;
	bool bad;
};

static int64_t get_i64(struct reader *r)
{
	int64_t v = 0;
	if (r->len - r->off < sizeof v) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p + r->off, sizeof v);
	r->off += sizeof v;
	return v;
}

/* A malloc'd copy (NUL-terminated), or NULL; *n gets the length. */
static char *get_bytes(struct reader *r, size_t *n)
{
	int64_t len = get_i64(r);
	if (len < 0 || r->bad)
		return NULL;
	if ((uint64_t)len > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	char *s = xstrndup(r->p + r->off, (size_t)len);
	r->off += (size_t)len;
	if (n)
		*n = (size_t)len;
	return s;
}

static char **get_strv(struct reader *r)
{
	int64_t n = get_i64(r);
	if (n < 0 || r->bad || (uint64_t)n > r->len)
		return NULL;
	char **v = xcalloc((size_t)n + 1, sizeof *v);
	for (int64_t i = 0; i < n; i++) {
		v[i] = get_bytes(r, NULL);
		if (!v[i]) {
			v[i] = xstrdup("");
			r->bad = true;
		}
	}
	return v;
}

static void encode_request(struct strbuf *b, const struct coop *op)
{
	put_u8(b, MSG_REQUEST);
	put_i64(b, op->kind);
	put_str(b, op->builtin);
	put_str(b, op->name);
	put_i64(b, op->timeout_ms);
	put_strv(b, op->argv);
	put_strv(b, op->envp);
	put_str(b, op->cwd);
	put_i64(b, op->pty);
	put_str(b, op->prompt);
	put_str(b, op->log);
	put_str(b, op->group_text);
	put_i64(b, op->err);
	put_i64(b, (int64_t)op->bufmax);
	put_i64(b, (int64_t)op->nredirs);
	for (size_t i = 0; i < op->nredirs; i++) {
		put_i64(b, op->redirs[i].fd);
		put_i64(b, op->redirs[i].op);
		put_str(b, op->redirs[i].target);
	}
	if (op->data)
		put_bytes(b, op->data, op->len);
	else
		put_i64(b, -1);
	put_i64(b, op->mode);
	put_str(b, op->regex);
	put_i64(b, op->stream);
	put_i64(b, op->any);
	put_i64(b, op->signo);
}

/* Fills op (its strings malloc'd); false for a malformed message. */
static bool decode_request(struct reader *r, struct coop *op, char **builtin)
{
	memset(op, 0, sizeof *op);
	op->kind = (enum coop_kind)get_i64(r);
	*builtin = get_bytes(r, NULL);
	op->builtin = *builtin ? *builtin : "coproc";
	op->name = get_bytes(r, NULL);
	op->timeout_ms = get_i64(r);
	op->argv = get_strv(r);
	op->envp = get_strv(r);
	op->cwd = get_bytes(r, NULL);
	op->pty = get_i64(r) != 0;
	op->prompt = get_bytes(r, NULL);
	op->log = get_bytes(r, NULL);
	op->group_text = get_bytes(r, NULL);
	op->err = get_i64(r) != 0;
	op->bufmax = (size_t)get_i64(r);
	int64_t n = get_i64(r);
	if (n < 0 || n > 1000)
		r->bad = true;
	else if (n > 0) {
		op->redirs = xcalloc((size_t)n, sizeof *op->redirs);
		op->nredirs = (size_t)n;
		for (int64_t i = 0; i < n; i++) {
			op->redirs[i].fd = (int)get_i64(r);
			op->redirs[i].op = (int)get_i64(r);
			op->redirs[i].target = get_bytes(r, NULL);
			if (!op->redirs[i].target)
				op->redirs[i].target = xstrdup("-");
		}
	}
	op->data = get_bytes(r, &op->len);
	op->mode = (enum recv_mode)get_i64(r);
	op->regex = get_bytes(r, NULL);
	op->stream = get_i64(r) != 0;
	op->any = get_i64(r) != 0;
	op->signo = (int)get_i64(r);
	bool ok = !r->bad && op->kind <= COOP_WAIT && op->mode <= RECV_ALL;
	if (ok && (op->kind != COOP_LIST && !op->any && !op->name))
		ok = false;
	if (ok && op->kind == COOP_START && !op->group_text && (!op->argv || !op->argv[0]))
		ok = false;
	if (ok && op->kind == COOP_START && !op->envp)
		ok = false;
	if (ok && op->kind == COOP_RECV && op->mode == RECV_UNTIL && !op->regex)
		ok = false;
	if (ok && (op->kind == COOP_SEND || op->kind == COOP_ASK) && !op->data)
		ok = false;
	return ok;
}

/* ---- the owner ---- */

/* Closes a client's channel and frees it with what it had queued. */
static void release(struct shell *sh, struct client *c, bool remove_watch)
{
	if (remove_watch)
		loop_remove(sh->loop, c->w);
	close(c->fd);
	while (c->q) {
		struct msg *m = c->q;
		c->q = m->next;
		free(m);
	}
	free(c);
}

static void client_free(struct shell *sh, struct client *c)
{
	for (struct client **p = &sh->owner->clients; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	if (c->req) {
		/* the forked shell went away: its request ends, nothing more is taken */
		struct coreq *req = c->req;
		c->req = NULL;
		req->client = NULL;
		coreq_cancel(sh, req, 130);
		coreq_free(sh, req);
	}
	release(sh, c, true);
}

/* Sends what is queued; true when the queue is empty. */
static bool flush(struct client *c)
{
	while (c->q) {
		ssize_t w = send(c->fd, c->q->data, c->q->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false; /* EAGAIN: later; other errors: the reader goes away */
		struct msg *m = c->q;
		c->q = m->next;
		if (!c->q)
			c->qtail = &c->q;
		free(m);
	}
	return true;
}

static void client_watch(struct shell *sh, struct client *c)
{
	loop_modify(sh->loop, c->w, LOOP_IN | (c->q ? LOOP_OUT : 0));
}

static void enqueue(struct shell *sh, struct client *c, const char *p, size_t n)
{
	if (!c->q) {
		ssize_t w;
		do
			w = send(c->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		while (w < 0 && errno == EINTR);
		if (w >= 0)
			return;
	}
	struct msg *m = xmalloc(sizeof *m + n);
	m->next = NULL;
	m->len = n;
	memcpy(m->data, p, n);
	if (!c->q)
		c->qtail = &c->q;
	*c->qtail = m;
	c->qtail = &m->next;
	client_watch(sh, c);
}

static void send_data(struct shell *sh, struct client *c, const char *p, size_t n)
{
	struct strbuf b;
	strbuf_init(&b);
	for (size_t off = 0; off < n; off += CHUNK) {
		size_t k = n - off < CHUNK ? n - off : CHUNK;
		strbuf_reset(&b);
		put_u8(&b, MSG_DATA);
		strbuf_addn(&b, p + off, k);
		enqueue(sh, c, b.s, b.len);
	}
	strbuf_finish(&b);
}

size_t chan_sink(void *ctx, const char *p, size_t n)
{
	struct client *c = ctx;
	if (c->q && !flush(c))
		return 0; /* the forked shell has not read what we sent: wait */
	size_t taken = n < CHUNK * 4 ? n : CHUNK * 4;
	send_data(c->sh, c, p, taken);
	return taken;
}

void chan_reply(struct shell *sh, struct coreq *req)
{
	struct client *c = req->client;
	if (!c)
		return;
	struct coresult *res = &req->res;
	if (res->data.len)
		send_data(sh, c, res->data.s, res->data.len);
	struct strbuf b;
	strbuf_init(&b);
	put_u8(&b, MSG_END);
	put_i64(&b, res->status);
	put_i64(&b, res->pid);
	put_i64(&b, res->got);
	put_str(&b, res->match);
	put_str(&b, res->from);
	put_bytes(&b, strbuf_str(&res->msg), res->msg.len);
	enqueue(sh, c, b.s, b.len);
	strbuf_finish(&b);
}

void chan_detach(struct shell *sh, struct coreq *req)
{
	(void)sh;
	if (req->client && req->client->req == req)
		req->client->req = NULL;
	req->client = NULL;
}

/* The builtin named in a request, as a string that outlives it. */
static const char *builtin_name(const char *s)
{
	static const char *const names[] = {"coproc", "send", "recv", "ask", "close",
					    "coprocs", "kill", "wait", "attach"};
	for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0)
			return names[i];
	return "coproc";
}

static void serve(struct shell *sh, struct client *c, const char *p, size_t n)
{
	struct reader r = {p + 1, n - 1, 0, false};
	struct coop op;
	char *builtin = NULL;
	if (p[0] != MSG_REQUEST || c->req || !decode_request(&r, &op, &builtin)) {
		if (p[0] == MSG_REQUEST)
			coop_free_fields(&op);
		free(builtin);
		client_free(sh, c); /* not one of ours: drop it */
		return;
	}
	op.builtin = builtin_name(builtin);
	struct coreq *req =
		coreq_submit(sh, &op, op.stream ? chan_sink : NULL, c, c, false);
	c->req = req->done ? NULL : req;
	if (req->done)
		coreq_free(sh, req);
	coop_free_fields(&op);
	free(builtin);
}

static void on_client(void *data, int fd, unsigned events)
{
	struct client *c = data;
	struct shell *sh = c->sh;
	if (events & LOOP_OUT) {
		flush(c);
		client_watch(sh, c);
	}
	if (!(events & (LOOP_IN | LOOP_HUP)))
		return;
	ssize_t n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_free(sh, c);
		return;
	}
	char *buf = xmalloc((size_t)n);
	ssize_t got = recv(fd, buf, (size_t)n, MSG_DONTWAIT);
	if (got > 0)
		serve(sh, c, buf, (size_t)got);
	else if (got == 0)
		client_free(sh, c);
	free(buf);
}

static void on_introduce(void *data, int fd, unsigned events)
{
	(void)events;
	struct shell *sh = data;
	char byte;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof u.buf};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return;
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
		return;
	int cfd;
	memcpy(&cfd, CMSG_DATA(cm), sizeof cfd);
	if (byte != MSG_HELLO) {
		close(cfd);
		return;
	}
	struct client *c = xcalloc(1, sizeof *c);
	c->sh = sh;
	c->fd = fd_move_high(cfd);
	c->qtail = &c->q;
	c->w = loop_add(sh->loop, c->fd, LOOP_IN, on_client, c);
	c->next = sh->owner->clients;
	sh->owner->clients = c;
}

void chan_prepare(struct shell *sh)
{
	if (sh->owner || !shell_owns_coprocs(sh))
		return;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return; /* forked shells will report that the owner cannot be reached */
	sh->owner = xcalloc(1, sizeof *sh->owner);
	sh->owner->fd = fd_move_high(sv[0]);
	sh->share_fd = fd_move_high(sv[1]);
	sh->owner->w = loop_add(sh->loop, sh->owner->fd, LOOP_IN, on_introduce, sh);
}

static void free_owner(struct shell *sh, bool close_watches)
{
	struct owner *o = sh->owner;
	if (!o)
		return;
	while (o->clients) {
		struct client *c = o->clients;
		o->clients = c->next;
		release(sh, c, close_watches);
	}
	if (close_watches)
		loop_remove(sh->loop, o->w);
	close(o->fd);
	free(o);
	sh->owner = NULL;
}

void chan_after_fork(struct shell *sh)
{
	free_owner(sh, false); /* the loop's watches went with loop_after_fork */
	if (sh->chan_fd >= 0) {
		close(sh->chan_fd); /* our parent's channel: we make our own */
		sh->chan_fd = -1;
	}
}

void chan_free(struct shell *sh)
{
	free_owner(sh, true);
	if (sh->share_fd >= 0)
		close(sh->share_fd);
	if (sh->chan_fd >= 0)
		close(sh->chan_fd);
	sh->share_fd = sh->chan_fd = -1;
}

/* ---- a forked shell ---- */

static int connect_owner(struct shell *sh)
{
	if (sh->chan_fd >= 0)
		return sh->chan_fd;
	if (sh->share_fd < 0)
		return -1;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	char byte = MSG_HELLO;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof u);
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof u.buf};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &sv[1], sizeof(int));
	ssize_t n;
	do
		n = sendmsg(sh->share_fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	close(sv[1]);
	if (n < 0) {
		close(sv[0]);
		return -1;
	}
	sh->chan_fd = fd_move_high(sv[0]);
	return sh->chan_fd;
}

static bool send_msg(int fd, const char *p, size_t n)
{
	ssize_t w;
	do
		w = send(fd, p, n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)n;
}

/* One request and its answer; false when the owner cannot be reached. */
static bool one_request(struct shell *sh, int fd, const struct coop *op, co_sink_fn sink,
			void *ctx, struct coresult *res)
{
	struct strbuf b;
	strbuf_init(&b);
	encode_request(&b, op);
	bool ok = send_msg(fd, b.s, b.len);
	strbuf_finish(&b);
	if (!ok)
		return false;
	char *buf = xmalloc(CHUNK * 2 + 64);
	size_t cap = CHUNK * 2 + 64;
	for (;;) {
		if (loop_wait_fd(sh->loop, fd, LOOP_IN, -1) < 0) {
			/* Ctrl-C in a forked shell that ignores it (a background job) */
			loop_clear_interrupt(sh->loop);
			continue;
		}
		ssize_t n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return false;
		}
		if ((size_t)n > cap) {
			cap = (size_t)n;
			buf = xrealloc(buf, cap);
		}
		n = recv(fd, buf, (size_t)n, 0);
		if (n <= 0) {
			free(buf);
			return false;
		}
		if (buf[0] == MSG_DATA) {
			if (op->stream && sink)
				sink(ctx, buf + 1, (size_t)n - 1);
			else
				strbuf_addn(&res->data, buf + 1, (size_t)n - 1);
			if (n > 1)
				res->got = true;
			continue;
		}
		if (buf[0] != MSG_END) {
			free(buf);
			return false;
		}
		struct reader r = {buf + 1, (size_t)n - 1, 0, false};
		res->status = (int)get_i64(&r);
		res->pid = (pid_t)get_i64(&r);
		if (get_i64(&r))
			res->got = true;
		free(res->match);
		res->match = get_bytes(&r, NULL);
		free(res->from);
		res->from = get_bytes(&r, NULL);
		size_t mlen = 0;
		char *msg = get_bytes(&r, &mlen);
		if (msg)
			strbuf_addn(&res->msg, msg, mlen);
		free(msg);
		free(buf);
		return !r.bad;
	}
}

void chan_request(struct shell *sh, const struct coop *op, co_sink_fn sink, void *ctx,
		  struct coresult *res)
{
	int fd = connect_owner(sh);
	if (fd < 0) {
		coresult_fail(res, 1, "%s: cannot reach the shell that owns the coprocesses",
			      op->builtin);
		return;
	}
	bool ok = true;
	if ((op->kind == COOP_SEND || op->kind == COOP_ASK) && op->len > CHUNK) {
		/* a long text goes in pieces, each done before the next is sent;
		 * ask's pieces end at line ends, and the answers add up */
		struct coop piece = *op;
		for (size_t off = 0; ok && off < op->len; off += piece.len) {
			piece.data = op->data + off;
			piece.len = op->len - off < CHUNK ? op->len - off : CHUNK;
			if (op->kind == COOP_ASK && off + piece.len < op->len) {
				const char *nl = memrchr(piece.data, '\n', piece.len);
				if (!nl) /* one long line: it goes whole */
					nl = memchr(piece.data, '\n', op->len - off);
				piece.len = nl ? (size_t)(nl - piece.data) + 1 : op->len - off;
			}
			ok = one_request(sh, fd, &piece, sink, ctx, res);
			if (ok && res->status != 0)
				break;
		}
	} else {
		ok = one_request(sh, fd, op, sink, ctx, res);
	}
	if (!ok)
		coresult_fail(res, 1, "%s: the shell that owns the coprocesses is gone", op->builtin);
}
