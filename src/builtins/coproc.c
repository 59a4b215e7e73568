/* coproc [-p] [-E] [-l FILE] [-P REGEX] [-t SECS] NAME CMD [ARG...] [REDIRECTION...]:
 * start CMD as the persistent coprocess NAME.  Its redirections apply to
 * the coprocess (2>&1 merges its stderr into what recv reads).
 * coproc [OPTION...] NAME { list; } [REDIRECTION...]: the group, run by a
 * forked cosh, is the coprocess (the parser hands it over in cmd_node). */
#include "config.h"
#include "builtins/builtin.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ast.h"
#include "builtins/coutil.h"
#include "expand.h"
#include "shell.h"

static bool parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (end == s || *end || v == 0)
		return false;
	*out = (size_t)v;
	return true;
}

/* The command's redirections, expanded, for the coprocess's child. */
static bool collect_redirs(struct shell *sh, struct coop *op)
{
	size_t n = 0;
	for (const struct redir *r = sh->cmd_redirs; r; r = r->next)
		n++;
	op->redirs = xcalloc(n + 1, sizeof *op->redirs);
	for (const struct redir *r = sh->cmd_redirs; r; r = r->next) {
		if (r->op == R_HEREDOC) {
			sh_error(sh, "coproc: a here-document cannot feed a coprocess (use send)");
			return false;
		}
		char *t = expand_string(sh, r->target);
		if (!t)
			return false;
		op->redirs[op->nredirs++] = (struct coredir){r->fd, r->op, t};
	}
	return true;
}

static bool term_given(struct shell *sh)
{
	for (const struct assign *a = sh->cmd_assigns; a; a = a->next)
		if (strcmp(a->name, "TERM") == 0)
			return true;
	return false;
}

BUILTIN(coproc)
{
	struct coop op = {.kind = COOP_START, .builtin = "coproc", .timeout_ms = -1};
	struct bopt o = {0};
	int c;
	while ((c = builtin_getopt(sh, argc, argv, "El:pP:t:", &o)) != 0) {
		switch (c) {
		case 'E':
			op.err = true;
			break;
		case 'l':
			op.log = (char *)o.arg;
			break;
		case 'p':
			op.pty = true;
			break;
		case 'P':
			op.prompt = (char *)o.arg;
			break;
		case 't':
			if (!builtin_timeout(sh, "coproc", o.arg, &op.timeout_ms))
				return 2;
			break;
		default:
			return 2;
		}
	}
	const struct node_simple *cmd = sh->cmd_node;
	bool group = cmd && cmd->group;
	if (group ? argc - o.ind != 1 : argc - o.ind < 2) {
		sh_error(sh, "usage: coproc [-p] [-E] [-l FILE] [-P REGEX] [-t SECS] NAME "
			 "(CMD [ARG...] | { LIST; }) [REDIRECTION...]");
		return 2;
	}
	op.name = argv[o.ind];
	if (group) {
		op.group = cmd->group;
		op.group_text = cmd->group_text;
	} else {
		op.argv = argv + o.ind + 1;
	}
	const char *bm = var_get(sh, "COSH_BUFMAX");
	if (bm && *bm && !parse_size(bm, &op.bufmax)) {
		sh_error(sh, "coproc: COSH_BUFMAX: %s: not a size in bytes", bm);
		return 2;
	}
	/* the environment: exported variables and this command's assignments;
	 * programs on a pty get TERM=dumb (no escape sequences) unless told */
	struct ptrvec env;
	ptrvec_init(&env);
	for (char **e = var_environ(sh); *e; e++)
		if (!(op.pty && !term_given(sh) && strncmp(*e, "TERM=", 5) == 0))
			ptrvec_push(&env, *e);
	if (op.pty && !term_given(sh))
		ptrvec_push(&env, "TERM=dumb");
	op.envp = (char **)ptrvec_take(&env);
	char *cwd = sh->subshell ? getcwd(NULL, 0) : NULL;
	op.cwd = cwd;
	struct coresult res;
	coresult_init(&res);
	if (collect_redirs(sh, &op)) {
		coop_run(sh, &op, NULL, NULL, &res);
		if (res.status == 0)
			sh->last_bg = res.pid;
	} else {
		res.status = 1;
	}
	for (size_t i = 0; i < op.nredirs; i++)
		free(op.redirs[i].target);
	free(op.redirs);
	free(op.envp);
	free(cwd);
	return co_done(&res);
}
