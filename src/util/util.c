/* Small helpers shared by every module. */
#include "config.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
	static const char msg[] = "cosh: out of memory\n";
	(void)!write(2, msg, sizeof msg - 1);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	/* malloc and memset: glibc's calloc skips the per-thread cache of
	 * small blocks, which made it several times slower for the small
	 * blocks the shell zeroes per command */
	n = n ? n : 1;
	m = m ? m : 1;
	if (n > SIZE_MAX / m)
		oom();
	void *p = xmalloc(n * m);
	memset(p, 0, n * m);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf b;
	va_list ap;
	strbuf_init(&b);
	va_start(ap, fmt);
	strbuf_vaddf(&b, fmt, ap);
	va_end(ap);
	return strbuf_take(&b);
}

size_t fmt_i64(char *buf, int64_t v)
{
	char tmp[24];
	size_t n = 0;
	/* negate as unsigned: INT64_MIN has no positive int64_t */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	size_t len = 0;
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = 0;
	return len;
}

const char *scan_decimal(const char *s, int64_t *v)
{
	const char *d = s + (*s == '-'), *p = d;
	int64_t n = 0;
	while (*p >= '0' && *p <= '9' && p - d < 18)
		n = n * 10 + (*p++ - '0');
	if (p == d)
		return NULL;
	*v = *s == '-' ? -n : n;
	return p;
}

void strbuf_init(struct strbuf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void strbuf_finish(struct strbuf *b)
{
	free(b->s);
	strbuf_init(b);
}

void strbuf_grow(struct strbuf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 32;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
	b->s[b->len] = 0; /* the string is valid even before anything is added */
}

void strbuf_adds(struct strbuf *b, const char *s)
{
	strbuf_addn(b, s, strlen(s));
}

void strbuf_vaddf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	strbuf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(b, fmt, ap);
	va_end(ap);
}

void strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

char *strbuf_take(struct strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	strbuf_init(b);
	return s;
}

const char *strbuf_str(struct strbuf *b)
{
	return b->s ? b->s : "";
}

void ptrvec_init(struct ptrvec *p)
{
	p->v = NULL;
	p->len = p->cap = 0;
}

void ptrvec_finish(struct ptrvec *p)
{
	free(p->v);
	ptrvec_init(p);
}

void ptrvec_push(struct ptrvec *p, void *x)
{
	if (p->len + 2 > p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->len++] = x;
	p->v[p->len] = NULL;
}

void **ptrvec_take(struct ptrvec *p)
{
	if (!p->v)
		p->v = xcalloc(1, sizeof *p->v);
	void **v = p->v;
	ptrvec_init(p);
	return v;
}

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct arena_block *head;
	int refs;
};

struct arena *arena_create(void)
{
	struct arena *a = xcalloc(1, sizeof *a);
	a->refs = 1;
	return a;
}

void arena_ref(struct arena *a)
{
	a->refs++;
}

void arena_unref(struct arena *a)
{
	if (!a || --a->refs > 0)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *n = b->next;
		free(b);
		b = n;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > 4000 ? n : 4000;
		b = xmalloc(sizeof *b + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

char *read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	struct strbuf b;
	strbuf_init(&b);
	strbuf_grow(&b, 4096);
	for (;;) {
		strbuf_grow(&b, 4096);
		ssize_t r = read(fd, b.s + b.len, b.cap - b.len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			strbuf_finish(&b);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
	}
	b.s[b.len] = 0;
	close(fd);
	if (lenp)
		*lenp = b.len;
	return strbuf_take(&b);
}

int fd_move_high(int fd)
{
	if (fd < 0)
		return fd;
	int n = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (n < 0)
		return fd;
	close(fd);
	return n;
}

void strbuf_add_shquoted(struct strbuf *b, const char *s)
{
	bool plain = *s != 0;
	for (const char *p = s; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("-./:=@%+,_", *p);
	if (plain) {
		strbuf_adds(b, s);
		return;
	}
	strbuf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_adds(b, "'\\''");
		else
			strbuf_addc(b, *s);
	}
	strbuf_addc(b, '\'');
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
