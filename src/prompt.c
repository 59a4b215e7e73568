/* Prompt escapes (see prompt.h). */
#include "config.h"
#include "prompt.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coproc.h"
#include "job.h"
#include "shell.h"

static void add_user(struct shell *sh, struct strbuf *b)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *u = pw ? pw->pw_name : var_get(sh, "USER");
	strbuf_adds(b, u ? u : "?");
}

static void add_host(struct strbuf *b, bool full)
{
	char h[256];
	if (gethostname(h, sizeof h) != 0)
		strcpy(h, "?");
	h[sizeof h - 1] = 0;
	if (!full) {
		char *dot = strchr(h, '.');
		if (dot)
			*dot = 0;
	}
	strbuf_adds(b, h);
}

static void add_dir(struct shell *sh, struct strbuf *b, bool base)
{
	const char *pwd = var_get(sh, "PWD");
	const char *home = var_get(sh, "HOME");
	if (!pwd)
		pwd = "?";
	size_t hl = home ? strlen(home) : 0;
	bool in_home = hl > 1 && strncmp(pwd, home, hl) == 0 && (pwd[hl] == 0 || pwd[hl] == '/');
	if (base) {
		if (in_home && pwd[hl] == 0) {
			strbuf_addc(b, '~');
			return;
		}
		const char *slash = strrchr(pwd, '/');
		strbuf_adds(b, slash && slash[1] ? slash + 1 : pwd);
		return;
	}
	if (in_home) {
		strbuf_addc(b, '~');
		strbuf_adds(b, pwd + hl);
	} else {
		strbuf_adds(b, pwd);
	}
}

static int count_jobs(struct shell *sh)
{
	int n = 0;
	for (struct job *j = sh->jobs; j; j = j->next)
		if (j->background)
			n++;
	return n;
}

char *prompt_expand(struct shell *sh, const char *ps, bool for_readline)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const char *p = ps; *p; p++) {
		if (*p != '\\' || !p[1]) {
			strbuf_addc(&b, *p);
			continue;
		}
		switch (*++p) {
		case 'u': add_user(sh, &b); break;
		case 'h': add_host(&b, false); break;
		case 'H': add_host(&b, true); break;
		case 'w': add_dir(sh, &b, false); break;
		case 'W': add_dir(sh, &b, true); break;
		case '$': strbuf_addc(&b, geteuid() == 0 ? '#' : '$'); break;
		case 'j': strbuf_addf(&b, "%d", count_jobs(sh)); break;
		case 'c': strbuf_addf(&b, "%d", coproc_running(sh)); break;
		case 'n': strbuf_addc(&b, '\n'); break;
		case 'e': strbuf_addc(&b, '\033'); break;
		case 'a': strbuf_addc(&b, '\a'); break;
		case '\\': strbuf_addc(&b, '\\'); break;
		case 't': {
			char t[16];
			time_t now = time(NULL);
			strftime(t, sizeof t, "%H:%M:%S", localtime(&now));
			strbuf_adds(&b, t);
			break;
		}
		case '[':
			if (for_readline)
				strbuf_addc(&b, '\001'); /* RL_PROMPT_START_IGNORE */
			break;
		case ']':
			if (for_readline)
				strbuf_addc(&b, '\002'); /* RL_PROMPT_END_IGNORE */
			break;
		default:
			strbuf_addc(&b, '\\');
			strbuf_addc(&b, *p);
		}
	}
	return strbuf_take(&b);
}
