/* The read-parse-run loop (see repl.h). */
#include "config.h"
#include "repl.h"

#include <stdlib.h>
#include <string.h>

#include "coproc.h"
#include "exec.h"
#include "loop.h"
#include "input.h"
#include "job.h"
#include "parser.h"
#include "prompt.h"
#include "shell.h"

/* The prompt to show, expanded (malloc'd), or NULL when not interactive. */
static char *prompt_for(struct shell *sh, struct input *in, bool continuation)
{
	if (!sh->opt.interactive)
		return NULL;
	const char *p = var_get(sh, continuation ? "PS2" : "PS1");
	return prompt_expand(sh, p ? p : "", in->readline);
}

static bool notices_pending(struct shell *sh)
{
	for (struct job *j = sh->jobs; j; j = j->next)
		if (j->background && (job_done(j) || (job_stopped(j) && !j->stop_noticed)))
			return true;
	for (struct coproc *cp = sh->coprocs; cp; cp = cp->next)
		if (cp->exited && !cp->collected)
			return true;
	return false;
}

static void print_notices(void *ctx)
{
	struct shell *sh = ctx;
	jobs_notify(sh);
	coproc_notify(sh);
}

/* While the user types: a job that ends or a coprocess that exits is
 * reported at once, above the line, which stays as it was. */
static void idle(void *ctx)
{
	struct input *in = ctx;
	jobs_reap(in->sh);
	if (notices_pending(in->sh))
		input_print_above(in, print_notices, in->sh);
}

int repl_run(struct shell *sh, struct input *in)
{
	if (sh->opt.interactive) {
		in->idle = idle;
		in->idle_ctx = in;
	}
	struct strbuf text;
	strbuf_init(&text);
	int first_line = 1, next_line = 1;
	for (;;) {
		if (sh->opt.interactive && text.len == 0) {
			jobs_notify(sh);
			coproc_notify(sh);
		}
		char *prompt = prompt_for(sh, in, text.len > 0);
		enum input_result r = input_read_line(in, prompt, &text);
		free(prompt);
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
		/* the line names a job that stops (a list names each item itself) */
		char *line = xstrndup(text.s, text.len);
		for (size_t n = strlen(line); n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '); n--)
			line[n - 1] = 0;
		sh->cur_text = line;
		if (!sh->opt.noexec)
			exec_node(sh, res.tree);
		sh->cur_text = NULL;
		free(line);
		parse_result_finish(&res);
		strbuf_reset(&text);
		first_line = next_line;
		if (sh->unwind == UNWIND_EXIT)
			break;
		/* a Ctrl-C the command line already answered is not for the prompt */
		if (sh->sigint && sh->opt.interactive)
			write_all(2, "\n", 1);
		sh->sigint = false;
		loop_clear_interrupt(sh->loop);
		/* break, continue or return outside anything, or Ctrl-C: all done */
		sh->unwind = UNWIND_NONE;
	}
	strbuf_finish(&text);
	return sh->unwind == UNWIND_EXIT ? sh->exit_status : sh->last_status;
}
