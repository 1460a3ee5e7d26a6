/*
 * elf_parse: checks that a file is a static x86-64 ELF executable Canary
 * can load, and reduces it to the few numbers the loader needs (struct
 * elf_image).  exec calls it on the file's bytes before touching any page
 * table; host tests and tests/fuzz/fuzz_elf.c call it with hostile input.
 *
 * The file is untrusted: every offset and size in it is checked against
 * the file's length and the user address range with arithmetic that cannot
 * wrap, so the loader may copy [offset, offset + filesz) and map
 * [vaddr, vaddr + memsz) of each segment without checking again.
 *
 * What a loadable file looks like (ELF-64 Object File Format, sections
 * "ELF Header" and "Program Header Table"):
 *
 *   offset 0      +------------------+
 *                 | ELF header (64)  |  magic, class, type, machine, e_entry,
 *                 |                  |  e_phoff, e_phnum, e_phentsize
 *   e_phoff       +------------------+
 *                 | program headers  |  e_phnum x 56 bytes; each PT_LOAD says
 *                 |                  |  "map file [p_offset, +p_filesz) at
 *                 +------------------+  p_vaddr, zero up to p_memsz"
 *                 | segment bytes    |
 *                 +------------------+
 *
 * Pure: no allocation, no locks, no kernel calls but memcpy and ksnprintf,
 * so the same file compiles into the kernel and into host tests.
 */
#ifndef CANARY_PROC_ELF_H
#define CANARY_PROC_ELF_H

#include "lib/types.h"

#define ELF_MAX_SEGMENTS 8 /* PT_LOADs accepted; ld's R/RX/R/RW layout uses 4 */

/* Access a segment's pages get; the values are PROT_READ/WRITE/EXEC's. */
#define ELF_PROT_R 1
#define ELF_PROT_W 2
#define ELF_PROT_X 4

/* One PT_LOAD with memsz > 0, as validated. */
struct elf_segment {
	u64 vaddr;     /* first user address; may be inside a page */
	u64 memsz;     /* bytes of memory, >= filesz; the rest is zero (.bss) */
	u64 offset;    /* where the file bytes start; == vaddr modulo 4096 */
	u64 filesz;    /* bytes copied from the file */
	unsigned prot; /* ELF_PROT_*; never both W and X */
};

/* What the loader needs from an executable; the caller owns it. */
struct elf_image {
	u64 entry;                               /* first instruction, in an X segment */
	unsigned nsegs;                          /* entries used in seg[], 1..ELF_MAX_SEGMENTS */
	struct elf_segment seg[ELF_MAX_SEGMENTS]; /* in file order; no two share a page */
	u64 lo, hi;                              /* page-aligned span of all segments */
};

/*
 * Validate an executable of `size` bytes at `data` for loading into user
 * space [user_lo, user_hi), both page-aligned with user_lo < user_hi.
 * Returns 0 and fills *img (why gets ""), or -ENOEXEC and writes a one-line
 * reason (no newline) into why[0..whylen); *img is then unspecified.
 * `data` needs no particular alignment.  why may be NULL if whylen is 0.
 */
int elf_parse(const void *data, size_t size, u64 user_lo, u64 user_hi, struct elf_image *img,
	      char *why, size_t whylen);

#endif
