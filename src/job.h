/* Jobs: the processes of one pipeline or background command.  Every child
 * the shell forks belongs to a job; children are reaped from the event
 * loop when SIGCHLD arrives, and waiting for a job means running the loop
 * until its processes are done (or, under job control, stopped).
 *
 * Job control (an interactive shell on a terminal): each job runs in its
 * own process group; the terminal is handed to the foreground job
 * (tcsetpgrp) and taken back when it ends or stops, so Ctrl-C and Ctrl-Z
 * reach that job only, never the shell or a coprocess. */
#ifndef COSH_JOB_H
#define COSH_JOB_H

#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

struct shell;

struct proc {
	pid_t pid;
	int status; /* as status_from_wait, once done */
	bool done, stopped;
};

struct job {
	struct job *next;
	int id;          /* %N once in the background (or stopped), else 0 */
	pid_t pgid;      /* its process group under job control or in the background */
	struct proc *procs;
	size_t nprocs;
	bool background;
	bool stop_noticed; /* "Stopped" was reported for the current stop */
	bool has_modes;
	struct termios modes; /* the terminal as the job left it when it stopped */
	char *text;      /* command text for `jobs` */
};

/* A foreground job (id 0) or a background one (next free %N). */
struct job *job_create(struct shell *sh, bool background, const char *text);
void job_add_proc(struct job *job, pid_t pid);
bool job_done(const struct job *job);
/* Nothing of it runs, and something of it is stopped. */
bool job_stopped(const struct job *job);
/* Status of the job: its last process, or with pipefail the last non-zero. */
int job_status(struct shell *sh, const struct job *job);
/* Runs the loop until the job is done (or, in the foreground under job
 * control, stopped: it then becomes a background job, "Stopped" is
 * reported and the status is 128+SIGTSTP).  Returns the status; a
 * finished foreground job is freed. */
int job_wait(struct shell *sh, struct job *job);
void job_remove(struct shell *sh, struct job *job);
/* Collects every child that exited, stopped or continued. */
void jobs_reap(struct shell *sh);
struct job *job_by_id(struct shell *sh, int id);
struct job *job_by_pid(struct shell *sh, pid_t pid);
/* %N, %+ (or %%), %- ; NULL when there is no such job. */
struct job *job_from_spec(struct shell *sh, const char *spec);
/* The current job (%+) or the previous one (%-). */
struct job *job_current(struct shell *sh, bool previous);
/* Prints "[N]  Done  text" for finished background jobs (and forgets
 * them), and "[N]+  Stopped  text" once for each newly stopped one. */
void jobs_notify(struct shell *sh);
void jobs_free(struct shell *sh);

/* Job control: start it (an interactive shell on a terminal). */
void jobctl_init(struct shell *sh);
/* In a forked child / in the parent after fork: put pid in job's process
 * group, and give the terminal to it when it runs in the foreground. */
void jobctl_child(struct shell *sh, struct job *job, bool foreground);
void jobctl_parent(struct shell *sh, struct job *job, pid_t pid, bool foreground);
/* fg and bg: let a job run again, in the foreground (waiting for it) or
 * in the background.  Returns the status (fg) or 0. */
int jobctl_resume(struct shell *sh, struct job *job, bool foreground);

#endif
