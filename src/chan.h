/* How forked shells reach the owner of the coprocesses: only the top-level
 * shell ever touches a coprocess's fds or buffer.  Before its first fork the owner makes one socketpair
 * (SOCK_SEQPACKET, close-on-exec): it watches one end; every forked shell
 * inherits the other.  A forked shell that runs a coprocess builtin makes a
 * private socketpair and hands one end to the owner over the shared socket
 * (SCM_RIGHTS; SEQPACKET messages are atomic, so many can introduce
 * themselves at once).  Then it sends requests (struct coop) on its
 * private channel; the owner serves them as loop events, exactly like its
 * own, and streams back DATA messages and one END message per request.
 * Programs never see these fds; no path, no credentials, no polling. */
#ifndef COSH_CHAN_H
#define COSH_CHAN_H

#include <stddef.h>

#include "coreq.h"

struct shell;

/* The owner, before forking a shell: make the shared socket. */
void chan_prepare(struct shell *sh);
/* A forked shell: drop what belonged to the owner or to the parent. */
void chan_after_fork(struct shell *sh);
/* A forked shell: run op through the owner. */
void chan_request(struct shell *sh, const struct coop *op, co_sink_fn sink, void *ctx,
		  struct coresult *res);
/* The owner: send the answer of a finished client request. */
void chan_reply(struct shell *sh, struct coreq *req);
/* The owner: a request is being freed; its client no longer points at it. */
void chan_detach(struct shell *sh, struct coreq *req);
/* The owner: stream to a client (a co_sink_fn; ctx is the client). */
size_t chan_sink(void *ctx, const char *p, size_t n);
void chan_free(struct shell *sh);

#endif
