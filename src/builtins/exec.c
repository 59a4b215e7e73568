/* exec [CMD [ARG...]]: replace the shell with CMD.  Without CMD its
 * redirections apply to the shell itself (see exec_simple). */
#include "config.h"
#include "builtins/builtin.h"

#include "exec.h"
#include "shell.h"

BUILTIN(exec)
{
	if (argc < 2)
		return 0;
	/* Coprocess shutdown joins here: a replaced shell cannot own them. */
	exec_reset_for_exec(sh);
	int st = exec_replace(sh, argv + 1, var_environ(sh));
	if (!sh->opt.interactive)
		shell_exit(sh, st);
	exec_install_signals(sh);
	return st;
}
