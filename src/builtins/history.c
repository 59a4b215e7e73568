/* history [-c] [N]: list the command history (the last N entries), or
 * clear it.  Interactive shells keep it; it is saved in $HISTFILE. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdio.h>
#include <string.h>

#include "rlapi.h"
#include "shell.h"

BUILTIN(history)
{
	const struct rlapi *rl = sh->rl;
	long n = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c")) {
			if (rl)
				rl->clear_history();
			return 0;
		}
		if (!builtin_number(argv[i], &n) || n < 0) {
			sh_error(sh, "history: %s: numeric argument required", argv[i]);
			return 2;
		}
	}
	if (!rl) /* not interactive: no history kept */
		return 0;
	HIST_ENTRY **list = rl->history_list();
	int len = *rl->history_length;
	int first = n >= 0 && n < len ? len - (int)n : 0;
	struct strbuf b;
	strbuf_init(&b);
	for (int i = first; list && i < len; i++)
		strbuf_addf(&b, "%5d  %s\n", *rl->history_base + i, list[i]->line);
	int st = builtin_out(sh, "history", strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return st;
}
