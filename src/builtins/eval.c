/* eval [ARG...]: join the arguments with blanks and run them. */
#include "config.h"
#include "builtins/builtin.h"

#include "exec.h"
#include "shell.h"

BUILTIN(eval)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strbuf_addc(&b, ' ');
		strbuf_adds(&b, argv[i]);
	}
	int st = exec_text(sh, strbuf_str(&b), b.len, "eval");
	strbuf_finish(&b);
	return st;
}
