/* The builtin table, sorted for bsearch, and helpers shared by builtins. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "shell.h"

static const struct builtin table[] = {
	{".", builtin_source, "FILE [ARG...]", "run the commands of FILE in this shell"},
	{":", builtin_colon, "[ARG...]", "do nothing, successfully"},
	{"[", builtin_test, "EXPR ]", "evaluate a test expression (as test)"},
	{"ask", builtin_ask, "[-t SECS] [-v VAR] NAME [TEXT...]",
	 "send TEXT line by line to a prompting coprocess and print its answer"},
	{"attach", builtin_attach, "NAME", "talk to a coprocess from the terminal until Ctrl-]"},
	{"bg", builtin_bg, "[%JOB]", "let a stopped job go on in the background"},
	{"break", builtin_break, "[N]", "leave the innermost N loops"},
	{"cd", builtin_cd, "[DIR | -]", "change the working directory"},
	{"close", builtin_close, "NAME", "close a coprocess's input (it reads end of file)"},
	{"command", builtin_command, "[-v | -V] NAME [ARG...]", "run NAME, bypassing functions"},
	{"continue", builtin_continue, "[N]", "start the next pass of the innermost N-th loop"},
	{"coproc", builtin_coproc,
	 "[-p] [-E] [-l FILE] [-P REGEX] [-t SECS] NAME (CMD [ARG...] | { LIST; }) [REDIRECTION...]",
	 "start CMD, or the group LIST, as the persistent coprocess NAME"},
	{"coprocs", builtin_coprocs, "", "list coprocesses: NAME PID STATE MODE BUFFERED COMMAND"},
	{"echo", builtin_echo, "[-n] [-e] [ARG...]", "print the arguments"},
	{"eval", builtin_eval, "[ARG...]", "run the arguments as a command"},
	{"exec", builtin_exec, "[CMD [ARG...]] [REDIRECTION...]",
	 "replace the shell with CMD, or redirect the shell's own fds"},
	{"exit", builtin_exit, "[N]", "leave the shell with status N"},
	{"export", builtin_export, "[-p] [NAME[=VALUE]...]", "pass variables to the environment"},
	{"false", builtin_false, "", "do nothing, unsuccessfully"},
	{"fg", builtin_fg, "[%JOB]", "bring a job to the foreground and wait for it"},
	{"help", builtin_help, "[BUILTIN]", "list the builtins, or show how to use one"},
	{"history", builtin_history, "[-c] [N]", "list the command history (the last N), or clear it"},
	{"jobs", builtin_jobs, "[-l | -p] [%N...]", "list background jobs"},
	{"kill", builtin_kill, "[-s SIG | -SIG] %N|PID|NAME... | -l",
	 "send a signal to jobs or processes"},
	{"local", builtin_local, "NAME[=VALUE]...", "make variables local to the running function"},
	{"pwd", builtin_pwd, "[-L | -P]", "print the working directory"},
	{"read", builtin_read, "[-r] [-t SECS] [-p PROMPT] [NAME...]",
	 "read a line of standard input into variables, split at IFS"},
	{"recv", builtin_recv,
	 "[-e] [-t SECS] [-u REGEX | -a] [-v VAR] NAME [VAR], or recv -A [-e] [-t SECS] [-v VAR] [NAME...]",
	 "take a line (or up to REGEX, or all) of a coprocess's output; -A: from any"},
	{"return", builtin_return, "[N]", "return from a function or sourced file"},
	{"send", builtin_send, "[-n] [-t SECS] NAME [TEXT...]",
	 "write TEXT and a newline (or standard input) to a coprocess"},
	{"set", builtin_set, "[-eux] [+eux] [-o NAME] [+o NAME] [--] [ARG...]",
	 "set options (errexit nounset xtrace pipefail) or positional parameters"},
	{"shift", builtin_shift, "[N]", "drop the first N positional parameters"},
	{"source", builtin_source, "FILE [ARG...]", "run the commands of FILE in this shell"},
	{"test", builtin_test, "EXPR", "evaluate an expression on files, strings and integers"},
	{"trap", builtin_trap, "[ACTION] SIGNAL... | -l | -p",
	 "run ACTION when SIGNAL (or EXIT) arrives; '' ignores, - restores"},
	{"true", builtin_colon, "", "do nothing, successfully"},
	{"type", builtin_type, "NAME...", "tell what kind of command each NAME is"},
	{"unset", builtin_unset, "[-v | -f] NAME...", "remove variables or functions"},
	{"wait", builtin_wait, "[%N | PID | NAME...]",
	 "wait for background jobs or coprocesses and return a status"},
};

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct builtin *)elem)->name);
}

const struct builtin *builtin_find(const char *name)
{
	return bsearch(name, table, sizeof table / sizeof table[0], sizeof table[0], cmp);
}

const struct builtin *builtin_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

int builtin_out(struct shell *sh, const char *name, const char *s, size_t n)
{
	if (write_all(1, s, n) < 0) {
		sh_error(sh, "%s: write error: %s", name, strerror(errno));
		return 1;
	}
	return 0;
}

int builtin_getopt(struct shell *sh, int argc, char **argv, const char *spec, struct bopt *o)
{
	if (o->ind == 0) {
		o->ind = 1;
		o->pos = 0;
	}
	o->arg = NULL;
	if (o->pos == 0) {
		if (o->ind >= argc || argv[o->ind][0] != '-' || !argv[o->ind][1])
			return 0;
		if (strcmp(argv[o->ind], "--") == 0) {
			o->ind++;
			return 0;
		}
		o->pos = 1;
	}
	const char *a = argv[o->ind];
	char c = a[o->pos++];
	const char *s = strchr(spec, c);
	if (!s || c == ':') {
		sh_error(sh, "%s: -%c: invalid option", argv[0], c);
		return '?';
	}
	if (s[1] == ':') {
		if (a[o->pos]) {
			o->arg = a + o->pos;
		} else if (o->ind + 1 < argc) {
			o->arg = argv[++o->ind];
		} else {
			sh_error(sh, "%s: -%c: option requires an argument", argv[0], c);
			return '?';
		}
		o->ind++;
		o->pos = 0;
	} else if (!a[o->pos]) {
		o->ind++;
		o->pos = 0;
	}
	return c;
}

bool builtin_seconds(const char *s, long *ms)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno || !(v >= 0) || v > 1e9)
		return false;
	*ms = (long)(v * 1000 + 0.5);
	return true;
}

bool builtin_timeout(struct shell *sh, const char *name, const char *arg, long *ms)
{
	if (builtin_seconds(arg, ms))
		return true;
	sh_error(sh, "%s: %s: not a number of seconds", name, arg);
	return false;
}

bool builtin_number(const char *s, long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

bool builtin_is_keyword(const char *s)
{
	static const char *const kw[] = {"!",    "{",    "}",    "case", "do",    "done",
					 "elif", "else", "esac", "fi",   "for",   "if",
					 "in",   "then", "until", "while"};
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
		if (strcmp(s, kw[i]) == 0)
			return true;
	return false;
}
