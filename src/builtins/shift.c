/* shift [N]: drop the first N positional parameters. */
#include "config.h"
#include "builtins/builtin.h"

#include "shell.h"

BUILTIN(shift)
{
	long n = 1;
	if (argc > 2) {
		sh_error(sh, "shift: too many arguments");
		return 1;
	}
	if (argc == 2 && !builtin_number(argv[1], &n)) {
		sh_error(sh, "shift: %s: numeric argument required", argv[1]);
		return 1;
	}
	if (n < 0 || n > sh->nparams) {
		sh_error(sh, "shift: %ld: shift count out of range", n);
		return 1;
	}
	params_shift(sh, (int)n);
	return 0;
}
