/* struct shell: everything the shell knows, passed to every function that
 * needs it.  There is no other state but the signal flags of loop.c. */
#ifndef COSH_SHELL_H
#define COSH_SHELL_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <termios.h>

#include "ast.h"
#include "util/util.h"

struct loop;
struct job;
struct coproc;
struct coreq;
struct owner;
struct assign;
struct rlapi;
struct redir;
struct var;
struct func;

#define VAR_EXPORT 1u

struct vartab {
	struct var **buckets;
	size_t nbuckets, count;
};

struct options {
	bool interactive;
	bool errexit, nounset, xtrace, pipefail, noexec;
};

/* How far a break, continue, return or exit unwinds the tree walk. */
enum unwind {
	UNWIND_NONE,
	UNWIND_BREAK,
	UNWIND_CONTINUE,
	UNWIND_RETURN,
	UNWIND_EXIT,
	UNWIND_INTERRUPT, /* Ctrl-C: abandon the command line */
};

struct shell {
	struct vartab vars;
	struct func *funcs;  /* defined functions, a list */
	char *arg0;          /* $0 */
	char **params;       /* $1...; owned, NULL-terminated */
	int nparams;
	int last_status;     /* $? */
	pid_t pid;           /* $$: the top-level shell's pid */
	pid_t last_bg;       /* $!; 0 when no background job ran */
	struct options opt;
	struct loop *loop;
	struct job *jobs;    /* jobs in start order */
	bool jobctl;         /* job control: an interactive shell on a terminal */
	int tty;             /* the terminal (a close-on-exec copy above 10) */
	pid_t pgid;          /* the shell's own process group */
	struct termios tty_modes; /* the terminal as the shell wants it */
	const char *cur_text; /* the command line running, for a job that stops */
	bool subshell;       /* a forked shell child: never owns coprocesses, exits with _exit */
	bool own_coprocs;    /* a coproc NAME { list; } child: forked, yet owns its own */
	enum unwind unwind;
	int unwind_count;    /* loops left to break/continue */
	int loop_depth, func_depth, source_depth;
	int errexit_off;     /* > 0 inside conditions, where set -e does not apply */
	struct frame *frames; /* local variables of the running functions */
	/* trap actions: [0] is EXIT; NULL none, "" ignore.  A trapped signal
	 * only marks itself pending; the action runs between commands. */
	char *traps[NSIG];
	bool trap_pending[NSIG];
	bool any_trap_pending;
	bool in_trap;
	int exit_status;     /* with UNWIND_EXIT */
	char **env;          /* exported variables as NAME=value, rebuilt when env_dirty */
	bool env_dirty;
	int cmdsub_status;   /* status of the last $( ) in the current command, or -1 */
	volatile bool sigint; /* Ctrl-C arrived (set from the loop, not a handler) */
	bool at_prompt;      /* waiting for the user: the prompt handles Ctrl-C */
	bool winch;          /* the terminal was resized */
	struct rlimit nofile; /* the limit we were started with, restored in children */
	char *histfile;      /* interactive history file, or NULL */
	struct rlapi *rl;    /* readline, loaded by interactive shells (rlapi.h) */
	struct strbuf exp_text, exp_pat; /* spare buffers of expansions (expand.c) */
	bool exp_busy;                   /* an expansion has them */

	/* Coprocesses (coproc.h): held by the top-level shell only. */
	struct coproc *coprocs;  /* in start order */
	struct coproc **cotab;   /* the same by name: COTAB_SIZE buckets, or NULL */
	int co_collected;        /* how many have their status collected: candidates to forget */
	struct coreq *reqs;      /* pending requests, oldest first */
	unsigned long long co_seq; /* counts arrivals of coprocess output (recv -A) */
	struct owner *owner;     /* the socket forked shells reach us by (chan.h) */
	int share_fd;            /* forked shells: the socket to the owner, or -1 */
	int chan_fd;             /* forked shells: this process's channel, or -1 */
	bool shutting_down;
	unsigned polls;          /* commands run since the loop last looked around */
	/* The builtin running now: its prefix assignments and redirections
	 * (coproc applies its redirections to the coprocess, not to itself). */
	const struct assign *cmd_assigns;
	const struct redir *cmd_redirs;
	const struct node_simple *cmd_node; /* coproc NAME { list; }: its group */
};

/* Whether this process holds coprocesses itself (the top-level shell, or
 * a coprocess group) rather than asking its owner for them. */
static inline bool shell_owns_coprocs(const struct shell *sh)
{
	return !sh->subshell || sh->own_coprocs;
}

struct shell *shell_create(void);
void shell_destroy(struct shell *sh);

/* Prints "cosh: " and the message, and a newline, to stderr in one write. */
void sh_error(struct shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Formats to fd with one write; -1 with errno on failure. */
int fd_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Variables.  Values are copied.  var_get returns NULL for unset. */
const char *var_get(struct shell *sh, const char *name);
void var_set(struct shell *sh, const char *name, const char *value, unsigned flags);
void var_unset(struct shell *sh, const char *name);
void var_export(struct shell *sh, const char *name);
bool var_is_exported(struct shell *sh, const char *name);
/* NAME=value strings of exported variables, NULL-terminated; owned by sh. */
char **var_environ(struct shell *sh);
/* Calls fn for every variable, sorted by name. */
void var_each(struct shell *sh, void (*fn)(void *ctx, const char *name, const char *value,
					    unsigned flags), void *ctx);
void var_import_environ(struct shell *sh, char **envp);

/* Positional parameters: replaces $1... with copies of argv[0..argc). */
void shell_set_params(struct shell *sh, int argc, char **argv);
/* Drops the first n positional parameters (n <= nparams). */
void params_shift(struct shell *sh, int n);
/* Sets $1... for a function call or `source FILE ARGS`, keeping the old
 * ones in save; params_pop puts them back. */
struct params_save {
	char **params;
	int n;
};
void params_push(struct shell *sh, int argc, char **argv, struct params_save *save);
void params_pop(struct shell *sh, struct params_save *save);

/* Local variables: a function call pushes a frame (on the C stack);
 * `local NAME` saves NAME's value in the innermost frame, and popping the
 * frame puts every saved value back. */
struct local_var {
	char *name, *old; /* old NULL: was unset */
	bool exported;
};
struct frame {
	struct frame *up;
	struct local_var *v;
	size_t n;
};
void frame_push(struct shell *sh, struct frame *f);
void frame_pop(struct shell *sh);
/* false when no function is running */
bool local_declare(struct shell *sh, const char *name);

/* Functions: a list, newest first. */
struct func {
	struct func *next;
	struct node_funcdef *def;
	struct arena *arena; /* def's arena (def lives inside it) */
};
struct node_funcdef *func_get(struct shell *sh, const char *name);
void func_set(struct shell *sh, struct node_funcdef *def);
bool func_unset(struct shell *sh, const char *name);

/* Status of a process as the shell reports it: exit code, or 128+signal. */
int status_from_wait(int wstatus);

/* Runs the EXIT trap once, if set; returns the status to exit with. */
int shell_run_exit_trap(struct shell *sh, int status);
/* Ends the process: the top-level shell runs its exit tasks (history,
 * coprocess shutdown); a forked child just _exits. */
_Noreturn void shell_exit(struct shell *sh, int status);

#endif
