/* trap [ACTION] SIGNAL...: run ACTION when SIGNAL arrives (EXIT: when the
 * shell exits); '' ignores it, - restores it; with no arguments (or -p)
 * list the traps; -l lists the signals. */
#include "config.h"
#include "builtins/builtin.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "loop.h"
#include "shell.h"
#include "util/signames.h"

/* 0 for EXIT, the number of a signal, or -1. */
static int trap_signal(const char *s)
{
	if (!strcmp(s, "EXIT") || !strcmp(s, "0"))
		return 0;
	int n = sig_from_name(s);
	return n == SIGKILL || n == SIGSTOP ? -1 : n;
}

/* "EXIT" or "SIGUSR1", as trap lists them; NULL for an unknown one. */
static const char *trap_name(int s, char *buf, size_t n)
{
	if (s == 0)
		return "EXIT";
	const char *name = sig_name(s);
	if (!name)
		return NULL;
	snprintf(buf, n, "SIG%s", name);
	return buf;
}

/* What the shell does with signo when no trap is set. */
static void restore(struct shell *sh, int s)
{
	switch (s) {
	case SIGCHLD: case SIGINT: case SIGTERM: case SIGHUP:
		loop_catch(sh->loop, s);
		break;
	case SIGWINCH:
		if (sh->opt.interactive)
			loop_catch(sh->loop, s);
		else
			signal(s, SIG_DFL);
		break;
	case SIGPIPE:
		signal(s, SIG_IGN);
		break;
	case SIGQUIT: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		signal(s, sh->opt.interactive ? SIG_IGN : SIG_DFL);
		break;
	default:
		signal(s, SIG_DFL);
	}
}

/* Lists the traps (only those of the n signals named, when n > 0). */
static int list(struct shell *sh, int n, char **names)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int s = 0; s < NSIG; s++) {
		char buf[32];
		const char *name = trap_name(s, buf, sizeof buf);
		if (!sh->traps[s] || !name)
			continue;
		bool wanted = n == 0;
		for (int k = 0; k < n; k++)
			wanted |= trap_signal(names[k]) == s;
		if (!wanted)
			continue;
		strbuf_adds(&b, "trap -- ");
		strbuf_addc(&b, '\'');
		for (const char *p = sh->traps[s]; *p; p++) {
			if (*p == '\'')
				strbuf_adds(&b, "'\\''");
			else
				strbuf_addc(&b, *p);
		}
		strbuf_addf(&b, "' %s\n", name);
	}
	int st = builtin_out(sh, "trap", strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return st;
}

static int list_signals(struct shell *sh)
{
	struct strbuf b;
	strbuf_init(&b);
	int signo;
	const char *name;
	for (int i = 0; (name = sig_entry(i, &signo)); i++)
		strbuf_addf(&b, "%2d) SIG%s\n", signo, name);
	int st = builtin_out(sh, "trap", b.s, b.len);
	strbuf_finish(&b);
	return st;
}

BUILTIN(trap)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-l"))
		return list_signals(sh);
	if (i < argc && !strcmp(argv[i], "-p"))
		return list(sh, argc - 2, argv + 2);
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		return list(sh, 0, NULL);
	const char *action = argv[i];
	/* `trap SIG` alone, or `trap - SIG...`: back to the default */
	bool reset = !strcmp(action, "-") || (argc - i == 1 && trap_signal(action) >= 0);
	if (argc - i == 1 && !reset) {
		sh_error(sh, "usage: trap [ACTION] SIGNAL...");
		return 2;
	}
	int first = argc - i == 1 ? i : i + 1;
	int st = 0;
	for (int k = first; k < argc; k++) {
		int s = trap_signal(argv[k]);
		if (s < 0) {
			sh_error(sh, "trap: %s: invalid signal specification", argv[k]);
			st = 1;
			continue;
		}
		free(sh->traps[s]);
		sh->traps[s] = reset ? NULL : xstrdup(action);
		sh->trap_pending[s] = false;
		if (s == 0)
			continue;
		if (reset)
			restore(sh, s);
		else if (!*action && s != SIGCHLD)
			signal(s, SIG_IGN);
		else
			loop_catch(sh->loop, s);
	}
	return st;
}
