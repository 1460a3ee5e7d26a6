/*
 * libFuzzer harness for kernel/proc/elf.c: elf_parse() on arbitrary bytes.
 * Built and run by tests/fuzz/run_fuzz.sh (make fuzz), with ASan and UBSan,
 * seeded with the real static binary $(BUILD)/host/tiny.elf.
 *
 * libFuzzer hands over a buffer of exactly `size` bytes, so any read past
 * the file is an ASan report.  Beyond "does not crash", every accepted
 * image is checked against elf_parse()'s contract, and the file bytes of
 * each segment are read, as the loader will copy them: a range check that
 * let a bad segment through becomes a crash here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/elf.h"

#define FUZZ_USER_LO 0x400000ull            /* USER_BASE */
#define FUZZ_USER_HI 0x00007ffffffff000ull  /* USER_TOP */
#define FUZZ_ENOEXEC 8                      /* uapi/errno.def */

static volatile unsigned fuzz_elf_sink; /* keeps the reads of segment bytes */

/* A broken promise of elf_parse(): say which, then abort so libFuzzer saves
 * the input (run_fuzz.sh quotes the first line). */
#define fuzz_elf_require(ok) \
	((ok) ? (void)0 : fuzz_elf_broken(#ok, __LINE__))

static void fuzz_elf_broken(const char *what, int line)
{
	fprintf(stderr, "broken promise: fuzz_elf.c:%d: %s\n", line, what);
	abort();
}

static void fuzz_elf_check(const struct elf_image *img, const uint8_t *data, size_t size)
{
	int entry_ok = 0;
	unsigned sum = 0;

	fuzz_elf_require(img->nsegs >= 1 && img->nsegs <= ELF_MAX_SEGMENTS);
	fuzz_elf_require(img->lo % 4096 == 0 && img->hi % 4096 == 0 && img->lo < img->hi);
	fuzz_elf_require(img->lo >= FUZZ_USER_LO && img->hi <= FUZZ_USER_HI);
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->seg[i];

		fuzz_elf_require(s->memsz > 0 && s->filesz <= s->memsz);
		fuzz_elf_require(s->offset <= size && s->filesz <= size - s->offset);
		fuzz_elf_require(s->vaddr >= img->lo && s->memsz <= img->hi - s->vaddr);
		fuzz_elf_require(s->vaddr % 4096 == s->offset % 4096);
		fuzz_elf_require((s->prot & (ELF_PROT_W | ELF_PROT_X)) !=
				 (ELF_PROT_W | ELF_PROT_X));
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *o = &img->seg[j];

			/* Distinct pages: last page of one before the first of the other. */
			fuzz_elf_require((s->vaddr + s->memsz - 1) / 4096 < o->vaddr / 4096 ||
					 (o->vaddr + o->memsz - 1) / 4096 < s->vaddr / 4096);
		}
		if ((s->prot & ELF_PROT_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = 1;
		for (uint64_t k = 0; k < s->filesz; k++)
			sum += data[s->offset + k];
	}
	fuzz_elf_require(entry_ok);
	fuzz_elf_sink = sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	char why[128];
	int err;

	memset(why, 'x', sizeof(why));
	err = elf_parse(data, size, FUZZ_USER_LO, FUZZ_USER_HI, &img, why, sizeof(why));
	fuzz_elf_require(memchr(why, '\0', sizeof(why)) != NULL);
	if (err == 0) {
		fuzz_elf_require(why[0] == '\0');
		fuzz_elf_check(&img, data, size);
	} else {
		fuzz_elf_require(err == -FUZZ_ENOEXEC && why[0] != '\0');
		fuzz_elf_require(strchr(why, '\n') == NULL);
	}
	return 0;
}
