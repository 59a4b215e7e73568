/* kill [-s SIG | -SIG] %N|PID... and kill -l: send signals. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "builtins/coutil.h"
#include "job.h"
#include "shell.h"
#include "util/signames.h"

static int list(struct shell *sh, int argc, char **argv)
{
	struct strbuf b;
	strbuf_init(&b);
	if (argc > 2) {
		long n;
		for (int i = 2; i < argc; i++) {
			const char *name = NULL;
			if (builtin_number(argv[i], &n))
				name = sig_name((int)(n > 128 ? n - 128 : n));
			if (!name) {
				sh_error(sh, "kill: %s: invalid signal specification", argv[i]);
				strbuf_finish(&b);
				return 1;
			}
			strbuf_addf(&b, "%s\n", name);
		}
	} else {
		int signo;
		const char *name;
		for (int i = 0; (name = sig_entry(i, &signo)); i++)
			strbuf_addf(&b, "%2d) SIG%s\n", signo, name);
	}
	int st = builtin_out(sh, "kill", strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return st;
}

BUILTIN(kill)
{
	int signo = SIGTERM;
	int i = 1;
	if (i < argc && strcmp(argv[i], "-l") == 0)
		return list(sh, argc, argv);
	if (i < argc && strcmp(argv[i], "-s") == 0) {
		if (i + 1 >= argc) {
			sh_error(sh, "kill: -s: option requires an argument");
			return 2;
		}
		signo = sig_from_name(argv[i + 1]);
		if (signo < 0) {
			sh_error(sh, "kill: %s: invalid signal specification", argv[i + 1]);
			return 1;
		}
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
		signo = sig_from_name(argv[i] + 1);
		if (signo < 0) {
			sh_error(sh, "kill: %s: invalid signal specification", argv[i] + 1);
			return 1;
		}
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		sh_error(sh, "usage: kill [-s SIG | -SIG] %%N|PID|NAME... | -l [N]");
		return 2;
	}
	int st = 0;
	for (; i < argc; i++) {
		pid_t target;
		long n;
		if (argv[i][0] == '%') {
			struct job *j = job_from_spec(sh, argv[i]);
			if (!j) {
				sh_error(sh, "kill: %s: no such job", argv[i]);
				st = 1;
				continue;
			}
			target = j->pgid ? -j->pgid : j->procs[0].pid;
		} else if (builtin_number(argv[i], &n)) {
			target = (pid_t)n;
		} else {
			/* a coprocess: its process group */
			struct coop op = {.kind = COOP_KILL, .builtin = "kill", .name = argv[i],
					  .timeout_ms = -1, .signo = signo};
			struct coresult res;
			coresult_init(&res);
			coop_run(sh, &op, NULL, NULL, &res);
			int r = co_done(&res);
			if (r)
				st = r;
			continue;
		}
		if (kill(target, signo) < 0) {
			sh_error(sh, "kill: (%s) - %s", argv[i], strerror(errno));
			st = 1;
		} else if (argv[i][0] == '%' && signo != SIGCONT && signo != SIGSTOP) {
			kill(target, SIGCONT); /* a stopped job must run to act on it */
		}
	}
	return st;
}
