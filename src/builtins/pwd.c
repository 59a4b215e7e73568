/* pwd [-L | -P]: print the working directory. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

BUILTIN(pwd)
{
	bool physical = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-P") == 0) {
			physical = true;
		} else if (strcmp(argv[i], "-L") == 0) {
			physical = false;
		} else {
			sh_error(sh, "pwd: %s: invalid option", argv[i]);
			return 2;
		}
	}
	const char *pwd = var_get(sh, "PWD");
	struct stat a, b;
	char *dir = NULL;
	if (!physical && pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		dir = xstrdup(pwd);
	else
		dir = getcwd(NULL, 0);
	if (!dir) {
		sh_error(sh, "pwd: %s", strerror(errno));
		return 1;
	}
	char *line = xasprintf("%s\n", dir);
	int st = builtin_out(sh, "pwd", line, strlen(line));
	free(line);
	free(dir);
	return st;
}
