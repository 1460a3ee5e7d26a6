/*
 * boot.c - which loader started us, and what it told us.
 *
 *   GRUB (multiboot2): EAX = 0x36d76289, EBX = physical address of the
 *                      multiboot2 information (parsed by multiboot2.c).
 *   QEMU -kernel (PVH): EBX = physical address of struct hvm_start_info,
 *                      recognised by its first word, 0x336ec578.  EAX is
 *                      not defined on this path (qboot leaves 0x2badb002).
 *
 * Both structures lie in low memory, reached through the boot mapping
 * (physical 0..1 GiB at KERNEL_VMA); anything beyond it is refused rather
 * than dereferenced.
 */
#include "arch/x86_64/layout.h"
#include "boot/boot.h"
#include "boot/multiboot2.h"
#include "lib/printk.h"
#include "lib/string.h"

struct bootinfo boot_info;

/* A pointer to len bytes at physical address pa, or NULL if not mapped. */
static const void *boot_phys(u64 pa, u64 len)
{
	if (pa == 0 || pa >= BOOT_MAP_LIMIT || len > BOOT_MAP_LIMIT - pa)
		return NULL;
	return (const void *)(KERNEL_VMA + pa);
}

/* struct hvm_start_info, version 1 (QEMU fills the memory map). */
struct pvh_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr;
	u64 memmap_paddr;	/* version >= 1 */
	u32 memmap_entries, reserved;
};

struct pvh_memmap_entry {
	u64 addr, size;
	u32 type, reserved;
};

struct pvh_module {
	u64 paddr, size, cmdline_paddr, reserved;
};

/* Copy a NUL-terminated string from physical memory, bounded. */
static bool boot_copy_string(u64 pa, char *dst, size_t size)
{
	u64 room = pa < BOOT_MAP_LIMIT ? BOOT_MAP_LIMIT - pa : 0;
	const char *src = boot_phys(pa, 1);

	dst[0] = '\0';
	if (!src)
		return false;
	size_t n = strnlen(src, MIN(room, (u64)size));
	bool whole = n < size;

	if (!whole)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return whole;
}

static void pvh_parse(const struct pvh_start_info *si)
{
	struct bootinfo *bi = &boot_info;

	bi->protocol = "pvh";
	memcpy(bi->loader_name, "QEMU PVH", sizeof("QEMU PVH"));
	if (si->cmdline_paddr)
		bi->cmdline_truncated = !boot_copy_string(si->cmdline_paddr, bi->cmdline,
							  sizeof(bi->cmdline));
	if (si->version >= 1 && si->memmap_entries) {
		u64 n = si->memmap_entries;
		const struct pvh_memmap_entry *e =
			boot_phys(si->memmap_paddr, n * sizeof(*e));

		if (!e || n > 4096) {
			pr_err("boot: PVH memory map at %llx (%llu entries) is unreadable\n",
			       (unsigned long long)si->memmap_paddr, (unsigned long long)n);
			n = 0;
		}
		for (u64 i = 0; i < n; i++) {
			struct pvh_memmap_entry m;

			if (bi->mmap_count == BOOT_MMAP_MAX) {
				bi->mmap_truncated = true;
				break;
			}
			memcpy(&m, &e[i], sizeof(m));	/* the loader may misalign it */
			if (m.size == 0)
				continue;	/* qboot lists an empty entry */
			u32 type = m.type >= 1 && m.type <= 5 ? m.type : BOOT_MEM_RESERVED;
			bi->mmap[bi->mmap_count++] = (struct boot_mmap_entry){ m.addr, m.size, type };
		}
	}
	const struct pvh_module *m = boot_phys(si->modlist_paddr, (u64)si->nr_modules * sizeof(*m));

	for (u32 i = 0; m && i < si->nr_modules; i++) {
		if (bi->module_count == BOOT_MODULES_MAX) {
			bi->modules_truncated = true;
			break;
		}
		struct boot_module *bm = &bi->modules[bi->module_count++];
		struct pvh_module mod;

		memcpy(&mod, &m[i], sizeof(mod));	/* QEMU aligns it to 4 only */
		bm->start = mod.paddr;
		bm->end = mod.paddr + mod.size;
		if (mod.cmdline_paddr)
			boot_copy_string(mod.cmdline_paddr, bm->name, sizeof(bm->name));
	}
}

void boot_info_load(u32 loader_magic, u32 info_phys)
{
	const u32 *info = boot_phys(info_phys, 8);

	memset(&boot_info, 0, sizeof(boot_info));
	boot_info.protocol = "unknown";
	if (!info) {
		pr_err("boot: no boot information (loader magic %#x, info at %#x)\n",
		       loader_magic, info_phys);
		return;
	}
	if (loader_magic == MB2_BOOTLOADER_MAGIC) {
		/* Read no further than the structure claims, nor than is mapped. */
		u64 avail = MIN((u64)info[0], BOOT_MAP_LIMIT - info_phys);
		int err = mb2_parse(info, avail, &boot_info);

		if (err)
			pr_err("boot: multiboot2 information rejected: %s\n", mb2_strerror(err));
		return;
	}
	if (info[0] == PVH_START_MAGIC) {
		pvh_parse((const struct pvh_start_info *)info);
		return;
	}
	pr_err("boot: unknown loader (magic %#x, first word %#x); no boot information\n",
	       loader_magic, info[0]);
}

void boot_info_print(void)
{
	const struct bootinfo *bi = &boot_info;

	pr_info("boot: protocol %s, loader \"%s\"\n", bi->protocol, bi->loader_name);
	pr_info("boot: command line \"%s\"%s\n", bi->cmdline,
		bi->cmdline_truncated ? " (truncated)" : "");
	for (u32 i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];

		pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)e->base,
			(unsigned long long)(e->base + e->len - 1), boot_mem_type_name(e->type));
	}
	if (bi->mmap_truncated)
		pr_warn("boot: memory map truncated at %d entries\n", BOOT_MMAP_MAX);
	for (u32 i = 0; i < bi->module_count; i++)
		pr_info("boot: module %u [0x%llx-0x%llx) \"%s\"\n", i,
			(unsigned long long)bi->modules[i].start,
			(unsigned long long)bi->modules[i].end, bi->modules[i].name);
	pr_info("boot: %llu MiB usable memory\n",
		(unsigned long long)(bootinfo_usable_bytes(bi) >> 20));
}
