/*
 * Host tests for kernel/proc/elf.c.
 *
 * Executables are built field by field with the host's own <elf.h>
 * (build_valid() makes a good one, each test breaks one thing), which also
 * cross-checks elf.c's private structure layouts against glibc's.  Every
 * file is handed to elf_parse() by parse_exact(), in a heap buffer of
 * exactly its size, so under AddressSanitizer a read one byte past the end
 * fails the test.  test_real_static_binary parses what gcc and ld really
 * produce: $(BUILD)/host/tiny.elf, linked from tests/host/data/tiny.c.
 *
 * Also defines host_read_data() (suites.h), which test_cpio.c uses too.
 */
#define _POSIX_C_SOURCE 200809L /* readlink() */

#include <elf.h>
#include <errno.h> /* ENOEXEC: Linux's value, as uapi/errno.def's */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/elf.h"
#include "suites.h"

#define LO 0x400000ull             /* USER_BASE */
#define HI 0x00007ffffffff000ull   /* USER_TOP */
#define KERNEL_HALF 0xffff800000000000ull

/* The file under construction; each test runs in its own process. */
static _Alignas(8) u8 file[0x4000];
static size_t file_len;

static Elf64_Ehdr *eh(void)
{
	return (Elf64_Ehdr *)file;
}

static Elf64_Phdr *ph(unsigned i)
{
	ck_assert_uint_le(sizeof(Elf64_Ehdr) + (i + 1) * sizeof(Elf64_Phdr), sizeof(file));
	return (Elf64_Phdr *)(file + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr));
}

static void set_load(unsigned i, u32 flags, u64 offset, u64 vaddr, u64 filesz, u64 memsz)
{
	*ph(i) = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = flags, .p_offset = offset,
			       .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
			       .p_memsz = memsz, .p_align = 0x1000 };
}

/*
 * ld's layout in miniature:
 *   0 R   file [0, 0x200)       -> 0x400000  headers
 *   1 RX  file [0x1000, 0x1100) -> 0x401000  text; entry 0x401010
 *   2 RW  file [0x2000, 0x2080) -> 0x402000, memsz 0x3000 (bss)
 *   3 GNU_STACK (not loaded)
 */
static void build_valid(void)
{
	memset(file, 0, sizeof(file));
	memcpy(eh()->e_ident, ELFMAG, SELFMAG);
	eh()->e_ident[EI_CLASS] = ELFCLASS64;
	eh()->e_ident[EI_DATA] = ELFDATA2LSB;
	eh()->e_ident[EI_VERSION] = EV_CURRENT;
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_X86_64;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = 0x401010;
	eh()->e_phoff = sizeof(Elf64_Ehdr);
	eh()->e_ehsize = sizeof(Elf64_Ehdr);
	eh()->e_phentsize = sizeof(Elf64_Phdr);
	eh()->e_phnum = 4;
	set_load(0, PF_R, 0, 0x400000, 0x200, 0x200);
	set_load(1, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	set_load(2, PF_R | PF_W, 0x2000, 0x402000, 0x80, 0x3000);
	*ph(3) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16 };
	memset(file + 0x1000, 0x90, 0x100); /* nops, for the look of it */
	file_len = 0x2080;
}

/* Parses a copy of data in a buffer of exactly len bytes. */
static int parse_exact(const void *data, size_t len, u64 lo, u64 hi, struct elf_image *img,
		       char *why, size_t whylen)
{
	u8 *copy = malloc(len ? len : 1);
	int err;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, len);
	err = elf_parse(copy, len, lo, hi, img, why, whylen);
	free(copy);
	return err;
}

static char why[160];

static int parse(struct elf_image *img)
{
	return parse_exact(file, file_len, LO, HI, img, why, sizeof(why));
}

/* The current file must be rejected with a reason containing `reason`. */
#define expect_reject(reason)                                                              \
	do {                                                                                \
		struct elf_image img_;                                                       \
		ck_assert_int_eq(parse(&img_), -ENOEXEC);                                    \
		ck_assert_msg(strstr(why, reason) != NULL, "reason \"%s\" lacks \"%s\"", why, \
			      reason);                                                       \
	} while (0)

static void expect_accept(struct elf_image *img)
{
	int err = parse(img);

	ck_assert_msg(err == 0, "rejected: %s", why);
	ck_assert_str_eq(why, "");
}

/* What every accepted image must satisfy, whatever the file was. */
static void check_invariants(const struct elf_image *img, size_t size)
{
	ck_assert_uint_ge(img->nsegs, 1);
	ck_assert_uint_le(img->nsegs, ELF_MAX_SEGMENTS);
	ck_assert_uint_eq(img->lo % 4096, 0);
	ck_assert_uint_eq(img->hi % 4096, 0);
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->seg[i];

		ck_assert_uint_le(s->filesz, s->memsz);
		ck_assert_uint_gt(s->memsz, 0);
		ck_assert_uint_le(s->offset, size);
		ck_assert_uint_le(s->filesz, size - s->offset);
		ck_assert_uint_ge(s->vaddr, img->lo);
		ck_assert_uint_le(s->memsz, img->hi - s->vaddr);
		ck_assert_uint_ge(s->vaddr, LO);
		ck_assert_uint_le(s->memsz, HI - s->vaddr);
		ck_assert_uint_ne(s->prot & (ELF_PROT_W | ELF_PROT_X), ELF_PROT_W | ELF_PROT_X);
		ck_assert_uint_eq(s->vaddr % 4096, s->offset % 4096);
	}
}

void *host_read_data(const char *name, size_t *size)
{
	char dir[4096], path[4200];
	const char *env = getenv("CANARY_HOST_DATA");
	FILE *f;
	long len;
	u8 *buf;

	if (env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else {
		ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
		char *slash;

		ck_assert_int_gt(n, 0);
		dir[n] = '\0';
		slash = strrchr(dir, '/');
		ck_assert_ptr_nonnull(slash);
		*slash = '\0';
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s (built by `make host`)", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	buf = malloc(len ? (size_t)len : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return buf;
}

START_TEST(test_valid)
{
	struct elf_image img;

	build_valid();
	expect_accept(&img);
	check_invariants(&img, file_len);
	ck_assert_uint_eq(img.entry, 0x401010);
	ck_assert_uint_eq(img.nsegs, 3);
	ck_assert_uint_eq(img.seg[0].prot, ELF_PROT_R);
	ck_assert_uint_eq(img.seg[1].prot, ELF_PROT_R | ELF_PROT_X);
	ck_assert_uint_eq(img.seg[2].prot, ELF_PROT_R | ELF_PROT_W);
	ck_assert_uint_eq(img.seg[1].vaddr, 0x401000);
	ck_assert_uint_eq(img.seg[1].offset, 0x1000);
	ck_assert_uint_eq(img.seg[1].filesz, 0x100);
	ck_assert_uint_eq(img.seg[2].filesz, 0x80);
	ck_assert_uint_eq(img.seg[2].memsz, 0x3000);
	ck_assert_uint_eq(img.lo, 0x400000);
	ck_assert_uint_eq(img.hi, 0x405000);
}
END_TEST

START_TEST(test_real_static_binary)
{
	size_t size;
	u8 *data = host_read_data("tiny.elf", &size);
	Elf64_Ehdr h;
	struct elf_image img;
	int err;

	memcpy(&h, data, sizeof(h));
	err = elf_parse(data, size, LO, HI, &img, why, sizeof(why));
	ck_assert_msg(err == 0, "tiny.elf rejected: %s", why);
	check_invariants(&img, size);
	ck_assert_uint_eq(img.entry, h.e_entry);
	ck_assert_uint_eq(img.lo, 0x400000);
	/* ld's -z separate-code layout: headers R, .text RX, .rodata R, .data RW. */
	ck_assert_uint_eq(img.nsegs, 4);
	ck_assert_uint_eq(img.seg[0].prot, ELF_PROT_R);
	ck_assert_uint_eq(img.seg[1].prot, ELF_PROT_R | ELF_PROT_X);
	ck_assert_uint_eq(img.seg[2].prot, ELF_PROT_R);
	ck_assert_uint_eq(img.seg[3].prot, ELF_PROT_R | ELF_PROT_W);
	ck_assert_uint_gt(img.seg[3].memsz, img.seg[3].filesz); /* .bss */
	free(data);
}
END_TEST

START_TEST(test_every_prefix_rejected)
{
	/* The last segment ends at the last byte, so every prefix is bad. */
	build_valid();
	for (size_t len = 0; len < file_len; len++) {
		struct elf_image img;

		ck_assert_int_eq(parse_exact(file, len, LO, HI, &img, why, sizeof(why)), -ENOEXEC);
		ck_assert_uint_gt(strlen(why), 0);
	}
}
END_TEST

START_TEST(test_truncated_header)
{
	struct elf_image img;

	build_valid();
	for (size_t len = 0; len < sizeof(Elf64_Ehdr); len++) {
		ck_assert_int_eq(parse_exact(file, len, LO, HI, &img, why, sizeof(why)), -ENOEXEC);
		ck_assert_ptr_nonnull(strstr(why, "truncated"));
	}
	ck_assert_int_eq(elf_parse(NULL, 0, LO, HI, &img, why, sizeof(why)), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "truncated"));
}
END_TEST

START_TEST(test_bad_ident)
{
	build_valid();
	file[1] = 'e';
	expect_reject("bad magic");
	build_valid();
	eh()->e_ident[EI_CLASS] = ELFCLASS32;
	expect_reject("not a 64-bit ELF");
	build_valid();
	eh()->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_reject("not little-endian");
	build_valid();
	eh()->e_ident[EI_VERSION] = 2;
	expect_reject("ELF version");
	build_valid();
	eh()->e_version = 0;
	expect_reject("ELF version");
}
END_TEST

START_TEST(test_bad_type_and_machine)
{
	build_valid();
	eh()->e_type = ET_DYN;
	expect_reject("position-independent executables are not supported");
	build_valid();
	eh()->e_type = ET_REL;
	expect_reject("not an executable (e_type 1");
	build_valid();
	eh()->e_type = ET_CORE;
	expect_reject("not an executable");
	build_valid();
	eh()->e_machine = EM_386;
	expect_reject("not an x86-64 program (e_machine 3");
	build_valid();
	eh()->e_machine = EM_AARCH64;
	expect_reject("e_machine 183");
}
END_TEST

START_TEST(test_bad_phentsize)
{
	build_valid();
	eh()->e_phentsize = 32; /* an ELF32 program header */
	expect_reject("program header size 32, expected 56");
	build_valid();
	eh()->e_phentsize = 64;
	expect_reject("program header size 64");
}
END_TEST

START_TEST(test_truncated_phdrs)
{
	build_valid();
	eh()->e_phoff = file_len - 3 * sizeof(Elf64_Phdr);
	eh()->e_phnum = 4;
	expect_reject("program header table");
	build_valid();
	eh()->e_phnum = 0xffff;
	expect_reject("runs past the end of the file");
	/* Exactly reaching the end is fine: the table read there is the data
	 * segment's zeros, PT_NULL entries, so only PT_LOAD is missing. */
	build_valid();
	eh()->e_phoff = file_len - 2 * sizeof(Elf64_Phdr);
	eh()->e_phnum = 2;
	expect_reject("no loadable segment");
}
END_TEST

START_TEST(test_phoff_overflow)
{
	/* phoff + phnum * 56 wraps around to 0x... small; a naive sum passes. */
	build_valid();
	eh()->e_phoff = UINT64_MAX - 0x37;
	expect_reject("program header table");
	build_valid();
	eh()->e_phoff = UINT64_MAX;
	eh()->e_phnum = 1;
	expect_reject("program header table");
	build_valid();
	eh()->e_phoff = file_len + 1;
	eh()->e_phnum = 0;
	expect_reject("program header table");
}
END_TEST

START_TEST(test_segment_past_eof)
{
	build_valid();
	ph(2)->p_filesz = 0x81;
	expect_reject("program header 2: file bytes [0x2000, +0x81) run past the end of the file");
	build_valid();
	ph(2)->p_offset = file_len + 0x1000;
	ph(2)->p_filesz = 0;
	expect_reject("past the end of the file");
	/* offset + filesz wraps to a small number. */
	build_valid();
	ph(2)->p_offset = UINT64_MAX - 0xf;
	ph(2)->p_filesz = 0x20;
	expect_reject("past the end of the file");
}
END_TEST

START_TEST(test_filesz_gt_memsz)
{
	build_valid();
	ph(1)->p_memsz = 0xff;
	expect_reject("program header 1: p_filesz 0x100 exceeds p_memsz 0xff");
}
END_TEST

START_TEST(test_vaddr_outside_user)
{
	build_valid();
	ph(2)->p_vaddr = KERNEL_HALF + 0x2000;
	expect_reject("program header 2: [0xffff800000002000, +0x3000) is outside user space");
	build_valid();
	ph(0)->p_vaddr = 0; /* below USER_BASE: the null page */
	expect_reject("outside user space");
	build_valid();
	ph(2)->p_vaddr = HI; /* starts at the first non-user byte */
	expect_reject("outside user space");
	build_valid();
	ph(2)->p_vaddr = HI - 0x2000; /* ends one page past user space */
	expect_reject("outside user space");
	/* Ending exactly at the top is fine. */
	build_valid();
	ph(2)->p_vaddr = HI - 0x3000;
	{
		struct elf_image img;

		expect_accept(&img);
		ck_assert_uint_eq(img.hi, HI);
	}
}
END_TEST

START_TEST(test_vaddr_memsz_wraps)
{
	/* vaddr + memsz wraps to just above vaddr: a naive sum is "in range". */
	build_valid();
	ph(2)->p_memsz = UINT64_MAX - 0x402000 + 0x1001;
	expect_reject("outside user space");
	build_valid();
	ph(2)->p_vaddr = HI - 0x1000;
	ph(2)->p_memsz = UINT64_MAX;
	expect_reject("outside user space");
}
END_TEST

START_TEST(test_overlapping_segments)
{
	build_valid();
	/* Text ends one byte into the data segment's first page. */
	ph(1)->p_memsz = 0x1001;
	expect_reject("program header 2: shares page 0x402000 with program header 1");
	/* Data starts in the middle of the text page. */
	build_valid();
	ph(2)->p_vaddr = 0x401800;
	ph(2)->p_offset = 0x1800;
	expect_reject("shares page 0x401000 with program header 1");
	/* One segment inside another. */
	build_valid();
	set_load(2, PF_R | PF_W, 0x1000, 0x400000, 0x10, 0x4000);
	expect_reject("shares page 0x400000 with program header 0");
	/* Touching but on distinct pages is what ld does: accepted. */
	build_valid();
	ph(1)->p_memsz = 0x1000;
	{
		struct elf_image img;

		expect_accept(&img);
	}
}
END_TEST

START_TEST(test_write_and_execute)
{
	build_valid();
	ph(1)->p_flags = PF_R | PF_W | PF_X;
	expect_reject("program header 1: writable and executable (W^X)");
	build_valid();
	ph(2)->p_flags = PF_W | PF_X;
	expect_reject("W^X");
}
END_TEST

START_TEST(test_entry_outside)
{
	struct elf_image img;

	build_valid();
	eh()->e_entry = 0x402000; /* in the RW data segment */
	expect_reject("entry point 0x402000 is not in an executable segment");
	build_valid();
	eh()->e_entry = 0x401100; /* one past the end of text */
	expect_reject("entry point");
	build_valid();
	eh()->e_entry = 0;
	expect_reject("entry point");
	build_valid();
	eh()->e_entry = 0x4010ff; /* last byte of text */
	expect_accept(&img);
	build_valid();
	eh()->e_entry = 0x401000;
	expect_accept(&img);
}
END_TEST

START_TEST(test_pt_interp)
{
	build_valid();
	*ph(3) = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x100,
			       .p_vaddr = 0x400100, .p_filesz = 28, .p_memsz = 28 };
	expect_reject("dynamically linked (PT_INTERP): link with -static");
	ck_assert_str_eq(why, "dynamically linked (PT_INTERP): link with -static");
	/* Reported even when a PT_LOAD before it is bad too. */
	ph(0)->p_vaddr = KERNEL_HALF;
	expect_reject("PT_INTERP");
}
END_TEST

START_TEST(test_too_many_segments)
{
	struct elf_image img;

	/* ELF_MAX_SEGMENTS on distinct pages, then one more. */
	build_valid();
	eh()->e_phnum = ELF_MAX_SEGMENTS + 1;
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		set_load(i, PF_R, 0x2000, 0x500000 + i * 0x1000, 0x10, 0x10);
	set_load(0, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	expect_reject("more than 8 loadable segments");
	eh()->e_phnum = ELF_MAX_SEGMENTS;
	expect_accept(&img);
	ck_assert_uint_eq(img.nsegs, ELF_MAX_SEGMENTS);
	check_invariants(&img, file_len);
	/* Empty PT_LOADs are skipped and do not count. */
	eh()->e_phnum = ELF_MAX_SEGMENTS + 3;
	for (unsigned i = ELF_MAX_SEGMENTS; i < ELF_MAX_SEGMENTS + 3; i++)
		set_load(i, PF_R | PF_W | PF_X, 0, 0x401000, 0, 0);
	expect_accept(&img);
	ck_assert_uint_eq(img.nsegs, ELF_MAX_SEGMENTS);
}
END_TEST

START_TEST(test_misaligned_offset)
{
	build_valid();
	ph(1)->p_offset = 0x1008;
	ph(1)->p_filesz = 0xf8;
	expect_reject("program header 1: p_vaddr 0x401000 and p_offset 0x1008 differ modulo the page size");
	/* Same offset within the page is fine, even if not page-aligned. */
	build_valid();
	ph(1)->p_offset = 0x1010;
	ph(1)->p_vaddr = 0x401010;
	ph(1)->p_filesz = 0xf0;
	ph(1)->p_memsz = 0xf0;
	{
		struct elf_image img;

		expect_accept(&img);
		ck_assert_uint_eq(img.seg[1].vaddr, 0x401010);
	}
}
END_TEST

START_TEST(test_no_load_segment)
{
	build_valid();
	eh()->e_phnum = 0;
	expect_reject("no loadable segment (PT_LOAD)");
	build_valid();
	for (unsigned i = 0; i < 3; i++)
		ph(i)->p_type = PT_NOTE;
	expect_reject("no loadable segment");
	build_valid();
	for (unsigned i = 0; i < 3; i++)
		ph(i)->p_memsz = ph(i)->p_filesz = 0;
	expect_reject("no loadable segment");
}
END_TEST

START_TEST(test_reason_buffer)
{
	struct elf_image img;
	char small[9];

	build_valid();
	eh()->e_type = ET_DYN;
	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(parse_exact(file, file_len, LO, HI, &img, small, 8), -ENOEXEC);
	ck_assert_str_eq(small, "positio");
	ck_assert_int_eq(small[8], 'x');
	ck_assert_int_eq(parse_exact(file, file_len, LO, HI, &img, NULL, 0), -ENOEXEC);
	/* A success clears an old reason. */
	build_valid();
	strcpy(why, "stale");
	expect_accept(&img);
}
END_TEST

START_TEST(test_unaligned_buffer)
{
	/* A file inside a cpio archive is only 4-byte aligned; try all offsets. */
	struct elf_image img;

	build_valid();
	for (size_t shift = 1; shift < 8; shift++) {
		u8 *buf = malloc(file_len + shift);

		ck_assert_ptr_nonnull(buf);
		memcpy(buf + shift, file, file_len);
		ck_assert_int_eq(elf_parse(buf + shift, file_len, LO, HI, &img, why, sizeof(why)), 0);
		free(buf);
	}
}
END_TEST

START_TEST(test_bad_user_range)
{
	struct elf_image img;

	build_valid();
	ck_assert_int_eq(parse_exact(file, file_len, LO + 1, HI, &img, why, sizeof(why)), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "bad user range"));
	ck_assert_int_eq(parse_exact(file, file_len, HI, LO, &img, why, sizeof(why)), -ENOEXEC);
	/* A narrower window than the segments need. */
	ck_assert_int_eq(parse_exact(file, file_len, 0x401000, HI, &img, why, sizeof(why)),
			 -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "program header 0"));
}
END_TEST

START_TEST(test_random_mutations)
{
	/* Corrupt the headers at random: any result, but ASan stays quiet and
	 * whatever is accepted satisfies the contract. */
	unsigned seed = 7;
	size_t hdrs = sizeof(Elf64_Ehdr) + 4 * sizeof(Elf64_Phdr);

	for (int iter = 0; iter < 20000; iter++) {
		struct elf_image img;
		int nflips, err;

		build_valid();
		seed = seed * 1103515245u + 12345u;
		nflips = 1 + (seed >> 16) % 4;
		for (int f = 0; f < nflips; f++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % hdrs;
			seed = seed * 1103515245u + 12345u;
			file[at] = (u8)(seed >> 16);
		}
		err = parse(&img);
		if (err != 0 && err != -ENOEXEC)
			ck_abort_msg("unexpected result %d", err);
		if (err == 0)
			check_invariants(&img, file_len);
		else
			ck_assert_uint_gt(strlen(why), 0);
	}
}
END_TEST

Suite *elf_suite(void)
{
	Suite *s = suite_create("elf");

	host_add_test(s, test_valid);
	host_add_test(s, test_real_static_binary);
	host_add_test(s, test_every_prefix_rejected);
	host_add_test(s, test_truncated_header);
	host_add_test(s, test_bad_ident);
	host_add_test(s, test_bad_type_and_machine);
	host_add_test(s, test_bad_phentsize);
	host_add_test(s, test_truncated_phdrs);
	host_add_test(s, test_phoff_overflow);
	host_add_test(s, test_segment_past_eof);
	host_add_test(s, test_filesz_gt_memsz);
	host_add_test(s, test_vaddr_outside_user);
	host_add_test(s, test_vaddr_memsz_wraps);
	host_add_test(s, test_overlapping_segments);
	host_add_test(s, test_write_and_execute);
	host_add_test(s, test_entry_outside);
	host_add_test(s, test_pt_interp);
	host_add_test(s, test_too_many_segments);
	host_add_test(s, test_misaligned_offset);
	host_add_test(s, test_no_load_segment);
	host_add_test(s, test_reason_buffer);
	host_add_test(s, test_unaligned_buffer);
	host_add_test(s, test_bad_user_range);
	host_add_test(s, test_random_mutations);
	return s;
}
