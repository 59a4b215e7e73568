/* cosh: options, the choice of interactive / script / -c / stdin, and the
 * exit status.  Everything else lives in the library (libcosh.a). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins/builtin.h"
#include "exec.h"
#include "input.h"
#include "rlapi.h"
#include "job.h"
#include "repl.h"
#include "shell.h"

extern char **environ;

static const char usage_text[] =
	"Usage: cosh [OPTION...] [FILE [ARG...]]\n"
	"       cosh [OPTION...] -c STRING [NAME [ARG...]]\n"
	"       cosh [OPTION...] -s [ARG...]\n"
	"cosh, the coprocess shell: a bash-like shell whose first-class objects are\n"
	"named, persistent coprocesses.\n"
	"\n"
	"  -c STRING    run STRING; NAME becomes $0, the ARGs $1...\n"
	"  -s           read commands from standard input (the default without FILE)\n"
	"  -i           interactive, even when standard input is not a terminal\n"
	"  -n           parse only: report syntax errors, run nothing\n"
	"  -e           exit on the first failing command (set -e)\n"
	"  -u           using an unset variable is an error (set -u)\n"
	"  -x           trace each command to standard error (set -x)\n"
	"  -o pipefail  a pipeline fails when any of its commands fails\n"
	"      --norc   do not read ~/.coshrc when interactive\n"
	"      --help   show this help and exit\n"
	"      --version  show the version and exit\n"
	"\n"
	"%s"
	"\n"
	"Exit status: that of the last command run; 2 for a syntax error or bad usage.\n"
	"Full documentation: man cosh, info cosh.\n";

/* The usage text, with the builtins as `help` knows them. */
static void print_usage(void)
{
	size_t n;
	const struct builtin *t = builtin_table(&n);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, "Builtins (help NAME for one):\n ");
	size_t col = 1;
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(t[i].name) + 1;
		if (col + w > 78) {
			strbuf_adds(&b, "\n ");
			col = 1;
		}
		strbuf_addf(&b, " %s", t[i].name);
		col += w;
	}
	strbuf_addc(&b, '\n');
	printf(usage_text, b.s);
	strbuf_finish(&b);
}

struct invocation {
	const char *command; /* -c */
	bool stdin_mode;     /* -s */
	bool force_interactive;
	bool norc;
	int rest;            /* index of the first operand */
};

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cosh: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'cosh --help' for more information.\n");
	exit(2);
}

static void parse_options(struct shell *sh, int argc, char **argv, struct invocation *inv)
{
	bool want_c = false;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			print_usage();
			exit(0);
		}
		if (strcmp(a, "--version") == 0) {
			printf("cosh %s\n", PACKAGE_VERSION);
			exit(0);
		}
		if (strcmp(a, "--norc") == 0) {
			inv->norc = true;
			continue;
		}
		if (a[0] == '-' && a[1] == '-')
			usage_error("%s: invalid option", a);
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		bool on = a[0] == '-';
		for (const char *f = a + 1; *f; f++) {
			switch (*f) {
			case 'c': want_c = on; break;
			case 's': inv->stdin_mode = on; break;
			case 'i': inv->force_interactive = on; break;
			case 'n': sh->opt.noexec = on; break;
			case 'e': sh->opt.errexit = on; break;
			case 'u': sh->opt.nounset = on; break;
			case 'x': sh->opt.xtrace = on; break;
			case 'o':
				if (i + 1 >= argc)
					usage_error("%s: option requires an argument", "-o");
				if (strcmp(argv[i + 1], "pipefail") != 0)
					usage_error("%s: invalid option name", argv[i + 1]);
				sh->opt.pipefail = on;
				i++;
				break;
			default: {
				char opt[3] = {a[0], *f, 0};
				usage_error("%s: invalid option", opt);
			}
			}
		}
	}
	if (want_c) {
		if (i >= argc)
			usage_error("%s: option requires an argument", "-c");
		inv->command = argv[i++];
	}
	inv->rest = i;
}

static void set_defaults(struct shell *sh)
{
	if (!var_get(sh, "PS1"))
		var_set(sh, "PS1", "cosh$ ", 0);
	if (!var_get(sh, "PS2"))
		var_set(sh, "PS2", "> ", 0);
	if (!var_get(sh, "IFS"))
		var_set(sh, "IFS", " \t\n", 0);
	/* an inherited PWD is kept only if it names where we are */
	const char *pwd = var_get(sh, "PWD");
	struct stat a, b;
	if (!pwd || pwd[0] != '/' || stat(pwd, &a) != 0 || stat(".", &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		char *cwd = getcwd(NULL, 0);
		if (cwd)
			var_set(sh, "PWD", cwd, VAR_EXPORT);
		free(cwd);
	}
	var_set(sh, "COSH_VERSION", PACKAGE_VERSION, 0);
	char ppid[32];
	snprintf(ppid, sizeof ppid, "%ld", (long)getppid());
	var_set(sh, "PPID", ppid, 0);
}

/* A thousand coprocesses need over 2000 fds: take all we may have. */
static void raise_fd_limit(struct shell *sh)
{
	struct rlimit r = sh->nofile;
	if (r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static void setup_interactive(struct shell *sh, bool norc)
{
	const char *home = var_get(sh, "HOME");
	if (!var_get(sh, "HISTFILE") && home) {
		char *f = xasprintf("%s/.cosh_history", home);
		var_set(sh, "HISTFILE", f, 0);
		free(f);
	}
	if (!var_get(sh, "HISTSIZE"))
		var_set(sh, "HISTSIZE", "1000", 0);
	if (!norc && home) {
		char *rc = xasprintf("%s/.coshrc", home);
		if (access(rc, R_OK) == 0) {
			size_t len;
			char *text = read_file(rc, &len);
			if (text) {
				exec_text(sh, text, len, rc);
				free(text);
			}
		}
		free(rc);
		if (sh->unwind == UNWIND_EXIT) /* exit in ~/.coshrc leaves the shell */
			shell_exit(sh, sh->exit_status);
		sh->unwind = UNWIND_NONE;
	}
	input_history_init(sh); /* after ~/.coshrc, which may set HISTFILE or HISTSIZE */
}

int main(int argc, char **argv)
{
	struct shell *sh = shell_create();
	var_import_environ(sh, environ);
	struct invocation inv = {0};
	parse_options(sh, argc, argv, &inv);
	set_defaults(sh);
	raise_fd_limit(sh);

	const char *script = NULL;
	if (!inv.command && !inv.stdin_mode && inv.rest < argc)
		script = argv[inv.rest++];
	if (inv.command && inv.rest < argc) {
		free(sh->arg0);
		sh->arg0 = xstrdup(argv[inv.rest++]);
	} else if (script) {
		free(sh->arg0);
		sh->arg0 = xstrdup(script);
	}
	shell_set_params(sh, argc - inv.rest, argv + inv.rest);

	bool reads_stdin = !inv.command && !script;
	sh->opt.interactive =
		inv.force_interactive || (reads_stdin && isatty(0) && isatty(2));
	if (sh->opt.interactive && reads_stdin && isatty(0))
		jobctl_init(sh);
	exec_install_signals(sh);

	int status;
	if (inv.command) {
		status = exec_text(sh, inv.command, strlen(inv.command), "-c");
	} else if (script) {
		size_t len;
		char *text = read_file(script, &len);
		if (!text) {
			fprintf(stderr, "cosh: %s: %s\n", script, strerror(errno));
			shell_exit(sh, errno == ENOENT ? 2 : 126);
		}
		status = exec_text(sh, text, len, script);
		free(text);
	} else {
		struct input in;
		if (sh->opt.interactive)
			rlapi_load(sh); /* history, and line editing on a terminal */
		if (sh->opt.interactive && isatty(0) && sh->rl)
			input_init_readline(&in, sh);
		else
			input_init_fd(&in, sh, 0);
		if (sh->opt.interactive)
			setup_interactive(sh, inv.norc);
		status = repl_run(sh, &in);
		input_finish(&in);
	}
	if (sh->unwind == UNWIND_EXIT)
		status = sh->exit_status;
	shell_exit(sh, status);
}
