/*
 * stdlib.c - number parsing, abs, the random number generator and
 * abort().  malloc and friends are in malloc.c.
 */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* The value of digit c in bases up to 36, or 36 if c is not one. */
static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 36;
}

/* Skip an "0x" prefix for base 16 or 0, and settle base 0. */
static const char *parse_base(const char *s, int *base)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		digit_value((unsigned char)s[2]) < 16;

	if ((*base == 0 || *base == 16) && hex) {
		*base = 16;
		return s + 2;
	}
	if (*base == 0)
		*base = s[0] == '0' ? 8 : 10;
	return s;
}

/*
 * The magnitude after optional blanks and sign, in base (0: by prefix).
 * *neg gets the sign, *overflow whether the digits exceeded ULONG_MAX (the
 * value is then ULONG_MAX); *end the first character not used (s itself
 * if no digit was found, as ISO C wants).
 */
static unsigned long parse_magnitude(const char *s, char **end, int base,
				     bool *neg, bool *overflow)
{
	const char *p = s, *digits;
	unsigned long v = 0, ubase;
	int d;

	*neg = *overflow = false;
	if (base < 0 || base == 1 || base > 36) {	/* ISO C: undefined; parse nothing */
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	*neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	p = digits = parse_base(p, &base);
	ubase = (unsigned long)base;
	for (; (d = digit_value((unsigned char)*p)) < base; p++) {
		if (v > (ULONG_MAX - (unsigned long)d) / ubase)
			*overflow = true;
		v = *overflow ? ULONG_MAX : v * ubase + (unsigned long)d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return v;
}

/* Out of range saturates, as ISO C says (there is no errno for ERANGE). */
long strtol(const char *s, char **end, int base)
{
	bool neg, overflow;
	unsigned long v = parse_magnitude(s, end, base, &neg, &overflow);

	if (!neg)
		return overflow || v > LONG_MAX ? LONG_MAX : (long)v;
	if (overflow || v > (unsigned long)LONG_MAX + 1)
		return LONG_MIN;
	return (long)(0 - v);	/* -(LONG_MAX + 1) without overflowing a long */
}

unsigned long strtoul(const char *s, char **end, int base)
{
	bool neg, overflow;
	unsigned long v = parse_magnitude(s, end, base, &neg, &overflow);

	if (overflow)
		return ULONG_MAX;
	return neg ? -v : v;	/* ISO C: "-1" is ULONG_MAX */
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int atoi(const char *s)
{
	return (int)atol(s);
}

int abs(int x)
{
	return x < 0 ? -x : x;
}

long labs(long x)
{
	return x < 0 ? -x : x;
}

/* xorshift32 (Marsaglia, 2003): the state must never be 0. */
static uint32_t rand_state = 2463534242u;

void srand(unsigned seed)
{
	rand_state = seed ? seed : 2463534242u;
}

unsigned rand(void)
{
	uint32_t x = rand_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rand_state = x;
	return x;
}

void abort(void)
{
	kill((int)getpid(), SIGKILL);
	exit(134);
}
