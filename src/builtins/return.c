/* return [N]: leave the current function or sourced file. */
#include "config.h"
#include "builtins/builtin.h"

#include "shell.h"

BUILTIN(return)
{
	long n = sh->last_status;
	if (argc > 2 || (argc == 2 && !builtin_number(argv[1], &n))) {
		sh_error(sh, "return: %s: numeric argument required", argc > 1 ? argv[1] : "");
		return 2;
	}
	if (sh->func_depth == 0 && sh->source_depth == 0) {
		sh_error(sh, "return: can only return from a function or sourced file");
		return 2;
	}
	sh->unwind = UNWIND_RETURN;
	sh->last_status = (int)(n & 0xff);
	return sh->last_status;
}
