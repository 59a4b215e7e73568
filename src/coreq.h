/* Coprocess operations as requests.  A builtin describes what it wants in
 * a struct coop and calls coop_run.  In the owner (the top-level shell)
 * the request joins the pending list and the event loop completes it as
 * output arrives and inputs drain; in a forked shell the same request goes
 * to the owner over a socket (chan.h) and the answer streams back.  So a
 * recv in a $( ), a pipeline stage or a background job acts on the same
 * buffer as one at top level: nothing is seen twice, nothing is lost. */
#ifndef COSH_COREQ_H
#define COSH_COREQ_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/util.h"

struct shell;
struct coproc;
struct client;

enum coop_kind {
	COOP_START,
	COOP_SEND,
	COOP_RECV,
	COOP_ASK,
	COOP_CLOSE,
	COOP_LIST,
	COOP_KILL,
	COOP_WAIT,
};

enum recv_mode {
	RECV_LINE,
	RECV_UNTIL,
	RECV_ALL,
};

/* A redirection of a coprocess, applied in its child after the channels. */
struct coredir {
	int fd;
	int op;       /* enum redir_op */
	char *target; /* expanded */
};

struct coop {
	enum coop_kind kind;
	const char *builtin; /* for messages: "recv" */
	char *name;
	long timeout_ms;     /* -1: no limit */
	/* COOP_START; COOP_RECV with any: the names (NULL or empty: all) */
	char **argv, **envp;
	char *cwd;
	bool pty;
	char *prompt;        /* -P REGEX, or NULL */
	char *log;           /* -l FILE: the transcript, or NULL */
	char *group_text;    /* coproc NAME { list; }: the group (argv is NULL) */
	struct node *group;  /* the same parsed, when the owner itself asks */
	bool err;            /* START: keep stderr in a buffer (-E); RECV: read it (-e) */
	size_t bufmax;       /* COSH_BUFMAX, 0 for the default */
	struct coredir *redirs;
	size_t nredirs;
	/* COOP_SEND, COOP_ASK: the bytes to write */
	char *data;
	size_t len;
	/* COOP_RECV */
	enum recv_mode mode;
	char *regex;
	bool stream;         /* hand data to the sink as it comes (recv -a printing) */
	bool any;            /* recv -A: a line from whichever of argv has one first */
	/* COOP_KILL */
	int signo;
};

struct coresult {
	int status;
	struct strbuf data;  /* what was taken, unless streamed */
	char *match;         /* recv -u: the text that matched */
	char *from;          /* recv -A: the coprocess the line came from */
	struct strbuf msg;   /* messages for stderr, each "cosh: ...\n" */
	pid_t pid;           /* COOP_START */
	bool got;            /* any output taken */
};

/* Receives streamed output; returns how much it took (less: not ready). */
typedef size_t (*co_sink_fn)(void *ctx, const char *p, size_t n);

void coresult_init(struct coresult *res);
void coresult_finish(struct coresult *res);
/* Adds "cosh: ...\n" to res->msg and sets res->status. */
void coresult_fail(struct coresult *res, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Runs op to its end and fills res.  Streams to sink when op->stream. */
void coop_run(struct shell *sh, const struct coop *op, co_sink_fn sink, void *ctx,
	      struct coresult *res);

/* The owner's side. */
struct coreq {
	struct coreq *next;
	struct coop op;      /* a deep copy; or borrowed from the waiting caller */
	bool borrowed;       /* op's strings are the caller's (the owner's own builtin) */
	char *own_data;      /* borrowed: the ask text, which ask changes, is ours */
	struct coproc *cp;
	long deadline;       /* mono_ms, or -1 */
	bool done;
	bool counted;        /* in cp->users */
	struct coresult res;
	co_sink_fn sink;
	void *sink_ctx;
	struct client *client; /* a forked shell's request, or NULL */
	/* progress of SEND and ASK */
	size_t woff;
	size_t line_start, line_end; /* ASK: the line being asked */
	bool asking;                 /* ASK: line written, waiting for the prompt */
	regex_t re;                  /* recv -u */
	bool has_re;
	long epipe_deadline;         /* SEND: the pipe closed; waiting for the exit status */
	size_t re_scanned;           /* output searched for the regex or prompt, no match */
	struct coproc **any;         /* recv -A: the coprocesses it reads, each counted in users */
	size_t nany;
};

/* Queues a request for op (the owner only).  borrowed: op outlives the
 * request (the owner's own builtin waits for it), so it is not copied. */
struct coreq *coreq_submit(struct shell *sh, const struct coop *op, co_sink_fn sink, void *ctx,
			   struct client *client, bool borrowed);
/* Ends a request early with status (130 for Ctrl-C). */
void coreq_cancel(struct shell *sh, struct coreq *req, int status);
/* Unqueues and frees a done request. */
void coreq_free(struct shell *sh, struct coreq *req);
/* Moves every pending request on as far as it goes (loop hook). */
void coreq_progress_all(struct shell *sh);
/* How long the loop may sleep before a deadline (-1: none). */
long coreq_next_ms(struct shell *sh);
/* cp is about to go (a new coprocess takes its name): recv -A no longer
 * waits on it. */
void coreq_drop_coproc(struct shell *sh, struct coproc *cp);
/* Drops all pending requests (a forked child). */
void coreq_forget_all(struct shell *sh);

void coop_free_fields(struct coop *op);

#endif
