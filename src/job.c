/* Jobs and reaping (see job.h). */
#include "config.h"
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
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

bool job_stopped(const struct job *job)
{
	bool any = false;
	for (size_t i = 0; i < job->nprocs; i++) {
		if (!job->procs[i].done && !job->procs[i].stopped)
			return false;
		any |= job->procs[i].stopped;
	}
	return any;
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
	int flags = WNOHANG | (sh->jobctl ? WUNTRACED | WCONTINUED : 0);
	for (;;) {
		int ws;
		pid_t pid = waitpid(-1, &ws, flags);
		if (pid <= 0) {
			if (pid < 0 && errno == EINTR)
				continue;
			return;
		}
		bool found = false;
		for (struct job *j = sh->jobs; j; j = j->next)
			for (size_t i = 0; i < j->nprocs; i++) {
				struct proc *p = &j->procs[i];
				if (p->pid != pid)
					continue;
				found = true;
				if (WIFSTOPPED(ws)) {
					p->stopped = true;
					j->stop_noticed = false;
				} else if (WIFCONTINUED(ws)) {
					p->stopped = false;
				} else {
					p->done = true;
					p->stopped = false;
					p->status = status_from_wait(ws);
				}
			}
		if (!found && !WIFSTOPPED(ws) && !WIFCONTINUED(ws))
			coproc_reaped(sh, pid, ws);
	}
}

static void announce(struct shell *sh, struct job *j, const char *state)
{
	char mark = j == job_current(sh, false) ? '+' : j == job_current(sh, true) ? '-' : ' ';
	fd_printf(2, "[%d]%c  %-22s  %s\n", j->id, mark, state, j->text);
}

static int next_id(struct shell *sh)
{
	int max = 0;
	for (struct job *j = sh->jobs; j; j = j->next)
		if (j->id > max)
			max = j->id;
	return max + 1;
}

/* The terminal goes back to the shell, as the shell left it. */
static void take_terminal(struct shell *sh, struct job *job)
{
	if (!sh->jobctl)
		return;
	if (job && job_stopped(job)) {
		job->has_modes = tcgetattr(sh->tty, &job->modes) == 0;
	}
	tcsetpgrp(sh->tty, sh->pgid);
	tcsetattr(sh->tty, TCSADRAIN, &sh->tty_modes);
}

int job_wait(struct shell *sh, struct job *job)
{
	bool fg = !job->background && sh->jobctl;
	jobs_reap(sh);
	while (!job_done(job) && !(fg && job_stopped(job))) {
		loop_run_once(sh->loop, -1);
		jobs_reap(sh);
	}
	if (fg)
		take_terminal(sh, job);
	if (fg && !job_done(job)) {
		/* Ctrl-Z: the job waits in the background, the shell goes on */
		job->background = true;
		if (!job->id)
			job->id = next_id(sh);
		write_all(2, "\n", 1);
		announce(sh, job, "Stopped");
		job->stop_noticed = true;
		return 128 + SIGTSTP;
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

struct job *job_current(struct shell *sh, bool previous)
{
	/* newest stopped jobs first, then the newest running in the background */
	struct job *order[2] = {NULL, NULL};
	int n = 0;
	for (int stopped = 1; stopped >= 0 && n < 2; stopped--) {
		struct job *last = NULL;
		for (;;) { /* the newest before `last` of this kind */
			struct job *best = NULL;
			for (struct job *j = sh->jobs; j && j != last; j = j->next)
				if (j->background && job_stopped(j) == stopped)
					best = j;
			if (!best || n == 2)
				break;
			order[n++] = best;
			last = best;
		}
	}
	return order[previous ? 1 : 0];
}

struct job *job_from_spec(struct shell *sh, const char *spec)
{
	if (!spec || spec[0] != '%')
		return NULL;
	if (!strcmp(spec, "%+") || !strcmp(spec, "%%") || !strcmp(spec, "%"))
		return job_current(sh, false);
	if (!strcmp(spec, "%-"))
		return job_current(sh, true);
	char *end;
	long n = strtol(spec + 1, &end, 10);
	if (end == spec + 1 || *end)
		return NULL;
	return job_by_id(sh, (int)n);
}

void jobs_notify(struct shell *sh)
{
	jobs_reap(sh);
	for (struct job *j = sh->jobs, *next; j; j = next) {
		next = j->next;
		if (!j->background)
			continue;
		if (job_stopped(j) && !j->stop_noticed) {
			announce(sh, j, "Stopped");
			j->stop_noticed = true;
			continue;
		}
		if (!job_done(j))
			continue;
		int st = job_status(sh, j);
		char state[64];
		if (st == 0)
			snprintf(state, sizeof state, "Done");
		else if (st > 128)
			snprintf(state, sizeof state, "Killed (%s)", strsignal(st - 128));
		else
			snprintf(state, sizeof state, "Exit %d", st);
		announce(sh, j, state);
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

void jobctl_init(struct shell *sh)
{
	int tty = fcntl(0, F_DUPFD_CLOEXEC, 10);
	if (tty < 0)
		return;
	/* wait until we are in the foreground, then lead our own group */
	pid_t pgid;
	while (tcgetpgrp(tty) != (pgid = getpgrp()))
		kill(-pgid, SIGTTIN);
	setpgid(0, 0);
	sh->pgid = getpid();
	if (tcsetpgrp(tty, sh->pgid) < 0 || tcgetattr(tty, &sh->tty_modes) < 0) {
		close(tty);
		return;
	}
	sh->tty = tty;
	sh->jobctl = true;
}

void jobctl_child(struct shell *sh, struct job *job, bool foreground)
{
	if (!sh->jobctl || !job)
		return;
	pid_t pid = getpid();
	setpgid(0, job->pgid ? job->pgid : pid);
	if (foreground)
		tcsetpgrp(sh->tty, job->pgid ? job->pgid : pid);
}

void jobctl_parent(struct shell *sh, struct job *job, pid_t pid, bool foreground)
{
	if (!job)
		return;
	if (!job->pgid)
		job->pgid = pid;
	if (!sh->jobctl)
		return;
	setpgid(pid, job->pgid); /* both sides do it: whichever runs first wins */
	if (foreground)
		tcsetpgrp(sh->tty, job->pgid);
}

int jobctl_resume(struct shell *sh, struct job *job, bool foreground)
{
	if (foreground) {
		fd_printf(2, "%s\n", job->text);
		if (sh->jobctl) {
			if (job->has_modes)
				tcsetattr(sh->tty, TCSADRAIN, &job->modes);
			tcsetpgrp(sh->tty, job->pgid);
		}
		job->background = false;
	} else {
		fd_printf(2, "[%d]+ %s &\n", job->id, job->text);
	}
	for (size_t i = 0; i < job->nprocs; i++)
		job->procs[i].stopped = false;
	job->stop_noticed = false;
	kill(-job->pgid, SIGCONT);
	if (!foreground)
		return 0;
	return job_wait(sh, job);
}
