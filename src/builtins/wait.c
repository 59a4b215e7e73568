/* wait [%N | PID...]: wait for background jobs; the status is that of the
 * last one named, or 0 after waiting for all.  Ctrl-C stops the wait. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>
#include <string.h>

#include "builtins/coutil.h"
#include "exec.h"
#include "job.h"
#include "loop.h"
#include "shell.h"

/* Runs the loop until job is done; -1 when interrupted. */
static int wait_job(struct shell *sh, struct job *job)
{
	jobs_reap(sh);
	while (!job_done(job)) {
		int trapped = exec_trap_pending(sh);
		if (trapped)
			return 128 + trapped;
		if (sh->sigint) {
			sh->sigint = false;
			return -1;
		}
		loop_run_once(sh->loop, -1);
		jobs_reap(sh);
	}
	int st = job_status(sh, job);
	job_remove(sh, job);
	return st;
}

static struct job *find(struct shell *sh, const char *arg)
{
	long n;
	if (arg[0] == '%')
		return job_from_spec(sh, arg);
	if (!builtin_number(arg, &n))
		return NULL;
	struct job *j = job_by_pid(sh, (pid_t)n);
	return j && j->background ? j : NULL;
}

BUILTIN(wait)
{
	if (argc < 2) {
		for (struct job *j = sh->jobs, *next; j; j = next) {
			next = j->next;
			if (!j->background)
				continue;
			int r = wait_job(sh, j);
			if (r < 0)
				return 130;
			if (r > 128 && exec_trap_pending(sh))
				return r;
			next = sh->jobs; /* the list changed: start over */
		}
		return 0;
	}
	int st = 0;
	for (int i = 1; i < argc; i++) {
		long n;
		if (argv[i][0] != '%' && !builtin_number(argv[i], &n)) {
			/* a coprocess: wait for it to end and collect its status */
			struct coop op = {.kind = COOP_WAIT, .builtin = "wait", .name = argv[i],
					  .timeout_ms = -1};
			struct coresult res;
			coresult_init(&res);
			coop_run(sh, &op, NULL, NULL, &res);
			st = co_done(&res);
			if (st == 130)
				return st;
			continue;
		}
		struct job *j = find(sh, argv[i]);
		if (!j) {
			if (argv[i][0] == '%')
				sh_error(sh, "wait: %s: no such job", argv[i]);
			else
				sh_error(sh, "wait: pid %s is not a child of this shell", argv[i]);
			st = 127;
			continue;
		}
		st = wait_job(sh, j);
		if (st < 0)
			return 130;
	}
	return st;
}
