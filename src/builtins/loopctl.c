/* break [N] and continue [N]: leave or restart enclosing loops. */
#include "config.h"
#include "builtins/builtin.h"

#include "shell.h"

static int loopctl(struct shell *sh, int argc, char **argv, enum unwind how)
{
	long n = 1;
	if (argc > 2 || (argc == 2 && (!builtin_number(argv[1], &n) || n < 1))) {
		sh_error(sh, "%s: %s: loop count out of range", argv[0], argc > 1 ? argv[1] : "");
		return 1;
	}
	if (sh->loop_depth == 0) { /* a warning, as in bash */
		sh_error(sh, "%s: only meaningful in a loop", argv[0]);
		return 0;
	}
	if (n > sh->loop_depth)
		n = sh->loop_depth;
	sh->unwind = how;
	sh->unwind_count = (int)n;
	return 0;
}

BUILTIN(break)
{
	return loopctl(sh, argc, argv, UNWIND_BREAK);
}

BUILTIN(continue)
{
	return loopctl(sh, argc, argv, UNWIND_CONTINUE);
}
