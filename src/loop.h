/* The event loop: the one place where the shell waits.  Whether it waits
 * for the user at the prompt, for a foreground command, for the output of
 * $( ), it runs loop_run_once, which watches every registered fd and the
 * signal self-pipe at once (epoll, or poll(2) when configured without).
 * Signal handlers only set a flag and write a byte to the self-pipe; the
 * loop turns the flags into calls of the signal callback. */
#ifndef COSH_LOOP_H
#define COSH_LOOP_H

#include <stdbool.h>

enum {
	LOOP_IN = 1,
	LOOP_OUT = 2,
	LOOP_HUP = 4, /* hang-up or error: reported even when not asked for */
};

struct loop;
struct loop_watch;
typedef void (*loop_fd_fn)(void *data, int fd, unsigned events);
typedef void (*loop_signal_fn)(void *data, int signo);

struct loop *loop_create(void);
void loop_destroy(struct loop *loop);

/* Watches fd for events; the callback runs from loop_run_once. */
struct loop_watch *loop_add(struct loop *loop, int fd, unsigned events, loop_fd_fn fn, void *data);
void loop_modify(struct loop *loop, struct loop_watch *w, unsigned events);
/* Safe from inside callbacks. */
void loop_remove(struct loop *loop, struct loop_watch *w);

/* Signal handling: loop_catch makes signo set a flag and wake the loop;
 * the callback then runs from loop_run_once. */
void loop_set_signal_fn(struct loop *loop, loop_signal_fn fn, void *data);
void loop_catch(struct loop *loop, int signo);

/* Work that must follow every round of events, wherever the shell waits:
 * after runs once each round; next_ms tells how long the loop may sleep at
 * most (-1: no limit), so pending deadlines are kept. */
void loop_set_hooks(struct loop *loop, void (*after)(void *data), long (*next_ms)(void *data),
		    void *data);

/* Runs the signal callback for signals that arrived, without waiting;
 * costs nothing when none did (commands call it between them). */
void loop_dispatch_signals(struct loop *loop);

/* Waits at most timeout_ms (-1: no limit) for events, dispatches them and
 * returns the number of events handled (0 on timeout). */
int loop_run_once(struct loop *loop, int timeout_ms);

/* Runs the loop until fd has one of events or timeout_ms passes.  Returns
 * the events seen (0 on timeout, -1 when a signal callback asked to stop
 * waiting through loop_interrupt). */
int loop_wait_fd(struct loop *loop, int fd, unsigned events, int timeout_ms);
/* Makes the current loop_wait_fd return -1 (used for Ctrl-C). */
void loop_interrupt(struct loop *loop);
void loop_clear_interrupt(struct loop *loop);

/* In a forked child: forget the parent's watches and make a fresh
 * self-pipe, so the child's signals wake the child. */
void loop_after_fork(struct loop *loop);

#endif
