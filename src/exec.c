/* The tree walk (see exec.h). */
#include "config.h"
#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins/builtin.h"
#include "chan.h"
#include "coproc.h"
#include "coreq.h"
#include "expand.h"
#include "job.h"
#include "loop.h"
#include "parser.h"
#include "redir.h"
#include "shell.h"

static int exec_nofork(struct shell *sh, struct node *n);
static int exec_condition(struct shell *sh, struct node *n);

void exec_report_syntax(struct shell *sh, const char *name, struct pos pos, const char *msg)
{
	sh_error(sh, "%s:%d:%d: syntax error: %s", name, pos.line, pos.col, msg);
}

int exec_text(struct shell *sh, const char *src, size_t len, const char *name)
{
	struct parse_result res;
	parse_text(src, len, 1, true, &res);
	if (res.status != PARSE_OK) {
		exec_report_syntax(sh, name, res.pos, res.msg);
		parse_result_finish(&res);
		sh->last_status = 2;
		return 2;
	}
	int st = sh->opt.noexec ? 0 : exec_node(sh, res.tree);
	parse_result_finish(&res);
	return st;
}

/* ---- signals ---- */

void exec_on_signal(void *data, int signo)
{
	struct shell *sh = data;
	if (sh->traps[signo] && *sh->traps[signo]) {
		sh->trap_pending[signo] = true; /* the action runs between commands */
		sh->any_trap_pending = true;
		if (signo == SIGCHLD)
			jobs_reap(sh);
		else
			loop_interrupt(sh->loop); /* and a wait in progress ends for it */
		return;
	}
	switch (signo) {
	case SIGCHLD:
		jobs_reap(sh);
		break;
	case SIGINT:
		sh->sigint = true;
		loop_interrupt(sh->loop); /* ends a loop_wait_fd in progress */
		break;
	case SIGWINCH:
		sh->winch = true;
		coproc_resize(sh);
		break;
	case SIGTERM:
	case SIGHUP:
		shell_exit(sh, 128 + signo);
	default:
		break;
	}
}

int exec_trap_pending(struct shell *sh)
{
	if (!sh->any_trap_pending)
		return 0;
	for (int s = 1; s < NSIG; s++)
		if (sh->trap_pending[s])
			return s;
	return 0;
}

void exec_run_traps(struct shell *sh)
{
	if (!sh->any_trap_pending || sh->in_trap)
		return;
	sh->any_trap_pending = false;
	for (int s = 1; s < NSIG; s++) {
		if (!sh->trap_pending[s])
			continue;
		sh->trap_pending[s] = false;
		if (!sh->traps[s] || !*sh->traps[s])
			continue;
		char *action = xstrdup(sh->traps[s]); /* the trap may replace itself */
		int st = sh->last_status;
		sh->in_trap = true;
		exec_text(sh, action, strlen(action), "trap");
		sh->in_trap = false;
		if (sh->unwind != UNWIND_EXIT)
			sh->last_status = st; /* $? is kept across a trap */
		free(action);
	}
}

bool exec_check_interrupt(struct shell *sh)
{
	if (!sh->sigint)
		return sh->unwind == UNWIND_INTERRUPT;
	sh->sigint = false;
	loop_clear_interrupt(sh->loop);
	if (!sh->opt.interactive || sh->subshell) {
		/* A script stopped by Ctrl-C dies of it, so its caller sees why. */
		shell_run_exit_trap(sh, 130);
		if (shell_owns_coprocs(sh))
			coproc_shutdown(sh);
		signal(SIGINT, SIG_DFL);
		kill(getpid(), SIGINT);
		shell_exit(sh, 130);
	}
	sh->unwind = UNWIND_INTERRUPT;
	sh->last_status = 130;
	return true;
}

static void after_round(void *data)
{
	coreq_progress_all(data);
}

static long next_deadline(void *data)
{
	return coreq_next_ms(data);
}

void exec_group_child(struct shell *sh, struct node *group, char *text)
{
	exec_child_setup(sh, false);
	/* it owns coprocesses of its own; the parent's are not its to reach */
	if (sh->share_fd >= 0)
		close(sh->share_fd);
	sh->share_fd = -1;
	sh->own_coprocs = true;
	loop_set_hooks(sh->loop, after_round, next_deadline, sh);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int st = group ? exec_node(sh, group) : exec_text(sh, text, strlen(text), "coproc");
	free(text);
	if (sh->unwind == UNWIND_EXIT)
		st = sh->exit_status;
	shell_exit(sh, st);
}

void exec_install_signals(struct shell *sh)
{
	loop_set_signal_fn(sh->loop, exec_on_signal, sh);
	loop_set_hooks(sh->loop, after_round, next_deadline, sh);
	loop_catch(sh->loop, SIGCHLD);
	loop_catch(sh->loop, SIGINT);
	loop_catch(sh->loop, SIGTERM);
	loop_catch(sh->loop, SIGHUP);
	signal(SIGPIPE, SIG_IGN);
	if (sh->opt.interactive) {
		signal(SIGQUIT, SIG_IGN);
		signal(SIGTSTP, SIG_IGN);
		signal(SIGTTIN, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
		loop_catch(sh->loop, SIGWINCH);
	}
}

static const int reset_signals[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP,
				    SIGTTIN, SIGTTOU, SIGWINCH, SIGCHLD};

void exec_reset_for_exec(struct shell *sh)
{
	for (size_t i = 0; i < sizeof reset_signals / sizeof reset_signals[0]; i++) {
		int s = reset_signals[i];
		/* a signal ignored with trap '' stays ignored, as POSIX says */
		signal(s, sh->traps[s] && !*sh->traps[s] ? SIG_IGN : SIG_DFL);
	}
	for (int s = 1; s < NSIG; s++)
		if (sh->traps[s] && *sh->traps[s])
			signal(s, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setrlimit(RLIMIT_NOFILE, &sh->nofile);
}

pid_t exec_fork(struct shell *sh, struct job *job, bool background)
{
	/* Signals wait until the child has its own dispositions: a signal
	 * sent right after the fork must not run the parent's handler. */
	chan_prepare(sh); /* the child may run coprocess builtins: it needs the owner */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid != 0) {
		int e = errno;
		if (pid > 0)
			jobctl_parent(sh, job, pid, !background);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (pid < 0)
			sh_error(sh, "fork: %s", strerror(e));
		return pid;
	}
	jobctl_child(sh, job, !background);
	/* without job control a background job must not die of Ctrl-C; with it,
	 * the terminal's keys reach it only once fg brings it forward */
	exec_child_setup(sh, background && !sh->jobctl);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

void exec_child_setup(struct shell *sh, bool ignore_keys)
{
	if (sh->jobctl)
		close(sh->tty);
	sh->jobctl = false; /* a forked shell does no job control of its own */
	sh->subshell = true;
	sh->own_coprocs = false; /* a coprocess group's children ask the group */
	sh->opt.interactive = false;
	sh->at_prompt = false;
	sh->sigint = false;
	loop_after_fork(sh->loop);
	jobs_free(sh);
	/* only the owner touches coprocess fds: a forked shell asks it */
	coreq_forget_all(sh);
	chan_after_fork(sh);
	coproc_after_fork(sh);
	/* A forked shell dies of terminal signals and of a closed pipe, as
	 * any program would; it keeps only its SIGCHLD handler. */
	signal(SIGINT, ignore_keys ? SIG_IGN : SIG_DFL);
	signal(SIGQUIT, ignore_keys ? SIG_IGN : SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	/* a subshell starts with no traps, but what was ignored stays ignored */
	for (int s = 0; s < NSIG; s++) {
		sh->trap_pending[s] = false;
		if (sh->traps[s] && *sh->traps[s]) {
			if (s > 0 && s != SIGCHLD)
				signal(s, SIG_DFL);
			free(sh->traps[s]);
			sh->traps[s] = NULL;
		} else if (sh->traps[s] && s > 0) {
			signal(s, SIG_IGN);
		}
	}
}

/* Waits for a foreground job.  Ctrl-C that killed it stops the command
 * line; one the job caught and survived is forgotten, as in bash. */
static int wait_fg(struct shell *sh, struct job *job)
{
	int st = job_wait(sh, job);
	if (st == 128 + SIGINT && sh->jobctl)
		sh->sigint = true; /* under job control the shell itself saw nothing */
	if (st == 128 + SIGINT && sh->sigint) {
		if (sh->opt.interactive)
			write_all(2, "\n", 1); /* the prompt starts on a line of its own */
		exec_check_interrupt(sh);
	} else {
		sh->sigint = false;
		loop_clear_interrupt(sh->loop);
	}
	return st;
}

/* The parent's side of a foreground fork: the job gets the child, and
 * the shell waits for it (status 1 when the fork failed). */
static int wait_forked(struct shell *sh, struct job *job, pid_t pid)
{
	if (pid < 0) {
		job_remove(sh, job);
		return 1;
	}
	job_add_proc(job, pid);
	return wait_fg(sh, job);
}

/* ---- external commands ---- */

char *exec_find(struct shell *sh, const char *name, const char *path)
{
	(void)sh;
	if (strchr(name, '/'))
		return xstrdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *fallback = NULL;
	struct strbuf b;
	strbuf_init(&b);
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		strbuf_reset(&b);
		if (n == 0)
			strbuf_addc(&b, '.');
		else
			strbuf_addn(&b, p, n);
		strbuf_addc(&b, '/');
		strbuf_adds(&b, name);
		struct stat st;
		if (stat(b.s, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(b.s, X_OK) == 0) {
				free(fallback);
				return strbuf_take(&b);
			}
			if (!fallback)
				fallback = xstrdup(b.s);
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	strbuf_finish(&b);
	return fallback;
}

/* The PATH of an environment, or NULL. */
static const char *envp_path(char **envp)
{
	const char *pathvar = NULL;
	for (char **e = envp; *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			pathvar = *e + 5;
	return pathvar;
}

char **exec_script_argv(const char *path, char **argv)
{
	/* a script without #!: cosh itself runs it, never /bin/sh */
	size_t n = 0;
	while (argv[n])
		n++;
	char **nargv = xcalloc(n + 2, sizeof *nargv);
	nargv[0] = "cosh";
	nargv[1] = (char *)path;
	for (size_t i = 1; i < n; i++)
		nargv[i + 1] = argv[i];
	return nargv;
}

/* Runs the script path with cosh itself, in place of the process;
 * returns the errno when that fails. */
static int exec_as_script(const char *path, char **argv, char **envp)
{
	char **nargv = exec_script_argv(path, argv);
	execve("/proc/self/exe", nargv, envp);
	int e = errno;
	free(nargv);
	return e;
}

int exec_replace(struct shell *sh, char **argv, char **envp)
{
	char *path = exec_find(sh, argv[0], envp_path(envp));
	if (!path) {
		sh_error(sh, "%s: command not found", argv[0]);
		return 127;
	}
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		sh_error(sh, "%s: Is a directory", argv[0]);
		free(path);
		return 126;
	}
	execve(path, argv, envp);
	int e = errno;
	if (e == ENOEXEC)
		e = exec_as_script(path, argv, envp);
	sh_error(sh, "%s: %s", argv[0], strerror(e));
	free(path);
	return e == ENOENT ? 127 : 126;
}

/* ---- simple commands ---- */

static void trace(struct shell *sh, struct node_simple *s, char **vals, char **argv)
{
	if (!sh->opt.xtrace)
		return;
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, "+");
	size_t k = 0;
	for (struct assign *a = s->assigns; a; a = a->next, k++) {
		strbuf_addf(&b, " %s=", a->name);
		strbuf_add_shquoted(&b, vals[k]);
	}
	for (char **a = argv; a && *a; a++) {
		strbuf_addc(&b, ' ');
		strbuf_add_shquoted(&b, *a);
	}
	strbuf_addc(&b, '\n');
	write_all(2, b.s, b.len);
	strbuf_finish(&b);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Temporarily set variables (prefix assignments of builtins, functions). */
struct var_undo {
	char *name, *old;
	bool existed, exported;
};

static struct var_undo *vars_push(struct shell *sh, struct node_simple *s, char **vals, size_t n)
{
	struct var_undo *u = xcalloc(n + 1, sizeof *u);
	size_t k = 0;
	for (struct assign *a = s->assigns; a; a = a->next, k++) {
		const char *old = var_get(sh, a->name);
		u[k].name = a->name;
		u[k].existed = old != NULL;
		u[k].old = old ? xstrdup(old) : NULL;
		u[k].exported = var_is_exported(sh, a->name);
		var_set(sh, a->name, vals[k], VAR_EXPORT);
	}
	return u;
}

static void vars_pop(struct shell *sh, struct var_undo *u, size_t n)
{
	for (size_t k = n; k-- > 0;) {
		var_unset(sh, u[k].name);
		if (u[k].existed)
			var_set(sh, u[k].name, u[k].old, u[k].exported ? VAR_EXPORT : 0);
		free(u[k].old);
	}
	free(u);
}

static char **build_env(struct shell *sh, struct node_simple *s, char **vals, size_t nvals)
{
	char **base = var_environ(sh);
	struct ptrvec e;
	ptrvec_init(&e);
	for (char **p = base; *p; p++) {
		bool overridden = false;
		for (struct assign *a = s->assigns; a; a = a->next) {
			size_t n = strlen(a->name);
			if (strncmp(*p, a->name, n) == 0 && (*p)[n] == '=')
				overridden = true;
		}
		if (!overridden)
			ptrvec_push(&e, xstrdup(*p));
	}
	size_t k = 0;
	for (struct assign *a = s->assigns; a && k < nvals; a = a->next, k++)
		ptrvec_push(&e, xasprintf("%s=%s", a->name, vals[k]));
	return (char **)ptrvec_take(&e);
}

static int exec_function(struct shell *sh, struct node_funcdef *def, int argc, char **argv,
			 const struct redir *redirs)
{
	const char *nest = var_get(sh, "COSH_FUNCNEST");
	long max = nest && *nest ? strtol(nest, NULL, 10) : 1000;
	if (max <= 0)
		max = 1000;
	if (sh->func_depth >= max) {
		sh_error(sh, "%s: maximum function nesting level exceeded (%ld)", def->name, max);
		return 1;
	}
	struct redir_save save = {0};
	if (redir_apply(sh, redirs, &save) != 0) {
		redir_restore(&save);
		return 1;
	}
	struct params_save ps;
	params_push(sh, argc - 1, argv + 1, &ps);
	struct frame frame;
	frame_push(sh, &frame);
	arena_ref(def->arena); /* the function may redefine itself */
	sh->func_depth++;
	int st = exec_node(sh, def->body);
	sh->func_depth--;
	if (sh->unwind == UNWIND_RETURN) {
		sh->unwind = UNWIND_NONE;
		st = sh->last_status;
	}
	arena_unref(def->arena);
	frame_pop(sh);
	params_pop(sh, &ps);
	redir_restore(&save);
	return st;
}

int exec_external(struct shell *sh, char **argv, char **envp, const struct redir *redirs)
{
	/* Look the command up before forking: no child for a typo. */
	char *found = exec_find(sh, argv[0], envp_path(envp));
	if (!found) {
		/* the command's own redirections apply to its error message */
		struct redir_save save = {0};
		if (redir_apply(sh, redirs, &save) == 0)
			sh_error(sh, "%s: command not found", argv[0]);
		redir_restore(&save);
		return 127;
	}
	free(found);
	struct job *job = job_create(sh, false, sh->cur_text);
	pid_t pid = exec_fork(sh, job, false);
	if (pid == 0) {
		if (redir_apply(sh, redirs, NULL) != 0)
			shell_exit(sh, 1);
		exec_reset_for_exec(sh);
		shell_exit(sh, exec_replace(sh, argv, envp));
	}
	return wait_forked(sh, job, pid);
}

int exec_argv(struct shell *sh, int argc, char **argv, bool functions)
{
	struct node_funcdef *fn = functions ? func_get(sh, argv[0]) : NULL;
	if (fn)
		return exec_function(sh, fn, argc, argv, NULL);
	const struct builtin *bi = builtin_find(argv[0]);
	if (bi)
		return bi->fn(sh, argc, argv);
	return exec_external(sh, argv, var_environ(sh), NULL);
}

static int exec_simple(struct shell *sh, struct node_simple *s, bool nofork)
{
	struct ptrvec args;
	ptrvec_init(&args);
	sh->cmdsub_status = -1;
	if (expand_words(sh, s->words, s->nwords, &args) < 0) {
		free_strv((char **)args.v, args.len);
		return 1;
	}
	size_t nvals = 0;
	for (struct assign *a = s->assigns; a; a = a->next)
		nvals++;
	char *novals = NULL; /* most commands assign nothing: no allocation */
	char **vals = nvals ? xcalloc(nvals + 1, sizeof *vals) : &novals;
	size_t k = 0;
	for (struct assign *a = s->assigns; a; a = a->next, k++) {
		vals[k] = expand_string(sh, a->value);
		if (!vals[k]) {
			free_strv(vals, k);
			free_strv((char **)args.v, args.len);
			return 1;
		}
		if (args.len == 0) /* left to right: a=1 b=$a sees the new a */
			var_set(sh, a->name, vals[k], 0);
	}
	int argc = (int)args.len;
	char **argv = (char **)ptrvec_take(&args);
	trace(sh, s, vals, argv);
	int st = 0;
	if (argc == 0) {
		st = sh->cmdsub_status >= 0 ? sh->cmdsub_status : 0;
		if (s->base.redirs) {
			struct redir_save save = {0};
			if (redir_apply(sh, s->base.redirs, nofork ? NULL : &save) != 0)
				st = 1;
			if (!nofork)
				redir_restore(&save);
		}
		goto out;
	}
	struct node_funcdef *fn = func_get(sh, argv[0]);
	const struct builtin *bi = fn ? NULL : builtin_find(argv[0]);
	if (fn || bi) {
		struct var_undo *undo = nvals ? vars_push(sh, s, vals, nvals) : NULL;
		if (s->group && (fn || bi->fn != builtin_coproc)) {
			sh_error(sh, "%s: a { list; } group goes only with the coproc builtin", argv[0]);
			st = 2;
		} else if (fn) {
			st = exec_function(sh, fn, argc, argv, s->base.redirs);
		} else {
			/* `exec >log` redirects the shell itself: nothing to restore */
			bool keep = nofork || (bi->fn == builtin_exec && argc == 1);
			/* coproc's redirections are the coprocess's, not its own */
			const struct redir *redirs = bi->fn == builtin_coproc ? NULL : s->base.redirs;
			struct redir_save save = {0};
			sh->cmd_assigns = s->assigns;
			sh->cmd_redirs = s->base.redirs;
			sh->cmd_node = s;
			if (redir_apply(sh, redirs, keep ? NULL : &save) != 0)
				st = 1;
			else
				st = bi->fn(sh, argc, argv);
			sh->cmd_assigns = NULL;
			sh->cmd_redirs = NULL;
			sh->cmd_node = NULL;
			if (!keep)
				redir_restore(&save);
		}
		if (undo)
			vars_pop(sh, undo, nvals);
		goto out;
	}
	char **envp = build_env(sh, s, vals, nvals);
	if (nofork) {
		if (redir_apply(sh, s->base.redirs, NULL) != 0)
			shell_exit(sh, 1);
		exec_reset_for_exec(sh);
		st = exec_replace(sh, argv, envp);
		shell_exit(sh, st);
	}
	st = exec_external(sh, argv, envp, s->base.redirs);
	for (char **e = envp; *e; e++)
		free(*e);
	free(envp);
out:
	if (nvals)
		free_strv(vals, nvals);
	free_strv(argv, (size_t)argc);
	return st;
}

/* ---- pipelines, lists, compound commands ---- */

static int exec_pipeline(struct shell *sh, struct node_pipeline *pl)
{
	if (pl->n == 1) {
		int st = pl->bang ? exec_condition(sh, pl->cmds[0]) : exec_node(sh, pl->cmds[0]);
		return pl->bang ? !st : st;
	}
	struct job *job = job_create(sh, false, sh->cur_text);
	int in = -1;
	for (size_t i = 0; i < pl->n; i++) {
		int p[2] = {-1, -1};
		if (i + 1 < pl->n && pipe2(p, O_CLOEXEC) < 0) {
			sh_error(sh, "pipe: %s", strerror(errno));
			break;
		}
		pid_t pid = exec_fork(sh, job, false);
		if (pid == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			shell_exit(sh, exec_nofork(sh, pl->cmds[i]));
		}
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
		if (pid > 0)
			job_add_proc(job, pid);
	}
	if (in >= 0)
		close(in);
	int st = wait_fg(sh, job);
	return pl->bang ? !st : st;
}

static int exec_background(struct shell *sh, struct node *n, const char *text)
{
	struct job *job = job_create(sh, true, text);
	bool jobctl = sh->jobctl;
	pid_t pid = exec_fork(sh, job, true);
	if (pid == 0) {
		setpgid(0, 0); /* in its own group: Ctrl-C at the terminal misses it */
		if (!jobctl) { /* without job control it must not read the terminal */
			int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				dup2(fd, 0);
				close(fd);
			}
		}
		shell_exit(sh, exec_nofork(sh, n));
	}
	if (pid < 0) {
		job_remove(sh, job);
		return 1;
	}
	setpgid(pid, pid);
	job->pgid = pid;
	job_add_proc(job, pid);
	sh->last_bg = pid;
	if (sh->opt.interactive)
		fd_printf(2, "[%d] %ld\n", job->id, (long)pid);
	return 0;
}

static int exec_subshell(struct shell *sh, struct node_group *g, bool nofork)
{
	if (nofork) {
		if (redir_apply(sh, g->base.redirs, NULL) != 0)
			return 1;
		return exec_node(sh, g->body);
	}
	struct job *job = job_create(sh, false, sh->cur_text);
	pid_t pid = exec_fork(sh, job, false);
	if (pid == 0) {
		if (redir_apply(sh, g->base.redirs, NULL) != 0)
			shell_exit(sh, 1);
		int st = exec_node(sh, g->body);
		shell_exit(sh, sh->unwind == UNWIND_EXIT ? sh->exit_status : st);
	}
	return wait_forked(sh, job, pid);
}

/* Runs n's redirections around its body. */
static int with_redirs(struct shell *sh, struct node *n, int (*body)(struct shell *, struct node *))
{
	if (!n->redirs)
		return body(sh, n);
	struct redir_save save = {0};
	int st;
	if (redir_apply(sh, n->redirs, &save) != 0)
		st = 1;
	else
		st = body(sh, n);
	redir_restore(&save);
	return st;
}

static bool loop_unwinds(struct shell *sh, bool *stop)
{
	*stop = false;
	if (sh->unwind == UNWIND_BREAK || sh->unwind == UNWIND_CONTINUE) {
		bool brk = sh->unwind == UNWIND_BREAK;
		if (--sh->unwind_count > 0) {
			*stop = true; /* an outer loop continues the unwinding */
			return true;
		}
		sh->unwind = UNWIND_NONE;
		*stop = brk;
		return true;
	}
	if (sh->unwind != UNWIND_NONE) {
		*stop = true;
		return true;
	}
	return false;
}

/* Runs a command whose failure is a decision, not an error: set -e
 * leaves it alone. */
static int exec_condition(struct shell *sh, struct node *n)
{
	sh->errexit_off++;
	int st = exec_node(sh, n);
	sh->errexit_off--;
	return st;
}

static int run_group(struct shell *sh, struct node *n)
{
	return exec_node(sh, AST_CAST(node_group, n)->body);
}

static int run_if(struct shell *sh, struct node *n)
{
	struct node_if *i = AST_CAST(node_if, n);
	int c = exec_condition(sh, i->cond);
	if (sh->unwind)
		return c;
	if (c == 0)
		return exec_node(sh, i->then_part);
	return i->else_part ? exec_node(sh, i->else_part) : 0;
}

static int run_loop(struct shell *sh, struct node *n)
{
	struct node_loop *l = AST_CAST(node_loop, n);
	bool until = n->type == N_UNTIL;
	int st = 0;
	sh->loop_depth++;
	for (;;) {
		int c = exec_condition(sh, l->cond);
		bool stop;
		if (loop_unwinds(sh, &stop) && stop)
			break;
		if ((c == 0) == until)
			break;
		st = exec_node(sh, l->body);
		if (loop_unwinds(sh, &stop) && stop)
			break;
	}
	sh->loop_depth--;
	return st;
}

static int run_for(struct shell *sh, struct node *n)
{
	struct node_for *f = AST_CAST(node_for, n);
	struct ptrvec items;
	ptrvec_init(&items);
	if (f->words) {
		size_t nw = 0;
		while (f->words[nw])
			nw++;
		if (expand_words(sh, f->words, nw, &items) < 0) {
			free_strv((char **)items.v, items.len);
			return 1;
		}
	} else {
		for (int i = 0; i < sh->nparams; i++)
			ptrvec_push(&items, xstrdup(sh->params[i]));
	}
	int st = 0;
	sh->loop_depth++;
	for (size_t i = 0; i < items.len; i++) {
		var_set(sh, f->name, items.v[i], 0);
		st = exec_node(sh, f->body);
		bool stop;
		if (loop_unwinds(sh, &stop) && stop)
			break;
	}
	sh->loop_depth--;
	free_strv((char **)items.v, items.len);
	return st;
}

static int run_case(struct shell *sh, struct node *n)
{
	struct node_case *c = AST_CAST(node_case, n);
	char *subject = expand_string(sh, c->subject);
	if (!subject)
		return 1;
	int st = 0;
	for (size_t i = 0; i < c->n; i++) {
		bool match = false;
		for (struct word **w = c->items[i].patterns; *w && !match; w++) {
			char *pat = expand_pattern(sh, *w);
			if (!pat) {
				free(subject);
				return 1;
			}
			match = fnmatch(pat, subject, 0) == 0;
			free(pat);
		}
		if (match) {
			st = exec_node(sh, c->items[i].body);
			break;
		}
	}
	free(subject);
	return st;
}

static int exec_list(struct shell *sh, struct node_list *l)
{
	int st = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *outer = sh->cur_text;
		if (l->items[i].text)
			sh->cur_text = l->items[i].text;
		if (l->items[i].background)
			st = exec_background(sh, l->items[i].cmd, l->items[i].text);
		else
			st = exec_node(sh, l->items[i].cmd);
		sh->cur_text = outer;
		sh->last_status = st;
		if (sh->unwind != UNWIND_NONE)
			break;
	}
	return st;
}

static int dispatch(struct shell *sh, struct node *n, bool nofork)
{
	switch (n->type) {
	case N_SIMPLE:
		return exec_simple(sh, AST_CAST(node_simple, n), nofork);
	case N_PIPELINE:
		return exec_pipeline(sh, AST_CAST(node_pipeline, n));
	case N_AND:
	case N_OR: {
		struct node_binary *b = AST_CAST(node_binary, n);
		int st = exec_condition(sh, b->left);
		if (sh->unwind != UNWIND_NONE)
			return st;
		if ((st == 0) == (n->type == N_AND))
			st = exec_node(sh, b->right);
		return st;
	}
	case N_LIST:
		return exec_list(sh, AST_CAST(node_list, n));
	case N_SUBSHELL:
		return exec_subshell(sh, AST_CAST(node_group, n), nofork);
	case N_GROUP:
		return with_redirs(sh, n, run_group);
	case N_IF:
		return with_redirs(sh, n, run_if);
	case N_WHILE:
	case N_UNTIL:
		return with_redirs(sh, n, run_loop);
	case N_FOR:
		return with_redirs(sh, n, run_for);
	case N_CASE:
		return with_redirs(sh, n, run_case);
	case N_FUNCDEF:
		func_set(sh, AST_CAST(node_funcdef, n));
		return 0;
	}
	return 0;
}

int exec_node(struct shell *sh, struct node *n)
{
	if (!n)
		return 0;
	if (sh->unwind != UNWIND_NONE)
		return sh->last_status;
	loop_dispatch_signals(sh->loop);
	if (sh->sigint && exec_check_interrupt(sh))
		return 130;
	exec_run_traps(sh);
	if (sh->unwind != UNWIND_NONE) /* a trap ran exit */
		return sh->last_status;
	if (sh->opt.noexec && !sh->opt.interactive) /* set -n: read on, run nothing */
		return 0;
	/* a script busy with builtins alone still drains its coprocesses and
	 * serves forked shells now and then */
	if (sh->coprocs || sh->owner) {
		if (++sh->polls % 256 == 0)
			loop_run_once(sh->loop, 0);
	}
	int st = dispatch(sh, n, false);
	sh->last_status = st;
	if (st != 0 && sh->opt.errexit && !sh->errexit_off && sh->unwind == UNWIND_NONE &&
	    (n->type == N_SIMPLE || n->type == N_PIPELINE || n->type == N_SUBSHELL) &&
	    !(n->type == N_PIPELINE && AST_CAST(node_pipeline, n)->bang)) {
		sh->unwind = UNWIND_EXIT; /* set -e */
		sh->exit_status = st;
	}
	return st;
}

/* Runs n in a child that will exit right after: the last command of it
 * can replace the process instead of forking again. */
static int exec_nofork(struct shell *sh, struct node *n)
{
	if (n->type == N_SIMPLE || n->type == N_SUBSHELL) {
		int st = dispatch(sh, n, true);
		sh->last_status = st;
		return sh->unwind == UNWIND_EXIT ? sh->exit_status : st;
	}
	int st = exec_node(sh, n);
	return sh->unwind == UNWIND_EXIT ? sh->exit_status : st;
}

char *exec_capture(struct shell *sh, struct node *body)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		sh_error(sh, "pipe: %s", strerror(errno));
		return xstrdup("");
	}
	struct job *job = job_create(sh, false, NULL);
	pid_t pid = exec_fork(sh, NULL, false); /* $( ) stays in the shell's group */
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		sh->opt.errexit = false; /* as bash: $( ) does not inherit set -e */
		shell_exit(sh, body ? exec_nofork(sh, body) : 0);
	}
	close(p[1]);
	struct strbuf out;
	strbuf_init(&out);
	if (pid > 0) {
		job_add_proc(job, pid);
		bool nul = false;
		for (;;) {
			if (loop_wait_fd(sh->loop, p[0], LOOP_IN, -1) < 0)
				break;
			strbuf_grow(&out, 4096);
			ssize_t r = read(p[0], out.s + out.len, out.cap - out.len - 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			/* a C string cannot hold NUL: drop them, as bash does */
			size_t base = out.len;
			for (ssize_t i = 0; i < r; i++) {
				char c = out.s[base + (size_t)i];
				if (c)
					out.s[out.len++] = c;
				else
					nul = true;
			}
			out.s[out.len] = 0;
		}
		if (nul)
			sh_error(sh, "warning: command substitution: ignored null byte in input");
		int st = wait_fg(sh, job);
		sh->last_status = st;
		sh->cmdsub_status = st;
	} else {
		job_remove(sh, job);
	}
	close(p[0]);
	while (out.len > 0 && out.s[out.len - 1] == '\n')
		out.s[--out.len] = 0;
	return strbuf_take(&out);
}
