/* Runs a fuzz target's LLVMFuzzerTestOneInput once on each file named on
 * the command line, without libFuzzer: the corpus and the crashes found
 * replay in `make check` with the ordinary compiler (and, in the
 * sanitizer build, under ASan and UBSan).  Exit status 0 when every input
 * ran; a crash or a failed check in the target aborts. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf || err) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		return -1;
	}
	/* exactly len bytes, as libFuzzer hands them: ASan sees an overread */
	uint8_t *data = malloc(len ? len : 1);
	if (!data) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		free(buf);
		return -1;
	}
	memcpy(data, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, ran = 0;
	for (int i = 1; i < argc; i++) {
		if (replay(argv[i]) < 0)
			failed++;
		else
			ran++;
	}
	printf("replay: %d inputs ran, %d unreadable\n", ran, failed);
	return failed ? 1 : 0;
}
