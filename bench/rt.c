/* The baseline for round trips: start CMD with two pipes (fork + exec),
 * then N times write a line and read the answer.  With -P TEXT the answer
 * ends at TEXT (a prompt) and each line is "print(I)"; else it is the
 * line echoed back.  Prints the microseconds per round trip.
 * Usage: rt [-n N] [-P PROMPT] CMD [ARG...] */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char buf[1 << 20];
static size_t have;

/* Reads until the buffer ends with end (a prompt) or holds a newline. */
static void read_answer(int fd, const char *end)
{
	size_t elen = end ? strlen(end) : 0;
	for (;;) {
		if (end ? have >= elen && memcmp(buf + have - elen, end, elen) == 0
			: memchr(buf, '\n', have) != NULL) {
			have = 0;
			return;
		}
		ssize_t r = read(fd, buf + have, sizeof buf - have);
		if (r <= 0) {
			fprintf(stderr, "rt: the program ended\n");
			exit(1);
		}
		have += (size_t)r;
	}
}

int main(int argc, char **argv)
{
	long n = 10000;
	const char *prompt = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "+n:P:")) != -1) {
		if (opt == 'n')
			n = atol(optarg);
		else if (opt == 'P')
			prompt = optarg;
		else
			return 2;
	}
	if (optind >= argc)
		return 2;
	int in[2], out[2];
	if (pipe(in) < 0 || pipe(out) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		if (prompt)
			dup2(out[1], 2);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (prompt)
		read_answer(out[0], prompt); /* the first prompt */
	double t0 = now();
	char line[64];
	for (long i = 0; i < n; i++) {
		int len = prompt ? snprintf(line, sizeof line, "print(%ld)\n", i)
				 : snprintf(line, sizeof line, "x\n");
		if (write(in[1], line, (size_t)len) != len)
			return 1;
		read_answer(out[0], prompt);
	}
	double t1 = now();
	close(in[1]);
	waitpid(pid, NULL, 0);
	printf("%.3f\n", n ? (t1 - t0) * 1e6 / n : 0.0);
	return 0;
}
