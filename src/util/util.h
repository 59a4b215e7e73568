/* Small helpers shared by every module: checked allocation, a growable
 * byte string, a growable pointer vector and an arena for parse trees. */
#ifndef COSH_UTIL_H
#define COSH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/* Allocation never returns NULL: on exhaustion the process aborts with a
 * message, as every caller would have to do the same. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes v in decimal to buf (room for 21 bytes: "-9223372036854775808"
 * and a NUL) and returns its length; snprintf's speed matters in loops. */
size_t fmt_i64(char *buf, int64_t v);
/* An optional '-' and 1 to 18 decimal digits (too few to overflow) at s:
 * their value in *v and the first byte after them; NULL when s does not
 * start so.  The fast way to read numbers such as the shell writes. */
const char *scan_decimal(const char *s, int64_t *v);

/* A growable string; always NUL-terminated once anything was added. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void strbuf_init(struct strbuf *b);
void strbuf_finish(struct strbuf *b);
void strbuf_grow(struct strbuf *b, size_t extra);
/* These two run for every character the shell builds: the common case
 * (room enough) is inline, growing is not. */
static inline void strbuf_addc(struct strbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		strbuf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}
static inline void strbuf_addn(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		strbuf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *b, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *b);
/* Hands the string to the caller (never NULL) and empties the buffer. */
char *strbuf_take(struct strbuf *b);
/* The contents, "" when empty. */
const char *strbuf_str(struct strbuf *b);

/* A growable array of pointers. */
struct ptrvec {
	void **v;
	size_t len, cap;
};
void ptrvec_init(struct ptrvec *p);
void ptrvec_finish(struct ptrvec *p);
void ptrvec_push(struct ptrvec *p, void *x);
/* Adds a NULL terminator (not counted in len) and hands the array over. */
void **ptrvec_take(struct ptrvec *p);

/* An arena: many small allocations freed at once.  Parse trees live in
 * one; a function definition keeps its arena alive with a reference. */
struct arena;
struct arena *arena_create(void);
void arena_ref(struct arena *a);
void arena_unref(struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Appends s quoted for the shell ('...') when it holds anything but
 * letters, digits and -./:=@%+,_ ; as is otherwise. */
void strbuf_add_shquoted(struct strbuf *b, const char *s);
/* The value of hex digit c, or -1. */
int hex_digit(int c);

/* Milliseconds on the monotonic clock. */
long mono_ms(void);

/* I/O that handles EINTR and partial writes.  Return 0 or -1 (errno). */
int write_all(int fd, const void *buf, size_t n);
/* Reads a whole file; returns NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);
/* Moves fd to a number >= 10 with close-on-exec; returns the new fd. */
int fd_move_high(int fd);

#endif
