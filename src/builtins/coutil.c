/* Helpers of the coprocess builtins (see coutil.h). */
#include "config.h"
#include "builtins/coutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lexer.h"
#include "loop.h"
#include "shell.h"

int co_done(struct coresult *res)
{
	if (res->msg.len)
		write_all(2, res->msg.s, res->msg.len);
	int st = res->status;
	coresult_finish(res);
	return st;
}

size_t co_sink_stdout(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	/* a reader that went away loses the rest; the coprocess goes on */
	write_all(1, p, n);
	return n;
}

int co_read_stdin(struct shell *sh, const char *builtin, struct strbuf *out, size_t max,
		  bool *eof)
{
	*eof = false;
	size_t start = out->len;
	while (max == 0 || out->len - start < max) {
		if (loop_wait_fd(sh->loop, 0, LOOP_IN, -1) < 0)
			return 130;
		size_t want = 65536;
		if (max && max - (out->len - start) < want)
			want = max - (out->len - start);
		strbuf_grow(out, want);
		ssize_t r = read(0, out->s + out->len, want);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0) {
			sh_error(sh, "%s: standard input: %s", builtin, strerror(errno));
			return 1;
		}
		if (r == 0) {
			*eof = true;
			break;
		}
		out->len += (size_t)r;
		out->s[out->len] = 0;
		if (max)
			break; /* hand over what came; more in the next piece */
	}
	return 0;
}

void co_set_var(struct shell *sh, const char *builtin, const char *coname, const char *var,
		const char *data, size_t len, bool strip)
{
	char *v = xstrndup(data ? data : "", data ? len : 0);
	if (data && memchr(data, 0, len)) {
		size_t k = 0;
		for (size_t i = 0; i < len; i++)
			if (data[i])
				v[k++] = data[i];
		v[k] = 0;
		len = k;
		sh_error(sh, "%s: %s: NUL bytes dropped", builtin, coname);
	} else {
		len = data ? len : 0;
	}
	if (strip)
		while (len > 0 && v[len - 1] == '\n')
			v[--len] = 0;
	var_set(sh, var, v, 0);
	free(v);
}

bool co_valid_var(struct shell *sh, const char *builtin, const char *var)
{
	if (is_name(var, strlen(var)))
		return true;
	sh_error(sh, "%s: '%s': not a valid variable name", builtin, var);
	return false;
}

char *co_join(int argc, char **argv, bool newline, size_t *len)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < argc; i++) {
		if (i)
			strbuf_addc(&b, ' ');
		strbuf_adds(&b, argv[i]);
	}
	if (newline)
		strbuf_addc(&b, '\n');
	*len = b.len;
	return strbuf_take(&b);
}
