/* The tree walk: runs syntax trees.  Every function returns the exit
 * status of what it ran; break, continue, return, exit and Ctrl-C unwind
 * through sh->unwind rather than through longjmp. */
#ifndef COSH_EXEC_H
#define COSH_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ast.h"

struct shell;
struct job;

/* Runs n and sets $?.  n may be NULL (status 0). */
int exec_node(struct shell *sh, struct node *n);
/* Parses src whole (final) and runs it: scripts, -c, eval, source.
 * A syntax error prints "cosh: NAME:LINE:COL: syntax error: ..." and
 * returns 2 without running anything. */
int exec_text(struct shell *sh, const char *src, size_t len, const char *name);
/* Runs body in a forked shell with its stdout captured: $( ).  Returns
 * the output without trailing newlines (never NULL); sets sh->last_status. */
char *exec_capture(struct shell *sh, struct node *body);
/* Forks a shell child for job (NULL: none, the child stays in the
 * shell's process group).  In the child, returns 0 with the shell set up
 * as a subshell (no jobs, no coprocess fds, default signals). */
pid_t exec_fork(struct shell *sh, struct job *job, bool background);
/* In a freshly forked child: makes the shell a subshell (no job control,
 * no jobs, no coprocess fds, default signals, no traps).  ignore_keys:
 * SIGINT and SIGQUIT ignored (a background job without job control). */
void exec_child_setup(struct shell *sh, bool ignore_keys);
/* In the child of a coproc NAME { list; } (its channels on 0 and 1):
 * becomes a cosh of its own that sees none of its parent's coprocesses,
 * runs group (or, when NULL, the text of one), and exits with its status.
 * text is the child's own copy: it is freed before the exit. */
_Noreturn void exec_group_child(struct shell *sh, struct node *group, char *text);
/* Where PATH finds name: a malloc'd path, or NULL. */
char *exec_find(struct shell *sh, const char *name, const char *path);
/* Replaces the process with argv (after `exec` or in a child).  Returns
 * only on failure, after printing why; the status is 126 or 127. */
int exec_replace(struct shell *sh, char **argv, char **envp);
/* Runs argv: a function (when functions), a builtin, or a program. */
int exec_argv(struct shell *sh, int argc, char **argv, bool functions);
/* Forks, applies redirs in the child, runs the program argv[0] found in
 * PATH, and waits for it. */
int exec_external(struct shell *sh, char **argv, char **envp, const struct redir *redirs);
/* The argument vector that runs the script path (which has no #! line)
 * with cosh itself: "cosh" path argv[1]...  Free it (not the strings). */
char **exec_script_argv(const char *path, char **argv);
/* Prints a syntax error for a failed parse. */
void exec_report_syntax(struct shell *sh, const char *name, struct pos pos, const char *msg);
/* Signal dispositions and limits as a new program expects them. */
void exec_reset_for_exec(struct shell *sh);
/* Installs the shell's signal handling (after options are known). */
void exec_install_signals(struct shell *sh);
/* Called from the loop on each caught signal. */
void exec_on_signal(void *data, int signo);
/* A trapped signal that arrived and whose action has not run, or 0.
 * Waits (wait, read, recv...) end early for it, as in bash. */
int exec_trap_pending(struct shell *sh);
/* Runs the actions of trapped signals that arrived. */
void exec_run_traps(struct shell *sh);
/* Ctrl-C seen while running: stop the command line. */
bool exec_check_interrupt(struct shell *sh);

#endif
