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

/* Output waiting to be taken: bytes p[off .. off+len), and a NUL after
 * them (p may be NULL when empty). */
struct cobuf {
	char *p;
	size_t off, len, cap;
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
	int out_fd;         /* our end of its output; -1 once it ended */
	struct loop_watch *rwatch, *wwatch;
	struct cobuf out;
	size_t bufmax;      /* COSH_BUFMAX when it started */
	size_t nl_scanned;  /* out bytes known to hold no newline */
	bool exited;        /* reaped */
	int wstatus;        /* as from waitpid, once exited */
	bool collected;     /* its status was reported (wait NAME, or a notice) */
	bool has_prompt;
	regex_t prompt;
	bool input_closed;  /* by `close` */
	char last_sent;     /* the last byte written (pty close needs it) */
	struct coreq *reader, *writer; /* the requests being served, in turn */
	int users;          /* pending requests: the buffer may pass bufmax */
};

/* The coprocess named name, or NULL. */
struct coproc *coproc_find(struct shell *sh, const char *name);
/* Starts op (COOP_START).  Returns the record, or NULL with res->status
 * and res->msg set. */
struct coproc *coproc_spawn(struct shell *sh, const struct coop *op, struct coresult *res);
/* A coprocess that failed to start (no first prompt): killed and forgotten. */
void coproc_discard(struct shell *sh, struct coproc *cp);
/* Reads what is waiting in the pipe now, without waiting (recv -t 0). */
void coproc_fill(struct shell *sh, struct coproc *cp);
/* Takes n bytes off the front of the buffer. */
void coproc_consume(struct shell *sh, struct coproc *cp, size_t n);
/* Reading stops past bufmax unless a request is waiting on cp. */
void coproc_update_watch(struct shell *sh, struct coproc *cp);
/* Asks the loop to say when the input has room (a send is blocked). */
void coproc_want_write(struct shell *sh, struct coproc *cp, bool on);
/* Closes cp's input (end of file for the coprocess; ^D on a pty). */
void coproc_close_input(struct shell *sh, struct coproc *cp);
/* True when cp's output has ended and its buffer is empty. */
bool coproc_drained(const struct coproc *cp);
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
