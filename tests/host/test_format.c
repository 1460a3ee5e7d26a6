/*
 * Host tests for kernel/lib/format.c (ksnprintf, kvsnprintf).
 *
 * For every standard conversion the host C library is the oracle: the
 * tests generate thousands of format strings (every flag combination,
 * several widths and precisions, every length modifier) and require
 * byte-identical output and return values from ksnprintf and snprintf.
 * Only the kernel's deliberate differences (%p, NULL strings, unknown
 * conversions, the field clamp) are checked against fixed strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/format.h"
#include "suites.h"

/* These tests pass odd and invalid formats, NULL strings and huge widths
 * on purpose, and compare against snprintf into buffers meant to be too
 * small. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"

#define OUT_MAX 256

/*
 * Formats one value with both ksnprintf and snprintf and fails the test on
 * any difference.  Written as one function per argument type because the
 * value must reach the variadic call with exactly the type fmt names.
 */
#define DEFINE_COMPARE(name, type)                                              \
	static void name(const char *fmt, type v)                               \
	{                                                                       \
		char k[OUT_MAX], h[OUT_MAX];                                    \
		int kr = ksnprintf(k, sizeof(k), fmt, v);                       \
		int hr = snprintf(h, sizeof(h), fmt, v);                        \
		if (kr != hr || strcmp(k, h) != 0)                              \
			ck_abort_msg("format \"%s\": kernel \"%s\" (%d), libc \"%s\" (%d)", \
				     fmt, k, kr, h, hr);                        \
	}

DEFINE_COMPARE(compare_int, int)
DEFINE_COMPARE(compare_uint, unsigned int)
DEFINE_COMPARE(compare_long, long)
DEFINE_COMPARE(compare_ulong, unsigned long)
DEFINE_COMPARE(compare_llong, long long)
DEFINE_COMPARE(compare_ullong, unsigned long long)
DEFINE_COMPARE(compare_size, size_t)
DEFINE_COMPARE(compare_ptrdiff, ptrdiff_t)
DEFINE_COMPARE(compare_str, const char *)

static const char *const widths[] = { "", "1", "7", "24" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".4", ".22" };

/* Calls fn(fmt) for "%<flags><width><prec><len><conv>" over all 32 flag
 * subsets and every width and precision above. */
static void for_each_spec(const char *len, char conv, void (*fn)(const char *fmt))
{
	static const char flag_chars[] = "-0+ #";
	char fmt[64];

	for (unsigned mask = 0; mask < 32; mask++) {
		char flags[8];
		size_t nf = 0;

		for (unsigned b = 0; b < 5; b++)
			if (mask & (1u << b))
				flags[nf++] = flag_chars[b];
		flags[nf] = '\0';
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
					 widths[w], precisions[p], len, conv);
				fn(fmt);
			}
	}
}

static const int int_values[] = { 0, 1, -1, 7, -7, 42, 255, -128, 65535, 123456789,
				   INT32_MAX, INT32_MIN };
static const unsigned uint_values[] = { 0, 1, 8, 255, 0x80000000u, 0xdeadbeefu, UINT32_MAX };
static const long long ll_values[] = { 0, 1, -1, 1000000000000LL, -1000000000000LL,
				       0x123456789abcdefLL, INT64_MAX, INT64_MIN };
static const unsigned long long ull_values[] = { 0, 1, 0x8000000000000000ULL,
						 0x123456789abcdef0ULL, UINT64_MAX };
static const int hh_values[] = { 0, 1, -1, 127, -128, 255, 300, -300 };
static const int h_values[] = { 0, 1, -1, 32767, -32768, 65535, 70000 };

static void signed_int_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(int_values); i++)
		compare_int(fmt, int_values[i]);
}

static void signed_hh_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(hh_values); i++)
		compare_int(fmt, hh_values[i]);
}

static void signed_h_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(h_values); i++)
		compare_int(fmt, h_values[i]);
}

static void signed_long_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(ll_values); i++)
		compare_long(fmt, (long)ll_values[i]);
}

static void signed_llong_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(ll_values); i++)
		compare_llong(fmt, ll_values[i]);
}

static void unsigned_int_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(uint_values); i++)
		compare_uint(fmt, uint_values[i]);
}

static void unsigned_small_fmt(const char *fmt)
{
	/* hh and h still take an int-promoted argument */
	for (size_t i = 0; i < ARRAY_SIZE(h_values); i++)
		compare_int(fmt, h_values[i]);
}

static void unsigned_long_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(ull_values); i++)
		compare_ulong(fmt, (unsigned long)ull_values[i]);
}

static void unsigned_llong_fmt(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(ull_values); i++)
		compare_ullong(fmt, ull_values[i]);
}

static void size_fmt(const char *fmt)
{
	static const size_t v[] = { 0, 1, 12345, SIZE_MAX / 2, SIZE_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		compare_size(fmt, v[i]);
}

static void ptrdiff_fmt(const char *fmt)
{
	static const ptrdiff_t v[] = { 0, 1, -1, PTRDIFF_MAX, PTRDIFF_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		compare_ptrdiff(fmt, v[i]);
}

START_TEST(test_literal_text)
{
	char buf[64];

	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "hello"), 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), ""), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "100%% sure, %%%%"), 13);
	ck_assert_str_eq(buf, "100% sure, %%");
}
END_TEST

START_TEST(test_signed_vs_libc)
{
	static const char convs[] = "di";

	for (size_t c = 0; c < 2; c++) {
		for_each_spec("", convs[c], signed_int_fmt);
		for_each_spec("hh", convs[c], signed_hh_fmt);
		for_each_spec("h", convs[c], signed_h_fmt);
		for_each_spec("l", convs[c], signed_long_fmt);
		for_each_spec("ll", convs[c], signed_llong_fmt);
	}
}
END_TEST

START_TEST(test_unsigned_vs_libc)
{
	static const char convs[] = "uxXo";

	for (size_t c = 0; c < 4; c++) {
		for_each_spec("", convs[c], unsigned_int_fmt);
		for_each_spec("hh", convs[c], unsigned_small_fmt);
		for_each_spec("h", convs[c], unsigned_small_fmt);
		for_each_spec("l", convs[c], unsigned_long_fmt);
		for_each_spec("ll", convs[c], unsigned_llong_fmt);
	}
}
END_TEST

START_TEST(test_size_and_ptrdiff_vs_libc)
{
	static const char convs[] = "diuxXo";

	for (size_t c = 0; c < 6; c++) {
		for_each_spec("z", convs[c], size_fmt);
		for_each_spec("t", convs[c], ptrdiff_fmt);
	}
}
END_TEST

START_TEST(test_extremes)
{
	char buf[64];

	ksnprintf(buf, sizeof(buf), "%lld", (long long)INT64_MIN);
	ck_assert_str_eq(buf, "-9223372036854775808");
	ksnprintf(buf, sizeof(buf), "%ld", (long)INT64_MIN);
	ck_assert_str_eq(buf, "-9223372036854775808");
	ksnprintf(buf, sizeof(buf), "%llu", (unsigned long long)UINT64_MAX);
	ck_assert_str_eq(buf, "18446744073709551615");
	ksnprintf(buf, sizeof(buf), "%llx", (unsigned long long)UINT64_MAX);
	ck_assert_str_eq(buf, "ffffffffffffffff");
	ksnprintf(buf, sizeof(buf), "%#llo", (unsigned long long)UINT64_MAX);
	ck_assert_str_eq(buf, "01777777777777777777777");
	ksnprintf(buf, sizeof(buf), "%d", INT32_MIN);
	ck_assert_str_eq(buf, "-2147483648");
	ksnprintf(buf, sizeof(buf), "%zu", SIZE_MAX);
	ck_assert_str_eq(buf, "18446744073709551615");
}
END_TEST

START_TEST(test_strings_vs_libc)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string, with spaces" };
	static const char *const flags[] = { "", "-", " ", "+", "#" };
	static const char *const sw[] = { "", "1", "5", "30" };
	static const char *const sp[] = { "", ".", ".0", ".3", ".40" };
	char fmt[32];

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
		for (size_t w = 0; w < ARRAY_SIZE(sw); w++)
			for (size_t p = 0; p < ARRAY_SIZE(sp); p++) {
				snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", flags[f], sw[w], sp[p]);
				for (size_t s = 0; s < ARRAY_SIZE(strs); s++)
					compare_str(fmt, strs[s]);
			}
}
END_TEST

START_TEST(test_string_precision_unterminated)
{
	/* With a precision the argument need not be NUL-terminated; ASan
	 * fails this test if the formatter looks at the byte after "abc". */
	char *raw = malloc(3);
	char buf[16];

	memcpy(raw, "abc", 3);
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%.3s|%.*s", raw, 2, raw), 6);
	ck_assert_str_eq(buf, "abc|ab");
	free(raw);
}
END_TEST

START_TEST(test_chars_vs_libc)
{
	static const char *const fmts[] = { "%c", "[%c]", "[%5c]", "[%-5c]", "[%1c]", "%c%c" };
	static const int chars[] = { 'a', ' ', '~', '%', 0x41 + 256 };
	char k[32], h[32];

	for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
		for (size_t c = 0; c < ARRAY_SIZE(chars); c++)
			compare_int(fmts[f], chars[c]);

	/* %c of 0 stores a NUL inside the output and still counts it. */
	memset(k, 'x', sizeof(k));
	memset(h, 'x', sizeof(h));
	ck_assert_int_eq(ksnprintf(k, sizeof(k), "a%cb", 0), snprintf(h, sizeof(h), "a%cb", 0));
	ck_assert_mem_eq(k, h, 4);
}
END_TEST

START_TEST(test_star_vs_libc)
{
	static const int ws[] = { -30, -5, -1, 0, 1, 5, 30 };
	static const int ps[] = { -3, -1, 0, 1, 4, 30 };
	char k[OUT_MAX], h[OUT_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(ws); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(ps); j++) {
			int kr = ksnprintf(k, sizeof(k), "[%*.*d|%-*.*x|%*.*s|%0*d]", ws[i], ps[j], -42,
					   ws[i], ps[j], 0xbeefu, ws[i], ps[j], "string", ws[i], 7);
			int hr = snprintf(h, sizeof(h), "[%*.*d|%-*.*x|%*.*s|%0*d]", ws[i], ps[j], -42,
					  ws[i], ps[j], 0xbeefu, ws[i], ps[j], "string", ws[i], 7);

			ck_assert_int_eq(kr, hr);
			ck_assert_str_eq(k, h);
		}
	}
}
END_TEST

START_TEST(test_mixed_vs_libc)
{
	char k[OUT_MAX], h[OUT_MAX];
	int kr = ksnprintf(k, sizeof(k), "%s=%d (%#x) %c %5.2s|%-6u|%+lld %zu%%",
			   "loglevel", 7, 255u, 'Z', "xyz", 42u, -5LL, (size_t)99);
	int hr = snprintf(h, sizeof(h), "%s=%d (%#x) %c %5.2s|%-6u|%+lld %zu%%",
			  "loglevel", 7, 255u, 'Z', "xyz", 42u, -5LL, (size_t)99);

	ck_assert_int_eq(kr, hr);
	ck_assert_str_eq(k, h);
}
END_TEST

START_TEST(test_null_string)
{
	char buf[32];

	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%s", (char *)NULL), 6);
	ck_assert_str_eq(buf, "(null)");
	ksnprintf(buf, sizeof(buf), "[%8s]", (char *)NULL);
	ck_assert_str_eq(buf, "[  (null)]");
	ksnprintf(buf, sizeof(buf), "[%-8s]", (char *)NULL);
	ck_assert_str_eq(buf, "[(null)  ]");
}
END_TEST

START_TEST(test_pointer)
{
	char buf[64];

	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%p", NULL), 18);
	ck_assert_str_eq(buf, "0x0000000000000000");
	ksnprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xdeadbeef);
	ck_assert_str_eq(buf, "0x00000000deadbeef");
	ksnprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX);
	ck_assert_str_eq(buf, "0xffffffffffffffff");
	ksnprintf(buf, sizeof(buf), "[%20p]", (void *)(uintptr_t)0x1000);
	ck_assert_str_eq(buf, "[  0x0000000000001000]");
	ksnprintf(buf, sizeof(buf), "[%-20p]", (void *)(uintptr_t)0x1000);
	ck_assert_str_eq(buf, "[0x0000000000001000  ]");
	/* Flags that would change the fixed form are ignored. */
	ksnprintf(buf, sizeof(buf), "[%+020p]", (void *)(uintptr_t)0xABC);
	ck_assert_str_eq(buf, "[  0x0000000000000abc]");
}
END_TEST

START_TEST(test_unknown_conversion_literal)
{
	char buf[64];

	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%q"), 2);
	ck_assert_str_eq(buf, "%q");
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "abc%"), 4);
	ck_assert_str_eq(buf, "abc%");
	ksnprintf(buf, sizeof(buf), "tail %-5");
	ck_assert_str_eq(buf, "tail %-5");
	ksnprintf(buf, sizeof(buf), "%ll");
	ck_assert_str_eq(buf, "%ll");
	ksnprintf(buf, sizeof(buf), "%f", 1);
	ck_assert_str_eq(buf, "%f");

	/* An unknown conversion must not consume an argument, even with
	 * '*' fields: the %d afterwards still gets the first argument. */
	ksnprintf(buf, sizeof(buf), "%5q|%d", 7);
	ck_assert_str_eq(buf, "%5q|7");
	ksnprintf(buf, sizeof(buf), "%*.*q|%d", 7);
	ck_assert_str_eq(buf, "%*.*q|7");
	ksnprintf(buf, sizeof(buf), "%ls|%lc|%hp|%d", 3);
	ck_assert_str_eq(buf, "%ls|%lc|%hp|3");
}
END_TEST

START_TEST(test_truncation_vs_libc)
{
	static const char *const fmt = "x=%d s=%s p=%08.3x";
	char k[48], h[48];

	/* The bytes past `size` must stay untouched, so both buffers start
	 * with the same junk and are compared in full. */
	for (size_t size = 0; size <= 32; size++) {
		memset(k, 0x5a, sizeof(k));
		memset(h, 0x5a, sizeof(h));
		int kr = ksnprintf(k, size, fmt, -123, "text", 0xabu);
		int hr = snprintf(h, size, fmt, -123, "text", 0xabu);

		ck_assert_int_eq(kr, hr);
		ck_assert_mem_eq(k, h, sizeof(k));
	}
}
END_TEST

START_TEST(test_size_zero_null_buffer)
{
	ck_assert_int_eq(ksnprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
	ck_assert_int_eq(ksnprintf(NULL, 0, ""), 0);
}
END_TEST

START_TEST(test_long_output_return_value)
{
	char buf[16];

	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%300d", 1), 300);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%-200s|", "a"), 201);
	ck_assert_str_eq(buf, "a              ");
}
END_TEST

START_TEST(test_field_clamped)
{
	char buf[8];

	/* Documented deviation: widths and precisions stop at FMT_FIELD_MAX
	 * so a garbage '*' argument cannot stall the kernel. */
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%99999999999d", 1), FMT_FIELD_MAX);
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%*d", 1 << 30, 1), FMT_FIELD_MAX);
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%*d", INT32_MIN, 1), FMT_FIELD_MAX);
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%.*d", 1 << 30, 1), FMT_FIELD_MAX);
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");

	host_add_test(s, test_literal_text);
	host_add_test(s, test_signed_vs_libc);
	host_add_test(s, test_unsigned_vs_libc);
	host_add_test(s, test_size_and_ptrdiff_vs_libc);
	host_add_test(s, test_extremes);
	host_add_test(s, test_strings_vs_libc);
	host_add_test(s, test_string_precision_unterminated);
	host_add_test(s, test_chars_vs_libc);
	host_add_test(s, test_star_vs_libc);
	host_add_test(s, test_mixed_vs_libc);
	host_add_test(s, test_null_string);
	host_add_test(s, test_pointer);
	host_add_test(s, test_unknown_conversion_literal);
	host_add_test(s, test_truncation_vs_libc);
	host_add_test(s, test_size_zero_null_buffer);
	host_add_test(s, test_long_output_return_value);
	host_add_test(s, test_field_clamped);
	return s;
}
