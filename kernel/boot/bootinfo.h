/*
 * struct bootinfo: what the boot loader told us, in one protocol-neutral
 * form.  Each boot path fills it exactly once, early, before anything else
 * reads it: multiboot2 through mb2_parse() (boot/multiboot2.h), PVH through
 * its own parser.  Everything after boot reads only this structure, never
 * the loader's raw tables, which may lie in memory the kernel reclaims.
 *
 * All storage is inside the structure (fixed arrays, no pointers into the
 * loader's data) so it stays valid however the early mappings change.
 * Lists that did not fit set a *_truncated flag rather than failing boot.
 */
#ifndef CANARY_BOOT_BOOTINFO_H
#define CANARY_BOOT_BOOTINFO_H

#include "lib/types.h"

#define BOOT_MMAP_MAX 64
#define BOOT_MODULES_MAX 8
#define BOOT_CMDLINE_MAX 512

/* Memory region types.  The values are those of multiboot2 and of the
 * E820 map PVH hands over, so both parsers store them unchanged; any type
 * outside this list is stored as BOOT_MEM_RESERVED. */
enum boot_mem_type {
	BOOT_MEM_AVAILABLE = 1,        /* free RAM the kernel may use */
	BOOT_MEM_RESERVED = 2,         /* firmware, MMIO holes, unknown types */
	BOOT_MEM_ACPI_RECLAIMABLE = 3, /* ACPI tables; usable once parsed */
	BOOT_MEM_NVS = 4,              /* ACPI NVS; preserve across sleep */
	BOOT_MEM_BAD = 5,              /* RAM the firmware found defective */
};

struct boot_mmap_entry {
	u64 base; /* physical address of the first byte */
	u64 len;  /* length in bytes */
	u32 type; /* enum boot_mem_type */
};

struct boot_module {
	u64 start, end; /* physical range [start, end) of the loaded file */
	char name[64];  /* loader's string for it, e.g. a path; may be cut short */
};

struct bootinfo {
	const char *protocol; /* "multiboot2" or "pvh"; static string */

	char cmdline[BOOT_CMDLINE_MAX]; /* kernel command line, NUL-terminated */
	bool cmdline_truncated;         /* longer than the buffer, or unterminated */

	char loader_name[64]; /* e.g. "GRUB 2.06"; empty if not given */

	struct boot_mmap_entry mmap[BOOT_MMAP_MAX]; /* in the loader's order */
	u32 mmap_count;
	bool mmap_truncated; /* the loader listed more than BOOT_MMAP_MAX */

	struct boot_module modules[BOOT_MODULES_MAX];
	u32 module_count;
	bool modules_truncated; /* the loader listed more than BOOT_MODULES_MAX */

	u64 mem_lower_kb, mem_upper_kb; /* RAM below 1 MiB / above 1 MiB */
	bool have_meminfo;              /* the two fields above are valid */
};

/* Total bytes in BOOT_MEM_AVAILABLE regions, saturating at UINT64_MAX so a
 * bogus map cannot wrap around to a small number. */
u64 bootinfo_usable_bytes(const struct bootinfo *bi);

/* Human-readable name of an enum boot_mem_type, "unknown" for others.
 * Returns a static string. */
const char *boot_mem_type_name(u32 type);

#endif
