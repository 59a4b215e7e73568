/* jobs [-l | -p]: list background jobs with their state. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdio.h>
#include <string.h>

#include "job.h"
#include "shell.h"

static bool selected(const struct job *j, int n, char **specs)
{
	if (n == 0)
		return true;
	for (int k = 0; k < n; k++) {
		long id;
		if (specs[k][0] == '%' && builtin_number(specs[k] + 1, &id) && id == j->id)
			return true;
	}
	return false;
}

BUILTIN(jobs)
{
	int mode = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "-p") == 0) {
			mode = argv[i][1];
		} else {
			sh_error(sh, "jobs: %s: invalid option", argv[i]);
			return 2;
		}
	}
	int st = 0;
	for (int k = i; k < argc; k++) { /* jobs %N...: only those */
		long n;
		if (argv[k][0] != '%' || !builtin_number(argv[k] + 1, &n) || !job_by_id(sh, (int)n)) {
			sh_error(sh, "jobs: %s: no such job", argv[k]);
			st = 1;
		}
	}
	jobs_reap(sh);
	struct strbuf b;
	strbuf_init(&b);
	for (struct job *j = sh->jobs; j; j = j->next) {
		if (!j->background || !selected(j, argc - i, argv + i))
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
	if (builtin_out(sh, "jobs", strbuf_str(&b), b.len))
		st = 1;
	strbuf_finish(&b);
	return st;
}
