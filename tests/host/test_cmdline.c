/*
 * Host tests for kernel/lib/cmdline.c.
 *
 * A small option table like the kernel's is parsed against hand-written
 * command lines.  Every warning is captured by collect_warning(), which
 * also enforces the "one complete line per problem" contract, so the tests
 * can check the exact text, the count, and that bad values left the
 * targets at their defaults.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmdline.h"
#include "suites.h"

#define DEFAULT_LOGLEVEL 3
#define DEFAULT_RUN "default"
#define DEFAULT_CONSOLE 0
#define DEFAULT_MEM 42

static u64 loglevel;
static char run[16];
static int console;
static bool quiet;
static u64 mem;

static const char *const console_choices[] = { "serial", "vga", "both", NULL };

static const struct cmdline_option opts[] = {
	{ .key = "loglevel", .type = CMDLINE_UINT, .help = "console verbosity",
	  .target = &loglevel, .min = 0, .max = 7 },
	{ .key = "run", .type = CMDLINE_STRING, .help = "test to run at boot",
	  .target = run, .target_size = sizeof(run) },
	{ .key = "console", .type = CMDLINE_ENUM, .help = "where the log goes",
	  .target = &console, .choices = console_choices },
	{ .key = "quiet", .type = CMDLINE_BOOL, .help = "suppress the banner",
	  .target = &quiet },
	{ .key = "mem", .type = CMDLINE_UINT, .help = "memory limit in bytes",
	  .target = &mem, .min = 0, .max = UINT64_MAX },
};

#define KEYS "loglevel, run, console, quiet, mem"

#define MAX_LINES 16

/* Every warning line seen by one parse. */
static struct {
	int count;
	char lines[MAX_LINES][CMDLINE_WARN_MAX];
} warns;

static void collect_warning(void *ctx, const char *msg)
{
	ck_assert_ptr_eq(ctx, &warns);
	ck_assert_msg(strchr(msg, '\n') == NULL, "warning contains a newline: %s", msg);
	ck_assert_uint_lt(strlen(msg), CMDLINE_WARN_MAX);
	if (warns.count < MAX_LINES)
		snprintf(warns.lines[warns.count], CMDLINE_WARN_MAX, "%s", msg);
	warns.count++;
}

static void reset_defaults(void)
{
	loglevel = DEFAULT_LOGLEVEL;
	strcpy(run, DEFAULT_RUN);
	console = DEFAULT_CONSOLE;
	quiet = false;
	mem = DEFAULT_MEM;
	memset(&warns, 0, sizeof(warns));
}

/* Parses line from fresh defaults; checks the returned count matches the
 * lines delivered. */
static int parse(const char *line)
{
	int n;

	reset_defaults();
	n = cmdline_parse(line, opts, ARRAY_SIZE(opts), collect_warning, &warns);
	ck_assert_int_eq(n, warns.count);
	return n;
}

static void assert_defaults(void)
{
	ck_assert_uint_eq(loglevel, DEFAULT_LOGLEVEL);
	ck_assert_str_eq(run, DEFAULT_RUN);
	ck_assert_int_eq(console, DEFAULT_CONSOLE);
	ck_assert(!quiet);
	ck_assert_uint_eq(mem, DEFAULT_MEM);
}

/* Parses a line expected to produce exactly one warning with this text. */
static void expect_one_warning(const char *line, const char *text)
{
	ck_assert_msg(parse(line) == 1, "'%s' gave %d warnings", line, warns.count);
	ck_assert_str_eq(warns.lines[0], text);
}

START_TEST(test_empty_lines)
{
	ck_assert_int_eq(parse(""), 0);
	assert_defaults();
	ck_assert_int_eq(parse("   \t  "), 0);
	assert_defaults();
	ck_assert_int_eq(parse(NULL), 0);
	assert_defaults();
}
END_TEST

START_TEST(test_all_types_stored)
{
	ck_assert_int_eq(parse("loglevel=5 run=ktest console=vga quiet=on mem=0x1000"), 0);
	ck_assert_uint_eq(loglevel, 5);
	ck_assert_str_eq(run, "ktest");
	ck_assert_int_eq(console, 1);
	ck_assert(quiet);
	ck_assert_uint_eq(mem, 0x1000);
}
END_TEST

START_TEST(test_separators)
{
	ck_assert_int_eq(parse("\tloglevel=6  \t console=both\t\t"), 0);
	ck_assert_uint_eq(loglevel, 6);
	ck_assert_int_eq(console, 2);
}
END_TEST

START_TEST(test_first_path_skipped)
{
	ck_assert_int_eq(parse("/boot/canary.elf loglevel=2"), 0);
	ck_assert_uint_eq(loglevel, 2);
	ck_assert_int_eq(parse("  /boot/canary.elf"), 0);
	/* Only the first token may be the kernel path. */
	expect_one_warning("loglevel=2 /boot/x",
			   "cmdline: unknown option '/boot/x' (valid keys: " KEYS ")");
}
END_TEST

START_TEST(test_bool_words)
{
	static const char *const yes[] = { "on", "1", "yes", "true" };
	static const char *const no[] = { "off", "0", "no", "false" };
	char line[32];

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		snprintf(line, sizeof(line), "quiet=%s", yes[i]);
		ck_assert_int_eq(parse(line), 0);
		ck_assert(quiet);
	}
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		snprintf(line, sizeof(line), "quiet=on quiet=%s", no[i]);
		ck_assert_int_eq(parse(line), 0);
		ck_assert(!quiet);
	}
	expect_one_warning("quiet=maybe",
			   "cmdline: bad value 'maybe' for 'quiet' (expected one of: "
			   "on, off, 1, 0, yes, no, true, false)");
	ck_assert(!quiet);
	ck_assert_int_eq(parse("quiet=ON"), 1);
	ck_assert_int_eq(parse("quiet="), 1);
}
END_TEST

START_TEST(test_uint_accepted)
{
	ck_assert_int_eq(parse("loglevel=0"), 0);
	ck_assert_uint_eq(loglevel, 0);
	ck_assert_int_eq(parse("loglevel=7"), 0);
	ck_assert_uint_eq(loglevel, 7);
	ck_assert_int_eq(parse("loglevel=007"), 0);
	ck_assert_uint_eq(loglevel, 7);
	ck_assert_int_eq(parse("loglevel=0x7"), 0);
	ck_assert_uint_eq(loglevel, 7);
	ck_assert_int_eq(parse("mem=0XaBc"), 0);
	ck_assert_uint_eq(mem, 0xabc);
	ck_assert_int_eq(parse("mem=18446744073709551615"), 0);
	ck_assert_uint_eq(mem, UINT64_MAX);
	ck_assert_int_eq(parse("mem=0xffffffffffffffff"), 0);
	ck_assert_uint_eq(mem, UINT64_MAX);
}
END_TEST

START_TEST(test_uint_rejected)
{
	static const char *const bad[] = {
		"abc", "", "-1", "+1", "0x", "12abc", "1.5", "0x1g", " 1", "8", "99",
		"0x8", "18446744073709551616", "99999999999999999999999",
	};
	char line[64], text[160];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "loglevel=\"%s\"", bad[i]);
		snprintf(text, sizeof(text),
			 "cmdline: bad value '%s' for 'loglevel' (expected an integer 0..7)", bad[i]);
		expect_one_warning(line, text);
		assert_defaults();
	}
	expect_one_warning("mem=18446744073709551616",
			   "cmdline: bad value '18446744073709551616' for 'mem' "
			   "(expected an integer 0..18446744073709551615)");
	expect_one_warning("mem=0x10000000000000000",
			   "cmdline: bad value '0x10000000000000000' for 'mem' "
			   "(expected an integer 0..18446744073709551615)");
	assert_defaults();
}
END_TEST

START_TEST(test_enum)
{
	ck_assert_int_eq(parse("console=both"), 0);
	ck_assert_int_eq(console, 2);
	ck_assert_int_eq(parse("console=vga console=serial"), 0);
	ck_assert_int_eq(console, 0);
	expect_one_warning("console=x",
			   "cmdline: bad value 'x' for 'console' (expected one of: serial, vga, both)");
	assert_defaults();
	ck_assert_int_eq(parse("console=VGA"), 1);
	ck_assert_int_eq(parse("console=serialx"), 1);
	ck_assert_int_eq(parse("console="), 1);
	assert_defaults();
}
END_TEST

START_TEST(test_string_values)
{
	ck_assert_int_eq(parse("run=\"a b\""), 0);
	ck_assert_str_eq(run, "a b");
	ck_assert_int_eq(parse("run=\"\""), 0);
	ck_assert_str_eq(run, "");
	ck_assert_int_eq(parse("run="), 0);
	ck_assert_str_eq(run, "");
	ck_assert_int_eq(parse("run=\"x\ty\"z"), 0);
	ck_assert_str_eq(run, "x\tyz");
	ck_assert_int_eq(parse("\"run=a b\" loglevel=1"), 0);
	ck_assert_str_eq(run, "a b");
	ck_assert_uint_eq(loglevel, 1);
	ck_assert_int_eq(parse("run=a=b"), 0);
	ck_assert_str_eq(run, "a=b");
}
END_TEST

START_TEST(test_string_too_long_rejected)
{
	/* run[] holds 15 characters and the NUL. */
	ck_assert_int_eq(parse("run=123456789012345"), 0);
	ck_assert_str_eq(run, "123456789012345");
	expect_one_warning("run=1234567890123456",
			   "cmdline: value for 'run' is too long (16 characters, max 15)");
	assert_defaults();
}
END_TEST

START_TEST(test_unknown_option)
{
	expect_one_warning("foo=1", "cmdline: unknown option 'foo=1' (valid keys: " KEYS ")");
	expect_one_warning("splash", "cmdline: unknown option 'splash' (valid keys: " KEYS ")");
	expect_one_warning("=5", "cmdline: unknown option '=5' (valid keys: " KEYS ")");
	expect_one_warning("LOGLEVEL=1", "cmdline: unknown option 'LOGLEVEL=1' (valid keys: " KEYS ")");
	expect_one_warning("log=1", "cmdline: unknown option 'log=1' (valid keys: " KEYS ")");
	expect_one_warning("loglevelx=1",
			   "cmdline: unknown option 'loglevelx=1' (valid keys: " KEYS ")");
	assert_defaults();
}
END_TEST

START_TEST(test_bare_key_needs_value)
{
	expect_one_warning("loglevel", "cmdline: 'loglevel' needs a value (loglevel=...)");
	expect_one_warning("quiet", "cmdline: 'quiet' needs a value (quiet=...)");
	assert_defaults();
}
END_TEST

START_TEST(test_duplicates_last_wins)
{
	ck_assert_int_eq(parse("loglevel=1 loglevel=4"), 0);
	ck_assert_uint_eq(loglevel, 4);
	/* A bad later value does not undo the good earlier one. */
	ck_assert_int_eq(parse("loglevel=1 loglevel=99"), 1);
	ck_assert_uint_eq(loglevel, 1);
}
END_TEST

START_TEST(test_warning_count)
{
	ck_assert_int_eq(parse("a b=1 loglevel=9 console=x quiet=2 run=12345678901234567 loglevel"),
			 7);
	assert_defaults();
	ck_assert_int_eq(parse("a loglevel=5 b"), 2);
	ck_assert_uint_eq(loglevel, 5);
}
END_TEST

START_TEST(test_unterminated_quote)
{
	ck_assert_int_eq(parse("loglevel=2 run=\"abc console=vga"), 1);
	ck_assert_str_eq(warns.lines[0],
			 "cmdline: unterminated quote in 'run=\"abc console=vga' (rest of line ignored)");
	ck_assert_uint_eq(loglevel, 2);
	ck_assert_str_eq(run, DEFAULT_RUN);
	ck_assert_int_eq(console, DEFAULT_CONSOLE);

	ck_assert_int_eq(parse("\""), 1);
	ck_assert_int_eq(parse("/boot/k\" loglevel=1"), 1);
	ck_assert_uint_eq(loglevel, DEFAULT_LOGLEVEL);
}
END_TEST

START_TEST(test_long_tokens)
{
	char line[600];

	/* 255 characters is the limit and still a token. */
	memset(line, 'x', 255);
	line[255] = '\0';
	ck_assert_int_eq(parse(line), 1);
	ck_assert_ptr_nonnull(strstr(warns.lines[0], "unknown option 'xxxx"));
	ck_assert_ptr_nonnull(strstr(warns.lines[0], "(valid keys: " KEYS ")"));

	/* One past it is rejected, and parsing resumes after it. */
	memset(line, 'x', 300);
	strcpy(line + 300, " loglevel=6");
	ck_assert_int_eq(parse(line), 1);
	ck_assert_ptr_nonnull(strstr(warns.lines[0],
				     "cmdline: option too long (300 characters, max 255): 'xxx"));
	ck_assert_uint_eq(loglevel, 6);

	/* Quotes do not count toward the length; long values are echoed whole. */
	strcpy(line, "run=\"");
	memset(line + 5, 'y', 251);
	strcpy(line + 256, "\"");
	ck_assert_int_eq(parse(line), 1);
	ck_assert_ptr_nonnull(strstr(warns.lines[0], "value for 'run' is too long (251 characters"));
	assert_defaults();

	memset(line, 'z', 256);
	line[256] = '\0';
	ck_assert_int_eq(parse(line), 1);
	ck_assert_ptr_nonnull(strstr(warns.lines[0], "option too long (256 characters"));
}
END_TEST

START_TEST(test_long_key_list_elided)
{
	static char keys[100][16];
	static struct cmdline_option many[100];
	static u64 sink;
	static int choice;
	static const char *choices[101];
	static const struct cmdline_option big_enum = {
		.key = "e", .type = CMDLINE_ENUM, .target = &choice, .choices = choices,
	};
	char expected[64];
	int n;

	for (int i = 0; i < 100; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key%02d", i);
		many[i] = (struct cmdline_option){ .key = keys[i], .type = CMDLINE_UINT,
						   .target = &sink, .max = 1 };
		choices[i] = keys[i];
	}
	memset(&warns, 0, sizeof(warns));
	n = cmdline_parse("nope=1", many, ARRAY_SIZE(many), collect_warning, &warns);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(warns.lines[0], "(valid keys: key00, key01, "));
	ck_assert_msg(strlen(warns.lines[0]) > 6 &&
		      strcmp(warns.lines[0] + strlen(warns.lines[0]) - 6, ", ...)") == 0,
		      "list not elided: %s", warns.lines[0]);
	ck_assert_ptr_null(strstr(warns.lines[0], "key99"));

	/* The describe text is what the warnings use. */
	char desc[40];
	cmdline_describe(&big_enum, desc, sizeof(desc));
	snprintf(expected, sizeof(expected), "one of: key00, key01, key02, ...");
	ck_assert_str_eq(desc, expected);
}
END_TEST

START_TEST(test_describe)
{
	char buf[128];

	ck_assert_str_eq(cmdline_describe(&opts[0], buf, sizeof(buf)), "an integer 0..7");
	ck_assert_str_eq(cmdline_describe(&opts[1], buf, sizeof(buf)),
			 "a string of at most 15 characters");
	ck_assert_str_eq(cmdline_describe(&opts[2], buf, sizeof(buf)),
			 "one of: serial, vga, both");
	ck_assert_str_eq(cmdline_describe(&opts[3], buf, sizeof(buf)),
			 "one of: on, off, 1, 0, yes, no, true, false");
	ck_assert_ptr_null(cmdline_describe(&opts[0], NULL, 0));
	buf[0] = 'x';
	cmdline_describe(&opts[0], buf, 1);
	ck_assert_int_eq(buf[0], '\0');
}
END_TEST

START_TEST(test_no_callback_still_counts)
{
	ck_assert_int_eq(cmdline_parse("x y loglevel=1", opts, ARRAY_SIZE(opts), NULL, NULL), 2);
	ck_assert_int_eq(cmdline_parse("x", NULL, 0, NULL, NULL), 1);
}
END_TEST

START_TEST(test_empty_table)
{
	memset(&warns, 0, sizeof(warns));
	ck_assert_int_eq(cmdline_parse("a=1", NULL, 0, collect_warning, &warns), 1);
	ck_assert_str_eq(warns.lines[0], "cmdline: unknown option 'a=1' (valid keys: none)");
}
END_TEST

START_TEST(test_misconfigured_table)
{
	static const struct cmdline_option broken[] = {
		{ .key = "nulltarget", .type = CMDLINE_UINT, .max = 9 },
		{ .key = "nobuf", .type = CMDLINE_STRING, .target = run },
		{ .key = "nochoices", .type = CMDLINE_ENUM, .target = &console },
	};

	reset_defaults();
	ck_assert_int_eq(cmdline_parse("nulltarget=1 nobuf=a nochoices=b", broken,
				       ARRAY_SIZE(broken), collect_warning, &warns), 3);
	ck_assert_str_eq(warns.lines[0],
			 "cmdline: option 'nulltarget' is misconfigured in the kernel's table");
	assert_defaults();
}
END_TEST

START_TEST(test_random_lines_survive)
{
	/* Lines built from the characters the parser treats specially. */
	static const char alphabet[] = "ab=\" \t/x0179lgvequirtmsn";
	char line[400];
	unsigned seed = 12345;

	for (int iter = 0; iter < 3000; iter++) {
		size_t len;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(line);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			line[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		line[len] = '\0';
		parse(line); /* asserts the count matches the lines delivered */
		ck_assert_uint_le(loglevel, 7);
		ck_assert_uint_lt(strlen(run), sizeof(run));
		ck_assert(console >= 0 && console <= 2);
	}
}
END_TEST

Suite *cmdline_suite(void)
{
	Suite *s = suite_create("cmdline");

	host_add_test(s, test_empty_lines);
	host_add_test(s, test_all_types_stored);
	host_add_test(s, test_separators);
	host_add_test(s, test_first_path_skipped);
	host_add_test(s, test_bool_words);
	host_add_test(s, test_uint_accepted);
	host_add_test(s, test_uint_rejected);
	host_add_test(s, test_enum);
	host_add_test(s, test_string_values);
	host_add_test(s, test_string_too_long_rejected);
	host_add_test(s, test_unknown_option);
	host_add_test(s, test_bare_key_needs_value);
	host_add_test(s, test_duplicates_last_wins);
	host_add_test(s, test_warning_count);
	host_add_test(s, test_unterminated_quote);
	host_add_test(s, test_long_tokens);
	host_add_test(s, test_long_key_list_elided);
	host_add_test(s, test_describe);
	host_add_test(s, test_no_callback_still_counts);
	host_add_test(s, test_empty_table);
	host_add_test(s, test_misconfigured_table);
	host_add_test(s, test_random_lines_survive);
	return s;
}
