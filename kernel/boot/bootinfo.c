/*
 * Small queries on struct bootinfo shared by every boot path: how much RAM
 * the loader offered, and names for memory types in boot-time logs.
 */
#include "boot/bootinfo.h"

u64 bootinfo_usable_bytes(const struct bootinfo *bi)
{
	u64 total = 0;

	for (u32 i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];

		if (e->type != BOOT_MEM_AVAILABLE)
			continue;
		if (e->len > UINT64_MAX - total)
			return UINT64_MAX;
		total += e->len;
	}
	return total;
}

const char *boot_mem_type_name(u32 type)
{
	static const char *const names[] = {
		[BOOT_MEM_AVAILABLE] = "available",
		[BOOT_MEM_RESERVED] = "reserved",
		[BOOT_MEM_ACPI_RECLAIMABLE] = "ACPI reclaimable",
		[BOOT_MEM_NVS] = "ACPI NVS",
		[BOOT_MEM_BAD] = "bad RAM",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "unknown";
}
