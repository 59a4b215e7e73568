/* The shell's state: variables, positional parameters, functions. */
#include "config.h"
#include "shell.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chan.h"
#include "coproc.h"
#include "coreq.h"
#include "exec.h"
#include "input.h"
#include "rlapi.h"
#include "job.h"
#include "loop.h"

struct var {
	struct var *next;
	char *name, *value;
	unsigned flags;
};

struct shell *shell_create(void)
{
	struct shell *sh = xcalloc(1, sizeof *sh);
	sh->vars.nbuckets = 128;
	sh->vars.buckets = xcalloc(sh->vars.nbuckets, sizeof *sh->vars.buckets);
	sh->pid = getpid();
	sh->arg0 = xstrdup("cosh");
	sh->params = xcalloc(1, sizeof *sh->params);
	sh->env_dirty = true;
	sh->share_fd = sh->chan_fd = -1;
	getrlimit(RLIMIT_NOFILE, &sh->nofile);
	sh->loop = loop_create();
	return sh;
}

static void free_env(struct shell *sh)
{
	if (!sh->env)
		return;
	for (char **e = sh->env; *e; e++)
		free(*e);
	free(sh->env);
	sh->env = NULL;
}

void shell_destroy(struct shell *sh)
{
	if (!sh)
		return;
	for (size_t i = 0; i < sh->vars.nbuckets; i++) {
		struct var *v = sh->vars.buckets[i];
		while (v) {
			struct var *n = v->next;
			free(v->name);
			free(v->value);
			free(v);
			v = n;
		}
	}
	free(sh->vars.buckets);
	while (sh->funcs) {
		struct func *f = sh->funcs;
		sh->funcs = f->next;
		arena_unref(f->arena);
		free(f);
	}
	jobs_free(sh);
	coreq_forget_all(sh);
	coproc_free_all(sh);
	chan_free(sh);
	shell_set_params(sh, 0, NULL);
	free(sh->params);
	free(sh->arg0);
	free(sh->histfile);
	rlapi_free(sh);
	strbuf_finish(&sh->exp_text);
	strbuf_finish(&sh->exp_pat);
	for (int s = 0; s < NSIG; s++)
		free(sh->traps[s]);
	free_env(sh);
	loop_destroy(sh->loop);
	free(sh);
}

static void vmsg(int fd, const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, prefix);
	strbuf_vaddf(&b, fmt, ap);
	strbuf_addc(&b, '\n');
	(void)write_all(fd, b.s, b.len);
	strbuf_finish(&b);
}

void sh_error(struct shell *sh, const char *fmt, ...)
{
	(void)sh;
	va_list ap;
	va_start(ap, fmt);
	vmsg(2, "cosh: ", fmt, ap);
	va_end(ap);
}

int fd_printf(int fd, const char *fmt, ...)
{
	struct strbuf b;
	strbuf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	int r = write_all(fd, strbuf_str(&b), b.len);
	strbuf_finish(&b);
	return r;
}

static size_t hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct var **var_slot(struct shell *sh, const char *name)
{
	struct var **p = &sh->vars.buckets[hash(name) & (sh->vars.nbuckets - 1)];
	while (*p && strcmp((*p)->name, name) != 0)
		p = &(*p)->next;
	return p;
}

static void var_grow(struct shell *sh)
{
	size_t n = sh->vars.nbuckets * 2;
	struct var **b = xcalloc(n, sizeof *b);
	for (size_t i = 0; i < sh->vars.nbuckets; i++) {
		struct var *v = sh->vars.buckets[i];
		while (v) {
			struct var *next = v->next;
			size_t k = hash(v->name) & (n - 1);
			v->next = b[k];
			b[k] = v;
			v = next;
		}
	}
	free(sh->vars.buckets);
	sh->vars.buckets = b;
	sh->vars.nbuckets = n;
}

const char *var_get(struct shell *sh, const char *name)
{
	struct var *v = *var_slot(sh, name);
	return v ? v->value : NULL;
}

void var_set(struct shell *sh, const char *name, const char *value, unsigned flags)
{
	struct var **p = var_slot(sh, name);
	if (!*p) {
		if (sh->vars.count + 1 > sh->vars.nbuckets) {
			var_grow(sh);
			p = var_slot(sh, name);
		}
		*p = xcalloc(1, sizeof **p);
		(*p)->name = xstrdup(name);
		sh->vars.count++;
	}
	char *old = (*p)->value;
	(*p)->value = xstrdup(value);
	free(old);
	(*p)->flags |= flags;
	if ((*p)->flags & VAR_EXPORT)
		sh->env_dirty = true;
}

void var_unset(struct shell *sh, const char *name)
{
	struct var **p = var_slot(sh, name);
	struct var *v = *p;
	if (!v)
		return;
	*p = v->next;
	if (v->flags & VAR_EXPORT)
		sh->env_dirty = true;
	free(v->name);
	free(v->value);
	free(v);
	sh->vars.count--;
}

void var_export(struct shell *sh, const char *name)
{
	struct var *v = *var_slot(sh, name);
	if (!v) {
		/* exported but unset: remembered as exported with no value */
		var_set(sh, name, "", VAR_EXPORT);
		v = *var_slot(sh, name);
		free(v->value);
		v->value = NULL;
	}
	v->flags |= VAR_EXPORT;
	sh->env_dirty = true;
}

bool var_is_exported(struct shell *sh, const char *name)
{
	struct var *v = *var_slot(sh, name);
	return v && (v->flags & VAR_EXPORT);
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name, (*(struct var *const *)b)->name);
}

static struct var **sorted_vars(struct shell *sh, size_t *n)
{
	struct var **all = xmalloc((sh->vars.count + 1) * sizeof *all);
	size_t k = 0;
	for (size_t i = 0; i < sh->vars.nbuckets; i++)
		for (struct var *v = sh->vars.buckets[i]; v; v = v->next)
			all[k++] = v;
	qsort(all, k, sizeof *all, cmp_var);
	*n = k;
	return all;
}

char **var_environ(struct shell *sh)
{
	if (!sh->env_dirty && sh->env)
		return sh->env;
	free_env(sh);
	struct ptrvec e;
	ptrvec_init(&e);
	for (size_t i = 0; i < sh->vars.nbuckets; i++)
		for (struct var *v = sh->vars.buckets[i]; v; v = v->next)
			if ((v->flags & VAR_EXPORT) && v->value)
				ptrvec_push(&e, xasprintf("%s=%s", v->name, v->value));
	sh->env = (char **)ptrvec_take(&e);
	sh->env_dirty = false;
	return sh->env;
}

void var_each(struct shell *sh,
	      void (*fn)(void *ctx, const char *name, const char *value, unsigned flags), void *ctx)
{
	size_t n;
	struct var **all = sorted_vars(sh, &n);
	for (size_t i = 0; i < n; i++)
		fn(ctx, all[i]->name, all[i]->value, all[i]->flags);
	free(all);
}

void var_import_environ(struct shell *sh, char **envp)
{
	for (; envp && *envp; envp++) {
		const char *eq = strchr(*envp, '=');
		if (!eq)
			continue;
		char *name = xstrndup(*envp, (size_t)(eq - *envp));
		var_set(sh, name, eq + 1, VAR_EXPORT);
		free(name);
	}
}

void shell_set_params(struct shell *sh, int argc, char **argv)
{
	for (int i = 0; i < sh->nparams; i++)
		free(sh->params[i]);
	free(sh->params);
	sh->params = xcalloc((size_t)argc + 1, sizeof *sh->params);
	for (int i = 0; i < argc; i++)
		sh->params[i] = xstrdup(argv[i]);
	sh->nparams = argc;
}

void params_shift(struct shell *sh, int n)
{
	for (int i = 0; i < n; i++)
		free(sh->params[i]);
	memmove(sh->params, sh->params + n, (size_t)(sh->nparams - n + 1) * sizeof *sh->params);
	sh->nparams -= n;
}

void params_push(struct shell *sh, int argc, char **argv, struct params_save *save)
{
	save->params = sh->params;
	save->n = sh->nparams;
	sh->params = NULL;
	sh->nparams = 0;
	shell_set_params(sh, argc, argv);
}

void params_pop(struct shell *sh, struct params_save *save)
{
	shell_set_params(sh, 0, NULL);
	free(sh->params);
	sh->params = save->params;
	sh->nparams = save->n;
}

void frame_push(struct shell *sh, struct frame *f)
{
	f->up = sh->frames;
	f->v = NULL;
	f->n = 0;
	sh->frames = f;
}

void frame_pop(struct shell *sh)
{
	struct frame *f = sh->frames;
	if (!f)
		return;
	for (size_t i = f->n; i-- > 0;) {
		struct local_var *l = &f->v[i];
		var_unset(sh, l->name);
		if (l->old)
			var_set(sh, l->name, l->old, l->exported ? VAR_EXPORT : 0);
		free(l->name);
		free(l->old);
	}
	free(f->v);
	sh->frames = f->up;
}

bool local_declare(struct shell *sh, const char *name)
{
	struct frame *f = sh->frames;
	if (!f)
		return false;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return true;
	const char *old = var_get(sh, name);
	f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
	f->v[f->n++] = (struct local_var){xstrdup(name), old ? xstrdup(old) : NULL,
					  var_is_exported(sh, name)};
	return true;
}

struct node_funcdef *func_get(struct shell *sh, const char *name)
{
	for (struct func *f = sh->funcs; f; f = f->next)
		if (strcmp(f->def->name, name) == 0)
			return f->def;
	return NULL;
}

void func_set(struct shell *sh, struct node_funcdef *def)
{
	arena_ref(def->arena);
	for (struct func *f = sh->funcs; f; f = f->next)
		if (strcmp(f->def->name, def->name) == 0) {
			arena_unref(f->arena);
			f->def = def;
			f->arena = def->arena;
			return;
		}
	struct func *f = xcalloc(1, sizeof *f);
	f->def = def;
	f->arena = def->arena;
	f->next = sh->funcs;
	sh->funcs = f;
}

bool func_unset(struct shell *sh, const char *name)
{
	for (struct func **p = &sh->funcs; *p; p = &(*p)->next)
		if (strcmp((*p)->def->name, name) == 0) {
			struct func *f = *p;
			*p = f->next;
			arena_unref(f->arena);
			free(f);
			return true;
		}
	return false;
}

int status_from_wait(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	if (WIFSTOPPED(ws))
		return 128 + WSTOPSIG(ws);
	return 1;
}

int shell_run_exit_trap(struct shell *sh, int status)
{
	if (!sh->traps[0] || !*sh->traps[0] || sh->in_trap)
		return status;
	char *action = sh->traps[0];
	sh->traps[0] = NULL; /* once */
	sh->in_trap = true;
	sh->last_status = status;
	sh->unwind = UNWIND_NONE;
	exec_text(sh, action, strlen(action), "trap");
	if (sh->unwind == UNWIND_EXIT) /* exit N in the trap sets the status */
		status = sh->exit_status;
	free(action);
	return status;
}

void shell_exit(struct shell *sh, int status)
{
	status = shell_run_exit_trap(sh, status);
	if (sh->subshell) {
		if (sh->own_coprocs)
			coproc_shutdown(sh); /* a coprocess group ends its own */
		_exit(status & 0xff);
	}
	input_history_save(sh);
	coproc_shutdown(sh); /* no orphans, no zombies */
	exit(status & 0xff);
}
