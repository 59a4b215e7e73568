/* exit [N]: leave the shell (or the subshell) with status N. */
#include "config.h"
#include "builtins/builtin.h"

#include "shell.h"

BUILTIN(exit)
{
	long n = sh->last_status;
	if (argc > 2) {
		sh_error(sh, "exit: too many arguments");
		return 1;
	}
	if (argc == 2 && !builtin_number(argv[1], &n)) {
		sh_error(sh, "exit: %s: numeric argument required", argv[1]);
		n = 2;
	}
	sh->unwind = UNWIND_EXIT;
	sh->exit_status = (int)(n & 0xff);
	return sh->exit_status;
}
