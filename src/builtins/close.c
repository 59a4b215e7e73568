/* close NAME: close a coprocess's input; its output stays readable. */
#include "config.h"
#include "builtins/builtin.h"

#include "builtins/coutil.h"
#include "shell.h"

BUILTIN(close)
{
	if (argc != 2) {
		sh_error(sh, "usage: close NAME");
		return 2;
	}
	struct coop op = {.kind = COOP_CLOSE, .builtin = "close", .name = argv[1],
			  .timeout_ms = -1};
	struct coresult res;
	coresult_init(&res);
	coop_run(sh, &op, NULL, NULL, &res);
	return co_done(&res);
}
