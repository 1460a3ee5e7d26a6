/*
 * cmdline_parse: splits the kernel command line into tokens, matches each
 * against a caller's table of struct cmdline_option and stores the value.
 *
 * The work is in three steps per token: next_token() cuts one token out of
 * the line into a fixed buffer, removing quotes; handle_token() finds the
 * option by key; store_value() checks the value by type and writes the
 * target only if it is good.  Every failure path ends in exactly one call
 * to emit(), so the warning count the caller gets back equals the number
 * of lines it was shown.
 *
 * Warning lines are built in a struct msg on the stack.  Lists of words
 * (valid keys, enum choices) may not fit; msg_list_word() keeps enough room
 * in reserve to end such a list with "...)" instead of cutting it mid-word.
 */
#include <stdarg.h>

#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/string.h"

/* A line of text under construction in a caller's buffer. */
struct msg {
	char *buf;   /* borrowed; always NUL-terminated */
	size_t size; /* bytes in buf, > 0 */
	size_t len;  /* characters stored, always < size */
	bool elided; /* a word list was cut short with "..." */
};

/* Bytes a word list keeps free so ", ...)" and the NUL always fit. */
#define LIST_RESERVE sizeof(", ...)")

/* The words CMDLINE_BOOL accepts.  Parsing and the help text both read
 * this table, so they cannot disagree. */
static const struct {
	const char *word;
	bool value;
} bool_words[] = {
	{ "on", true },	  { "off", false }, { "1", true },    { "0", false },
	{ "yes", true },  { "no", false },  { "true", true }, { "false", false },
};

/* What one cmdline_parse() call needs to report problems. */
struct parser {
	const struct cmdline_option *opts; /* borrowed from the caller */
	size_t nopts;
	cmdline_warn_fn warn; /* may be NULL: then warnings are only counted */
	void *ctx;            /* passed through to warn */
	int warnings;         /* lines emitted so far */
};

static __printf(2, 3) void msg_add(struct msg *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(m->buf + m->len, m->size - m->len, fmt, ap);
	va_end(ap);
	m->len = MIN(m->len + (size_t)n, m->size - 1);
}

/* Appends one word of a comma-separated list; *count is the number of
 * words already listed.  Once a word does not fit, writes "..." and
 * ignores the rest of the list. */
static void msg_list_word(struct msg *m, size_t *count, const char *word)
{
	const char *sep = *count ? ", " : "";

	if (m->elided)
		return;
	if (m->len + strlen(sep) + strlen(word) + LIST_RESERVE > m->size) {
		msg_add(m, "%s...", sep);
		m->elided = true;
		return;
	}
	msg_add(m, "%s%s", sep, word);
	(*count)++;
}

static void describe_into(struct msg *m, const struct cmdline_option *opt)
{
	size_t count = 0;

	switch (opt->type) {
	case CMDLINE_UINT:
		msg_add(m, "an integer %llu..%llu", (unsigned long long)opt->min,
			(unsigned long long)opt->max);
		break;
	case CMDLINE_BOOL:
		msg_add(m, "one of: ");
		for (size_t i = 0; i < ARRAY_SIZE(bool_words); i++)
			msg_list_word(m, &count, bool_words[i].word);
		break;
	case CMDLINE_STRING:
		msg_add(m, "a string of at most %zu characters",
			opt->target_size ? opt->target_size - 1 : 0);
		break;
	case CMDLINE_ENUM:
		msg_add(m, "one of: ");
		for (size_t i = 0; opt->choices && opt->choices[i]; i++)
			msg_list_word(m, &count, opt->choices[i]);
		break;
	default:
		msg_add(m, "nothing (unknown option type %d)", (int)opt->type);
		break;
	}
}

const char *cmdline_describe(const struct cmdline_option *opt, char *buf,
			     size_t size)
{
	struct msg m = { .buf = buf, .size = size };

	if (!buf || size == 0)
		return buf;
	buf[0] = '\0';
	describe_into(&m, opt);
	return buf;
}

static void emit(struct parser *ps, const char *text)
{
	if (ps->warn)
		ps->warn(ps->ctx, text);
	ps->warnings++;
}

static __printf(2, 3) void warnf(struct parser *ps, const char *fmt, ...)
{
	char text[CMDLINE_WARN_MAX];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	emit(ps, text);
}

static void warn_unknown(struct parser *ps, const char *token)
{
	char text[CMDLINE_WARN_MAX];
	struct msg m = { .buf = text, .size = sizeof(text) };
	size_t count = 0;

	msg_add(&m, "cmdline: unknown option '%s' (valid keys: ", token);
	for (size_t i = 0; i < ps->nopts; i++)
		if (ps->opts[i].key)
			msg_list_word(&m, &count, ps->opts[i].key);
	if (count == 0 && !m.elided)
		msg_add(&m, "none");
	msg_add(&m, ")");
	emit(ps, text);
}

static void warn_bad_value(struct parser *ps, const struct cmdline_option *opt,
			   const char *value)
{
	char text[CMDLINE_WARN_MAX];
	struct msg m = { .buf = text, .size = sizeof(text) };

	msg_add(&m, "cmdline: bad value '%s' for '%s' (expected ", value, opt->key);
	describe_into(&m, opt);
	msg_add(&m, ")");
	emit(ps, text);
}

/* Decimal, or hex after "0x"; no sign, no empty string, no overflow. */
static bool parse_uint(const char *s, u64 *out)
{
	unsigned base = 10;
	u64 v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		/* v * base + d must stay <= UINT64_MAX. */
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* A table entry the parser cannot store into is a kernel bug, reported
 * like a bad option rather than followed into a NULL pointer. */
static bool option_usable(const struct cmdline_option *opt)
{
	if (!opt->target)
		return false;
	if (opt->type == CMDLINE_STRING && opt->target_size == 0)
		return false;
	if (opt->type == CMDLINE_ENUM && !opt->choices)
		return false;
	return opt->type == CMDLINE_UINT || opt->type == CMDLINE_BOOL ||
	       opt->type == CMDLINE_STRING || opt->type == CMDLINE_ENUM;
}

/* Checks `value` against opt and stores it; on any problem warns once and
 * leaves the target as it was. */
static void store_value(struct parser *ps, const struct cmdline_option *opt,
			const char *value)
{
	u64 n;
	size_t len;

	if (!option_usable(opt)) {
		warnf(ps, "cmdline: option '%s' is misconfigured in the kernel's table",
		      opt->key);
		return;
	}

	switch (opt->type) {
	case CMDLINE_UINT:
		if (parse_uint(value, &n) && n >= opt->min && n <= opt->max) {
			*(u64 *)opt->target = n;
			return;
		}
		break;
	case CMDLINE_BOOL:
		for (size_t i = 0; i < ARRAY_SIZE(bool_words); i++) {
			if (strcmp(value, bool_words[i].word) == 0) {
				*(bool *)opt->target = bool_words[i].value;
				return;
			}
		}
		break;
	case CMDLINE_ENUM:
		for (int i = 0; opt->choices[i]; i++) {
			if (strcmp(value, opt->choices[i]) == 0) {
				*(int *)opt->target = i;
				return;
			}
		}
		break;
	case CMDLINE_STRING:
		/* Truncating would silently run the wrong thing (a
		 * shortened test name, say), so an overlong value is
		 * refused outright. */
		len = strlen(value);
		if (len >= opt->target_size) {
			warnf(ps, "cmdline: value for '%s' is too long (%zu characters, max %zu)",
			      opt->key, len, opt->target_size - 1);
			return;
		}
		memcpy(opt->target, value, len + 1);
		return;
	}
	warn_bad_value(ps, opt, value);
}

static const struct cmdline_option *find_option(const struct parser *ps,
						const char *key, size_t keylen)
{
	for (size_t i = 0; i < ps->nopts; i++) {
		const char *k = ps->opts[i].key;

		if (k && strlen(k) == keylen && strncmp(k, key, keylen) == 0)
			return &ps->opts[i];
	}
	return NULL;
}

static void handle_token(struct parser *ps, const char *token)
{
	const char *eq = strchr(token, '=');
	size_t keylen = eq ? (size_t)(eq - token) : strlen(token);
	const struct cmdline_option *opt = find_option(ps, token, keylen);

	if (!opt)
		warn_unknown(ps, token);
	else if (!eq)
		warnf(ps, "cmdline: '%s' needs a value (%s=...)", opt->key, opt->key);
	else
		store_value(ps, opt, eq + 1);
}

static bool is_space(char c)
{
	/* Only ' ' and '\t' separate options by the rules above; a stray
	 * newline from a boot loader config is treated the same way. */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

enum token_status { TOKEN_OK, TOKEN_UNTERMINATED, TOKEN_TOO_LONG };

/*
 * Cuts the token starting at *pp (not whitespace) into tok with its quotes
 * removed, and advances *pp to the character after it.  A too-long token
 * is still consumed in full so parsing resumes at the next one.
 */
static enum token_status next_token(const char **pp,
				    char tok[CMDLINE_TOKEN_MAX + 1], size_t *lenp)
{
	const char *p = *pp;
	size_t len = 0; /* unquoted length, even past what tok can hold */
	bool quoted = false;

	for (; *p && (quoted || !is_space(*p)); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (len < CMDLINE_TOKEN_MAX)
			tok[len] = *p;
		len++;
	}
	tok[MIN(len, CMDLINE_TOKEN_MAX)] = '\0';
	*pp = p;
	*lenp = len;
	if (quoted)
		return TOKEN_UNTERMINATED;
	return len > CMDLINE_TOKEN_MAX ? TOKEN_TOO_LONG : TOKEN_OK;
}

/* How much of a broken token a warning quotes before writing "...". */
#define ECHO_MAX 40

int cmdline_parse(const char *cmdline, const struct cmdline_option *opts,
		  size_t nopts, cmdline_warn_fn warn, void *ctx)
{
	struct parser ps = {
		.opts = opts, .nopts = opts ? nopts : 0, .warn = warn, .ctx = ctx,
	};
	const char *p = cmdline ? cmdline : "";
	bool first = true;
	char tok[CMDLINE_TOKEN_MAX + 1];

	for (;;) {
		const char *raw;
		size_t len, rawlen;
		enum token_status st;

		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		raw = p;
		st = next_token(&p, tok, &len);
		rawlen = (size_t)(p - raw);

		/* GRUB's "multiboot2 /boot/canary.elf a=b" passes the path
		 * as the first word.  A broken quote is still reported:
		 * it has swallowed every option after it. */
		if (first && raw[0] == '/' && st != TOKEN_UNTERMINATED) {
			first = false;
			continue;
		}
		first = false;

		if (st == TOKEN_UNTERMINATED)
			warnf(&ps, "cmdline: unterminated quote in '%.*s%s' (rest of line ignored)",
			      (int)MIN(rawlen, ECHO_MAX), raw,
			      rawlen > ECHO_MAX ? "..." : "");
		else if (st == TOKEN_TOO_LONG)
			warnf(&ps, "cmdline: option too long (%zu characters, max %d): '%.*s...'",
			      len, CMDLINE_TOKEN_MAX, ECHO_MAX, raw);
		else
			handle_token(&ps, tok);
	}
	return ps.warnings;
}
