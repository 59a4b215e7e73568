/* The request engine (see coreq.h).  Requests wait in sh->reqs, oldest
 * first; after every round of the event loop each moves on as far as the
 * buffers and pipes allow.  Per coprocess one request reads and one
 * writes at a time, in arrival order, so concurrent readers never split
 * a line between them. */
#include "config.h"
#include "coreq.h"

#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"
#include "coproc.h"
#include "exec.h"
#include "job.h"
#include "loop.h"
#include "shell.h"

/* How long a send that met a closed pipe waits for the exit status. */
#define EPIPE_WAIT_MS 1000

void coresult_init(struct coresult *res)
{
	memset(res, 0, sizeof *res);
	strbuf_init(&res->data);
	strbuf_init(&res->msg);
}

void coresult_finish(struct coresult *res)
{
	strbuf_finish(&res->data);
	strbuf_finish(&res->msg);
	free(res->match);
	res->match = NULL;
	free(res->from);
	res->from = NULL;
}

void coresult_fail(struct coresult *res, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_adds(&res->msg, "cosh: ");
	strbuf_vaddf(&res->msg, fmt, ap);
	strbuf_addc(&res->msg, '\n');
	va_end(ap);
	res->status = status;
}

static char **strv_dup(char **v)
{
	if (!v)
		return NULL;
	size_t n = 0;
	while (v[n])
		n++;
	char **c = xcalloc(n + 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void coop_copy(struct coop *dst, const struct coop *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->argv = strv_dup(src->argv);
	dst->envp = strv_dup(src->envp);
	dst->cwd = dup_or_null(src->cwd);
	dst->prompt = dup_or_null(src->prompt);
	dst->regex = dup_or_null(src->regex);
	dst->log = dup_or_null(src->log);
	dst->group_text = dup_or_null(src->group_text);
	dst->group = NULL; /* a tree of the shell that asked: not ours to run */
	dst->data = NULL;
	if (src->data) {
		dst->data = xmalloc(src->len + 1);
		memcpy(dst->data, src->data, src->len);
		dst->data[src->len] = 0;
	}
	dst->redirs = NULL;
	if (src->nredirs) {
		dst->redirs = xcalloc(src->nredirs, sizeof *dst->redirs);
		for (size_t i = 0; i < src->nredirs; i++) {
			dst->redirs[i] = src->redirs[i];
			dst->redirs[i].target = xstrdup(src->redirs[i].target);
		}
	}
}

void coop_free_fields(struct coop *op)
{
	free(op->name);
	strv_free(op->argv);
	strv_free(op->envp);
	free(op->cwd);
	free(op->prompt);
	free(op->regex);
	free(op->log);
	free(op->group_text);
	free(op->data);
	for (size_t i = 0; i < op->nredirs; i++)
		free(op->redirs[i].target);
	free(op->redirs);
	memset(op, 0, sizeof *op);
}

/* ---- finishing ---- */

/* Lets go of what req holds of the coprocesses: gates, users counts. */
static void release(struct shell *sh, struct coreq *req)
{
	struct coproc *cp = req->cp;
	if (cp) {
		if (cp->out.reader == req)
			cp->out.reader = NULL;
		if (cp->err.reader == req)
			cp->err.reader = NULL;
		if (cp->writer == req) {
			cp->writer = NULL;
			coproc_want_write(sh, cp, false);
		}
		if (req->counted) {
			cp->users--;
			req->counted = false;
		}
		coproc_update_watch(sh, cp);
	}
	for (size_t i = 0; i < req->nany; i++) {
		req->any[i]->users--;
		coproc_update_watch(sh, req->any[i]);
	}
	req->nany = 0;
}

/* A recv or ask that timed out or was interrupted on a live pipe-mode
 * coprocess that has written nothing since it was last sent something:
 * the common cause is a program that buffers its output on a pipe.  An
 * interactive shell says so, once per coprocess. */
static void buffering_hint(struct shell *sh, struct coreq *req, int status)
{
	struct coproc *cp = req->cp;
	if (!sh->opt.interactive || (status != 124 && status != 130) || !cp || cp->pty ||
	    cp->exited || !cp->quiet || cp->hinted || req->op.err ||
	    (req->op.kind != COOP_RECV && req->op.kind != COOP_ASK))
		return;
	cp->hinted = true;
	/* after Ctrl-C the terminal shows ^C: the hint starts a line of its own */
	char *msg = xasprintf("%scosh: %s: %s: no output yet \xe2\x80\x94 if it buffers output on pipes, "
			      "start it with coproc -p, or its unbuffered option (python3 -u, "
			      "stdbuf -oL)\n", status == 130 ? "\n" : "", req->op.builtin, cp->name);
	if (req->borrowed || req->client)
		strbuf_adds(&req->res.msg, msg);
	else if (!sh->at_prompt) /* the forked shell that asked is gone */
		write_all(2, msg, strlen(msg));
	free(msg);
}

static void finish(struct shell *sh, struct coreq *req, int status)
{
	if (req->done)
		return;
	req->done = true;
	req->res.status = status;
	buffering_hint(sh, req, status);
	release(sh, req);
	if (req->client)
		chan_reply(sh, req); /* the request is freed by coreq_progress_all */
}

static void fail(struct shell *sh, struct coreq *req, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail(struct shell *sh, struct coreq *req, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_adds(&req->res.msg, "cosh: ");
	strbuf_vaddf(&req->res.msg, fmt, ap);
	strbuf_addc(&req->res.msg, '\n');
	va_end(ap);
	finish(sh, req, status);
}

static bool gate(struct coreq **slot, struct coreq *req)
{
	if (!*slot)
		*slot = req;
	return *slot == req;
}

/* ---- matching in the buffer ---- */

static const char *buf_data(const struct costream *s)
{
	return s->p ? s->p + s->off : "";
}

static bool find_line(struct costream *s, size_t *len)
{
	const char *p = buf_data(s);
	const char *nl = s->len > s->nl_scanned
				 ? memchr(p + s->nl_scanned, '\n', s->len - s->nl_scanned)
				 : NULL;
	if (nl) {
		*len = (size_t)(nl - p);
		return true;
	}
	s->nl_scanned = s->len;
	return false;
}

/* How far back into output already searched a new search starts: a match
 * may begin there and end in what just arrived.  Searching from the start
 * each time would make a long answer cost its length squared. */
#define RE_OVERLAP 65536

/* The first match of re in the output so far; $ matches only at its end.
 * *scanned: how much of the buffer is known to hold no match (kept by the
 * request across calls, and reset when it consumes). */
static bool find_re(regex_t *re, const struct costream *s, regmatch_t *m, size_t *scanned)
{
	size_t from = *scanned > RE_OVERLAP ? *scanned - RE_OVERLAP : 0;
	m[0].rm_so = (regoff_t)from;
	m[0].rm_eo = (regoff_t)s->len;
	if (regexec(re, buf_data(s), 1, m, REG_STARTEND | (from ? REG_NOTBOL : 0)) == 0)
		return true;
	*scanned = s->len;
	return false;
}

static bool output_ended(const struct costream *s)
{
	return s->fd < 0;
}

/* The stream a request reads. */
static struct costream *stream_of(struct coproc *cp, const struct coop *op)
{
	return op->err ? &cp->err : &cp->out;
}

/* recv -e on a coprocess whose stderr is not kept: a usage error. */
static bool no_stream(struct shell *sh, struct coreq *req, struct coproc *cp)
{
	if (!req->op.err || cp->keep_err)
		return false;
	fail(sh, req, 2, "recv: %s: its stderr is not kept (start it with coproc -E)", cp->name);
	return true;
}

/* ---- the operations ---- */

/* The length of the first line of s (without its newline) when one is
 * complete, or when the output ended with a last line without one. */
static bool line_ready(struct costream *s, size_t *len, size_t *take)
{
	if (find_line(s, len)) {
		*take = *len + 1;
		return true;
	}
	if (output_ended(s) && s->len > 0) {
		*len = *take = s->len;
		return true;
	}
	return false;
}

static void take_line(struct shell *sh, struct coreq *req, struct costream *s, size_t len,
		      size_t take)
{
	strbuf_addn(&req->res.data, buf_data(s), len);
	coproc_consume(sh, s, take);
	req->res.got = true;
	finish(sh, req, 0);
}

static void progress_recv(struct shell *sh, struct coreq *req)
{
	struct coproc *cp = req->cp;
	struct costream *s = stream_of(cp, &req->op);
	if (!gate(&s->reader, req))
		return;
	struct coresult *res = &req->res;
	const char *p = buf_data(s);
	switch (req->op.mode) {
	case RECV_LINE: {
		size_t len, take;
		if (line_ready(s, &len, &take))
			take_line(sh, req, s, len, take);
		else if (output_ended(s))
			finish(sh, req, 1);
		return;
	}
	case RECV_UNTIL: {
		regmatch_t m[1];
		if (find_re(&req->re, s, m, &req->re_scanned)) {
			strbuf_addn(&res->data, p, (size_t)m[0].rm_so);
			res->match = xstrndup(p + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
			coproc_consume(sh, s, (size_t)m[0].rm_eo);
			res->got = true;
			finish(sh, req, 0);
		} else if (output_ended(s)) {
			strbuf_addn(&res->data, p, s->len);
			res->got = s->len > 0;
			coproc_consume(sh, s, s->len);
			finish(sh, req, 1);
		}
		return;
	}
	case RECV_ALL:
		while (s->len > 0) {
			size_t n = s->len;
			if (req->op.stream && req->sink) {
				n = req->sink(req->sink_ctx, buf_data(s), n);
				if (n == 0)
					return; /* the reader is slow: wait for it */
			} else {
				strbuf_addn(&res->data, buf_data(s), n);
			}
			coproc_consume(sh, s, n);
			res->got = true;
		}
		if (output_ended(s))
			finish(sh, req, res->got ? 0 : 1);
		return;
	}
}

/* recv -A: the first line that arrived among the coprocesses of the
 * request (req->any), taken when that stream has no other reader. */
static void progress_any(struct shell *sh, struct coreq *req)
{
	struct costream *best = NULL;
	unsigned long long best_seq = 0;
	size_t best_len = 0, best_take = 0;
	bool open = false;
	for (size_t i = 0; i < req->nany; i++) {
		struct costream *s = stream_of(req->any[i], &req->op);
		size_t len, take;
		if (!output_ended(s) || s->len > 0)
			open = true;
		if (s->reader || !line_ready(s, &len, &take))
			continue;
		unsigned long long seq = coproc_arrival(s, take);
		if (!best || seq < best_seq) {
			best = s;
			best_seq = seq;
			best_len = len;
			best_take = take;
		}
	}
	if (best) {
		req->res.from = xstrdup(best->cp->name);
		take_line(sh, req, best, best_len, best_take);
	} else if (!open) {
		finish(sh, req, 1);
	}
}

static void exited_message(struct shell *sh, struct coreq *req)
{
	char st[64];
	coproc_status_text(req->cp, false, st, sizeof st);
	fail(sh, req, 1, "%s: %s: coprocess has exited (%s)", req->op.builtin, req->cp->name, st);
}

/* Writes what it can of data[*off..len); true when all is written.  On a
 * closed pipe it finishes req with the reason. */
static bool write_some(struct shell *sh, struct coreq *req, const char *data, size_t len,
		       size_t *off)
{
	struct coproc *cp = req->cp;
	if (cp->in_fd < 0) {
		if (cp->exited || !cp->input_closed)
			exited_message(sh, req);
		else
			fail(sh, req, 1, "%s: %s: input is closed", req->op.builtin, cp->name);
		return false;
	}
	while (*off < len) {
		ssize_t w = coproc_write(cp, data + *off, len - *off);
		if (w > 0) {
			*off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			coproc_want_write(sh, cp, true);
			return false;
		}
		/* EPIPE, or EIO from a pty: the coprocess is gone or closed its input */
		jobs_reap(sh);
		if (cp->exited) {
			exited_message(sh, req);
		} else if (!req->epipe_deadline) {
			req->epipe_deadline = mono_ms() + EPIPE_WAIT_MS;
		} else if (mono_ms() >= req->epipe_deadline) {
			fail(sh, req, 1, "%s: %s: coprocess closed its input", req->op.builtin,
			     cp->name);
		}
		return false;
	}
	coproc_want_write(sh, cp, false);
	return true;
}

static void progress_send(struct shell *sh, struct coreq *req)
{
	if (!gate(&req->cp->writer, req))
		return;
	if (write_some(sh, req, req->op.data, req->op.len, &req->woff))
		finish(sh, req, 0);
}

/* Length of the echo of line (without its newline) at the start of out. */
static size_t echo_length(const char *out, size_t n, const char *line, size_t ln)
{
	if (n < ln || memcmp(out, line, ln) != 0)
		return 0;
	size_t k = ln;
	if (k < n && out[k] == '\r')
		k++;
	return k < n && out[k] == '\n' ? k + 1 : 0;
}

static void progress_ask(struct shell *sh, struct coreq *req)
{
	struct coproc *cp = req->cp;
	struct costream *s = &cp->out;
	if (!gate(&cp->writer, req) || !gate(&s->reader, req))
		return;
	for (;;) {
		const char *line = req->op.data + req->line_start;
		if (!req->asking) {
			if (!write_some(sh, req, req->op.data, req->line_end, &req->woff))
				return;
			req->asking = true;
		}
		regmatch_t m[1];
		if (!find_re(&cp->prompt, s, m, &req->re_scanned)) {
			if (output_ended(s)) {
				strbuf_addn(&req->res.data, buf_data(s), s->len);
				coproc_consume(sh, s, s->len);
				finish(sh, req, 1);
			}
			return;
		}
		const char *p = buf_data(s);
		size_t skip = 0;
		if (cp->pty) /* a line editor in the program may echo what it read */
			skip = echo_length(p, (size_t)m[0].rm_so, line,
					   req->line_end - req->line_start - 1);
		strbuf_addn(&req->res.data, p + skip, (size_t)m[0].rm_so - skip);
		coproc_consume(sh, s, (size_t)m[0].rm_eo);
		req->re_scanned = 0;
		req->res.got = true;
		req->asking = false;
		req->line_start = req->line_end;
		if (req->line_start >= req->op.len) {
			finish(sh, req, 0);
			return;
		}
		const char *nl = memchr(req->op.data + req->line_start, '\n',
					req->op.len - req->line_start);
		req->line_end = (size_t)(nl - req->op.data) + 1;
	}
}

/* A coproc that did not see its first prompt starts nothing. */
static void start_failed(struct shell *sh, struct coreq *req)
{
	coproc_discard(sh, req->cp);
	req->cp = NULL;
}

static void progress_start(struct shell *sh, struct coreq *req)
{
	struct coproc *cp = req->cp;
	if (!gate(&cp->out.reader, req))
		return;
	regmatch_t m[1];
	if (find_re(&cp->prompt, &cp->out, m, &req->re_scanned)) {
		coproc_consume(sh, &cp->out, (size_t)m[0].rm_eo); /* what came before the prompt goes */
		finish(sh, req, 0);
	} else if (output_ended(&cp->out)) {
		fail(sh, req, 1, "coproc: %s: output ended before the first prompt", cp->name);
		start_failed(sh, req);
	}
}

static void progress(struct shell *sh, struct coreq *req)
{
	if (req->done)
		return;
	switch (req->op.kind) {
	case COOP_RECV:
		if (req->op.any)
			progress_any(sh, req);
		else
			progress_recv(sh, req);
		break;
	case COOP_SEND:
		progress_send(sh, req);
		break;
	case COOP_ASK:
		progress_ask(sh, req);
		break;
	case COOP_START:
		progress_start(sh, req);
		break;
	case COOP_WAIT:
		if (req->cp->exited) {
			coproc_fill(sh, req->cp); /* what it wrote before it ended */
			coproc_collected(sh, req->cp);
			finish(sh, req, coproc_exit_status(req->cp));
		}
		break;
	default:
		break;
	}
	if (req->done || req->deadline < 0 || mono_ms() < req->deadline)
		return;
	if (req->op.kind == COOP_START) {
		fail(sh, req, 1, "coproc: %s: no prompt within %g seconds", req->cp->name,
		     (double)req->op.timeout_ms / 1000);
		start_failed(sh, req);
		return;
	}
	finish(sh, req, 124);
}

/* ---- submitting ---- */

static void list(struct shell *sh, struct strbuf *out)
{
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next) {
		char st[64];
		coproc_status_text(cp, true, st, sizeof st);
		char buffered[48]; /* OUT+ERR for a coprocess started with -E */
		if (cp->keep_err)
			snprintf(buffered, sizeof buffered, "%zu+%zu", cp->out.len, cp->err.len);
		else
			snprintf(buffered, sizeof buffered, "%zu", cp->out.len);
		strbuf_addf(out, "%s %ld %s %s %s %s\n", cp->name, (long)cp->pid, st,
			    cp->pty ? "pty" : "pipe", buffered, cp->command);
	}
}

/* recv -A: the coprocesses named (each must exist), or every one that runs
 * or has output left.  Each counts the request among its users, which
 * keeps the record and lifts the cap while the request waits. */
static void begin_any(struct shell *sh, struct coreq *req)
{
	struct coop *op = &req->op;
	bool named = op->argv && op->argv[0];
	size_t n = 0;
	for (char **a = op->argv; named && *a; a++, n++) {
		struct coproc *cp = coproc_find(sh, *a);
		if (!cp) {
			fail(sh, req, 2, "recv: %s: no such coprocess", *a);
			return;
		}
		if (no_stream(sh, req, cp))
			return;
	}
	for (struct coproc *cp = sh->coprocs; !named && cp; cp = cp->next)
		n++;
	req->any = xcalloc(n + 1, sizeof *req->any);
	if (named) {
		for (char **a = op->argv; *a; a++) {
			struct coproc *cp = coproc_find(sh, *a);
			bool dup = false; /* a name given twice counts once */
			for (size_t i = 0; i < req->nany; i++)
				dup |= req->any[i] == cp;
			if (!dup)
				req->any[req->nany++] = cp;
		}
	} else {
		for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
			if ((cp->keep_err || !op->err) &&
			    (!cp->exited || !costream_drained(stream_of(cp, op))))
				req->any[req->nany++] = cp;
	}
	for (size_t i = 0; i < req->nany; i++) {
		req->any[i]->users++;
		if (op->timeout_ms == 0)
			coproc_fill(sh, req->any[i]);
		coproc_update_watch(sh, req->any[i]);
	}
}

void coreq_drop_coproc(struct shell *sh, struct coproc *cp)
{
	for (struct coreq *req = sh->reqs; req; req = req->next)
		for (size_t i = 0; i < req->nany; i++)
			if (req->any[i] == cp) {
				cp->users--;
				req->any[i] = req->any[--req->nany];
				break;
			}
}

/* What can be done at once; false when the request must wait. */
static void begin(struct shell *sh, struct coreq *req)
{
	struct coop *op = &req->op;
	if (op->kind == COOP_LIST) {
		list(sh, &req->res.data);
		finish(sh, req, 0);
		return;
	}
	if (op->kind == COOP_START) {
		req->cp = coproc_spawn(sh, op, &req->res);
		if (!req->cp) {
			finish(sh, req, req->res.status);
			return;
		}
		if (!req->cp->has_prompt) {
			finish(sh, req, 0);
			return;
		}
		if (op->timeout_ms < 0) { /* the first prompt comes within 10 s by default */
			op->timeout_ms = 10000;
			req->deadline = mono_ms() + op->timeout_ms;
		}
	} else if (op->kind == COOP_RECV && op->any) {
		begin_any(sh, req);
		return;
	} else {
		req->cp = coproc_find(sh, op->name);
		if (!req->cp) {
			fail(sh, req, 2, "%s: %s: no such coprocess", op->builtin, op->name);
			return;
		}
	}
	struct coproc *cp = req->cp;
	switch (op->kind) {
	case COOP_CLOSE:
		coproc_close_input(sh, cp);
		finish(sh, req, 0);
		return;
	case COOP_KILL:
		if (cp->exited) {
			char st[64];
			coproc_status_text(cp, false, st, sizeof st);
			fail(sh, req, 1, "kill: %s: coprocess has exited (%s)", cp->name, st);
		} else if (kill(-cp->pid, op->signo) < 0) {
			fail(sh, req, 1, "kill: %s: %s", cp->name, strerror(errno));
		} else {
			finish(sh, req, 0);
		}
		return;
	case COOP_ASK:
		if (!cp->has_prompt) {
			fail(sh, req, 2, "ask: %s: no prompt declared (start it with coproc -P REGEX)",
			     cp->name);
			return;
		}
		coproc_fill(sh, cp);
		if (cp->out.len > 0) {
			fail(sh, req, 2, "ask: %s: %zu bytes of earlier output unread", cp->name,
			     cp->out.len);
			return;
		}
		if (op->len == 0 || op->data[op->len - 1] != '\n') {
			/* every line ends with a newline, the last one too */
			op->data = xrealloc(op->data, op->len + 2);
			op->data[op->len++] = '\n';
			op->data[op->len] = 0;
			if (req->borrowed)
				req->own_data = op->data;
		}
		req->line_end = (size_t)((char *)memchr(op->data, '\n', op->len) - op->data) + 1;
		break;
	case COOP_RECV:
		if (no_stream(sh, req, cp))
			return;
		if (op->mode == RECV_UNTIL) {
			int e = regcomp(&req->re, op->regex, REG_EXTENDED);
			if (e) {
				char m[256];
				regerror(e, &req->re, m, sizeof m);
				fail(sh, req, 2, "recv: %s: %s", op->regex, m);
				return;
			}
			req->has_re = true;
		}
		if (op->timeout_ms == 0)
			coproc_fill(sh, cp);
		break;
	default:
		break;
	}
	/* a streaming recv -a keeps the cap: its reader's pace drains the buffer;
	 * wait does not: a coprocess blocked on a full pipe could never end */
	if (!(op->kind == COOP_RECV && op->stream)) {
		cp->users++;
		req->counted = true;
		coproc_update_watch(sh, cp);
	}
}

struct coreq *coreq_submit(struct shell *sh, const struct coop *op, co_sink_fn sink, void *ctx,
			   struct client *client, bool borrowed)
{
	struct coreq *req = xcalloc(1, sizeof *req);
	req->borrowed = borrowed;
	if (!borrowed) {
		coop_copy(&req->op, op);
	} else {
		req->op = *op;
		if (op->kind == COOP_ASK && op->data) { /* begin() may add a newline */
			req->own_data = xmalloc(op->len + 1);
			memcpy(req->own_data, op->data, op->len);
			req->own_data[op->len] = 0;
			req->op.data = req->own_data;
		}
	}
	coresult_init(&req->res);
	req->sink = sink;
	req->sink_ctx = ctx;
	req->client = client;
	req->deadline = op->timeout_ms >= 0 ? mono_ms() + op->timeout_ms : -1;
	struct coreq **tail = &sh->reqs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = req;
	begin(sh, req);
	if (!req->done)
		progress(sh, req);
	return req;
}

void coreq_cancel(struct shell *sh, struct coreq *req, int status)
{
	bool starting = req->op.kind == COOP_START && req->cp && !req->done;
	finish(sh, req, status);
	if (starting) /* interrupted while waiting for its first prompt: nothing starts */
		start_failed(sh, req);
}

void coreq_free(struct shell *sh, struct coreq *req)
{
	for (struct coreq **p = &sh->reqs; *p; p = &(*p)->next)
		if (*p == req) {
			*p = req->next;
			break;
		}
	if (req->has_re)
		regfree(&req->re);
	free(req->any);
	chan_detach(sh, req);
	if (req->borrowed)
		free(req->own_data);
	else
		coop_free_fields(&req->op);
	coresult_finish(&req->res);
	free(req);
}

void coreq_progress_all(struct shell *sh)
{
	bool any = false;
	for (struct coreq *req = sh->reqs, *next; req; req = next) {
		next = req->next;
		if (!req->done) {
			progress(sh, req);
			any = true;
		}
		if (req->done && req->client)
			coreq_free(sh, req); /* answered: nobody waits on it here */
	}
	if (any)
		coproc_forget_done(sh);
}

long coreq_next_ms(struct shell *sh)
{
	long best = -1, now = -1;
	for (struct coreq *req = sh->reqs; req; req = req->next) {
		if (req->done)
			continue;
		long d = req->deadline;
		long e = req->epipe_deadline;
		if (e && (d < 0 || e < d))
			d = e;
		if (d < 0)
			continue;
		if (now < 0)
			now = mono_ms();
		long left = d > now ? d - now : 0;
		if (best < 0 || left < best)
			best = left;
	}
	return best;
}

void coreq_forget_all(struct shell *sh)
{
	while (sh->reqs) {
		struct coreq *req = sh->reqs;
		release(sh, req);
		coreq_free(sh, req); /* its client, if any, no longer points at it */
	}
}

void coop_run(struct shell *sh, const struct coop *op, co_sink_fn sink, void *ctx,
	      struct coresult *res)
{
	if (!shell_owns_coprocs(sh)) {
		chan_request(sh, op, sink, ctx, res);
		return;
	}
	struct coreq *req = coreq_submit(sh, op, sink, ctx, NULL, true);
	while (!req->done) {
		int trapped = exec_trap_pending(sh);
		if (sh->sigint || trapped) {
			coreq_cancel(sh, req, trapped ? 128 + trapped : 130);
			break;
		}
		loop_run_once(sh->loop, -1);
	}
	*res = req->res; /* the result moves to the caller */
	coresult_init(&req->res);
	coreq_free(sh, req);
	coproc_forget_done(sh);
}
