/* export [-p] [NAME[=VALUE]...]: pass variables to the environment of
 * commands; without names, list the exported ones. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "shell.h"

static void list_one(void *ctx, const char *name, const char *value, unsigned flags)
{
	struct strbuf *b = ctx;
	if (!(flags & VAR_EXPORT))
		return;
	strbuf_addf(b, "export %s", name);
	if (value) {
		strbuf_addc(b, '=');
		strbuf_add_shquoted(b, value);
	}
	strbuf_addc(b, '\n');
}

BUILTIN(export)
{
	int i = 1;
	if (i < argc && strcmp(argv[i], "-p") == 0)
		i++;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		struct strbuf b;
		strbuf_init(&b);
		var_each(sh, list_one, &b);
		int st = builtin_out(sh, "export", strbuf_str(&b), b.len);
		strbuf_finish(&b);
		return st;
	}
	int st = 0;
	for (; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!is_name(argv[i], n)) {
			sh_error(sh, "export: '%s': not a valid identifier", argv[i]);
			st = 1;
			continue;
		}
		if (eq) {
			char *name = xstrndup(argv[i], n);
			var_set(sh, name, eq + 1, VAR_EXPORT);
			free(name);
		} else {
			var_export(sh, argv[i]);
		}
	}
	return st;
}
