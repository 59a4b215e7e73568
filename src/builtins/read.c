/* read [-r] [-t SECS] [-p PROMPT] [NAME...]: read one line of standard
 * input and split it at IFS into the NAMEs (REPLY without one).  It never
 * reads past the line, so the rest of the input stays for what follows. */
#include "config.h"
#include "builtins/builtin.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"
#include "lexer.h"
#include "loop.h"
#include "shell.h"

/* Reads the line into b, with esc marking characters a backslash quoted.
 * Returns 0 at a newline, 1 at end of input, 142 on timeout, 130 on
 * Ctrl-C (128+N for a trapped signal N), -1 on a read error. */
static int read_line(struct shell *sh, bool raw, long deadline, struct strbuf *b,
		     struct strbuf *esc)
{
	struct stat st;
	bool seekable = fstat(0, &st) == 0 && S_ISREG(st.st_mode) && lseek(0, 0, SEEK_CUR) >= 0;
	bool escaped = false;
	char chunk[4096];
	for (;;) {
		if (!seekable) {
			long left = deadline >= 0 ? deadline - mono_ms() : -1;
			if (deadline >= 0 && left <= 0)
				return 142;
			int r = loop_wait_fd(sh->loop, 0, LOOP_IN, (int)left);
			int trapped = exec_trap_pending(sh);
			if (r < 0 && trapped)
				return 128 + trapped;
			if (r < 0 && sh->sigint)
				return 130;
			if (r < 0)
				loop_clear_interrupt(sh->loop);
			if (r <= 0)
				continue;
		}
		/* from a pipe one byte at a time; from a file a block, and the rest
		 * is given back below */
		ssize_t n = read(0, chunk, seekable ? sizeof chunk : 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			sh_error(sh, "read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 1;
		for (ssize_t i = 0; i < n; i++) {
			char c = chunk[i];
			if (escaped) {
				escaped = false;
				if (c == '\n')
					continue; /* backslash-newline joins lines */
				strbuf_addc(b, c);
				strbuf_addc(esc, 1);
				continue;
			}
			if (c == '\\' && !raw) {
				escaped = true;
				continue;
			}
			if (c == '\n') {
				if (seekable && i + 1 < n)
					lseek(0, -(off_t)(n - i - 1), SEEK_CUR);
				return 0;
			}
			if (c) {
				strbuf_addc(b, c);
				strbuf_addc(esc, 0);
			}
		}
	}
}

static bool in_ifs(const char *ifs, char c)
{
	return c && strchr(ifs, c) != NULL;
}

static bool ifs_space(const char *ifs, char c)
{
	return in_ifs(ifs, c) && (c == ' ' || c == '\t' || c == '\n');
}

/* Splits line at IFS into names, the last one taking the rest. */
static void assign(struct shell *sh, char **names, int n, const char *line, const char *esc,
		   size_t len)
{
	const char *ifs = var_get(sh, "IFS");
	if (!ifs)
		ifs = " \t\n";
	size_t i = 0;
	while (i < len && !esc[i] && ifs_space(ifs, line[i]))
		i++;
	for (int k = 0; k < n; k++) {
		size_t start = i;
		size_t end;
		if (k == n - 1) {
			end = len;
			while (end > start && !esc[end - 1] && ifs_space(ifs, line[end - 1]))
				end--;
			i = len;
		} else {
			while (i < len && (esc[i] || !in_ifs(ifs, line[i])))
				i++;
			end = i;
			/* one separator: blanks around at most one other IFS character */
			while (i < len && !esc[i] && ifs_space(ifs, line[i]))
				i++;
			if (i < len && !esc[i] && in_ifs(ifs, line[i]) && !ifs_space(ifs, line[i])) {
				i++;
				while (i < len && !esc[i] && ifs_space(ifs, line[i]))
					i++;
			}
		}
		char *v = xstrndup(line + start, end - start);
		var_set(sh, names[k], v, 0);
		free(v);
	}
}

BUILTIN(read)
{
	bool raw = false;
	long timeout = -1;
	const char *prompt = NULL;
	struct bopt o = {0};
	int c;
	while ((c = builtin_getopt(sh, argc, argv, "rt:p:", &o)) != 0) {
		if (c == 'r') {
			raw = true;
		} else if (c == 't') {
			if (!builtin_timeout(sh, "read", o.arg, &timeout))
				return 2;
		} else if (c == 'p') {
			prompt = o.arg;
		} else {
			return 2;
		}
	}
	char *reply[] = {"REPLY", NULL};
	char **names = o.ind < argc ? argv + o.ind : reply;
	int n = o.ind < argc ? argc - o.ind : 1;
	for (int k = 0; k < n; k++)
		if (!is_name(names[k], strlen(names[k]))) {
			sh_error(sh, "read: '%s': not a valid identifier", names[k]);
			return 1;
		}
	if (prompt && isatty(0))
		write_all(2, prompt, strlen(prompt));
	if (timeout == 0) { /* -t 0: is there input?  Nothing is read. */
		struct pollfd pfd = {.fd = 0, .events = POLLIN};
		return poll(&pfd, 1, 0) == 1 ? 0 : 1;
	}
	struct strbuf line, esc;
	strbuf_init(&line);
	strbuf_init(&esc);
	int st = read_line(sh, raw, timeout >= 0 ? mono_ms() + timeout : -1, &line, &esc);
	if (st >= 0 && st < 128 + 1 && st != 130) {
		if (o.ind < argc)
			assign(sh, names, n, strbuf_str(&line), strbuf_str(&esc), line.len);
		else
			var_set(sh, "REPLY", strbuf_str(&line), 0); /* the whole line, as bash */
	}
	/* end of input with a last unterminated line: the line counts, status 1 */
	strbuf_finish(&line);
	strbuf_finish(&esc);
	return st < 0 ? 1 : st;
}
