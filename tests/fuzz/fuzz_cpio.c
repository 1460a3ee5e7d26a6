/*
 * libFuzzer harness for kernel/fs/cpio.c: walks every entry of an
 * arbitrary archive with cpio_next(), as the initrd unpacker will.  Built
 * and run by tests/fuzz/run_fuzz.sh (make fuzz), with ASan and UBSan,
 * seeded with an archive written by tools/mkinitrd.py.
 *
 * libFuzzer hands over a buffer of exactly `size` bytes, and every byte of
 * each returned name (its NUL included) and data is read, so an entry that
 * points even one byte outside the archive is an ASan report.  The walk
 * must also make progress on every entry, or it would never end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/cpio.h"

#define FUZZ_EINVAL 22 /* uapi/errno.def */

static volatile unsigned fuzz_cpio_sink; /* keeps the reads of names and data */

/* A broken promise of cpio_next(): say which, then abort so libFuzzer saves
 * the input (run_fuzz.sh quotes the first line). */
#define fuzz_cpio_require(ok) \
	((ok) ? (void)0 : fuzz_cpio_broken(#ok, __LINE__))

static void fuzz_cpio_broken(const char *what, int line)
{
	fprintf(stderr, "broken promise: fuzz_cpio.c:%d: %s\n", line, what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0;
	unsigned sum = 0;
	char why[128];
	int ret;

	for (;;) {
		struct cpio_entry e;
		size_t before = pos;

		why[0] = 'x';
		ret = cpio_next(data, size, &pos, &e, why, sizeof(why));
		if (ret != 1)
			break;
		fuzz_cpio_require(pos > before && pos <= size);
		fuzz_cpio_require(why[0] == '\0');
		for (size_t i = 0; i <= e.namelen; i++) /* <=: the NUL too */
			sum += (uint8_t)e.name[i];
		fuzz_cpio_require(e.name[e.namelen] == '\0');
		fuzz_cpio_require(strlen(e.name) == e.namelen);
		for (size_t i = 0; i < e.size; i++)
			sum += ((const uint8_t *)e.data)[i];
	}
	fuzz_cpio_require(ret == 0 || (ret == -FUZZ_EINVAL && why[0] != '\0'));
	fuzz_cpio_require(pos <= size);
	fuzz_cpio_sink = sum;
	return 0;
}
