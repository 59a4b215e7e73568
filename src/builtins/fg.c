/* fg [%JOB] and bg [%JOB]: let a stopped or background job run again, in
 * the foreground (the shell waits for it) or in the background. */
#include "config.h"
#include "builtins/builtin.h"

#include <string.h>

#include "job.h"
#include "shell.h"

static int resume(struct shell *sh, int argc, char **argv, bool foreground)
{
	if (!sh->jobctl) {
		sh_error(sh, "%s: no job control", argv[0]);
		return 1;
	}
	if (argc > 2) {
		sh_error(sh, "usage: %s [%%JOB]", argv[0]);
		return 2;
	}
	struct job *j = argc == 2 ? job_from_spec(sh, argv[1]) : job_current(sh, false);
	if (!j) {
		sh_error(sh, "%s: %s: no such job", argv[0], argc == 2 ? argv[1] : "current");
		return 1;
	}
	if (job_done(j)) {
		sh_error(sh, "%s: %s: job has terminated", argv[0], argc == 2 ? argv[1] : "current");
		return 1;
	}
	return jobctl_resume(sh, j, foreground);
}

BUILTIN(fg)
{
	return resume(sh, argc, argv, true);
}

BUILTIN(bg)
{
	return resume(sh, argc, argv, false);
}
