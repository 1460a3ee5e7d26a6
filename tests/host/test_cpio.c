/*
 * Host tests for kernel/fs/cpio.c.
 *
 * Archives are written by the little builder below (struct arc, arc_add()),
 * which follows the newc layout of fs/cpio.h independently of the parser;
 * hostile variants patch its header fields afterwards.  walk_exact() reads
 * an archive from a heap buffer of exactly its size, so under
 * AddressSanitizer an over-read of even one byte fails the test.
 * test_mkinitrd_archive reads $(BUILD)/host/initrd-test.cpio, written by
 * tools/mkinitrd.py from a tree the Makefile stages (bin/tiny is tiny.elf).
 */
#include <errno.h> /* EINVAL: Linux's value, as uapi/errno.def's */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/cpio.h"
#include "proc/elf.h"
#include "suites.h"

#define HDR 110 /* header bytes */

/* An archive under construction. */
struct arc {
	u8 data[8192];
	size_t len;
	u32 ino; /* next inode number */
};

static void put(struct arc *a, const void *p, size_t n)
{
	ck_assert_uint_le(a->len + n, sizeof(a->data));
	if (n) /* p may be NULL for an empty file */
		memcpy(a->data + a->len, p, n);
	a->len += n;
}

static void pad4(struct arc *a)
{
	while (a->len % 4)
		put(a, "", 1);
}

/* Appends an entry whose name is the n bytes at name (the NUL included if
 * wanted); returns the entry's offset, for patching its header. */
static size_t arc_add_raw(struct arc *a, const char *name, size_t n, u32 mode, const void *data,
			  size_t size)
{
	size_t at = a->len;
	char hdr[HDR + 1];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ++a->ino, mode, 0, 0, 1, 0, (unsigned)size, 0, 0, 0, 0, (unsigned)n, 0);
	put(a, hdr, HDR);
	put(a, name, n);
	pad4(a);
	put(a, data, size);
	pad4(a);
	return at;
}

static size_t arc_add(struct arc *a, const char *name, u32 mode, const void *data, size_t size)
{
	return arc_add_raw(a, name, strlen(name) + 1, mode, data, size);
}

static void arc_trailer(struct arc *a)
{
	arc_add(a, "TRAILER!!!", 0, NULL, 0);
}

/* Overwrites header field i (0 = ino ... 12 = check) of the entry at `at`. */
static void set_field(struct arc *a, size_t at, int i, const char *digits8)
{
	memcpy(a->data + at + 6 + 8 * i, digits8, 8);
}

enum { F_MODE = 1, F_FILESIZE = 6, F_NAMESIZE = 11, F_CHECK = 12 };

static const char hello[] = "hello\n";  /* 6 bytes: data padding needed */
static const char motd[] = "abcdefgh";  /* 8 bytes: none needed */

/* The reference archive: what find . | cpio -o -H newc would give, "." and
 * "./" and "/" prefixes included. */
static void build_valid(struct arc *a)
{
	memset(a, 0, sizeof(*a));
	arc_add(a, ".", 040755, NULL, 0);
	arc_add(a, "bin", 040755, NULL, 0);
	arc_add(a, "bin/hello", 0100755, hello, 6);
	arc_add(a, "./etc", 040700, NULL, 0);
	arc_add(a, "/etc/motd", 0100644, motd, 8);
	arc_add(a, "empty", 0100600, NULL, 0);
	arc_trailer(a);
}

static char why[160];

/* Result of walking a whole archive. */
struct walk {
	int ret;        /* the last cpio_next() result: 0 or -EINVAL */
	int n;          /* entries returned before it */
	size_t pos;     /* *pos after the last call */
	struct cpio_entry e[16];
};

/* Where walk_exact() leaves the sum of the bytes it touched, so the
 * compiler cannot drop the reads. */
static volatile unsigned host_cpio_sink;

/* Walks a copy of data in a buffer of exactly len bytes, touching every
 * byte of each name and data so an out-of-bounds pointer trips ASan. */
static void walk_exact(const void *data, size_t len, struct walk *w)
{
	u8 *copy = malloc(len ? len : 1);
	size_t pos = 0;
	unsigned sum = 0;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, len);
	memset(w, 0, sizeof(*w));
	for (;;) {
		struct cpio_entry e;
		size_t before = pos;

		w->ret = cpio_next(copy, len, &pos, &e, why, sizeof(why));
		if (w->ret != 1)
			break;
		ck_assert_uint_gt(pos, before); /* progress, so the walk ends */
		ck_assert_uint_le(pos, len);
		ck_assert_int_eq(e.name[e.namelen], '\0');
		for (size_t i = 0; i < e.namelen; i++)
			sum += (u8)e.name[i];
		for (size_t i = 0; i < e.size; i++)
			sum += ((const u8 *)e.data)[i];
		if (w->n < (int)ARRAY_SIZE(w->e)) {
			w->e[w->n] = e;
			/* Point into the caller's data, which outlives the copy. */
			w->e[w->n].name = (const char *)data + (e.name - (const char *)copy);
			w->e[w->n].data = (const u8 *)data + ((const u8 *)e.data - copy);
		}
		w->n++;
	}
	w->pos = pos;
	host_cpio_sink = sum;
	free(copy);
}

static void expect_entry(const struct walk *w, int i, const char *name, u32 mode,
			 const void *data, size_t size)
{
	const struct cpio_entry *e = &w->e[i];

	ck_assert_int_lt(i, w->n);
	ck_assert_uint_eq(e->namelen, strlen(name));
	ck_assert_str_eq(e->name, name);
	ck_assert_uint_eq(e->mode, mode);
	ck_assert_uint_eq(e->size, size);
	if (size)
		ck_assert_mem_eq(e->data, data, size);
}

/* The archive a must be rejected with a reason containing `reason`. */
static void expect_reject(const struct arc *a, const char *reason)
{
	struct walk w;

	walk_exact(a->data, a->len, &w);
	ck_assert_int_eq(w.ret, -EINVAL);
	ck_assert_msg(strstr(why, reason) != NULL, "reason \"%s\" lacks \"%s\"", why, reason);
}

START_TEST(test_valid)
{
	struct arc a;
	struct walk w;

	build_valid(&a);
	walk_exact(a.data, a.len, &w);
	ck_assert_msg(w.ret == 0, "rejected: %s", why);
	ck_assert_int_eq(w.n, 6);
	expect_entry(&w, 0, "", 040755, NULL, 0);
	expect_entry(&w, 1, "bin", 040755, NULL, 0);
	expect_entry(&w, 2, "bin/hello", 0100755, hello, 6);
	expect_entry(&w, 3, "etc", 040700, NULL, 0);
	expect_entry(&w, 4, "etc/motd", 0100644, motd, 8);
	expect_entry(&w, 5, "empty", 0100600, NULL, 0);
	ck_assert_uint_eq(w.e[2].mode & CPIO_S_IFMT, CPIO_S_IFREG);
	ck_assert_uint_eq(w.e[3].mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	ck_assert_uint_eq(w.pos, a.len); /* past the trailer */
	ck_assert_uint_eq((uintptr_t)w.e[2].data % 4, (uintptr_t)a.data % 4);
}
END_TEST

START_TEST(test_every_prefix)
{
	struct arc a;
	size_t trailer_at, trailer_name_end;

	build_valid(&a);
	trailer_at = a.len - 124; /* 110 + "TRAILER!!!\0" + 3 bytes of padding */
	trailer_name_end = trailer_at + HDR + 11;
	for (size_t len = 0; len < a.len; len++) {
		struct walk w;

		walk_exact(a.data, len, &w);
		if (len < trailer_name_end) {
			ck_assert_msg(w.ret == -EINVAL, "prefix %zu: %d", len, w.ret);
			ck_assert_msg(strstr(why, "truncated") || strstr(why, "past the end"),
				      "prefix %zu: %s", len, why);
		} else {
			/* The trailer is whole; only its padding is cut. */
			ck_assert_int_eq(w.ret, 0);
			ck_assert_uint_eq(w.pos, len);
		}
	}
}
END_TEST

START_TEST(test_missing_trailer)
{
	struct arc a;

	build_valid(&a);
	a.len -= 124;
	expect_reject(&a, "truncated: no TRAILER!!!");
	ck_assert_str_eq(why, "truncated: no TRAILER!!!");
	a.len = 0;
	expect_reject(&a, "truncated: no TRAILER!!!");
	/* Half a header at the end. */
	build_valid(&a);
	a.len -= 124 - 50;
	expect_reject(&a, "truncated: 50 bytes at offset");
}
END_TEST

START_TEST(test_trailer_only)
{
	struct arc a;
	struct walk w;

	memset(&a, 0, sizeof(a));
	arc_trailer(&a);
	walk_exact(a.data, a.len, &w);
	ck_assert_int_eq(w.ret, 0);
	ck_assert_int_eq(w.n, 0);
	ck_assert_uint_eq(w.pos, 124);
	/* Without its padding, at the very end. */
	walk_exact(a.data, 121, &w);
	ck_assert_int_eq(w.ret, 0);
	ck_assert_uint_eq(w.pos, 121);
}
END_TEST

START_TEST(test_bad_magic)
{
	struct arc a;

	build_valid(&a);
	memcpy(a.data, "070707", 6);
	expect_reject(&a, "old portable (070707) cpio format: create with -H newc");
	memcpy(a.data, "070702", 6); /* newc with checksums: not what we make */
	expect_reject(&a, "offset 0: bad magic");
	build_valid(&a);
	memcpy(a.data + 112, "\x7f" "ELF", 4); /* second entry, at 112 */
	expect_reject(&a, "offset 112: bad magic");
}
END_TEST

START_TEST(test_non_hex_fields)
{
	static const char *const names[] = {
		"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor",
		"devminor", "rdevmajor", "rdevminor", "namesize", "check",
	};
	static const char *const bad[] = { "0000000g", " 0000001", "+0000001", "0x000001",
					   "0000000\0", "-0000001" };
	struct arc a;
	char reason[64];

	for (int f = 0; f < 13; f++) {
		for (size_t b = 0; b < ARRAY_SIZE(bad); b++) {
			build_valid(&a);
			set_field(&a, 0, f, bad[b]);
			snprintf(reason, sizeof(reason), "offset 0: field %s is not 8 hex digits",
				 names[f]);
			expect_reject(&a, reason);
		}
	}
	/* Lowercase hex is valid (GNU cpio writes it). */
	build_valid(&a);
	set_field(&a, 0, F_MODE, "000041ed");
	set_field(&a, 0, F_CHECK, "abcdef00");
	{
		struct walk w;

		walk_exact(a.data, a.len, &w);
		ck_assert_int_eq(w.ret, 0);
		ck_assert_uint_eq(w.e[0].mode, 040755);
	}
}
END_TEST

START_TEST(test_huge_sizes)
{
	struct arc a;

	build_valid(&a);
	set_field(&a, 0, F_NAMESIZE, "FFFFFFFF");
	expect_reject(&a, "offset 0: name of 4294967295 bytes runs past the end of the archive");
	build_valid(&a);
	set_field(&a, 0, F_FILESIZE, "ffffffff");
	expect_reject(&a, "offset 0: data of 4294967295 bytes runs past the end");
	/* Just one byte too many. */
	build_valid(&a);
	{
		char digits[9];

		snprintf(digits, sizeof(digits), "%08zX", a.len - 112 + 1);
		set_field(&a, 0, F_FILESIZE, digits);
		expect_reject(&a, "data of");
	}
}
END_TEST

START_TEST(test_bad_names)
{
	struct arc a;

	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "", 0, 0100644, NULL, 0);
	arc_trailer(&a);
	expect_reject(&a, "offset 0: namesize 0");

	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "abc", 3, 0100644, "data", 4); /* no NUL */
	arc_trailer(&a);
	expect_reject(&a, "offset 0: name not NUL-terminated");

	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "ab\0cd", 6, 0100644, NULL, 0); /* NUL inside */
	arc_trailer(&a);
	expect_reject(&a, "not NUL-terminated");

	/* A trailer name without its NUL is no trailer. */
	memset(&a, 0, sizeof(a));
	arc_add_raw(&a, "TRAILER!!!", 10, 0, NULL, 0);
	expect_reject(&a, "not NUL-terminated");
}
END_TEST

START_TEST(test_name_prefixes)
{
	static const struct {
		const char *raw, *name;
	} cases[] = {
		{ ".", "" }, { "./", "" }, { "/", "" }, { "./a", "a" }, { "/a", "a" },
		{ "//a", "a" }, { "././a/b", "a/b" }, { "./.", "" }, { ".a", ".a" },
		{ "..", ".." }, { "a/./b", "a/./b" }, { "./..", ".." },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct arc a;
		struct walk w;

		memset(&a, 0, sizeof(a));
		arc_add(&a, cases[i].raw, 040755, NULL, 0);
		arc_trailer(&a);
		walk_exact(a.data, a.len, &w);
		ck_assert_int_eq(w.ret, 0);
		ck_assert_int_eq(w.n, 1);
		ck_assert_msg(strcmp(w.e[0].name, cases[i].name) == 0 &&
				      w.e[0].namelen == strlen(cases[i].name),
			      "\"%s\" gave \"%s\" (%zu)", cases[i].raw, w.e[0].name, w.e[0].namelen);
	}
}
END_TEST

START_TEST(test_name_padding_past_end)
{
	/* Header + name end 2 bytes before a size that is not a multiple of 4. */
	struct arc a;
	struct walk w;

	memset(&a, 0, sizeof(a));
	arc_add(&a, "ab", 0100644, NULL, 0); /* 110 + 3 = 113, padded to 116 */
	walk_exact(a.data, 114, &w);
	ck_assert_int_eq(w.ret, -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "name padding runs past the end"));
}
END_TEST

START_TEST(test_pos_past_end)
{
	struct arc a;
	struct cpio_entry e;
	size_t pos;

	build_valid(&a);
	pos = a.len + 100;
	ck_assert_int_eq(cpio_next(a.data, a.len, &pos, &e, why, sizeof(why)), -EINVAL);
	pos = SIZE_MAX;
	ck_assert_int_eq(cpio_next(a.data, a.len, &pos, &e, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "truncated"));
}
END_TEST

START_TEST(test_reason_buffer)
{
	struct arc a;
	struct cpio_entry e;
	size_t pos = 0;
	char small[6];

	build_valid(&a);
	a.data[0] = 'x';
	memset(small, '#', sizeof(small));
	ck_assert_int_eq(cpio_next(a.data, a.len, &pos, &e, small, 5), -EINVAL);
	ck_assert_str_eq(small, "offs");
	ck_assert_int_eq(small[5], '#');
	ck_assert_int_eq(cpio_next(a.data, a.len, &pos, &e, NULL, 0), -EINVAL);
	ck_assert_uint_eq(pos, 0); /* an error does not move on */
}
END_TEST

START_TEST(test_random_mutations)
{
	/* Corrupt the archive at random, biased towards the hex digits; any
	 * result, but ASan stays quiet and the walk ends. */
	struct arc a, m;
	unsigned seed = 3;
	static const u8 pick[] = { '0', '1', '7', 'f', 'F', 'g', 0, 0xff };

	build_valid(&a);
	for (int iter = 0; iter < 20000; iter++) {
		struct walk w;
		int nflips;

		m = a;
		seed = seed * 1103515245u + 12345u;
		nflips = 1 + (seed >> 16) % 3;
		for (int f = 0; f < nflips; f++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % m.len;
			seed = seed * 1103515245u + 12345u;
			m.data[at] = pick[(seed >> 16) % ARRAY_SIZE(pick)];
		}
		seed = seed * 1103515245u + 12345u;
		walk_exact(m.data, m.len - (seed >> 16) % 8, &w);
		if (w.ret != 0 && w.ret != -EINVAL)
			ck_abort_msg("unexpected result %d", w.ret);
	}
}
END_TEST

START_TEST(test_mkinitrd_archive)
{
	size_t size, elf_size;
	u8 *arc = host_read_data("initrd-test.cpio", &size);
	u8 *tiny = host_read_data("tiny.elf", &elf_size);
	static const char motd_text[] = "hello from the initrd\n";
	struct walk w;
	struct elf_image img;

	walk_exact(arc, size, &w);
	ck_assert_msg(w.ret == 0, "rejected: %s", why);
	ck_assert_int_eq(w.n, 4);
	ck_assert_str_eq(w.e[0].name, "bin");
	ck_assert_uint_eq(w.e[0].mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	ck_assert_str_eq(w.e[1].name, "bin/tiny");
	ck_assert_uint_eq(w.e[1].mode & CPIO_S_IFMT, CPIO_S_IFREG);
	ck_assert_uint_ne(w.e[1].mode & 0100, 0); /* executable by its owner */
	ck_assert_uint_eq(w.e[1].size, elf_size);
	ck_assert_mem_eq(w.e[1].data, tiny, elf_size);
	ck_assert_str_eq(w.e[2].name, "empty");
	ck_assert_uint_eq(w.e[2].mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	expect_entry(&w, 3, "motd", w.e[3].mode, motd_text, strlen(motd_text));
	ck_assert_uint_eq(w.e[3].mode & CPIO_S_IFMT, CPIO_S_IFREG);
	ck_assert_uint_eq(size % 512, 0);

	/* The kernel's path from initrd to exec: the ELF straight from the
	 * archive, only 4-byte aligned. */
	ck_assert_int_eq(elf_parse(w.e[1].data, w.e[1].size, 0x400000, 0x00007ffffffff000ull,
				   &img, why, sizeof(why)),
			 0);
	free(tiny);
	free(arc);
}
END_TEST

Suite *cpio_suite(void)
{
	Suite *s = suite_create("cpio");

	host_add_test(s, test_valid);
	host_add_test(s, test_every_prefix);
	host_add_test(s, test_missing_trailer);
	host_add_test(s, test_trailer_only);
	host_add_test(s, test_bad_magic);
	host_add_test(s, test_non_hex_fields);
	host_add_test(s, test_huge_sizes);
	host_add_test(s, test_bad_names);
	host_add_test(s, test_name_prefixes);
	host_add_test(s, test_name_padding_past_end);
	host_add_test(s, test_pos_past_end);
	host_add_test(s, test_reason_buffer);
	host_add_test(s, test_random_mutations);
	host_add_test(s, test_mkinitrd_archive);
	return s;
}
