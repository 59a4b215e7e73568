/* unset [-v | -f] NAME...: remove variables (or functions). */
#include "config.h"
#include "builtins/builtin.h"

#include <string.h>

#include "lexer.h"
#include "shell.h"

BUILTIN(unset)
{
	int mode = 0; /* 0: variable, else function; 'v' or 'f' */
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-v") == 0) {
			mode = 'v';
		} else if (strcmp(argv[i], "-f") == 0) {
			mode = 'f';
		} else {
			sh_error(sh, "unset: %s: invalid option", argv[i]);
			return 2;
		}
	}
	int st = 0;
	for (; i < argc; i++) {
		if (mode == 'f') {
			func_unset(sh, argv[i]);
			continue;
		}
		if (!is_name(argv[i], strlen(argv[i]))) {
			sh_error(sh, "unset: '%s': not a valid identifier", argv[i]);
			st = 1;
			continue;
		}
		if (mode == 0 && !var_get(sh, argv[i]) && !var_is_exported(sh, argv[i]))
			func_unset(sh, argv[i]);
		else
			var_unset(sh, argv[i]);
	}
	return st;
}
