/*
 * ksym.c - address-to-name lookup over the table in section .ksyms.
 *
 * The table (generated, sorted by address) is:
 *   ksym_count                      number of entries
 *   ksym_table[i] = {addr, size, name_offset}
 *   ksym_names                      NUL-separated names
 * A binary search finds the last symbol at or below an address; the
 * address belongs to it only if it lies within the symbol's size.
 */
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/string.h"

struct ksym_entry {
	u64 addr;
	u32 size;
	u32 name;	/* offset into ksym_names */
};

extern const u64 ksym_count;
extern const struct ksym_entry ksym_table[];
extern const char ksym_names[];

const char *ksym_lookup(u64 addr, u64 *offset, u64 *size)
{
	u64 lo = 0, hi = ksym_count;

	while (lo < hi) {	/* first entry with table.addr > addr */
		u64 mid = lo + (hi - lo) / 2;

		if (ksym_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ksym_entry *e = &ksym_table[lo - 1];

	if (addr - e->addr >= e->size)
		return NULL;
	if (offset)
		*offset = addr - e->addr;
	if (size)
		*size = e->size;
	return ksym_names + e->name;
}

int ksym_snprint(char *buf, size_t size, u64 addr)
{
	u64 off, len;
	const char *name = ksym_lookup(addr, &off, &len);

	if (!name)
		return ksnprintf(buf, size, "0x%016llx", (unsigned long long)addr);
	return ksnprintf(buf, size, "%s+0x%llx/0x%llx", name,
			 (unsigned long long)off, (unsigned long long)len);
}

int ksym_snprint_return(char *buf, size_t size, u64 ret)
{
	u64 off, len;
	const char *name = ksym_lookup(ret - 1, &off, &len);

	if (!name)
		return ksnprintf(buf, size, "0x%016llx", (unsigned long long)ret);
	return ksnprintf(buf, size, "%s+0x%llx/0x%llx", name,
			 (unsigned long long)(off + 1), (unsigned long long)len);
}

u64 ksym_address(const char *name)
{
	for (u64 i = 0; i < ksym_count; i++)
		if (!strcmp(ksym_names + ksym_table[i].name, name))
			return ksym_table[i].addr;
	return 0;
}

u64 ksym_count_symbols(void)
{
	return ksym_count;
}
