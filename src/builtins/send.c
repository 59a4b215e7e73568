/* send [-n] [-t SECS] NAME [TEXT...]: write TEXT and a newline to NAME's
 * input, or without TEXT copy standard input to it. */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>

#include "builtins/coutil.h"
#include "shell.h"

BUILTIN(send)
{
	bool newline = true;
	long timeout = -1;
	struct bopt o = {0};
	int c;
	while ((c = builtin_getopt(sh, argc, argv, "nt:", &o)) != 0) {
		if (c == 'n') {
			newline = false;
		} else if (c == 't') {
			if (!builtin_timeout(sh, "send", o.arg, &timeout))
				return 2;
		} else {
			return 2;
		}
	}
	if (o.ind >= argc) {
		sh_error(sh, "usage: send [-n] [-t SECS] NAME [TEXT...]");
		return 2;
	}
	struct coop op = {.kind = COOP_SEND, .builtin = "send", .name = argv[o.ind],
			  .timeout_ms = timeout};
	struct coresult res;
	coresult_init(&res);
	if (o.ind + 1 < argc) {
		op.data = co_join(argc - o.ind - 1, argv + o.ind + 1, newline, &op.len);
		coop_run(sh, &op, NULL, NULL, &res);
		free(op.data);
		return co_done(&res);
	}
	/* standard input, piece by piece, each written before the next is read */
	long deadline = timeout >= 0 ? mono_ms() + timeout : -1;
	struct strbuf in;
	strbuf_init(&in);
	for (;;) {
		bool eof;
		strbuf_reset(&in);
		int st = co_read_stdin(sh, "send", &in, 65536, &eof);
		if (st) {
			res.status = st;
			break;
		}
		if (in.len == 0 && eof) {
			/* nothing to write, but the name must still exist */
			op.kind = COOP_SEND;
			op.data = "";
			op.len = 0;
			coop_run(sh, &op, NULL, NULL, &res);
			break;
		}
		if (deadline >= 0) {
			op.timeout_ms = deadline - mono_ms();
			if (op.timeout_ms < 0)
				op.timeout_ms = 0;
		}
		op.data = in.s;
		op.len = in.len;
		coop_run(sh, &op, NULL, NULL, &res);
		if (res.status != 0 || eof)
			break;
		coresult_finish(&res);
		coresult_init(&res);
	}
	strbuf_finish(&in);
	return co_done(&res);
}
