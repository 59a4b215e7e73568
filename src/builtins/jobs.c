/* jobs [-l | -p] [%JOB...]: list background and stopped jobs with their
 * state; + marks the current job, - the previous one. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdio.h>
#include <string.h>

#include "job.h"
#include "shell.h"

static bool selected(struct shell *sh, struct job *j, int n, char **specs)
{
	if (n == 0)
		return true;
	for (int k = 0; k < n; k++)
		if (job_from_spec(sh, specs[k]) == j)
			return true;
	return false;
}

BUILTIN(jobs)
{
	int mode = 0;
	struct bopt o = {0};
	int c;
	while ((c = builtin_getopt(sh, argc, argv, "lp", &o)) != 0) {
		if (c == '?')
			return 2;
		mode = c;
	}
	jobs_reap(sh);
	int st = 0;
	for (int k = o.ind; k < argc; k++)
		if (!job_from_spec(sh, argv[k])) {
			sh_error(sh, "jobs: %s: no such job", argv[k]);
			st = 1;
		}
	struct job *cur = job_current(sh, false), *prev = job_current(sh, true);
	struct strbuf b;
	strbuf_init(&b);
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (!j->background || !selected(sh, j, argc - o.ind, argv + o.ind))
			continue;
		pid_t pid = j->nprocs ? j->procs[0].pid : 0;
		if (mode == 'p') {
			strbuf_addf(&b, "%ld\n", (long)pid);
			continue;
		}
		char state[32];
		if (job_done(j)) {
			int s = job_status(sh, j);
			if (s == 0)
				snprintf(state, sizeof state, "Done");
			else
				snprintf(state, sizeof state, "Exit %d", s);
		} else {
			snprintf(state, sizeof state, job_stopped(j) ? "Stopped" : "Running");
		}
		char mark = j == cur ? '+' : j == prev ? '-' : ' ';
		if (mode == 'l')
			strbuf_addf(&b, "[%d]%c %ld %-22s %s\n", j->id, mark, (long)pid, state, j->text);
		else
			strbuf_addf(&b, "[%d]%c  %-22s %s\n", j->id, mark, state, j->text);
	}
	if (builtin_out(sh, "jobs", strbuf_str(&b), b.len))
		st = 1;
	strbuf_finish(&b);
	return st;
}
