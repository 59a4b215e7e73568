/* Fuzz target: a coprocess's output buffer and the framing of what is
 * taken from it -- lines (recv), text up to a regex (recv -u), everything
 * (recv -a, also streamed to a slow reader) and answers between prompts
 * (ask with coproc -P) -- through the real request engine (coreq.c) and
 * buffer (coproc.c).  No process runs: the record is made with
 * coproc_adopt() around a pipe that this target writes the "output" into,
 * and /dev/null as the coprocess's input; coproc_fill() reads the pipe as
 * the event loop would, and coreq_progress_all() moves requests on as the
 * loop's after-hook does.
 *
 * The input:
 *   byte 0        flags: bit 0 pty (ask skips an echo of the line),
 *                 bits 1-3 the buffer cap (0: the default, else 16 << n)
 *   byte 1        n & 31, then n bytes: the regex of recv -u
 *   next byte     n & 31, then n bytes: the prompt regex of coproc -P
 *                 (bit 5 of the length byte: no prompt declared)
 *   then ops, each a byte whose low 3 bits say what it does:
 *     0, 1  feed the next (byte + 1) bytes into the output
 *     2     recv (a line)            bit 3: -t 0
 *     3     recv -u REGEX            bit 3: -t 0
 *     4     recv -a                  bit 3: -t 0; bit 4: streamed to a
 *           reader that takes at most (bits 5-7) * 7 + 1 bytes a call,
 *           and nothing every other call
 *     5     ask: the next byte & 63 bytes are the text
 *     6     a round of the loop (read, then move requests on)
 *     7     end of output: what is left is taken by recv until it ends
 * At most one request is pending at a time; a request op meanwhile is a
 * round of the loop.
 *
 * Checked, for every request as it ends: the bytes it took are the next
 * bytes of the output, in order (a line, then its newline; the text before
 * the match, then the match; an answer is a subsequence of what ask
 * consumed: prompts and echoes are dropped); a timeout (-t 0) of recv
 * consumes nothing; and whenever no request is pending: bytes taken +
 * bytes in the buffer + bytes still in the pipe == bytes fed.  At the end the buffer is drained and a
 * last recv says end of output (status 1). */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "coproc.h"
#include "coreq.h"
#include "shell.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME "fz"

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond))                                                          \
			check_failed(__LINE__, #cond);                                \
	} while (0)

static _Noreturn void check_failed(int line, const char *what)
{
	fd_printf(2, "fuzz_frame.c:%d: check failed: %s\n", line, what);
	abort();
}

struct input {
	const uint8_t *p;
	size_t n;
};

static int next_byte(struct input *in)
{
	if (in->n == 0)
		return -1;
	in->n--;
	return *in->p++;
}

/* Up to n bytes of the input as a string (a NUL in them ends it early). */
static char *next_string(struct input *in, size_t n)
{
	if (n > in->n)
		n = in->n;
	char *s = xstrndup((const char *)in->p, n);
	in->p += n;
	in->n -= n;
	return s;
}

/* A slow reader for recv -a: takes at most `most` bytes a call, and
 * nothing every other call. */
struct sink {
	struct strbuf got;
	size_t most;
	bool refuse;
};

static size_t sink_take(void *ctx, const char *p, size_t n)
{
	struct sink *s = ctx;
	s->refuse = !s->refuse;
	if (s->refuse)
		return 0;
	if (n > s->most)
		n = s->most;
	strbuf_addn(&s->got, p, n);
	return n;
}

struct state {
	struct shell *sh;
	struct coproc *cp;
	int wfd;              /* our end of the "output"; -1 once ended */
	struct strbuf fed;    /* everything written into it */
	size_t taken;         /* how much of fed the requests took */
	struct coreq *req;    /* pending, or NULL */
	size_t out_at_submit; /* buffered output when req was submitted (ask) */
	struct sink sink;
	bool expect_end;      /* the request must say end of output */
};

static size_t in_pipe(struct state *st)
{
	int n = 0;
	if (st->cp->out.fd < 0)
		return 0;
	CHECK(ioctl(st->cp->out.fd, FIONREAD, &n) == 0);
	return (size_t)n;
}

/* A pending request may have taken part of its answer already. */
static void check_balance(struct state *st)
{
	if (st->req)
		CHECK(st->taken + st->cp->out.len + in_pipe(st) <= st->fed.len);
	else
		CHECK(st->taken + st->cp->out.len + in_pipe(st) == st->fed.len);
	const struct costream *b = &st->cp->out;
	CHECK(b->p ? b->off + b->len < b->cap && b->p[b->off + b->len] == 0 : b->len == 0);
}

static bool is_subsequence(const char *a, size_t an, const char *b, size_t bn)
{
	size_t j = 0;
	for (size_t i = 0; i < an; i++) {
		while (j < bn && b[j] != a[i])
			j++;
		if (j == bn)
			return false;
		j++;
	}
	return true;
}

/* The request ended: what it took must be the next bytes of the output. */
static void check_done(struct state *st)
{
	struct coreq *req = st->req;
	struct coproc *cp = st->cp;
	struct coresult *res = &req->res;
	const char *fed = strbuf_str(&st->fed);
	size_t consumed = st->fed.len - in_pipe(st) - cp->out.len;
	CHECK(consumed >= st->taken);
	size_t delta = consumed - st->taken;
	const char *at = fed + st->taken;
	size_t left = st->fed.len - st->taken; /* fed, not yet taken */
	const char *d = strbuf_str(&res->data);
	size_t dn = res->data.len;
	bool ended = cp->out.fd < 0;
	if (st->expect_end)
		CHECK(res->status == 1 && dn == 0 && ended && left == 0);

	switch (req->op.kind) {
	case COOP_RECV:
		if (res->status == 124 && req->op.mode != RECV_ALL)
			CHECK(delta == 0 && dn == 0); /* a timeout takes nothing */
		if (res->status == 2)
			CHECK(delta == 0);
		break;
	default:
		break;
	}

	if (req->op.kind == COOP_RECV && req->op.mode == RECV_LINE) {
		CHECK(!memchr(d, '\n', dn));
		CHECK(dn <= left && memcmp(d, at, dn) == 0);
		if (res->status == 0 && delta == dn + 1) {
			CHECK(at[dn] == '\n');
		} else if (res->status == 0) {
			/* a last line without a newline, at end of output */
			CHECK(ended && delta == dn && dn == left && dn > 0);
		} else {
			CHECK(delta == 0 && dn == 0);
			CHECK(res->status == 124 || (res->status == 1 && ended && left == 0));
		}
	} else if (req->op.kind == COOP_RECV && req->op.mode == RECV_UNTIL) {
		CHECK(dn <= delta && memcmp(d, at, dn) == 0);
		if (res->status == 0) {
			size_t mn = strlen(res->match);
			CHECK(dn + mn <= delta && memcmp(res->match, at + dn, mn) == 0);
			if (dn + mn < delta)
				CHECK(at[dn + mn] == 0); /* the match went on past a NUL */
		} else if (res->status == 1) {
			CHECK(ended && delta == dn && dn == left);
		} else {
			CHECK(delta == 0 && dn == 0);
		}
	} else if (req->op.kind == COOP_RECV && req->op.mode == RECV_ALL) {
		if (req->op.stream) {
			CHECK(dn == 0);
			d = strbuf_str(&st->sink.got);
			dn = st->sink.got.len;
		}
		CHECK(dn == delta && memcmp(d, at, dn) == 0);
		if (res->status == 0 || res->status == 1)
			CHECK(ended && delta == left);
		if (res->status == 1)
			CHECK(dn == 0);
	} else if (req->op.kind == COOP_ASK) {
		if (res->status == 2) {
			/* no prompt declared, or earlier output unread */
			CHECK(delta == 0 && dn == 0);
			CHECK(!cp->has_prompt || cp->out.len > 0 || st->out_at_submit > 0);
		} else {
			CHECK(cp->has_prompt && st->out_at_submit == 0);
			CHECK(is_subsequence(d, dn, at, delta));
			if (res->status == 1)
				CHECK(ended && delta == left);
		}
	}
	st->taken = consumed;
	coreq_free(st->sh, req);
	st->req = NULL;
	strbuf_reset(&st->sink.got);
	check_balance(st);
}

/* A round of the loop: read what is there, move the request on. */
static void round_once(struct state *st)
{
	/* with nobody waiting, reading stops at the cap: past it a fill
	 * reads a byte a time, at most 64 */
	size_t before = st->cp->out.len;
	coproc_fill(st->sh, st->cp);
	if (st->cp->users == 0)
		CHECK(st->cp->out.len <= (before > st->cp->bufmax ? before : st->cp->bufmax) + 64);
	coreq_progress_all(st->sh);
	if (st->req && st->req->done)
		check_done(st);
	check_balance(st);
}

static void submit(struct state *st, const struct coop *op)
{
	st->out_at_submit = st->cp->out.len;
	st->req = coreq_submit(st->sh, op, op->stream ? sink_take : NULL, &st->sink, NULL, false);
	if (st->req->done)
		check_done(st);
	check_balance(st);
}

static void feed(struct state *st, const uint8_t *p, size_t n)
{
	strbuf_addn(&st->fed, (const char *)p, n);
	while (n > 0) {
		ssize_t w = write(st->wfd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else {
			round_once(st); /* the pipe is full: let the shell read */
		}
	}
	round_once(st);
}

static void end_output(struct state *st)
{
	if (st->wfd >= 0)
		close(st->wfd);
	st->wfd = -1;
	struct coop line = {.kind = COOP_RECV, .builtin = "recv", .name = NAME,
			    .timeout_ms = -1, .mode = RECV_LINE};
	/* every round reads a byte at least, or takes a line: this ends */
	for (size_t k = 0; k < 4 * st->fed.len + 1000; k++) {
		if (!st->req && st->cp->out.fd < 0 && st->cp->out.len == 0)
			break;
		if (!st->req)
			submit(st, &line);
		else
			round_once(st);
	}
	CHECK(!st->req && coproc_drained(st->cp) && st->taken == st->fed.len);
	st->expect_end = true;
	submit(st, &line);
	CHECK(!st->req); /* at the end of output a recv returns at once */
	st->expect_end = false;
}

static void run(struct state *st, struct input *in, const char *regex)
{
	int op;
	while ((op = next_byte(in)) >= 0 && st->wfd >= 0) {
		int kind = op & 7;
		if (kind >= 2 && kind <= 5 && st->req)
			kind = 6;
		struct coop c = {.builtin = "recv", .name = NAME, .timeout_ms = (op & 8) ? 0 : -1,
				 .kind = COOP_RECV};
		switch (kind) {
		case 0:
		case 1: {
			int n = next_byte(in);
			size_t len = n < 0 ? 0 : (size_t)n + 1;
			if (len > in->n)
				len = in->n;
			feed(st, in->p, len);
			in->p += len;
			in->n -= len;
			break;
		}
		case 2:
			c.mode = RECV_LINE;
			submit(st, &c);
			break;
		case 3:
			c.mode = RECV_UNTIL;
			c.regex = (char *)regex;
			submit(st, &c);
			break;
		case 4:
			c.mode = RECV_ALL;
			c.stream = (op & 16) != 0;
			st->sink.most = (size_t)(op >> 5) * 7 + 1;
			st->sink.refuse = false;
			submit(st, &c);
			break;
		case 5: {
			int n = next_byte(in);
			char *text = next_string(in, n < 0 ? 0 : (size_t)(n & 63));
			c.kind = COOP_ASK;
			c.builtin = "ask";
			c.timeout_ms = -1;
			c.data = text;
			c.len = strlen(text);
			submit(st, &c);
			free(text);
			break;
		}
		case 6:
			round_once(st);
			break;
		case 7:
			end_output(st);
			break;
		}
	}
	if (st->wfd >= 0)
		end_output(st);
}

/* glibc's regcomp copies the operand of each repetition it builds (a+ is
 * aa*), so stacked repetitions (w+++++++, a{9}{9}) take time and memory
 * exponential in their number: that is glibc's, the same for any user of
 * regcomp, and not what this target is after.  Keep one {...}, and one
 * operator where several follow each other. */
static void tame(char *re)
{
	char *brace = strchr(re, '{');
	if (brace && (brace = strchr(brace + 1, '{')))
		*brace = 0;
	char *w = re;
	for (const char *r = re; *r; r++) {
		bool op = *r == '*' || *r == '+' || *r == '?';
		if (op && w > re && (w[-1] == '*' || w[-1] == '+' || w[-1] == '?' || w[-1] == '}') &&
		    !(w - 1 > re && w[-2] == '\\'))
			continue;
		*w++ = *r;
	}
	*w = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	int flags = next_byte(&in);
	if (flags < 0)
		return 0;
	int n = next_byte(&in);
	char *regex = next_string(&in, n < 0 ? 0 : (size_t)(n & 31));
	n = next_byte(&in);
	char *prompt = next_string(&in, n < 0 ? 0 : (size_t)(n & 31));
	tame(regex);
	tame(prompt);
	bool has_prompt = n >= 0 && !(n & 32);
	size_t cap = (flags >> 1) & 7 ? (size_t)16 << ((flags >> 1) & 7) : 0;

	int p[2];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	CHECK(devnull >= 0);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[1], F_SETFL, O_NONBLOCK);

	struct state st = {.sh = shell_create(), .wfd = p[1]};
	strbuf_init(&st.fed);
	strbuf_init(&st.sink.got);
	st.cp = coproc_adopt(st.sh, NAME, devnull, p[0], flags & 1,
			     has_prompt ? prompt : NULL, cap);
	if (st.cp) {
		run(&st, &in, regex);
	} else { /* the prompt does not compile */
		close(p[0]);
		close(p[1]);
		close(devnull);
	}
	if (st.req)
		coreq_free(st.sh, st.req);
	shell_destroy(st.sh);
	strbuf_finish(&st.fed);
	strbuf_finish(&st.sink.got);
	free(regex);
	free(prompt);
	return 0;
}
