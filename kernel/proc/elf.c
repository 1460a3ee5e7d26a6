/*
 * elf_parse: the ELF64 executable validator (see proc/elf.h for the
 * contract and a picture of the file).
 *
 * Three passes over untrusted bytes: the ELF header, then every program
 * header looking for PT_INTERP (so a dynamically linked program gets that
 * message, not a complaint about one of its segments), then each PT_LOAD.
 * Headers are copied out with memcpy into the local structs below, so a
 * program header table at an odd offset is never an unaligned access.
 * The structs match the file byte for byte because ELFDATA2LSB files are
 * little-endian like x86-64 itself (checked before any multi-byte field is
 * used).
 *
 * Every range check is written as "a <= limit && b <= limit - a", never
 * "a + b <= limit": offsets and sizes come from the file and can be chosen
 * so that the sum wraps past 2^64 and looks small.
 */
#include "proc/elf.h"
#include "lib/format.h"
#include "lib/string.h"
#include "uapi/canary.h"

#define ELF_PAGE_SIZE 4096ull /* the loader maps whole 4 KiB pages */

/* e_ident[] indices and values (System V ABI, "ELF Identification"). */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

#define ET_EXEC 2    /* fixed-address executable: what we load */
#define ET_DYN 3     /* shared object or position-independent executable */
#define EM_X86_64 62

#define PT_LOAD 1
#define PT_INTERP 3  /* names the dynamic linker; we have none */

#define PF_X 1       /* p_flags bits; note the order differs from ELF_PROT_* */
#define PF_W 2
#define PF_R 4

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT]; /* "\x7f" "ELF", class, data encoding, version, ABI */
	u16 e_type;            /* ET_EXEC, ET_DYN, ... */
	u16 e_machine;         /* EM_X86_64 */
	u32 e_version;         /* EV_CURRENT */
	u64 e_entry;           /* virtual address of the first instruction */
	u64 e_phoff;           /* file offset of the program header table */
	u64 e_shoff;           /* section headers: only for linkers, ignored */
	u32 e_flags;           /* none defined for x86-64 */
	u16 e_ehsize;          /* 64; not trusted, sizeof is used instead */
	u16 e_phentsize;       /* must be sizeof(struct elf64_phdr) */
	u16 e_phnum;           /* entries in the program header table */
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;   /* PT_LOAD, PT_INTERP, ...; others are ignored */
	u32 p_flags;  /* PF_R | PF_W | PF_X */
	u64 p_offset; /* file offset of the segment's first byte */
	u64 p_vaddr;  /* where that byte goes in memory */
	u64 p_paddr;  /* unused on x86-64 user programs */
	u64 p_filesz; /* bytes taken from the file */
	u64 p_memsz;  /* bytes in memory; the tail beyond filesz is zero */
	u64 p_align;  /* ld's page size; we require 4 KiB congruence instead */
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

/* Printed with %llx, whatever u64 is on this compiler. */
#define ELF_ULL(x) ((unsigned long long)(x))

/* Writes the reason and returns -ENOEXEC, so each check is one statement. */
#define elf_fail(why, whylen, ...) kfail(-ENOEXEC, why, whylen, __VA_ARGS__)

static int elf_check_header(const struct elf64_ehdr *eh, size_t size, char *why, size_t whylen)
{
	if (memcmp(eh->e_ident, "\x7f" "ELF", 4) != 0)
		return elf_fail(why, whylen, "not an ELF file (bad magic)");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return elf_fail(why, whylen, "not a 64-bit ELF file (EI_CLASS %u, expected 2)",
				eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_fail(why, whylen, "not little-endian (EI_DATA %u, expected 1)",
				eh->e_ident[EI_DATA]);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return elf_fail(why, whylen, "unknown ELF version %u/%u (expected 1)",
				eh->e_ident[EI_VERSION], eh->e_version);
	if (eh->e_type == ET_DYN)
		return elf_fail(why, whylen, "position-independent executables are not supported");
	if (eh->e_type != ET_EXEC)
		return elf_fail(why, whylen, "not an executable (e_type %u, expected 2 = ET_EXEC)",
				eh->e_type);
	if (eh->e_machine != EM_X86_64)
		return elf_fail(why, whylen, "not an x86-64 program (e_machine %u, expected 62)",
				eh->e_machine);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return elf_fail(why, whylen, "program header size %u, expected %zu",
				eh->e_phentsize, sizeof(struct elf64_phdr));
	/* e_phnum * 56 is below 2^22: only the offset can be out of range. */
	if (eh->e_phoff > size ||
	    (u64)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff)
		return elf_fail(why, whylen,
				"program header table (offset %#llx, %u entries) runs past the end of the file (%zu bytes)",
				ELF_ULL(eh->e_phoff), eh->e_phnum, size);
	return 0;
}

/* ELF's PF_* bits in the order the page tables want them. */
static unsigned elf_prot(u32 p_flags)
{
	return (p_flags & PF_R ? ELF_PROT_R : 0) | (p_flags & PF_W ? ELF_PROT_W : 0) |
	       (p_flags & PF_X ? ELF_PROT_X : 0);
}

/*
 * Checks PT_LOAD number i and appends it to img (unless it is empty).
 * phidx[] holds the program header number of each accepted segment, for
 * the overlap message.
 */
static int elf_add_load(const struct elf64_phdr *ph, unsigned i, size_t size, u64 user_lo,
			u64 user_hi, struct elf_image *img, unsigned *phidx, char *why,
			size_t whylen)
{
	struct elf_segment *s;
	u64 first, last;

	if (ph->p_filesz > ph->p_memsz)
		return elf_fail(why, whylen, "program header %u: p_filesz %#llx exceeds p_memsz %#llx",
				i, ELF_ULL(ph->p_filesz), ELF_ULL(ph->p_memsz));
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return elf_fail(why, whylen,
				"program header %u: file bytes [%#llx, +%#llx) run past the end of the file (%zu bytes)",
				i, ELF_ULL(ph->p_offset), ELF_ULL(ph->p_filesz), size);
	/* ld emits these for empty sections; mapping nothing is harmless. */
	if (ph->p_memsz == 0)
		return 0;
	if (ph->p_vaddr < user_lo || ph->p_vaddr > user_hi || ph->p_memsz > user_hi - ph->p_vaddr)
		return elf_fail(why, whylen,
				"program header %u: [%#llx, +%#llx) is outside user space [%#llx, %#llx)",
				i, ELF_ULL(ph->p_vaddr), ELF_ULL(ph->p_memsz), ELF_ULL(user_lo),
				ELF_ULL(user_hi));
	/* A page maps file page to memory page: the offsets within must agree. */
	if (ph->p_vaddr % ELF_PAGE_SIZE != ph->p_offset % ELF_PAGE_SIZE)
		return elf_fail(why, whylen,
				"program header %u: p_vaddr %#llx and p_offset %#llx differ modulo the page size",
				i, ELF_ULL(ph->p_vaddr), ELF_ULL(ph->p_offset));
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return elf_fail(why, whylen, "program header %u: writable and executable (W^X)", i);

	/* Page numbers, inclusive: vaddr + memsz - 1 cannot wrap (checked above). */
	first = ph->p_vaddr / ELF_PAGE_SIZE;
	last = (ph->p_vaddr + ph->p_memsz - 1) / ELF_PAGE_SIZE;
	for (unsigned j = 0; j < img->nsegs; j++) {
		const struct elf_segment *o = &img->seg[j];
		u64 ofirst = o->vaddr / ELF_PAGE_SIZE;
		u64 olast = (o->vaddr + o->memsz - 1) / ELF_PAGE_SIZE;

		/* Two segments on one page would need two sets of permissions. */
		if (first <= olast && ofirst <= last)
			return elf_fail(why, whylen,
					"program header %u: shares page %#llx with program header %u",
					i, ELF_ULL(MAX(first, ofirst) * ELF_PAGE_SIZE), phidx[j]);
	}
	if (img->nsegs == ELF_MAX_SEGMENTS)
		return elf_fail(why, whylen, "more than %d loadable segments", ELF_MAX_SEGMENTS);

	phidx[img->nsegs] = i;
	s = &img->seg[img->nsegs++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->prot = elf_prot(ph->p_flags);
	img->lo = MIN(img->lo, first * ELF_PAGE_SIZE);
	img->hi = MAX(img->hi, (last + 1) * ELF_PAGE_SIZE);
	return 0;
}

static bool elf_entry_ok(const struct elf_image *img)
{
	for (unsigned j = 0; j < img->nsegs; j++) {
		const struct elf_segment *s = &img->seg[j];

		if ((s->prot & ELF_PROT_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

int elf_parse(const void *data, size_t size, u64 user_lo, u64 user_hi, struct elf_image *img,
	      char *why, size_t whylen)
{
	const u8 *file = data;
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	unsigned phidx[ELF_MAX_SEGMENTS];
	int err;

	if (whylen > 0)
		why[0] = '\0';
	/* A caller bug, not a bad file; page alignment keeps img->hi from wrapping. */
	if (user_lo >= user_hi || user_lo % ELF_PAGE_SIZE || user_hi % ELF_PAGE_SIZE)
		return elf_fail(why, whylen, "bad user range [%#llx, %#llx)", ELF_ULL(user_lo),
				ELF_ULL(user_hi));
	if (data == NULL || size < sizeof(eh))
		return elf_fail(why, whylen, "truncated: %zu bytes, smaller than the %zu-byte ELF header",
				size, sizeof(eh));
	memcpy(&eh, file, sizeof(eh));
	err = elf_check_header(&eh, size, why, whylen);
	if (err)
		return err;

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, file + eh.e_phoff + (u64)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP)
			return elf_fail(why, whylen, "dynamically linked (PT_INTERP): link with -static");
	}

	img->entry = eh.e_entry;
	img->nsegs = 0;
	img->lo = UINT64_MAX;
	img->hi = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, file + eh.e_phoff + (u64)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		err = elf_add_load(&ph, i, size, user_lo, user_hi, img, phidx, why, whylen);
		if (err)
			return err;
	}
	if (img->nsegs == 0)
		return elf_fail(why, whylen, "no loadable segment (PT_LOAD)");
	if (!elf_entry_ok(img))
		return elf_fail(why, whylen, "entry point %#llx is not in an executable segment",
				ELF_ULL(img->entry));
	return 0;
}
