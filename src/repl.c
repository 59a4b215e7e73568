/* The read-parse-run loop (see repl.h). */
#include "config.h"
#include "repl.h"

#include <string.h>

#include "coproc.h"
#include "exec.h"
#include "loop.h"
#include "input.h"
#include "job.h"
#include "parser.h"
#include "shell.h"

static const char *prompt_for(struct shell *sh, bool continuation)
{
	if (!sh->opt.interactive)
		return NULL;
	const char *p = var_get(sh, continuation ? "PS2" : "PS1");
	return p ? p : "";
}

int repl_run(struct shell *sh, struct input *in)
{
	struct strbuf text;
	strbuf_init(&text);
	int first_line = 1, next_line = 1;
	for (;;) {
		if (sh->opt.interactive && text.len == 0) {
			jobs_notify(sh);
			coproc_notify(sh);
		}
		enum input_result r = input_read_line(in, prompt_for(sh, text.len > 0), &text);
		if (r == INPUT_INTERRUPT) {
			strbuf_reset(&text);
			sh->last_status = 130;
			first_line = next_line;
			continue;
		}
		if (r == INPUT_EOF) {
			if (sh->sigint && exec_check_interrupt(sh))
				break;
			if (text.len) {
				/* input ended inside a command: that is an error now */
				struct parse_result res;
				parse_text(text.s, text.len, first_line, true, &res);
				if (res.status != PARSE_OK) {
					exec_report_syntax(sh, "stdin", res.pos, res.msg);
					sh->last_status = 2;
				}
				parse_result_finish(&res);
			}
			if (sh->opt.interactive)
				write_all(2, "exit\n", 5);
			break;
		}
		next_line = first_line;
		for (size_t i = 0; i < text.len; i++)
			if (text.s[i] == '\n')
				next_line++;
		struct parse_result res;
		parse_text(text.s, text.len, first_line, false, &res);
		if (res.status == PARSE_INCOMPLETE) {
			parse_result_finish(&res);
			continue;
		}
		if (sh->opt.interactive)
			input_history_add(sh, text.s);
		if (res.status == PARSE_ERROR) {
			exec_report_syntax(sh, "stdin", res.pos, res.msg);
			parse_result_finish(&res);
			sh->last_status = 2;
			if (!sh->opt.interactive)
				break;
			strbuf_reset(&text);
			first_line = next_line;
			continue;
		}
		input_sync(in);
		if (!sh->opt.noexec)
			exec_node(sh, res.tree);
		parse_result_finish(&res);
		strbuf_reset(&text);
		first_line = next_line;
		if (sh->unwind == UNWIND_EXIT)
			break;
		/* a Ctrl-C the command line already answered is not for the prompt */
		sh->sigint = false;
		loop_clear_interrupt(sh->loop);
		/* break, continue or return outside anything, or Ctrl-C: all done */
		sh->unwind = UNWIND_NONE;
	}
	strbuf_finish(&text);
	return sh->unwind == UNWIND_EXIT ? sh->exit_status : sh->last_status;
}
