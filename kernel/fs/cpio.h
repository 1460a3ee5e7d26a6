/*
 * cpio_next: reads a "newc" cpio archive, the format of Linux's initramfs
 * and of Canary's initrd (made by tools/mkinitrd.py), one entry per call.
 * The boot code walks the initrd with it to fill the RAM file system; host
 * tests and tests/fuzz/fuzz_cpio.c feed it hostile archives.
 *
 * Layout (cpio(5), "New ASCII Format"; Linux's
 * Documentation/driver-api/early-userspace/buffer-format.rst):
 *
 *   +0    "070701"                    magic
 *   +6    ino      mode     uid      gid       13 fields, each 8 ASCII hex
 *   +38   nlink    mtime    filesize devmajor  digits ("000081a4"), no NUL
 *   +70   devminor rdevmajor rdevminor namesize
 *   +102  check                       (0; only "070702" archives use it)
 *   +110  name, namesize bytes with its NUL, then NULs up to a 4-byte boundary
 *         data, filesize bytes, then NULs up to a 4-byte boundary
 *         next header ...
 *         the last entry is named "TRAILER!!!"
 *
 * Boundaries are counted from the archive's first byte.  Pure: no
 * allocation, no locks, no kernel calls but memcmp and ksnprintf.
 */
#ifndef CANARY_FS_CPIO_H
#define CANARY_FS_CPIO_H

#include "lib/types.h"

/* File types in the archive's mode field: POSIX st_mode values, which is
 * what cpio stores, not uapi/canary.h's S_IF* numbering. */
#define CPIO_S_IFMT  0170000
#define CPIO_S_IFDIR 0040000
#define CPIO_S_IFREG 0100000
#define CPIO_S_IFLNK 0120000

/* One archive entry; name and data point into (are borrowed from) the archive. */
struct cpio_entry {
	const char *name; /* NUL-terminated at name[namelen]; "" for the root "." */
	size_t namelen;   /* without NUL, leading "./" or "/" stripped */
	const void *data; /* file contents, size bytes; only 4-byte aligned */
	size_t size;
	u32 mode;         /* full st_mode: CPIO_S_IFMT bits | permissions */
};

/*
 * Read the entry at *pos of the archive [archive, archive+size).  Start
 * with *pos = 0.  Returns 1 and advances *pos past the entry; 0 at the
 * "TRAILER!!!" entry (*pos then points past it); -EINVAL with a one-line
 * reason in why[0..whylen) if malformed, including an archive that ends
 * without a trailer (*pos is then unchanged, *e unspecified).  Never reads
 * outside the archive.  why may be NULL if whylen is 0.
 */
int cpio_next(const void *archive, size_t size, size_t *pos, struct cpio_entry *e, char *why,
	      size_t whylen);

#endif
