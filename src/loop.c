/* The event loop (see loop.h). */
#include "config.h"
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_EPOLL_H
#include <sys/epoll.h>
#endif

#include "util/util.h"

/* The only process-wide state: what signal handlers may touch. */
static volatile sig_atomic_t sig_flags[NSIG];
static volatile sig_atomic_t sig_any; /* some flag is set: checked without a syscall */
static volatile sig_atomic_t sig_wfd = -1;

static void on_signal(int signo)
{
	int e = errno;
	sig_flags[signo] = 1;
	sig_any = 1;
	if (sig_wfd >= 0) {
		char b = (char)signo;
		(void)!write(sig_wfd, &b, 1);
	}
	errno = e;
}

struct loop_watch {
	struct loop_watch *next;
	int fd;
	unsigned events, revents;
	loop_fd_fn fn;
	void *data;
	bool dead;
};

struct loop {
	struct loop_watch *watches;
	size_t nwatches;
	size_t ndead; /* watches removed but not yet freed */
	int sigpipe[2];
	int epfd;
	loop_signal_fn sigfn;
	void *sigdata;
	void (*after)(void *data);
	long (*next_ms)(void *data);
	void *hookdata;
	bool caught[NSIG];
	bool interrupted;
	struct pollfd *pfds;
	struct loop_watch **pw;
	size_t pcap;
};

static void make_sigpipe(struct loop *loop)
{
	if (pipe2(loop->sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	loop->sigpipe[0] = fd_move_high(loop->sigpipe[0]);
	loop->sigpipe[1] = fd_move_high(loop->sigpipe[1]);
	fcntl(loop->sigpipe[0], F_SETFL, O_NONBLOCK);
	fcntl(loop->sigpipe[1], F_SETFL, O_NONBLOCK);
	sig_wfd = loop->sigpipe[1];
#ifdef HAVE_SYS_EPOLL_H
	loop->epfd = fd_move_high(epoll_create1(EPOLL_CLOEXEC));
	if (loop->epfd < 0)
		abort();
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->sigpipe[0], &ev);
#else
	loop->epfd = -1;
#endif
}

struct loop *loop_create(void)
{
	struct loop *loop = xcalloc(1, sizeof *loop);
	make_sigpipe(loop);
	return loop;
}

static void free_watches(struct loop *loop)
{
	struct loop_watch *w = loop->watches;
	while (w) {
		struct loop_watch *n = w->next;
		free(w);
		w = n;
	}
	loop->watches = NULL;
	loop->nwatches = 0;
}

void loop_destroy(struct loop *loop)
{
	if (!loop)
		return;
	free_watches(loop);
	if (sig_wfd == loop->sigpipe[1])
		sig_wfd = -1;
	close(loop->sigpipe[0]);
	close(loop->sigpipe[1]);
	if (loop->epfd >= 0)
		close(loop->epfd);
	free(loop->pfds);
	free(loop->pw);
	free(loop);
}

void loop_after_fork(struct loop *loop)
{
	free_watches(loop);
	close(loop->sigpipe[0]);
	close(loop->sigpipe[1]);
	if (loop->epfd >= 0)
		close(loop->epfd);
	make_sigpipe(loop);
	loop->interrupted = false;
	loop->after = NULL;
	loop->next_ms = NULL;
}

#ifdef HAVE_SYS_EPOLL_H
static uint32_t ep_events(unsigned ev)
{
	uint32_t e = 0;
	if (ev & LOOP_IN)
		e |= EPOLLIN;
	if (ev & LOOP_OUT)
		e |= EPOLLOUT;
	return e;
}
#endif

#ifdef HAVE_SYS_EPOLL_H
/* Returns false when the fd cannot be watched (a regular file: always ready). */
static bool register_fd(struct loop *loop, struct loop_watch *w, int op)
{
	struct epoll_event ev = {.events = ep_events(w->events), .data.ptr = w};
	return epoll_ctl(loop->epfd, op, w->fd, &ev) == 0;
}
#endif

struct loop_watch *loop_add(struct loop *loop, int fd, unsigned events, loop_fd_fn fn, void *data)
{
	struct loop_watch *w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->events = events;
	w->fn = fn;
	w->data = data;
#ifdef HAVE_SYS_EPOLL_H
	if (!register_fd(loop, w, EPOLL_CTL_ADD)) {
		free(w);
		return NULL;
	}
#endif
	w->next = loop->watches;
	loop->watches = w;
	loop->nwatches++;
	return w;
}

void loop_modify(struct loop *loop, struct loop_watch *w, unsigned events)
{
	if (w->events == events)
		return;
	w->events = events;
#ifdef HAVE_SYS_EPOLL_H
	register_fd(loop, w, EPOLL_CTL_MOD);
#else
	(void)loop;
#endif
}

void loop_remove(struct loop *loop, struct loop_watch *w)
{
	if (!w || w->dead)
		return;
	w->dead = true;
	loop->ndead++;
#ifdef HAVE_SYS_EPOLL_H
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
#else
	(void)loop;
#endif
}

static void reap_dead(struct loop *loop)
{
	if (!loop->ndead)
		return;
	loop->ndead = 0;
	for (struct loop_watch **p = &loop->watches; *p;) {
		if ((*p)->dead) {
			struct loop_watch *w = *p;
			*p = w->next;
			free(w);
			loop->nwatches--;
		} else {
			p = &(*p)->next;
		}
	}
}

void loop_set_hooks(struct loop *loop, void (*after)(void *data), long (*next_ms)(void *data),
		    void *data)
{
	loop->after = after;
	loop->next_ms = next_ms;
	loop->hookdata = data;
}

void loop_set_signal_fn(struct loop *loop, loop_signal_fn fn, void *data)
{
	loop->sigfn = fn;
	loop->sigdata = data;
}

void loop_catch(struct loop *loop, int signo)
{
	loop->caught[signo] = true;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(signo, &sa, NULL);
}

static void handle_signals(struct loop *loop)
{
	sig_any = 0;
	char buf[256];
	while (read(loop->sigpipe[0], buf, sizeof buf) > 0)
		;
	for (int s = 1; s < NSIG; s++) {
		if (!sig_flags[s])
			continue;
		sig_flags[s] = 0;
		if (loop->sigfn)
			loop->sigfn(loop->sigdata, s);
	}
}

void loop_dispatch_signals(struct loop *loop)
{
	if (sig_any)
		handle_signals(loop);
}

static int dispatch(struct loop *loop, struct loop_watch **ready, size_t n)
{
	int handled = 0;
	for (size_t i = 0; i < n; i++) {
		struct loop_watch *w = ready[i];
		if (w->dead)
			continue;
		w->fn(w->data, w->fd, w->revents);
		handled++;
	}
	reap_dead(loop);
	return handled;
}

static int wait_and_dispatch(struct loop *loop, int timeout_ms);

int loop_run_once(struct loop *loop, int timeout_ms)
{
	if (loop->next_ms) {
		long n = loop->next_ms(loop->hookdata);
		if (n >= 0 && (timeout_ms < 0 || n < timeout_ms))
			timeout_ms = (int)n;
	}
	int handled = wait_and_dispatch(loop, timeout_ms);
	if (loop->after)
		loop->after(loop->hookdata);
	return handled;
}

static int wait_and_dispatch(struct loop *loop, int timeout_ms)
{
	/* A signal that arrived before we sleep is in the pipe: no race. */
#ifdef HAVE_SYS_EPOLL_H
	struct epoll_event evs[64];
	int n = epoll_wait(loop->epfd, evs, 64, timeout_ms);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		return -1;
	}
	struct loop_watch *ready[64];
	size_t nready = 0;
	bool sig = false;
	for (int i = 0; i < n; i++) {
		struct loop_watch *w = evs[i].data.ptr;
		if (!w) {
			sig = true;
			continue;
		}
		unsigned r = 0;
		if (evs[i].events & EPOLLIN)
			r |= LOOP_IN;
		if (evs[i].events & EPOLLOUT)
			r |= LOOP_OUT;
		if (evs[i].events & (EPOLLHUP | EPOLLERR))
			r |= LOOP_HUP;
		w->revents = r;
		ready[nready++] = w;
	}
	if (sig)
		handle_signals(loop);
	return dispatch(loop, ready, nready) + (sig ? 1 : 0);
#else
	size_t need = loop->nwatches + 1;
	if (need > loop->pcap) {
		loop->pcap = need * 2;
		loop->pfds = xrealloc(loop->pfds, loop->pcap * sizeof *loop->pfds);
		loop->pw = xrealloc(loop->pw, loop->pcap * sizeof *loop->pw);
	}
	size_t k = 0;
	loop->pfds[k].fd = loop->sigpipe[0];
	loop->pfds[k].events = POLLIN;
	loop->pw[k++] = NULL;
	for (struct loop_watch *w = loop->watches; w; w = w->next) {
		if (w->dead)
			continue;
		loop->pfds[k].fd = w->fd;
		loop->pfds[k].events = (short)(((w->events & LOOP_IN) ? POLLIN : 0) |
					       ((w->events & LOOP_OUT) ? POLLOUT : 0));
		loop->pw[k++] = w;
	}
	int n = poll(loop->pfds, k, timeout_ms);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		return -1;
	}
	bool sig = false;
	size_t nready = 0;
	for (size_t i = 0; i < k; i++) {
		short re = loop->pfds[i].revents;
		if (!re)
			continue;
		if (!loop->pw[i]) {
			sig = true;
			continue;
		}
		unsigned r = 0;
		if (re & POLLIN)
			r |= LOOP_IN;
		if (re & POLLOUT)
			r |= LOOP_OUT;
		if (re & (POLLHUP | POLLERR | POLLNVAL))
			r |= LOOP_HUP;
		loop->pw[i]->revents = r;
		loop->pw[nready++] = loop->pw[i];
	}
	if (sig)
		handle_signals(loop);
	return dispatch(loop, loop->pw, nready) + (sig ? 1 : 0);
#endif
}

struct fd_wait {
	unsigned got;
};

static void on_fd_ready(void *data, int fd, unsigned events)
{
	(void)fd;
	((struct fd_wait *)data)->got = events;
}

int loop_wait_fd(struct loop *loop, int fd, unsigned events, int timeout_ms)
{
	struct fd_wait fw = {0};
	struct loop_watch *w = loop_add(loop, fd, events, on_fd_ready, &fw);
	if (!w) /* regular files are always ready */
		return (int)events;
	long deadline = timeout_ms >= 0 ? mono_ms() + timeout_ms : 0;
	int result = 0;
	for (;;) {
		if (loop->interrupted) {
			result = -1;
			break;
		}
		int left = -1;
		if (timeout_ms >= 0) {
			long l = deadline - mono_ms();
			if (l <= 0)
				break;
			left = (int)l;
		}
		loop_run_once(loop, left);
		if (fw.got) {
			result = (int)fw.got;
			break;
		}
	}
	loop_remove(loop, w);
	reap_dead(loop);
	return result;
}

void loop_interrupt(struct loop *loop)
{
	loop->interrupted = true;
}

void loop_clear_interrupt(struct loop *loop)
{
	loop->interrupted = false;
}
