/* Jobs and reaping (see job.h). */
#include "config.h"
#include "job.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "coproc.h"
#include "loop.h"
#include "shell.h"

struct job *job_create(struct shell *sh, bool background, const char *text)
{
	struct job *job = xcalloc(1, sizeof *job);
	job->background = background;
	job->text = xstrdup(text ? text : "");
	if (background) {
		int max = 0;
		for (struct job *j = sh->jobs; j; j = j->next)
			if (j->id > max)
				max = j->id;
		job->id = max + 1;
	}
	struct job **p = &sh->jobs;
	while (*p)
		p = &(*p)->next;
	*p = job;
	return job;
}

void job_add_proc(struct job *job, pid_t pid)
{
	job->procs = xrealloc(job->procs, (job->nprocs + 1) * sizeof *job->procs);
	job->procs[job->nprocs++] = (struct proc){.pid = pid};
}

bool job_done(const struct job *job)
{
	for (size_t i = 0; i < job->nprocs; i++)
		if (!job->procs[i].done)
			return false;
	return true;
}

int job_status(struct shell *sh, const struct job *job)
{
	if (job->nprocs == 0)
		return 0;
	if (sh->opt.pipefail) {
		for (size_t i = job->nprocs; i-- > 0;)
			if (job->procs[i].status != 0)
				return job->procs[i].status;
		return 0;
	}
	return job->procs[job->nprocs - 1].status;
}

static void job_free(struct job *job)
{
	free(job->procs);
	free(job->text);
	free(job);
}

void job_remove(struct shell *sh, struct job *job)
{
	for (struct job **p = &sh->jobs; *p; p = &(*p)->next)
		if (*p == job) {
			*p = job->next;
			job_free(job);
			return;
		}
}

void jobs_reap(struct shell *sh)
{
	for (;;) {
		int ws;
		pid_t pid = waitpid(-1, &ws, WNOHANG);
		if (pid <= 0) {
			if (pid < 0 && errno == EINTR)
				continue;
			return;
		}
		if (WIFSTOPPED(ws) || WIFCONTINUED(ws))
			continue;
		bool found = false;
		for (struct job *j = sh->jobs; j; j = j->next)
			for (size_t i = 0; i < j->nprocs; i++)
				if (j->procs[i].pid == pid) {
					j->procs[i].done = true;
					j->procs[i].status = status_from_wait(ws);
					found = true;
				}
		if (!found)
			coproc_reaped(sh, pid, ws);
	}
}

int job_wait(struct shell *sh, struct job *job)
{
	jobs_reap(sh);
	while (!job_done(job)) {
		loop_run_once(sh->loop, -1);
		jobs_reap(sh);
	}
	int st = job_status(sh, job);
	if (!job->background)
		job_remove(sh, job);
	return st;
}

struct job *job_by_id(struct shell *sh, int id)
{
	for (struct job *j = sh->jobs; j; j = j->next)
		if (j->background && j->id == id)
			return j;
	return NULL;
}

struct job *job_by_pid(struct shell *sh, pid_t pid)
{
	for (struct job *j = sh->jobs; j; j = j->next)
		for (size_t i = 0; i < j->nprocs; i++)
			if (j->procs[i].pid == pid)
				return j;
	return NULL;
}

void jobs_notify(struct shell *sh)
{
	jobs_reap(sh);
	for (struct job *j = sh->jobs, *next; j; j = next) {
		next = j->next;
		if (!j->background || !job_done(j))
			continue;
		int st = job_status(sh, j);
		if (st == 0)
			fd_printf(2, "[%d]  Done                    %s\n", j->id, j->text);
		else if (st > 128)
			fd_printf(2, "[%d]  Killed (%s)  %s\n", j->id, strsignal(st - 128), j->text);
		else
			fd_printf(2, "[%d]  Exit %d                  %s\n", j->id, st, j->text);
		job_remove(sh, j);
	}
}

void jobs_free(struct shell *sh)
{
	while (sh->jobs) {
		struct job *j = sh->jobs;
		sh->jobs = j->next;
		job_free(j);
	}
}
