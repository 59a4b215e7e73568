/* cd [DIR | -]: change the working directory; PWD stays logical
 * (symbolic links as the user walked them), as in bash. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"

/* Joins base and dir and removes "." and ".." components. */
static char *logical(const char *base, const char *dir)
{
	struct strbuf in, out;
	strbuf_init(&in);
	strbuf_init(&out);
	if (dir[0] != '/') {
		strbuf_adds(&in, base);
		strbuf_addc(&in, '/');
	}
	strbuf_adds(&in, dir);
	for (char *p = in.s; *p;) {
		while (*p == '/')
			p++;
		char *e = p;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (out.len > 0 && out.s[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.len--;
			if (out.s)
				out.s[out.len] = 0;
		} else {
			strbuf_addc(&out, '/');
			strbuf_addn(&out, p, n);
		}
		p = e;
	}
	if (out.len == 0)
		strbuf_addc(&out, '/');
	strbuf_finish(&in);
	return strbuf_take(&out);
}

static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

BUILTIN(cd)
{
	const char *dir;
	bool print = false;
	if (argc > 2) {
		sh_error(sh, "cd: too many arguments");
		return 2;
	}
	if (argc < 2) {
		dir = var_get(sh, "HOME");
		if (!dir) {
			sh_error(sh, "cd: HOME not set");
			return 1;
		}
	} else if (strcmp(argv[1], "-") == 0) {
		dir = var_get(sh, "OLDPWD");
		if (!dir) {
			sh_error(sh, "cd: OLDPWD not set");
			return 1;
		}
		print = true;
	} else {
		dir = argv[1];
	}
	char *target = xstrdup(dir);
	if (chdir(target) < 0) {
		sh_error(sh, "cd: %s: %s", target, strerror(errno));
		free(target);
		return 1;
	}
	const char *pwd = var_get(sh, "PWD");
	char *newpwd = NULL;
	if (pwd && pwd[0] == '/') {
		newpwd = logical(pwd, target);
		if (!same_dir(newpwd, ".")) {
			free(newpwd);
			newpwd = NULL;
		}
	}
	if (!newpwd)
		newpwd = getcwd(NULL, 0);
	if (!newpwd)
		newpwd = xstrdup(target);
	if (pwd)
		var_set(sh, "OLDPWD", pwd, 0);
	var_set(sh, "PWD", newpwd, 0);
	int st = 0;
	if (print) {
		char *line = xasprintf("%s\n", newpwd);
		st = builtin_out(sh, "cd", line, strlen(line));
		free(line);
	}
	free(newpwd);
	free(target);
	return st;
}
