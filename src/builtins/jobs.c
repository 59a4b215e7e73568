/* jobs [-l | -p]: list background jobs with their state. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdio.h>
#include <string.h>

#include "job.h"
#include "shell.h"

BUILTIN(jobs)
{
	int mode = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "-p") == 0) {
			mode = argv[i][1];
		} else {
			sh_error(sh, "jobs: %s: invalid option", argv[i]);
			return 2;
		}
	}
	jobs_reap(sh);
	struct strbuf b;
	strbuf_init(&b);
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (!j->background)
			continue;
		pid_t pid = j->nprocs ? j->procs[0].pid : 0;
		if (mode == 'p') {
			strbuf_addf(&b, "%ld\n", (long)pid);
			continue;
		}
		char state[32];
		if (!job_done(j))
			snprintf(state, sizeof state, "Running");
		else if (job_status(sh, j) == 0)
			snprintf(state, sizeof state, "Done");
		else
			snprintf(state, sizeof state, "Exit %d", job_status(sh, j));
		if (mode == 'l')
			strbuf_addf(&b, "[%d]  %ld %-22s %s\n", j->id, (long)pid, state, j->text);
		else
			strbuf_addf(&b, "[%d]  %-22s %s\n", j->id, state, j->text);
	}
	int st = builtin_out(sh, "jobs", strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return st;
}
