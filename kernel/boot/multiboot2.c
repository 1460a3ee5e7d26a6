/*
 * mb2_parse: walks the multiboot2 tag list and copies what the kernel
 * needs into a struct bootinfo.
 *
 * Safety rests on one invariant, established by mb2_parse() before it calls
 * any handler: the tag's `size` bytes lie wholly inside the structure.  Each
 * parse_*() handler then reads only within [tag, tag + size) and checks that
 * size covers its fixed fields before copying them.  Fields are copied out
 * with memcpy into local structs rather than read through casted pointers,
 * so a misplaced tag is a parse error, never an unaligned access.
 */
#include "boot/multiboot2.h"
#include "lib/string.h"

/*
 * Copies a string payload of srclen bytes into dst, stopping at the first
 * NUL.  Returns true if the string was cut short: either it had no NUL
 * inside its tag, or it did not fit in dst.
 */
static bool copy_string(char *dst, size_t dstsize, const u8 *src, size_t srclen)
{
	size_t n = strnlen((const char *)src, srclen);
	bool cut = n == srclen || n >= dstsize;

	n = MIN(n, dstsize - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return cut;
}

static int parse_module(const u8 *tag, u32 size, struct bootinfo *bi)
{
	struct mb2_tag_module mod;
	struct boot_module *out;

	if (size < sizeof(mod))
		return MB2_ERR_TAG_SIZE;
	memcpy(&mod, tag, sizeof(mod));
	if (mod.mod_end < mod.mod_start)
		return MB2_ERR_MODULE;

	if (bi->module_count == BOOT_MODULES_MAX) {
		bi->modules_truncated = true;
		return MB2_OK;
	}
	out = &bi->modules[bi->module_count++];
	out->start = mod.mod_start;
	out->end = mod.mod_end;
	copy_string(out->name, sizeof(out->name), tag + sizeof(mod), size - sizeof(mod));
	return MB2_OK;
}

static int parse_meminfo(const u8 *tag, u32 size, struct bootinfo *bi)
{
	struct mb2_tag_meminfo mi;

	if (size < sizeof(mi))
		return MB2_ERR_TAG_SIZE;
	memcpy(&mi, tag, sizeof(mi));
	bi->mem_lower_kb = mi.mem_lower;
	bi->mem_upper_kb = mi.mem_upper;
	bi->have_meminfo = true;
	return MB2_OK;
}

static u32 normalize_mem_type(u32 type)
{
	/* Spec: "All other values currently indicate a reserved area." */
	return type >= BOOT_MEM_AVAILABLE && type <= BOOT_MEM_BAD ? type
								  : BOOT_MEM_RESERVED;
}

static int parse_mmap(const u8 *tag, u32 size, struct bootinfo *bi)
{
	struct mb2_tag_mmap mm;
	size_t count;

	if (size < sizeof(mm))
		return MB2_ERR_TAG_SIZE;
	memcpy(&mm, tag, sizeof(mm));

	/* entry_size is the stride: a newer loader may append fields, which
	 * we skip, but an entry smaller than ours cannot be read at all. */
	if (mm.entry_size < sizeof(struct mb2_mmap_entry) || mm.entry_size % 8 != 0)
		return MB2_ERR_MMAP_ENTRY;
	if ((size - sizeof(mm)) % mm.entry_size != 0)
		return MB2_ERR_MMAP_ENTRY;
	count = (size - sizeof(mm)) / mm.entry_size;

	bi->mmap_count = 0;
	bi->mmap_truncated = false;
	for (size_t i = 0; i < count; i++) {
		struct mb2_mmap_entry e;
		struct boot_mmap_entry *out;

		if (bi->mmap_count == BOOT_MMAP_MAX) {
			bi->mmap_truncated = true;
			break;
		}
		memcpy(&e, tag + sizeof(mm) + i * mm.entry_size, sizeof(e));
		out = &bi->mmap[bi->mmap_count++];
		out->base = e.base_addr;
		out->len = e.length;
		out->type = normalize_mem_type(e.type);
	}
	return MB2_OK;
}

/* Precondition: [tag, tag + size) is inside the structure, size >= 8. */
static int parse_tag(const u8 *tag, u32 type, u32 size, struct bootinfo *bi)
{
	const u8 *payload = tag + sizeof(struct mb2_tag);
	size_t payload_len = size - sizeof(struct mb2_tag);

	switch (type) {
	case MB2_TAG_CMDLINE:
		bi->cmdline_truncated =
			copy_string(bi->cmdline, sizeof(bi->cmdline), payload, payload_len);
		return MB2_OK;
	case MB2_TAG_LOADER_NAME:
		copy_string(bi->loader_name, sizeof(bi->loader_name), payload, payload_len);
		return MB2_OK;
	case MB2_TAG_MODULE:
		return parse_module(tag, size, bi);
	case MB2_TAG_BASIC_MEMINFO:
		return parse_meminfo(tag, size, bi);
	case MB2_TAG_MMAP:
		return parse_mmap(tag, size, bi);
	default:
		/* Framebuffer, ACPI, EFI and future tags: not ours to read. */
		return MB2_OK;
	}
}

int mb2_parse(const void *info, size_t avail, struct bootinfo *bi)
{
	const u8 *base = info;
	struct mb2_info_header hdr;
	size_t off;

	if (!info || !bi)
		return MB2_ERR_NULL;
	memset(bi, 0, sizeof(*bi));
	bi->protocol = "multiboot2";

	if ((uintptr_t)info % MB2_ALIGN != 0)
		return MB2_ERR_ALIGN;
	if (avail < sizeof(hdr))
		return MB2_ERR_TRUNCATED;
	memcpy(&hdr, base, sizeof(hdr));
	if (hdr.total_size < sizeof(hdr) + sizeof(struct mb2_tag))
		return MB2_ERR_TOTAL_SIZE;
	if (hdr.total_size > avail)
		return MB2_ERR_TRUNCATED;

	/* From here on hdr.total_size is the only bound that matters. */
	for (off = sizeof(hdr); off + sizeof(struct mb2_tag) <= hdr.total_size;) {
		struct mb2_tag tag;
		int err;

		memcpy(&tag, base + off, sizeof(tag));
		if (tag.size < sizeof(tag))
			return MB2_ERR_TAG_SIZE;
		if (tag.size > hdr.total_size - off)
			return MB2_ERR_TAG_OVERRUN;
		if (tag.type == MB2_TAG_END)
			return tag.size == sizeof(tag) ? MB2_OK : MB2_ERR_TAG_SIZE;

		err = parse_tag(base + off, tag.type, tag.size, bi);
		if (err != MB2_OK)
			return err;
		/* off + size <= total_size < 2^32, so this cannot wrap. */
		off += ALIGN_UP((size_t)tag.size, MB2_ALIGN);
	}
	return MB2_ERR_NO_END_TAG;
}

const char *mb2_strerror(int err)
{
	switch (err) {
	case MB2_OK:
		return "success";
	case MB2_ERR_NULL:
		return "no boot information pointer";
	case MB2_ERR_ALIGN:
		return "boot information is not 8-byte aligned";
	case MB2_ERR_TRUNCATED:
		return "boot information is larger than the bytes available";
	case MB2_ERR_TOTAL_SIZE:
		return "total_size is too small to hold a header and an end tag";
	case MB2_ERR_TAG_SIZE:
		return "a tag's size is smaller than its own fields";
	case MB2_ERR_TAG_OVERRUN:
		return "a tag runs past the end of the boot information";
	case MB2_ERR_NO_END_TAG:
		return "the tag list has no end tag";
	case MB2_ERR_MMAP_ENTRY:
		return "memory map entry size is invalid or entries do not fill the tag";
	case MB2_ERR_MODULE:
		return "a module ends before it starts";
	default:
		return "unknown multiboot2 parse error";
	}
}
