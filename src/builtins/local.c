/* local NAME[=VALUE]...: variables of the running function; their old
 * values come back when it returns. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "shell.h"

BUILTIN(local)
{
	if (!sh->frames) {
		sh_error(sh, "local: can only be used in a function");
		return 1;
	}
	int st = 0;
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!is_name(argv[i], n)) {
			sh_error(sh, "local: '%s': not a valid identifier", argv[i]);
			st = 1;
			continue;
		}
		char *name = xstrndup(argv[i], n);
		local_declare(sh, name);
		if (eq)
			var_set(sh, name, eq + 1, 0);
		else
			var_unset(sh, name);
		free(name);
	}
	return st;
}
