/* recv [-e] [-t SECS] [-u REGEX | -a] [-v VAR] NAME [VAR]: take a line,
 * the output up to REGEX, or all of it, from NAME's buffer (-e: from the
 * buffer of its stderr, for a coprocess started with coproc -E).
 * recv -A [-t SECS] [-v VAR] [NAME...]: the line that arrived first from
 * any of them (all coprocesses when none is named); $RECV_FROM names it. */
#include "config.h"
#include "builtins/builtin.h"

#include <string.h>

#include "builtins/coutil.h"
#include "shell.h"

BUILTIN(recv)
{
	struct coop op = {.kind = COOP_RECV, .builtin = "recv", .timeout_ms = -1,
			  .mode = RECV_LINE};
	const char *var = NULL;
	struct bopt o = {0};
	int c;
	while ((c = builtin_getopt(sh, argc, argv, "Aet:u:av:", &o)) != 0) {
		switch (c) {
		case 'e':
			op.err = true;
			break;
		case 'A':
			op.any = true;
			break;
		case 't':
			if (!builtin_timeout(sh, "recv", o.arg, &op.timeout_ms))
				return 2;
			break;
		case 'u':
		case 'a':
			if (op.mode != RECV_LINE) {
				sh_error(sh, "recv: -u and -a cannot go together");
				return 2;
			}
			op.mode = c == 'a' ? RECV_ALL : RECV_UNTIL;
			op.regex = c == 'u' ? (char *)o.arg : NULL;
			break;
		case 'v':
			var = o.arg;
			break;
		default:
			return 2;
		}
	}
	int left = argc - o.ind;
	if (op.any && op.mode != RECV_LINE) {
		sh_error(sh, "recv: -A takes one line: it cannot go with -u or -a");
		return 2;
	}
	if (!op.any && (left < 1 || left > 2 || (left == 2 && var))) {
		sh_error(sh, "usage: recv [-e] [-t SECS] [-u REGEX | -a] [-v VAR] NAME [VAR]");
		return 2;
	}
	if (op.any) {
		op.argv = argv + o.ind; /* the names; none: every coprocess */
		op.name = NULL;
	} else {
		op.name = argv[o.ind];
		if (left == 2)
			var = argv[o.ind + 1];
	}
	if (var && !co_valid_var(sh, "recv", var))
		return 2;
	op.stream = op.mode == RECV_ALL && !var;
	struct coresult res;
	coresult_init(&res);
	coop_run(sh, &op, op.stream ? co_sink_stdout : NULL, NULL, &res);
	if (op.mode == RECV_UNTIL && res.status != 2)
		var_set(sh, "RECV_MATCH", res.match ? res.match : "", 0);
	if (op.any && res.status != 2)
		var_set(sh, "RECV_FROM", res.from ? res.from : "", 0);
	if (var) { /* assigned on every return: what was taken, or "" */
		const char *from = op.any ? (res.from ? res.from : "") : op.name;
		co_set_var(sh, "recv", from, var, res.data.s, res.data.len, op.mode == RECV_ALL);
	} else if (res.got || res.data.len) {
		if (op.mode == RECV_LINE)
			strbuf_addc(&res.data, '\n');
		if (res.data.len && builtin_out(sh, "recv", res.data.s, res.data.len) && res.status == 0)
			res.status = 1;
	}
	return co_done(&res);
}
