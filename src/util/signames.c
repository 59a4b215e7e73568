/* Signal names (see signames.h). */
#include "config.h"
#include "util/signames.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int signo;
} sigs[] = {
	{"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
	{"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
	{"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
	{"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"CHLD", SIGCHLD},
	{"CONT", SIGCONT}, {"STOP", SIGSTOP},     {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
	{"TTOU", SIGTTOU}, {"URG", SIGURG},       {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
	{"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
	{"SYS", SIGSYS},
};

int sig_from_name(const char *name)
{
	if (name[0] >= '0' && name[0] <= '9') {
		char *end;
		long n = strtol(name, &end, 10);
		return (*end || n < 0 || n >= NSIG) ? -1 : (int)n;
	}
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (strcasecmp(name, sigs[i].name) == 0)
			return sigs[i].signo;
	return -1;
}

const char *sig_name(int signo)
{
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigs[i].signo == signo)
			return sigs[i].name;
	return NULL;
}

const char *sig_entry(int i, int *signo)
{
	if (i < 0 || (size_t)i >= sizeof sigs / sizeof sigs[0])
		return NULL;
	*signo = sigs[i].signo;
	return sigs[i].name;
}
