/*
 * kvsnprintf and ksnprintf: the kernel's printf engine.
 *
 * The main loop copies literal text and hands each '%' to parse_spec(),
 * which reads flags, width, precision and length into a struct fmt_spec
 * without touching the argument list.  Only once the conversion is known
 * to be supported are the '*' arguments and the value itself fetched: that
 * ordering is what lets "%q" or "%*q" be printed literally without
 * consuming an argument the caller meant for a later conversion.
 *
 * All integer conversions funnel into emit_number(), which lays out a field
 * as   [spaces] [sign or 0x] [zeros] digits [spaces]   following C99.
 * Output goes through struct fmt_out, which counts every character but
 * stores only those that fit, giving snprintf's return-value semantics.
 */
#include "lib/format.h"
#include "lib/string.h"

/* Output cursor: counts every character, stores only those that fit. */
struct fmt_out {
	char *buf;   /* borrowed from the caller; may be NULL when size is 0 */
	size_t size; /* bytes available in buf, including room for the NUL */
	size_t len;  /* characters produced so far, stored or not */
};

enum {
	FMT_LEFT = 1 << 0,  /* '-': pad on the right instead of the left */
	FMT_ZERO = 1 << 1,  /* '0': pad numbers with zeros after the sign */
	FMT_PLUS = 1 << 2,  /* '+': signed conversions always show a sign */
	FMT_SPACE = 1 << 3, /* ' ': a space where a '+' would have gone */
	FMT_ALT = 1 << 4,   /* '#': "0x" on non-zero hex, a leading 0 on octal */
};

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T };

/* One parsed conversion specification, e.g. the "-08.3llx" of "%-08.3llx". */
struct fmt_spec {
	unsigned flags;   /* FMT_* bits */
	int width;        /* minimum field width, 0 if none */
	int prec;         /* precision, or -1 if none was given */
	bool width_star;  /* width is the next int argument */
	bool prec_star;   /* precision is the next int argument */
	enum fmt_len len; /* size of the integer argument */
	char conv;        /* conversion character; 0 if fmt ended first */
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Reads a decimal width or precision, saturating at FMT_FIELD_MAX so a
 * long run of digits cannot overflow an int. */
static int parse_field(const char **pp)
{
	int v = 0;

	while (**pp >= '0' && **pp <= '9') {
		if (v < FMT_FIELD_MAX)
			v = v * 10 + (**pp - '0');
		(*pp)++;
	}
	return MIN(v, FMT_FIELD_MAX);
}

/* Parses the specification after a '%'.  Returns the first character after
 * it (the conversion character is consumed unless fmt ended first). */
static const char *parse_spec(const char *p, struct fmt_spec *sp)
{
	*sp = (struct fmt_spec){ .prec = -1 };

	for (;; p++) {
		if (*p == '-')
			sp->flags |= FMT_LEFT;
		else if (*p == '0')
			sp->flags |= FMT_ZERO;
		else if (*p == '+')
			sp->flags |= FMT_PLUS;
		else if (*p == ' ')
			sp->flags |= FMT_SPACE;
		else if (*p == '#')
			sp->flags |= FMT_ALT;
		else
			break;
	}

	if (*p == '*') {
		sp->width_star = true;
		p++;
	} else {
		sp->width = parse_field(&p);
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec_star = true;
			p++;
		} else {
			/* C99: a '.' with no digits means precision zero. */
			sp->prec = parse_field(&p);
		}
	}

	if (*p == 'h') {
		p++;
		sp->len = LEN_H;
		if (*p == 'h') {
			p++;
			sp->len = LEN_HH;
		}
	} else if (*p == 'l') {
		p++;
		sp->len = LEN_L;
		if (*p == 'l') {
			p++;
			sp->len = LEN_LL;
		}
	} else if (*p == 'z') {
		p++;
		sp->len = LEN_Z;
	} else if (*p == 't') {
		p++;
		sp->len = LEN_T;
	}

	sp->conv = *p;
	return *p ? p + 1 : p;
}

/* Length modifiers only make sense on integers: "%ls" would want a wide
 * string we cannot print, so it is rejected rather than misread. */
static bool spec_supported(const struct fmt_spec *sp)
{
	if (sp->conv == 0)
		return false;
	if (strchr("diuxXo", sp->conv))
		return true;
	return strchr("csp%", sp->conv) && sp->len == LEN_NONE;
}

/* Replaces '*' fields with their arguments, in the order C specifies. */
static void fetch_stars(struct fmt_spec *sp, va_list *ap)
{
	if (sp->width_star) {
		int w = va_arg(*ap, int);

		/* A negative '*' width means left-justify (C99 7.19.6.1p5).
		 * Comparing before negating avoids overflow on INT_MIN. */
		if (w < 0) {
			sp->flags |= FMT_LEFT;
			sp->width = w < -FMT_FIELD_MAX ? FMT_FIELD_MAX : -w;
		} else {
			sp->width = MIN(w, FMT_FIELD_MAX);
		}
	}
	if (sp->prec_star) {
		int p = va_arg(*ap, int);

		/* A negative '*' precision is taken as if it were omitted. */
		sp->prec = p < 0 ? -1 : MIN(p, FMT_FIELD_MAX);
	}
}

/* Arguments narrower than int arrive promoted to int (default argument
 * promotions), so hh and h read an int and narrow it back. */
static s64 fetch_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		/* %zd: the signed type of size_t's width. */
		return (s64)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_NONE:
		break;
	}
	return va_arg(*ap, int);
}

static u64 fetch_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		/* %tu: the unsigned type of ptrdiff_t's width. */
		return (u64)va_arg(*ap, ptrdiff_t);
	case LEN_NONE:
		break;
	}
	return va_arg(*ap, unsigned int);
}

/*
 * Emits one integer field.  `mag` is the magnitude and `negative` its sign,
 * so INT64_MIN arrives as (2^63, true) with nothing overflowing.
 *
 *   [spaces] [prefix] [zeros] digits [spaces]
 *
 * prefix is the sign, or "0x"/"0X" for '#' hex and %p; zeros come from the
 * precision, from '#' on octal, or from the '0' flag filling the width.
 */
static void emit_number(struct fmt_out *o, const struct fmt_spec *sp, u64 mag,
			bool negative, unsigned base)
{
	const char *digit_set = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	bool is_signed = sp->conv == 'd' || sp->conv == 'i';
	char digits[24]; /* 2^64 needs 22 octal digits; stored reversed */
	int ndigits = 0;
	const char *prefix = "";

	/* C99: zero with precision 0 prints no digits at all. */
	if (mag == 0 && sp->prec != 0)
		digits[ndigits++] = '0';
	for (u64 v = mag; v != 0; v /= base)
		digits[ndigits++] = digit_set[v % base];

	int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;
	if (sp->conv == 'o' && (sp->flags & FMT_ALT) && zeros == 0 &&
	    (ndigits == 0 || digits[ndigits - 1] != '0'))
		zeros = 1;

	if (negative)
		prefix = "-";
	else if (is_signed && (sp->flags & FMT_PLUS))
		prefix = "+";
	else if (is_signed && (sp->flags & FMT_SPACE))
		prefix = " ";
	else if (sp->conv == 'p')
		prefix = "0x";
	else if ((sp->flags & FMT_ALT) && mag != 0 && sp->conv == 'x')
		prefix = "0x";
	else if ((sp->flags & FMT_ALT) && mag != 0 && sp->conv == 'X')
		prefix = "0X";

	int body = (int)strlen(prefix) + zeros + ndigits;
	int pad = sp->width > body ? sp->width - body : 0;

	/* '0' is ignored with '-' or with an explicit precision (C99). */
	if ((sp->flags & FMT_ZERO) && !(sp->flags & FMT_LEFT) && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & FMT_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, prefix, strlen(prefix));
	out_repeat(o, '0', zeros);
	while (ndigits > 0)
		out_char(o, digits[--ndigits]);
	if (sp->flags & FMT_LEFT)
		out_repeat(o, ' ', pad);
}

/* Emits a string field (%s, %c): only width and '-' apply. */
static void emit_text(struct fmt_out *o, const struct fmt_spec *sp,
		      const char *s, size_t n)
{
	int pad = (size_t)sp->width > n ? sp->width - (int)n : 0;

	if (!(sp->flags & FMT_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (sp->flags & FMT_LEFT)
		out_repeat(o, ' ', pad);
}

static void format_one(struct fmt_out *o, struct fmt_spec *sp, va_list *ap)
{
	switch (sp->conv) {
	case '%':
		out_char(o, '%');
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		emit_text(o, sp, &c, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);

		if (!s)
			s = "(null)";
		/* strnlen: with a precision the string need not be
		 * NUL-terminated, so we must not read past prec bytes. */
		emit_text(o, sp, s, sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
		break;
	}
	case 'p': {
		u64 v = (uintptr_t)va_arg(*ap, void *);
		struct fmt_spec ptr = {
			.flags = sp->flags & FMT_LEFT, .width = sp->width,
			.prec = 16, .conv = 'p',
		};

		emit_number(o, &ptr, v, false, 16);
		break;
	}
	case 'd':
	case 'i': {
		s64 v = fetch_signed(sp->len, ap);
		u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

		emit_number(o, sp, mag, v < 0, 10);
		break;
	}
	case 'u':
		emit_number(o, sp, fetch_unsigned(sp->len, ap), false, 10);
		break;
	case 'o':
		emit_number(o, sp, fetch_unsigned(sp->len, ap), false, 8);
		break;
	default: /* 'x' and 'X': spec_supported() let nothing else through */
		emit_number(o, sp, fetch_unsigned(sp->len, ap), false, 16);
		break;
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };
	va_list args;

	/* A va_list parameter may be an array type, so it cannot be passed
	 * on by address; a local copy can. */
	va_copy(args, ap);
	for (const char *p = fmt; *p != '\0';) {
		const char *start = p;
		struct fmt_spec sp;

		if (*p != '%') {
			out_char(&o, *p++);
			continue;
		}
		p = parse_spec(p + 1, &sp);
		if (!spec_supported(&sp)) {
			out_mem(&o, start, (size_t)(p - start));
			continue;
		}
		fetch_stars(&sp, &args);
		format_one(&o, &sp, &args);
	}
	va_end(args);

	if (size > 0)
		buf[MIN(o.len, size - 1)] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kfail(int err, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return err;
}
