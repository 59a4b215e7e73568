/* exec [CMD [ARG...]]: replace the shell with CMD.  Without CMD its
 * redirections apply to the shell itself (see exec_simple). */
#include "config.h"
#include "builtins/builtin.h"

#include "coproc.h"
#include "exec.h"
#include "shell.h"

BUILTIN(exec)
{
	if (argc < 2)
		return 0;
	/* a replaced shell cannot own coprocesses: shut them down first */
	if (shell_owns_coprocs(sh))
		coproc_shutdown(sh);
	exec_reset_for_exec(sh);
	int st = exec_replace(sh, argv + 1, var_environ(sh));
	if (!sh->opt.interactive)
		shell_exit(sh, st);
	exec_install_signals(sh);
	sh->shutting_down = false;
	return st;
}
