/* Line sources (see input.h).  readline is used through its callback
 * interface, with stdin as one more fd in the event loop. */
#include "config.h"
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complete.h"
#include "loop.h"
#include "rlapi.h"
#include "shell.h"

/* readline's callbacks take no user pointer: the one static pointer of
 * the shell, valid while a prompt is up. */
static struct input *rl_input;

void input_init_fd(struct input *in, struct shell *sh, int fd)
{
	memset(in, 0, sizeof *in);
	in->sh = sh;
	in->fd = fd;
	struct stat st;
	in->seekable = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		       lseek(fd, 0, SEEK_CUR) >= 0;
}

static char **on_complete(const char *text, int start, int end)
{
	(void)end;
	if (!rl_input)
		return NULL;
	const struct rlapi *rl = rl_input->sh->rl;
	char **m = complete_words(rl_input->sh, *rl->rl_line_buffer, text, start);
	if (m)
		*rl->rl_attempted_completion_over = 1; /* ours, not file names */
	return m;
}

void input_init_readline(struct input *in, struct shell *sh)
{
	memset(in, 0, sizeof *in);
	in->sh = sh;
	in->fd = 0;
	in->readline = true;
	const struct rlapi *rl = sh->rl;
	*rl->rl_readline_name = "cosh";
	*rl->rl_catch_signals = 0;
	*rl->rl_catch_sigwinch = 0;
	*rl->rl_attempted_completion_function = on_complete;
	complete_setup(rl);
}

void input_finish(struct input *in)
{
	if (in->readline && rl_input == in)
		rl_input = NULL;
}

void input_sync(struct input *in)
{
	if (!in->readline && in->seekable && in->start < in->end)
		lseek(in->fd, -(off_t)(in->end - in->start), SEEK_CUR);
	in->start = in->end = 0;
}

static enum input_result fd_read(struct input *in, const char *prompt, struct strbuf *out)
{
	struct shell *sh = in->sh;
	if (prompt)
		write_all(2, prompt, strlen(prompt));
	size_t got = 0;
	for (;;) {
		if (in->start < in->end) {
			char *b = in->buf + in->start;
			size_t n = in->end - in->start;
			char *nl = memchr(b, '\n', n);
			size_t take = nl ? (size_t)(nl - b) + 1 : n;
			strbuf_addn(out, b, take);
			in->start += take;
			got += take;
			if (nl)
				return INPUT_LINE;
			continue;
		}
		if (in->eof) {
			if (got) {
				strbuf_addc(out, '\n');
				return INPUT_LINE;
			}
			return INPUT_EOF;
		}
		int r = loop_wait_fd(sh->loop, in->fd, LOOP_IN, -1);
		if (r < 0) {
			if (sh->opt.interactive && sh->sigint) {
				sh->sigint = false;
				loop_clear_interrupt(sh->loop);
				write_all(2, "\n", 1);
				return INPUT_INTERRUPT;
			}
			if (sh->sigint)
				return INPUT_EOF; /* the caller's interrupt check ends the script */
			continue;
		}
		/* From a pipe, one byte at a time: what follows belongs to the
		 * commands that read the same stdin. */
		ssize_t n = read(in->fd, in->buf, in->seekable ? sizeof in->buf : 1);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			in->eof = true;
			continue;
		}
		if (n == 0) {
			in->eof = true;
			continue;
		}
		in->start = 0;
		in->end = (size_t)n;
	}
}

static void on_rl_line(char *line)
{
	struct input *in = rl_input;
	if (!in)
		return;
	in->rl_done = true;
	in->rl_line = line;
	in->sh->rl->rl_callback_handler_remove();
}

static void on_stdin(void *data, int fd, unsigned events)
{
	struct input *in = data;
	(void)fd;
	(void)events;
	in->sh->rl->rl_callback_read_char();
}

static enum input_result rl_read(struct input *in, const char *prompt, struct strbuf *out)
{
	struct shell *sh = in->sh;
	const struct rlapi *rl = sh->rl;
	rl_input = in;
	in->rl_done = false;
	in->rl_line = NULL;
	rl->rl_callback_handler_install(prompt ? prompt : "", on_rl_line);
	struct loop_watch *w = loop_add(sh->loop, 0, LOOP_IN, on_stdin, in);
	sh->at_prompt = true;
	enum input_result res = INPUT_LINE;
	while (!in->rl_done) {
		loop_run_once(sh->loop, -1);
		if (in->rl_done)
			break;
		if (sh->sigint) {
			/* Ctrl-C: drop the half-typed line, start afresh */
			sh->sigint = false;
			loop_clear_interrupt(sh->loop);
			rl->rl_free_line_state();
			rl->rl_callback_sigcleanup();
			rl->rl_cleanup_after_signal();
			rl->rl_callback_handler_remove();
			write_all(1, "\n", 1);
			res = INPUT_INTERRUPT;
			break;
		}
		if (sh->winch) {
			sh->winch = false;
			rl->rl_resize_terminal();
		}
		if (in->idle)
			in->idle(in->idle_ctx);
	}
	sh->at_prompt = false;
	loop_remove(sh->loop, w);
	if (res == INPUT_INTERRUPT)
		return res;
	if (!in->rl_line)
		return INPUT_EOF;
	strbuf_adds(out, in->rl_line);
	strbuf_addc(out, '\n');
	free(in->rl_line);
	in->rl_line = NULL;
	return INPUT_LINE;
}

void input_print_above(struct input *in, void (*print)(void *ctx), void *ctx)
{
	if (!in->readline || !in->sh->at_prompt) {
		print(ctx);
		return;
	}
	/* clear the line, print, then draw prompt and line again */
	const struct rlapi *rl = in->sh->rl;
	int point = *rl->rl_point;
	char *line = rl->rl_copy_text(0, *rl->rl_end);
	rl->rl_save_prompt();
	rl->rl_replace_line("", 0);
	rl->rl_redisplay();
	print(ctx);
	rl->rl_restore_prompt();
	rl->rl_replace_line(line, 0);
	*rl->rl_point = point;
	rl->rl_forced_update_display();
	free(line);
}

enum input_result input_read_line(struct input *in, const char *prompt, struct strbuf *out)
{
	return in->readline ? rl_read(in, prompt, out) : fd_read(in, prompt, out);
}

static long histsize(struct shell *sh)
{
	const char *s = var_get(sh, "HISTSIZE");
	long n = s && *s ? strtol(s, NULL, 10) : 1000;
	return n < 0 ? 1000 : n;
}

void input_history_init(struct shell *sh)
{
	const struct rlapi *rl = sh->rl;
	if (!rl)
		return;
	rl->using_history();
	*rl->history_comment_char = '#'; /* timestamps are written as #SECONDS */
	*rl->history_write_timestamps = 1;
	*rl->history_multiline_entries = 1;
	rl->stifle_history((int)histsize(sh));
	const char *file = var_get(sh, "HISTFILE");
	free(sh->histfile);
	sh->histfile = NULL;
	if (file && *file) {
		sh->histfile = xstrdup(file);
		rl->read_history(file);
	}
}

void input_history_add(struct shell *sh, const char *line)
{
	size_t n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		n--;
	const struct rlapi *rl = sh->rl;
	if (n == 0 || !rl)
		return;
	char *entry = xstrndup(line, n);
	int len = *rl->history_length;
	HIST_ENTRY *last = len > 0 ? rl->history_get(*rl->history_base + len - 1) : NULL;
	if (last && strcmp(last->line, entry) == 0) {
		free(entry);
		return; /* consecutive duplicates are kept once */
	}
	rl->add_history(entry);
	free(entry);
	if (!sh->histfile)
		return;
	/* create it private before readline appends to it */
	int fd = open(sh->histfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(fd);
	rl->append_history(1, sh->histfile);
}

void input_history_save(struct shell *sh)
{
	/* the file was appended to command by command (nothing is lost if the
	 * shell dies); at exit it is written anew, HISTSIZE whole entries, so
	 * trimming never splits a multi-line command from its timestamp */
	const struct rlapi *rl = sh->rl;
	if (rl && sh->histfile && *rl->history_length > 0)
		rl->write_history(sh->histfile);
}
