/*
 * Table-driven parser for the kernel command line.
 *
 * The command line is a list of space- or tab-separated key=value options,
 * e.g.   loglevel=7 console=both run="ktest kasan"
 * Each subsystem describes the options it accepts in a table of
 * struct cmdline_option; cmdline_parse() walks the line once, stores each
 * good value straight into its target, and reports every problem through a
 * callback as one complete line of text.  A bad value never changes the
 * target, so the defaults the kernel put there beforehand survive.
 *
 * The parser keeps no state between calls and allocates nothing: it can run
 * before the memory allocator exists.
 */
#ifndef CANARY_LIB_CMDLINE_H
#define CANARY_LIB_CMDLINE_H

#include "lib/types.h"

/* Longest key=value token accepted, not counting quotes. */
#define CMDLINE_TOKEN_MAX 255

/* Size of the buffer each warning line is built in, including the NUL. */
#define CMDLINE_WARN_MAX 512

enum cmdline_type {
	CMDLINE_UINT,   /* decimal or 0x-hex, within [min, max]; target is u64 * */
	CMDLINE_BOOL,   /* on/off 1/0 yes/no true/false; target is bool * */
	CMDLINE_STRING, /* copied whole or not at all; target is char[target_size] */
	CMDLINE_ENUM,   /* one of choices[]; target is int *, set to the index */
};

/* One accepted option.  Tables are usually const and static; the parser
 * only reads them and writes through `target`. */
struct cmdline_option {
	const char *key;            /* the text before '=', e.g. "loglevel" */
	enum cmdline_type type;     /* how the value is checked and stored */
	const char *help;           /* one line for the monitor's help and docs */
	void *target;               /* where the value goes; see enum cmdline_type */
	size_t target_size;         /* STRING: bytes in the buffer, NUL included */
	u64 min, max;               /* UINT: inclusive bounds */
	const char *const *choices; /* ENUM: accepted words, NULL-terminated */
};

/* Receives one complete warning line (no trailing newline).  The text lives
 * in the parser's stack buffer: copy it if it must outlive the call. */
typedef void (*cmdline_warn_fn)(void *ctx, const char *msg);

/*
 * Parses `cmdline` against the nopts entries of `opts`, storing values and
 * calling warn(ctx, line) once per problem.  Returns the number of warnings
 * (0 means the line was clean).  NULL cmdline is treated as empty and NULL
 * warn silently counts.  Never crashes, whatever the text.
 *
 * Rules worth knowing:
 *   - If the first token starts with '/', it is skipped: GRUB can pass the
 *     kernel's own path as the first word of the command line.
 *   - Double quotes group text, so run="a b" gives run the value `a b`.
 *     There are no escapes; an unmatched quote swallows the rest of the
 *     line, which is reported once and ignored.
 *   - Keys and words are case-sensitive.  Numbers are decimal (leading
 *     zeros allowed, no octal) or 0x-prefixed hex, without a sign.
 *   - A later duplicate key overrides an earlier one.
 */
int cmdline_parse(const char *cmdline, const struct cmdline_option *opts,
		  size_t nopts, cmdline_warn_fn warn, void *ctx);

/*
 * Writes what `opt` accepts, e.g. "an integer 0..7" or
 * "one of: serial, vga, both", into buf (NUL-terminated, long lists end in
 * "...").  The same words appear in the parser's warnings; the monitor uses
 * this for its help text.  Returns buf.
 */
const char *cmdline_describe(const struct cmdline_option *opt, char *buf,
			     size_t size);

#endif
