/* The line source seam: GNU readline (interactive on a terminal) or a
 * plain fd (scripts on stdin, pipes, -i without a terminal).  Both wait
 * through the event loop, so nothing else stalls while the shell reads. */
#ifndef COSH_INPUT_H
#define COSH_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct shell;

enum input_result {
	INPUT_LINE,      /* a line was appended (with its newline) */
	INPUT_EOF,       /* no more input */
	INPUT_INTERRUPT, /* Ctrl-C at the prompt: discard what was typed */
};

struct input {
	struct shell *sh;
	bool readline;
	int fd;
	bool seekable; /* read ahead in blocks and give back what was not used */
	bool eof;
	char buf[4096];
	size_t start, end;
	/* readline state */
	bool rl_done;
	char *rl_line;
	/* Called after each round of the loop while the prompt is up (notices). */
	void (*idle)(void *ctx);
	void *idle_ctx;
};

void input_init_fd(struct input *in, struct shell *sh, int fd);
void input_init_readline(struct input *in, struct shell *sh);
void input_finish(struct input *in);
/* Reads one line onto out, showing prompt (NULL: none). */
enum input_result input_read_line(struct input *in, const char *prompt, struct strbuf *out);
/* Prints with print(ctx) above the prompt and the half-typed line, which
 * are then drawn again as they were (cursor included). */
void input_print_above(struct input *in, void (*print)(void *ctx), void *ctx);
/* Before running a command: give read-ahead back to the fd, so commands
 * that read the same stdin see the rest of it. */
void input_sync(struct input *in);

/* History (readline): load file, add an entry and append it to the file
 * (created mode 0600). */
void input_history_init(struct shell *sh);
void input_history_add(struct shell *sh, const char *line);
/* At exit: the file holds the last HISTSIZE entries, whole. */
void input_history_save(struct shell *sh);

#endif
