/*
 * The multiboot2 boot information structure and a parser that turns it into
 * a struct bootinfo.  The multiboot2 entry path calls mb2_parse() once with
 * the pointer GRUB left in %ebx; host tests call it with hostile blobs.
 *
 * Layout (Multiboot2 specification, section 3.6), 8-byte aligned:
 *
 *   info + 0  +----------------------+
 *             | u32 total_size       |  whole structure, this header included
 *             | u32 reserved         |
 *   info + 8  +----------------------+
 *             | u32 type             |  first tag
 *             | u32 size             |  header + payload, padding excluded
 *             | payload ...          |
 *             +----------------------+  padding up to a multiple of 8
 *             | next tag ...         |
 *             +----------------------+
 *             | type 0, size 8       |  end tag
 *   info + total_size
 *
 * The loader is trusted to boot us, not to be correct: the parser checks
 * every size before using it and never reads outside the structure.
 */
#ifndef CANARY_BOOT_MULTIBOOT2_H
#define CANARY_BOOT_MULTIBOOT2_H

#include "boot/bootinfo.h"
#include "lib/types.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u /* in %eax when the loader jumps to us */
#define MB2_HEADER_MAGIC 0xe85250d6u     /* starts the header in our image */
#define MB2_ALIGN 8                      /* alignment of the info and each tag */

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,       /* payload: NUL-terminated string */
	MB2_TAG_LOADER_NAME = 2,   /* payload: NUL-terminated string */
	MB2_TAG_MODULE = 3,        /* struct mb2_tag_module, then a string */
	MB2_TAG_BASIC_MEMINFO = 4, /* struct mb2_tag_meminfo */
	MB2_TAG_BOOTDEV = 5,       /* BIOS boot device; not used */
	MB2_TAG_MMAP = 6,          /* struct mb2_tag_mmap, then entries */
};

struct mb2_info_header {
	u32 total_size; /* bytes from info to the end of the end tag */
	u32 reserved;   /* always 0; ignored */
};

struct mb2_tag {
	u32 type; /* enum mb2_tag_type; unknown types are skipped */
	u32 size; /* bytes including this header, excluding padding */
};

struct mb2_tag_module {
	struct mb2_tag tag;
	u32 mod_start; /* physical address of the first byte */
	u32 mod_end;   /* physical address one past the last byte */
	/* NUL-terminated string follows: the module's command line */
};

struct mb2_tag_meminfo {
	struct mb2_tag tag;
	u32 mem_lower; /* KiB of RAM from address 0 */
	u32 mem_upper; /* KiB of RAM from 1 MiB up to the first hole */
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	u32 entry_size;    /* stride between entries; >= 24, multiple of 8 */
	u32 entry_version; /* 0; later versions only append fields */
	/* (tag.size - 16) / entry_size entries follow */
};

struct mb2_mmap_entry {
	u64 base_addr;
	u64 length;
	u32 type; /* enum boot_mem_type values; others mean reserved */
	u32 reserved;
};

_Static_assert(sizeof(struct mb2_tag_module) == 16, "multiboot2 module tag layout");
_Static_assert(sizeof(struct mb2_tag_meminfo) == 16, "multiboot2 meminfo tag layout");
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "multiboot2 mmap tag layout");
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 mmap entry layout");

/* Why mb2_parse() gave up; mb2_strerror() has a phrase for each. */
enum mb2_error {
	MB2_OK = 0,
	MB2_ERR_NULL = -1,        /* info or bi is NULL */
	MB2_ERR_ALIGN = -2,       /* info is not 8-byte aligned */
	MB2_ERR_TRUNCATED = -3,   /* total_size is more than avail bytes */
	MB2_ERR_TOTAL_SIZE = -4,  /* total_size too small for header + end tag */
	MB2_ERR_TAG_SIZE = -5,    /* a tag is smaller than its own fields */
	MB2_ERR_TAG_OVERRUN = -6, /* a tag runs past total_size */
	MB2_ERR_NO_END_TAG = -7,  /* the tags ran out before an end tag */
	MB2_ERR_MMAP_ENTRY = -8,  /* bad entry_size, or entries do not fill the tag */
	MB2_ERR_MODULE = -9,      /* a module ends before it starts */
};

/*
 * Parses the boot information at `info` into *bi (which is cleared first).
 * `avail` is how many bytes from info may be read: the exact blob size in
 * tests, the size of the early mapping in the kernel.  Nothing outside
 * [info, info + min(avail, total_size)) is ever read.
 *
 * Returns MB2_OK or a negative enum mb2_error.  On error *bi holds what was
 * parsed before the problem, good only for diagnostics.  Strings too long
 * for their bootinfo buffer are cut short (cmdline sets cmdline_truncated);
 * for a repeated tag other than a module, the last one wins.
 */
int mb2_parse(const void *info, size_t avail, struct bootinfo *bi);

/* A phrase describing an mb2_parse() result; static string. */
const char *mb2_strerror(int err);

#endif
