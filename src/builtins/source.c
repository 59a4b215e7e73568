/* source FILE [ARG...] (also "."): run FILE's commands in this shell. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "shell.h"

BUILTIN(source)
{
	if (argc < 2) {
		sh_error(sh, "%s: filename argument required", argv[0]);
		return 2;
	}
	char *path = NULL;
	if (!strchr(argv[1], '/')) {
		path = exec_find(sh, argv[1], var_get(sh, "PATH"));
		if (path && access(path, R_OK) != 0) {
			free(path);
			path = NULL;
		}
	}
	if (!path)
		path = xstrdup(argv[1]);
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		sh_error(sh, "%s: %s: %s", argv[0], argv[1], strerror(errno));
		free(path);
		return 1;
	}
	struct params_save ps;
	if (argc > 2)
		params_push(sh, argc - 2, argv + 2, &ps);
	sh->source_depth++;
	int st = exec_text(sh, text, len, argv[1]);
	sh->source_depth--;
	if (sh->unwind == UNWIND_RETURN) { /* return ends the sourced file only */
		sh->unwind = UNWIND_NONE;
		st = sh->last_status;
	}
	if (argc > 2)
		params_pop(sh, &ps);
	free(text);
	free(path);
	return st;
}
