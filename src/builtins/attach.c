/* attach NAME: connect the terminal to a coprocess until Ctrl-].  A pty
 * coprocess gets every key as typed (raw mode); a pipe coprocess gets
 * whole lines, edited here.  Its output is shown as it comes. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "builtins/coutil.h"
#include "coproc.h"
#include "loop.h"
#include "shell.h"

#define CTRL_RBRACKET 0x1d

struct attach {
	struct shell *sh;
	struct coproc *cp;
	struct strbuf line; /* pipe mode: the line being typed */
	bool echo;          /* pty mode: show what is typed (its pty does not echo) */
	bool done;
};

static void to_coproc(struct attach *a, const char *p, size_t n)
{
	for (size_t off = 0; a->cp->in_fd >= 0 && off < n;) {
		ssize_t w = coproc_write(a->cp, p + off, n - off);
		if (w > 0)
			off += (size_t)w;
		else if (!(w < 0 && errno == EINTR))
			break;
	}
}

static void key(struct attach *a, unsigned char c)
{
	if (a->cp->pty) {
		/* Enter is \r at a terminal; the coprocess's pty does not map it */
		char ch = c == '\r' ? '\n' : (char)c;
		to_coproc(a, &ch, 1);
		if (!a->echo)
			return;
		if (ch == 0x7f || ch == '\b')
			write_all(1, "\b \b", 3);
		else if (ch == '\n' || ch == '\t' || (unsigned char)ch >= 0x20)
			write_all(1, &ch, 1);
		return;
	}
	switch (c) {
	case '\r':
	case '\n':
		strbuf_addc(&a->line, '\n');
		write_all(1, "\n", 1);
		to_coproc(a, a->line.s, a->line.len);
		strbuf_reset(&a->line);
		break;
	case 0x7f:
	case '\b':
		if (a->line.len) {
			a->line.s[--a->line.len] = 0;
			write_all(1, "\b \b", 3);
		}
		break;
	case 0x03: /* Ctrl-C: drop the line */
		strbuf_reset(&a->line);
		write_all(1, "^C\n", 3);
		break;
	case 0x04: /* Ctrl-D on an empty line: end of file for the coprocess */
		if (a->line.len == 0) {
			coproc_close_input(a->sh, a->cp);
			write_all(1, "^D\n", 3);
		}
		break;
	default:
		if (c >= 0x20 || c == '\t') {
			char ch = (char)c;
			strbuf_addc(&a->line, ch);
			write_all(1, &ch, 1);
		}
	}
}

static void on_key(void *data, int fd, unsigned events)
{
	(void)events;
	struct attach *a = data;
	unsigned char buf[512];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			a->done = true;
		return;
	}
	for (ssize_t i = 0; i < n && !a->done; i++) {
		if (buf[i] == CTRL_RBRACKET)
			a->done = true;
		else
			key(a, buf[i]);
	}
}

BUILTIN(attach)
{
	if (argc != 2) {
		sh_error(sh, "usage: attach NAME");
		return 2;
	}
	if (sh->subshell || !isatty(0) || !isatty(1)) {
		sh_error(sh, "attach: works at the terminal only");
		return 2;
	}
	struct coproc *cp = coproc_find(sh, argv[1]);
	if (!cp) {
		sh_error(sh, "attach: %s: no such coprocess", argv[1]);
		return 2;
	}
	struct termios saved, raw;
	if (tcgetattr(0, &saved) < 0) {
		sh_error(sh, "attach: %s", strerror(errno));
		return 1;
	}
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &raw);
	/* announced once the terminal is raw: keys typed as soon as the user
	 * sees this go to the coprocess, not through the terminal's echo */
	fd_printf(2, "cosh: attached to %s; Ctrl-] returns to cosh\n", cp->name);
	/* cosh keeps a coprocess's pty silent (no echo, so recv and ask see
	 * only answers; line editors then do not echo either): show the typing */
	struct termios cpt;
	struct attach a = {.sh = sh, .cp = cp};
	a.echo = cp->pty && cp->in_fd >= 0 && tcgetattr(cp->in_fd, &cpt) == 0 &&
		 !(cpt.c_lflag & ECHO);
	strbuf_init(&a.line);
	cp->users++;
	coproc_update_watch(sh, cp);
	struct loop_watch *w = loop_add(sh->loop, 0, LOOP_IN, on_key, &a);
	while (!a.done) {
		if (cp->out.len) {
			write_all(1, cp->out.p + cp->out.off, cp->out.len);
			coproc_consume(sh, &cp->out, cp->out.len);
		}
		if (costream_drained(&cp->out)) {
			fd_printf(2, "\r\ncosh: %s: output ended\r\n", cp->name);
			break;
		}
		loop_run_once(sh->loop, -1);
	}
	loop_remove(sh->loop, w);
	/* what already came is shown, not left for the next recv or ask */
	coproc_fill(sh, cp);
	if (cp->out.len) {
		write_all(1, cp->out.p + cp->out.off, cp->out.len);
		coproc_consume(sh, &cp->out, cp->out.len);
	}
	cp->users--;
	coproc_update_watch(sh, cp);
	tcsetattr(0, TCSANOW, &saved);
	strbuf_finish(&a.line);
	write_all(1, "\n", 1);
	return 0;
}
