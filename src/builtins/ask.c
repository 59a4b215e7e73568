/* ask [-t SECS] [-v VAR] NAME [TEXT...]: send TEXT (or standard input) to
 * a coprocess started with -P, one line at a time, and take the output
 * between its prompts: the answer, with no echo and no prompt. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>

#include "builtins/coutil.h"
#include "shell.h"

BUILTIN(ask)
{
	struct coop op = {.kind = COOP_ASK, .builtin = "ask", .timeout_ms = -1};
	const char *var = NULL;
	struct bopt o = {0};
	int c;
	while ((c = builtin_getopt(sh, argc, argv, "t:v:", &o)) != 0) {
		if (c == 't') {
			if (!builtin_timeout(sh, "ask", o.arg, &op.timeout_ms))
				return 2;
		} else if (c == 'v') {
			var = o.arg;
		} else {
			return 2;
		}
	}
	if (o.ind >= argc) {
		sh_error(sh, "usage: ask [-t SECS] [-v VAR] NAME [TEXT...]");
		return 2;
	}
	if (var && !co_valid_var(sh, "ask", var))
		return 2;
	op.name = argv[o.ind];
	struct coresult res;
	coresult_init(&res);
	if (o.ind + 1 < argc) {
		op.data = co_join(argc - o.ind - 1, argv + o.ind + 1, true, &op.len);
	} else {
		struct strbuf in;
		strbuf_init(&in);
		bool eof;
		int st = co_read_stdin(sh, "ask", &in, 0, &eof);
		if (st) {
			strbuf_finish(&in);
			return st;
		}
		op.len = in.len;
		op.data = strbuf_take(&in);
	}
	coop_run(sh, &op, NULL, NULL, &res);
	free(op.data);
	if (var) {
		co_set_var(sh, "ask", op.name, var, res.data.s, res.data.len, true);
	} else if (res.data.len && builtin_out(sh, "ask", res.data.s, res.data.len) &&
		   res.status == 0) {
		res.status = 1;
	}
	return co_done(&res);
}
