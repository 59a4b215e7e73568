/* Coprocesses: named, persistent children with a channel to their input
 * and one from their output, whose output the shell keeps reading into a
 * buffer whenever it waits (the read callback runs from the event loop).
 * Only the top-level shell (the owner) holds coprocesses; forked shells
 * reach them through the owner (chan.h). */
#ifndef COSH_COPROC_H
#define COSH_COPROC_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct shell;
struct loop_watch;
struct coop;
struct coresult;
struct coreq;

/* When a read brought output: the stream offset just past it, and the
 * shell's arrival counter then (recv -A takes the line that came first). */
struct costamp {
	size_t end;
	unsigned long long seq;
};

/* One output stream of a coprocess (its stdout, or its stderr with -E):
 * the channel, and the bytes waiting to be taken, p[off .. off+len), with
 * a NUL after them (p may be NULL when empty). */
struct costream {
	char *p;
	size_t off, len, cap;
	int fd;             /* our end; -1 once it ended (or never, for err) */
	struct loop_watch *watch;
	size_t nl_scanned;  /* bytes known to hold no newline */
	size_t taken;       /* bytes taken since the start: the offset of p[off] */
	struct costamp *stamps; /* reads not yet taken: [stamp0 .. nstamps), oldest first */
	size_t stamp0, nstamps, stamps_cap;
	unsigned long long eof_seq; /* arrival of the end of output */
	struct coreq *reader; /* the request reading it, in turn */
	struct coproc *cp;
	char mark;          /* in the transcript: '<' output, '!' stderr */
};

struct coproc {
	struct coproc *next;
	struct coproc *hnext; /* in sh->cotab's bucket */
	struct shell *sh;   /* the owner, for loop callbacks */
	char *name;
	char *command;      /* the words as started, for `coprocs` */
	pid_t pid;
	bool pty;
	int in_fd;          /* our end of its input; -1 once closed */
	int pty_hold;       /* a pty master kept open from end of output until the
	                     * child is reaped, or -1 (see end_of_output) */
	struct loop_watch *wwatch;
	struct costream out;
	struct costream err; /* coproc -E: its stderr (fd -1 without) */
	bool keep_err;      /* started with -E */
	size_t bufmax;      /* COSH_BUFMAX when it started */
	bool exited;        /* reaped */
	int wstatus;        /* as from waitpid, once exited */
	bool collected;     /* its status was reported (wait NAME, or a notice) */
	bool has_prompt;
	regex_t prompt;
	bool input_closed;  /* by `close` */
	char last_sent;     /* the last byte written (pty close needs it) */
	int log_fd;         /* coproc -l: the transcript, or -1 */
	bool quiet;         /* sent to since its output last brought anything */
	bool hinted;        /* the buffering hint was given (once per coprocess) */
	struct coreq *writer; /* the request writing, in turn (readers: per stream) */
	int users;          /* pending requests: the buffer may pass bufmax */
};

/* The coprocess named name, or NULL. */
struct coproc *coproc_find(struct shell *sh, const char *name);
/* Starts op (COOP_START).  Returns the record, or NULL with res->status
 * and res->msg set. */
struct coproc *coproc_spawn(struct shell *sh, const struct coop *op, struct coresult *res);
/* A coprocess that failed to start (no first prompt): killed and forgotten. */
void coproc_discard(struct shell *sh, struct coproc *cp);
/* Appends one transcript record (coproc -l): dir '>' for bytes sent, '<'
 * received, '!' stderr.  Callers test cp->log_fd >= 0 first, so a
 * coprocess without a transcript pays one comparison. */
void coproc_log(struct coproc *cp, char dir, const char *p, size_t n);
/* Writes to cp's input, noting the last byte and the transcript. */
ssize_t coproc_write(struct coproc *cp, const char *p, size_t n);
/* Reads what is waiting in the pipe now, without waiting (recv -t 0). */
void coproc_fill(struct shell *sh, struct coproc *cp);
/* Takes n bytes off the front of the buffer of stream s. */
void coproc_consume(struct shell *sh, struct costream *s, size_t n);
/* When the first n bytes of s's buffer arrived (its arrival counter). */
unsigned long long coproc_arrival(const struct costream *s, size_t n);
/* Reading stops past bufmax unless a request is waiting on cp. */
void coproc_update_watch(struct shell *sh, struct coproc *cp);
/* Asks the loop to say when the input has room (a send is blocked). */
void coproc_want_write(struct shell *sh, struct coproc *cp, bool on);
/* Closes cp's input (end of file for the coprocess; ^D on a pty). */
void coproc_close_input(struct shell *sh, struct coproc *cp);
/* True when cp's output has ended and its buffer is empty. */
bool coproc_drained(const struct coproc *cp);
/* The same for one stream. */
bool costream_drained(const struct costream *s);
/* "status N" or "killed by SIGNAME", and "exited N" / "killed SIGNAME"
 * for `coprocs`: into buf. */
void coproc_status_text(const struct coproc *cp, bool list_form, char *buf, size_t n);
/* The exit status as the shell reports it (N, or 128+signal). */
int coproc_exit_status(const struct coproc *cp);
/* Records the exit of pid if it is a coprocess; false otherwise. */
bool coproc_reaped(struct shell *sh, pid_t pid, int wstatus);
/* Marks cp's status as collected (wait NAME, or a notice). */
void coproc_collected(struct shell *sh, struct coproc *cp);
/* Forgets coprocesses that ended, were collected and are drained. */
void coproc_forget_done(struct shell *sh);
/* Interactive: "cosh: coproc py exited (status 0)" for each new exit. */
void coproc_notify(struct shell *sh);
/* The user's terminal changed size: pass it on to pty coprocesses. */
void coproc_resize(struct shell *sh);
/* How many are running (for the prompt's \c). */
int coproc_running(struct shell *sh);
/* At exit: close inputs, wait COSH_EXIT_GRACE, SIGTERM, wait, SIGKILL. */
void coproc_shutdown(struct shell *sh);
/* In a forked shell: close every coprocess fd and forget them all. */
void coproc_after_fork(struct shell *sh);
/* Frees the table (tests). */
void coproc_free_all(struct shell *sh);

/* A record with no process behind it (pid 0) around descriptors the
 * caller made: the fuzz target of the output framing writes the output
 * itself.  prompt as for coproc -P, or NULL.  The record owns in_fd and
 * out_fd; no loop watch is made.  NULL, the descriptors still the
 * caller's, when the prompt does not compile. */
struct coproc *coproc_adopt(struct shell *sh, const char *name, int in_fd, int out_fd, bool pty,
			    const char *prompt, size_t bufmax);

#endif
