/*
 * Host tests for kernel/boot/multiboot2.c and kernel/boot/bootinfo.c.
 *
 * Blobs are assembled with the little builder below (struct blob), then
 * handed to mb2_parse() through parse_exact(), which copies them into a
 * heap buffer of exactly the blob's size.  The host build runs under
 * AddressSanitizer, so a parser that reads even one byte past what it was
 * given aborts the test instead of passing by luck.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootinfo.h"
#include "boot/multiboot2.h"
#include "suites.h"

/* A boot-information image under construction. */
struct blob {
	_Alignas(8) u8 data[8192];
	size_t len; /* bytes written so far */
};

static void put(struct blob *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->len + n, sizeof(b->data));
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put32(struct blob *b, u32 v)
{
	put(b, &v, sizeof(v));
}

static void put64(struct blob *b, u64 v)
{
	put(b, &v, sizeof(v));
}

static void set32(struct blob *b, size_t at, u32 v)
{
	memcpy(b->data + at, &v, sizeof(v));
}

/* Starts with the 8-byte header; total_size is filled in by blob_end(). */
static void blob_begin(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->len = sizeof(struct mb2_info_header);
}

static size_t tag_open(struct blob *b, u32 type)
{
	size_t at = b->len;

	put32(b, type);
	put32(b, 0); /* size, patched by tag_close() */
	return at;
}

/* Records the tag's size, then pads to 8 as the spec requires. */
static void tag_close(struct blob *b, size_t at)
{
	set32(b, at + 4, (u32)(b->len - at));
	while (b->len % 8)
		put(b, "", 1);
}

static void blob_end(struct blob *b)
{
	put32(b, MB2_TAG_END);
	put32(b, 8);
	set32(b, 0, (u32)b->len);
}

static void add_string_tag(struct blob *b, u32 type, const char *s)
{
	size_t at = tag_open(b, type);

	put(b, s, strlen(s) + 1);
	tag_close(b, at);
}

static void add_module(struct blob *b, u32 start, u32 end, const char *name)
{
	size_t at = tag_open(b, MB2_TAG_MODULE);

	put32(b, start);
	put32(b, end);
	put(b, name, strlen(name) + 1);
	tag_close(b, at);
}

static void add_meminfo(struct blob *b, u32 lower, u32 upper)
{
	size_t at = tag_open(b, MB2_TAG_BASIC_MEMINFO);

	put32(b, lower);
	put32(b, upper);
	tag_close(b, at);
}

/* Adds a memory map of n entries; entry i is (base 0x100000 * i,
 * length 0x1000 * (i + 1), type types[i % ntypes]).  entry_size larger
 * than 24 pads each entry with 0xee bytes the parser must skip. */
static void add_mmap(struct blob *b, u32 entry_size, size_t n, const u32 *types,
		     size_t ntypes)
{
	size_t at = tag_open(b, MB2_TAG_MMAP);

	put32(b, entry_size);
	put32(b, 0);
	for (size_t i = 0; i < n; i++) {
		put64(b, 0x100000ull * i);
		put64(b, 0x1000ull * (i + 1));
		put32(b, types[i % ntypes]);
		put32(b, 0);
		for (u32 pad = 24; pad < entry_size; pad++)
			put(b, "\xee", 1);
	}
	tag_close(b, at);
}

/* Parses a copy of data in a buffer of exactly len bytes. */
static int parse_exact(const void *data, size_t len, struct bootinfo *bi)
{
	u8 *copy = malloc(len);
	int err;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, data, len);
	err = mb2_parse(copy, len, bi);
	free(copy);
	return err;
}

static int parse_blob(const struct blob *b, struct bootinfo *bi)
{
	return parse_exact(b->data, b->len, bi);
}

static const u32 full_types[] = { 1, 2, 3, 4, 5, 7 };

/* Every tag type the parser knows, plus ones it must skip. */
static void build_full(struct blob *b)
{
	size_t at;

	blob_begin(b);
	add_string_tag(b, MB2_TAG_CMDLINE, "/boot/canary.elf loglevel=7 run=\"a b\"");
	add_string_tag(b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
	add_module(b, 0x100000, 0x180000, "initrd");
	add_module(b, 0x200000, 0x200000, "empty");
	add_meminfo(b, 639, 130048);
	at = tag_open(b, MB2_TAG_BOOTDEV);
	put32(b, 0x80);
	put32(b, 0);
	put32(b, 0xffffffff);
	tag_close(b, at);
	at = tag_open(b, 21); /* load base address: not parsed */
	put(b, "\x01\x02\x03\x04\x05", 5);
	tag_close(b, at);
	add_mmap(b, 24, 6, full_types, ARRAY_SIZE(full_types));
	blob_end(b);
}

START_TEST(test_full_blob)
{
	struct blob b;
	struct bootinfo bi;

	build_full(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.protocol, "multiboot2");
	ck_assert_str_eq(bi.cmdline, "/boot/canary.elf loglevel=7 run=\"a b\"");
	ck_assert(!bi.cmdline_truncated);
	ck_assert_str_eq(bi.loader_name, "GRUB 2.06");

	ck_assert_uint_eq(bi.module_count, 2);
	ck_assert(!bi.modules_truncated);
	ck_assert_uint_eq(bi.modules[0].start, 0x100000);
	ck_assert_uint_eq(bi.modules[0].end, 0x180000);
	ck_assert_str_eq(bi.modules[0].name, "initrd");
	ck_assert_uint_eq(bi.modules[1].start, 0x200000);
	ck_assert_str_eq(bi.modules[1].name, "empty");

	ck_assert(bi.have_meminfo);
	ck_assert_uint_eq(bi.mem_lower_kb, 639);
	ck_assert_uint_eq(bi.mem_upper_kb, 130048);

	ck_assert_uint_eq(bi.mmap_count, 6);
	ck_assert(!bi.mmap_truncated);
	for (u32 i = 0; i < 6; i++) {
		ck_assert_uint_eq(bi.mmap[i].base, 0x100000ull * i);
		ck_assert_uint_eq(bi.mmap[i].len, 0x1000ull * (i + 1));
	}
	ck_assert_uint_eq(bi.mmap[0].type, BOOT_MEM_AVAILABLE);
	ck_assert_uint_eq(bi.mmap[3].type, BOOT_MEM_NVS);
	ck_assert_uint_eq(bi.mmap[4].type, BOOT_MEM_BAD);
	ck_assert_uint_eq(bi.mmap[5].type, BOOT_MEM_RESERVED); /* type 7 */
	ck_assert_uint_eq(bootinfo_usable_bytes(&bi), 0x1000);
}
END_TEST

START_TEST(test_minimal_blob)
{
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	blob_end(&b);
	ck_assert_uint_eq(b.len, 16);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert_uint_eq(bi.mmap_count, 0);
	ck_assert(!bi.have_meminfo);
}
END_TEST

START_TEST(test_every_prefix_truncated)
{
	struct blob b;
	struct bootinfo bi;

	build_full(&b);
	for (size_t n = 0; n < b.len; n++)
		ck_assert_msg(parse_exact(b.data, n, &bi) < 0, "prefix %zu accepted", n);
	ck_assert_int_eq(parse_exact(b.data, b.len, &bi), MB2_OK);
}
END_TEST

START_TEST(test_every_prefix_with_matching_total_size)
{
	/* Here total_size claims exactly the prefix, so the walker itself
	 * meets a tag cut at every possible byte. */
	struct blob b, cut;
	struct bootinfo bi;

	build_full(&b);
	for (size_t n = 0; n < b.len; n++) {
		cut = b;
		if (n >= 4)
			set32(&cut, 0, (u32)n);
		ck_assert_msg(parse_exact(cut.data, n, &bi) < 0, "prefix %zu accepted", n);
	}
}
END_TEST

START_TEST(test_avail_smaller_than_total)
{
	struct blob b;
	struct bootinfo bi;

	build_full(&b);
	ck_assert_int_eq(parse_exact(b.data, b.len - 1, &bi), MB2_ERR_TRUNCATED);
	ck_assert_int_eq(parse_exact(b.data, 7, &bi), MB2_ERR_TRUNCATED);
	/* More bytes available than total_size is fine. */
	set32(&b, 0, (u32)b.len);
	b.len += 64;
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
}
END_TEST

START_TEST(test_total_size_too_small)
{
	static const u32 sizes[] = { 0, 1, 8, 15 };
	struct blob b;
	struct bootinfo bi;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		blob_begin(&b);
		blob_end(&b);
		set32(&b, 0, sizes[i]);
		ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TOTAL_SIZE);
	}
}
END_TEST

START_TEST(test_null_and_misaligned)
{
	struct blob b;
	struct bootinfo bi;
	u8 *raw;

	build_full(&b);
	ck_assert_int_eq(mb2_parse(NULL, 100, &bi), MB2_ERR_NULL);
	ck_assert_int_eq(mb2_parse(b.data, b.len, NULL), MB2_ERR_NULL);

	raw = malloc(b.len + 4);
	memcpy(raw + 4, b.data, b.len);
	ck_assert_int_eq(mb2_parse(raw + 4, b.len, &bi), MB2_ERR_ALIGN);
	free(raw);
}
END_TEST

/* A blob holding one raw tag with the given header, then an end tag. */
static void build_bad_tag(struct blob *b, u32 type, u32 size)
{
	blob_begin(b);
	put32(b, type);
	put32(b, size);
	put32(b, 0);
	put32(b, 0);
	blob_end(b);
}

START_TEST(test_tag_sizes)
{
	struct blob b;
	struct bootinfo bi;

	build_bad_tag(&b, 99, 0);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_SIZE);
	build_bad_tag(&b, 99, 7);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_SIZE);
	build_bad_tag(&b, MB2_TAG_CMDLINE, 0xffffffff);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_OVERRUN);
	/* The tag would end one byte past total_size. */
	build_bad_tag(&b, 99, 16 + 8 + 1);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_OVERRUN);
	/* Exactly reaching total_size is fine, but then no end tag fits. */
	build_bad_tag(&b, 99, 16 + 8);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_NO_END_TAG);
	/* Fixed-size tags too small for their fields. */
	build_bad_tag(&b, MB2_TAG_MODULE, 12);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_SIZE);
	build_bad_tag(&b, MB2_TAG_BASIC_MEMINFO, 12);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_SIZE);
	build_bad_tag(&b, MB2_TAG_MMAP, 12);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_SIZE);
}
END_TEST

START_TEST(test_end_tag_size)
{
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	put32(&b, MB2_TAG_END);
	put32(&b, 16);
	put64(&b, 0);
	set32(&b, 0, (u32)b.len);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_TAG_SIZE);
}
END_TEST

START_TEST(test_missing_end_tag)
{
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	add_string_tag(&b, MB2_TAG_CMDLINE, "loglevel=1");
	set32(&b, 0, (u32)b.len);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_NO_END_TAG);
	/* A partial tag header at the end is also "no end tag". */
	put32(&b, MB2_TAG_END);
	set32(&b, 0, (u32)b.len);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_NO_END_TAG);
}
END_TEST

START_TEST(test_unknown_tags_skipped)
{
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	for (u32 i = 0; i < 24; i++) {
		size_t at = tag_open(&b, i % 2 ? 7 + i : 0xffffff00u + i);

		for (u32 j = 0; j < i; j++)
			put(&b, "\xab", 1);
		tag_close(&b, at);
	}
	add_string_tag(&b, MB2_TAG_CMDLINE, "after the unknowns");
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, "after the unknowns");
}
END_TEST

START_TEST(test_mmap_bad_entry_size)
{
	static const u32 bad[] = { 0, 8, 16, 20, 23, 25, 28, 30 };
	struct blob b;
	struct bootinfo bi;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		size_t at;

		blob_begin(&b);
		at = tag_open(&b, MB2_TAG_MMAP);
		put32(&b, bad[i]);
		put32(&b, 0);
		for (int j = 0; j < 48; j++)
			put(&b, "\0", 1);
		tag_close(&b, at);
		blob_end(&b);
		ck_assert_msg(parse_blob(&b, &bi) == MB2_ERR_MMAP_ENTRY, "entry_size %u",
			      (unsigned)bad[i]);
	}
}
END_TEST

START_TEST(test_mmap_entries_do_not_fit)
{
	struct blob b;
	struct bootinfo bi;
	size_t at;

	/* Two entries and a stray 8 bytes that are not a third. */
	blob_begin(&b);
	at = tag_open(&b, MB2_TAG_MMAP);
	put32(&b, 24);
	put32(&b, 0);
	for (int j = 0; j < 24 * 2 + 8; j++)
		put(&b, "\0", 1);
	tag_close(&b, at);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_MMAP_ENTRY);
}
END_TEST

START_TEST(test_mmap_larger_entries)
{
	static const u32 types[] = { BOOT_MEM_AVAILABLE };
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	add_mmap(&b, 40, 3, types, 1);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_uint_eq(bi.mmap_count, 3);
	ck_assert_uint_eq(bi.mmap[2].base, 0x200000);
	ck_assert_uint_eq(bi.mmap[2].len, 0x3000);
	ck_assert_uint_eq(bi.mmap[2].type, BOOT_MEM_AVAILABLE);
	ck_assert_uint_eq(bootinfo_usable_bytes(&bi), 0x1000 + 0x2000 + 0x3000);
}
END_TEST

START_TEST(test_mmap_empty)
{
	static const u32 types[] = { BOOT_MEM_AVAILABLE };
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	add_mmap(&b, 24, 0, types, 1);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_uint_eq(bi.mmap_count, 0);
	ck_assert_uint_eq(bootinfo_usable_bytes(&bi), 0);
}
END_TEST

START_TEST(test_mmap_too_many_entries)
{
	static const u32 types[] = { BOOT_MEM_AVAILABLE, BOOT_MEM_RESERVED };
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	add_mmap(&b, 24, BOOT_MMAP_MAX + 6, types, 2);
	add_string_tag(&b, MB2_TAG_CMDLINE, "still parsed");
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_uint_eq(bi.mmap_count, BOOT_MMAP_MAX);
	ck_assert(bi.mmap_truncated);
	ck_assert_uint_eq(bi.mmap[BOOT_MMAP_MAX - 1].base, 0x100000ull * (BOOT_MMAP_MAX - 1));
	ck_assert_str_eq(bi.cmdline, "still parsed");
}
END_TEST

START_TEST(test_modules)
{
	struct blob b;
	struct bootinfo bi;
	char name[200];
	size_t at;

	blob_begin(&b);
	for (u32 i = 0; i < BOOT_MODULES_MAX + 2; i++) {
		snprintf(name, sizeof(name), "module-%u", (unsigned)i);
		add_module(&b, 0x1000 * i, 0x1000 * i + 0x800, name);
	}
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_uint_eq(bi.module_count, BOOT_MODULES_MAX);
	ck_assert(bi.modules_truncated);
	ck_assert_str_eq(bi.modules[BOOT_MODULES_MAX - 1].name, "module-7");

	blob_begin(&b);
	add_module(&b, 0x2000, 0x1000, "backwards");
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_MODULE);

	/* A long name is cut to the buffer; an unterminated one to its tag. */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	blob_begin(&b);
	add_module(&b, 0, 1, name);
	at = tag_open(&b, MB2_TAG_MODULE);
	put32(&b, 0);
	put32(&b, 0);
	put(&b, "abc", 3);
	tag_close(&b, at);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_uint_eq(strlen(bi.modules[0].name), sizeof(bi.modules[0].name) - 1);
	ck_assert_str_eq(bi.modules[1].name, "abc");
}
END_TEST

START_TEST(test_unterminated_strings)
{
	struct blob b;
	struct bootinfo bi;
	size_t at;

	blob_begin(&b);
	at = tag_open(&b, MB2_TAG_CMDLINE);
	put(&b, "abc", 3);
	tag_close(&b, at);
	at = tag_open(&b, MB2_TAG_LOADER_NAME);
	put(&b, "xyzw", 4);
	tag_close(&b, at);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, "abc");
	ck_assert(bi.cmdline_truncated);
	ck_assert_str_eq(bi.loader_name, "xyzw");

	/* Junk instead of zeros in the padding: the copy must stop at the
	 * tag's size, not at the next NUL. */
	blob_begin(&b);
	at = tag_open(&b, MB2_TAG_CMDLINE);
	put(&b, "abc", 3);
	set32(&b, at + 4, (u32)(b.len - at));
	put(&b, "XXXXX", 5);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, "abc");
	ck_assert(bi.cmdline_truncated);

	/* An unterminated string in the very last bytes of the buffer: any
	 * read past its tag is a read past the allocation. */
	blob_begin(&b);
	at = tag_open(&b, MB2_TAG_CMDLINE);
	put(&b, "12345678", 8);
	tag_close(&b, at);
	set32(&b, 0, (u32)b.len);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_ERR_NO_END_TAG);
	ck_assert_str_eq(bi.cmdline, "12345678");

	/* A string tag with no payload at all. */
	blob_begin(&b);
	at = tag_open(&b, MB2_TAG_CMDLINE);
	tag_close(&b, at);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert(bi.cmdline_truncated);
}
END_TEST

START_TEST(test_long_strings)
{
	static char text[BOOT_CMDLINE_MAX + 100];
	struct blob b;
	struct bootinfo bi;

	/* 511 characters fit exactly. */
	memset(text, 'c', BOOT_CMDLINE_MAX - 1);
	text[BOOT_CMDLINE_MAX - 1] = '\0';
	blob_begin(&b);
	add_string_tag(&b, MB2_TAG_CMDLINE, text);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, text);
	ck_assert(!bi.cmdline_truncated);

	memset(text, 'c', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	blob_begin(&b);
	add_string_tag(&b, MB2_TAG_CMDLINE, text);
	add_string_tag(&b, MB2_TAG_LOADER_NAME, text);
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_uint_eq(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	ck_assert(bi.cmdline_truncated);
	ck_assert_uint_eq(strlen(bi.loader_name), sizeof(bi.loader_name) - 1);
}
END_TEST

START_TEST(test_repeated_tag_last_wins)
{
	struct blob b;
	struct bootinfo bi;

	blob_begin(&b);
	add_string_tag(&b, MB2_TAG_CMDLINE, "first");
	add_string_tag(&b, MB2_TAG_CMDLINE, "second");
	blob_end(&b);
	ck_assert_int_eq(parse_blob(&b, &bi), MB2_OK);
	ck_assert_str_eq(bi.cmdline, "second");
}
END_TEST

START_TEST(test_random_mutations)
{
	/* Corrupt a valid blob at random; whatever the result, ASan must stay
	 * quiet and the result must be a known code. */
	struct blob b, m;
	struct bootinfo bi;
	unsigned seed = 1;

	build_full(&b);
	for (int iter = 0; iter < 5000; iter++) {
		int nflips, err;

		m = b;
		seed = seed * 1103515245u + 12345u;
		nflips = 1 + (seed >> 16) % 4;
		for (int f = 0; f < nflips; f++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % m.len;
			seed = seed * 1103515245u + 12345u;
			m.data[at] = (u8)(seed >> 16);
		}
		err = parse_blob(&m, &bi);
		if (err < MB2_ERR_MODULE || err > MB2_OK)
			ck_abort_msg("unexpected result %d", err);
		if (err == MB2_OK && (bi.mmap_count > BOOT_MMAP_MAX ||
				      bi.module_count > BOOT_MODULES_MAX ||
				      strlen(bi.cmdline) >= BOOT_CMDLINE_MAX))
			ck_abort_msg("bootinfo out of bounds after mutation %d", iter);
	}
}
END_TEST

START_TEST(test_strerror)
{
	static const int codes[] = {
		MB2_OK, MB2_ERR_NULL, MB2_ERR_ALIGN, MB2_ERR_TRUNCATED, MB2_ERR_TOTAL_SIZE,
		MB2_ERR_TAG_SIZE, MB2_ERR_TAG_OVERRUN, MB2_ERR_NO_END_TAG, MB2_ERR_MMAP_ENTRY,
		MB2_ERR_MODULE,
	};
	const char *unknown = mb2_strerror(-1000);

	ck_assert_str_eq(unknown, "unknown multiboot2 parse error");
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		const char *s = mb2_strerror(codes[i]);

		ck_assert_uint_gt(strlen(s), 5);
		ck_assert_str_ne(s, unknown);
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(s, mb2_strerror(codes[j]));
	}
}
END_TEST

START_TEST(test_usable_bytes_saturates)
{
	struct bootinfo bi;

	memset(&bi, 0, sizeof(bi));
	bi.mmap_count = 3;
	bi.mmap[0] = (struct boot_mmap_entry){ 0, UINT64_MAX - 10, BOOT_MEM_AVAILABLE };
	bi.mmap[1] = (struct boot_mmap_entry){ 0, 1000, BOOT_MEM_RESERVED };
	bi.mmap[2] = (struct boot_mmap_entry){ 0, 20, BOOT_MEM_AVAILABLE };
	ck_assert_uint_eq(bootinfo_usable_bytes(&bi), UINT64_MAX);
	bi.mmap_count = 2;
	ck_assert_uint_eq(bootinfo_usable_bytes(&bi), UINT64_MAX - 10);
}
END_TEST

START_TEST(test_mem_type_names)
{
	ck_assert_str_eq(boot_mem_type_name(BOOT_MEM_AVAILABLE), "available");
	ck_assert_str_eq(boot_mem_type_name(BOOT_MEM_RESERVED), "reserved");
	ck_assert_str_eq(boot_mem_type_name(BOOT_MEM_ACPI_RECLAIMABLE), "ACPI reclaimable");
	ck_assert_str_eq(boot_mem_type_name(BOOT_MEM_NVS), "ACPI NVS");
	ck_assert_str_eq(boot_mem_type_name(BOOT_MEM_BAD), "bad RAM");
	ck_assert_str_eq(boot_mem_type_name(0), "unknown");
	ck_assert_str_eq(boot_mem_type_name(6), "unknown");
	ck_assert_str_eq(boot_mem_type_name(UINT32_MAX), "unknown");
}
END_TEST

Suite *multiboot2_suite(void)
{
	Suite *s = suite_create("multiboot2");

	host_add_test(s, test_full_blob);
	host_add_test(s, test_minimal_blob);
	host_add_test(s, test_every_prefix_truncated);
	host_add_test(s, test_every_prefix_with_matching_total_size);
	host_add_test(s, test_avail_smaller_than_total);
	host_add_test(s, test_total_size_too_small);
	host_add_test(s, test_null_and_misaligned);
	host_add_test(s, test_tag_sizes);
	host_add_test(s, test_end_tag_size);
	host_add_test(s, test_missing_end_tag);
	host_add_test(s, test_unknown_tags_skipped);
	host_add_test(s, test_mmap_bad_entry_size);
	host_add_test(s, test_mmap_entries_do_not_fit);
	host_add_test(s, test_mmap_larger_entries);
	host_add_test(s, test_mmap_empty);
	host_add_test(s, test_mmap_too_many_entries);
	host_add_test(s, test_modules);
	host_add_test(s, test_unterminated_strings);
	host_add_test(s, test_long_strings);
	host_add_test(s, test_repeated_tag_last_wins);
	host_add_test(s, test_random_mutations);
	host_add_test(s, test_strerror);
	host_add_test(s, test_usable_bytes_saturates);
	host_add_test(s, test_mem_type_names);
	return s;
}
