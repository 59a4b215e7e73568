/* The baseline for starting coprocesses: posix_spawn N cat processes,
 * each with two pipes, then close their inputs, read each to end of file
 * and reap them all.  Usage: spawn [N] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	struct rlimit r;
	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
	int *ins = calloc((size_t)n, sizeof *ins), *outs = calloc((size_t)n, sizeof *outs);
	pid_t *pids = calloc((size_t)n, sizeof *pids);
	char *args[] = {"cat", NULL};
	for (int i = 0; i < n; i++) {
		int in[2], out[2];
		if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
			perror("pipe");
			return 1;
		}
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
		posix_spawn_file_actions_adddup2(&fa, out[1], 1);
		if (posix_spawnp(&pids[i], "cat", &fa, NULL, args, environ) != 0) {
			perror("posix_spawn");
			return 1;
		}
		posix_spawn_file_actions_destroy(&fa);
		close(in[0]);
		close(out[1]);
		ins[i] = in[1];
		outs[i] = out[0];
	}
	for (int i = 0; i < n; i++)
		close(ins[i]);
	char buf[64];
	for (int i = 0; i < n; i++) {
		while (read(outs[i], buf, sizeof buf) > 0)
			;
		close(outs[i]);
		waitpid(pids[i], NULL, 0);
	}
	return 0;
}
