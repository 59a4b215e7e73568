/* help [BUILTIN]: list the builtins, or show one's usage. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>
#include <string.h>

#include "shell.h"

BUILTIN(help)
{
	size_t n;
	const struct builtin *t = builtin_table(&n);
	struct strbuf b;
	strbuf_init(&b);
	int st = 0;
	if (argc < 2) {
		strbuf_adds(&b, "cosh builtins (help NAME for one):\n");
		for (size_t i = 0; i < n; i++) {
			char *use = xasprintf("%s %s", t[i].name, t[i].usage);
			strbuf_addf(&b, "  %-40s %s\n", use, t[i].summary);
			free(use);
		}
	} else {
		for (int k = 1; k < argc; k++) {
			const struct builtin *bi = builtin_find(argv[k]);
			if (!bi) {
				sh_error(sh, "help: no builtin matches '%s'", argv[k]);
				st = 1;
				continue;
			}
			strbuf_addf(&b, "usage: %s%s%s\n%s\n", bi->name, *bi->usage ? " " : "",
				    bi->usage, bi->summary);
		}
	}
	if (builtin_out(sh, "help", strbuf_str(&b), b.len))
		st = 1;
	strbuf_finish(&b);
	return st;
}
