/* type NAME...: tell what each NAME would run as. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "shell.h"

/* Describes name into b ("ls is /usr/bin/ls"); false when not found.
 * verbose false: just the path or name (command -v). */
bool builtin_describe(struct shell *sh, const char *name, bool verbose, bool functions,
		      struct strbuf *b)
{
	if (builtin_is_keyword(name)) {
		strbuf_addf(b, verbose ? "%s is a shell keyword\n" : "%s\n", name);
		return true;
	}
	if (functions && func_get(sh, name)) {
		strbuf_addf(b, verbose ? "%s is a function\n" : "%s\n", name);
		return true;
	}
	if (builtin_find(name)) {
		strbuf_addf(b, verbose ? "%s is a shell builtin\n" : "%s\n", name);
		return true;
	}
	char *path = exec_find(sh, name, var_get(sh, "PATH"));
	if (path && access(path, X_OK) == 0) {
		if (verbose)
			strbuf_addf(b, "%s is %s\n", name, path);
		else
			strbuf_addf(b, "%s\n", path);
		free(path);
		return true;
	}
	free(path);
	return false;
}

BUILTIN(type)
{
	if (argc < 2) {
		sh_error(sh, "usage: type NAME...");
		return 2;
	}
	int st = 0;
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 1; i < argc; i++) {
		if (!builtin_describe(sh, argv[i], true, true, &b)) {
			builtin_out(sh, "type", strbuf_str(&b), b.len);
			strbuf_reset(&b);
			sh_error(sh, "type: %s: not found", argv[i]);
			st = 1;
		}
	}
	if (builtin_out(sh, "type", strbuf_str(&b), b.len))
		st = 1;
	strbuf_finish(&b);
	return st;
}
