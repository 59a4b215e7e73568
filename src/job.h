/* Jobs: the processes of one pipeline or background command.  Every child
 * the shell forks belongs to a job; children are reaped from the event
 * loop when SIGCHLD arrives, and waiting for a job means running the loop
 * until all its processes are done. */
#ifndef COSH_JOB_H
#define COSH_JOB_H

#include <stdbool.h>
#include <sys/types.h>

struct shell;

struct proc {
	pid_t pid;
	int status; /* as status_from_wait, once done */
	bool done;
};

struct job {
	struct job *next;
	int id;          /* %N for background jobs, 0 for foreground ones */
	pid_t pgid;      /* background jobs lead their own group; 0 otherwise */
	struct proc *procs;
	size_t nprocs;
	bool background;
	char *text;      /* command text for `jobs` */
};

/* A foreground job (id 0) or a background one (next free %N). */
struct job *job_create(struct shell *sh, bool background, const char *text);
void job_add_proc(struct job *job, pid_t pid);
bool job_done(const struct job *job);
/* Status of the job: its last process, or with pipefail the last non-zero. */
int job_status(struct shell *sh, const struct job *job);
/* Runs the loop until the job is done; returns job_status.  The job is
 * freed unless it is a background job. */
int job_wait(struct shell *sh, struct job *job);
void job_remove(struct shell *sh, struct job *job);
/* Collects every exited child (waitpid WNOHANG) into its job. */
void jobs_reap(struct shell *sh);
struct job *job_by_id(struct shell *sh, int id);
struct job *job_by_pid(struct shell *sh, pid_t pid);
/* Prints "[N]  Done  text" for finished background jobs and forgets them. */
void jobs_notify(struct shell *sh);
void jobs_free(struct shell *sh);

#endif
