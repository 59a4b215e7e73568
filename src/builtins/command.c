/* command [-v | -V] NAME [ARG...]: run NAME as a builtin or program,
 * bypassing functions; -v/-V say what NAME is. */
#include "config.h"
#include "builtins/builtin.h"

#include <string.h>

#include "exec.h"
#include "shell.h"

BUILTIN(command)
{
	int i = 1;
	int describe = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "-V") == 0) {
			describe = argv[i][1];
		} else {
			sh_error(sh, "command: %s: invalid option", argv[i]);
			return 2;
		}
	}
	if (i >= argc)
		return 0;
	if (describe) {
		int st = 0;
		struct strbuf b;
		strbuf_init(&b);
		for (; i < argc; i++) {
			if (!builtin_describe(sh, argv[i], describe == 'V', true, &b)) {
				if (describe == 'V')
					sh_error(sh, "command: %s: not found", argv[i]);
				st = 1;
			}
		}
		if (builtin_out(sh, "command", strbuf_str(&b), b.len))
			st = 1;
		strbuf_finish(&b);
		return st;
	}
	return exec_argv(sh, argc - i, argv + i, false);
}
