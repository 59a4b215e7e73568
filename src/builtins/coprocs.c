/* coprocs: one line per coprocess, in start order:
 * NAME PID STATE MODE BUFFERED COMMAND. */
#include "config.h"
#include "builtins/builtin.h"

#include "builtins/coutil.h"
#include "shell.h"

BUILTIN(coprocs)
{
	(void)argv;
	if (argc != 1) {
		sh_error(sh, "usage: coprocs");
		return 2;
	}
	struct coop op = {.kind = COOP_LIST, .builtin = "coprocs", .timeout_ms = -1};
	struct coresult res;
	coresult_init(&res);
	coop_run(sh, &op, NULL, NULL, &res);
	if (res.data.len && builtin_out(sh, "coprocs", res.data.s, res.data.len))
		res.status = 1;
	return co_done(&res);
}
