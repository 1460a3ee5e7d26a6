/*
 * sleep - wait for a number of seconds, whole or with a decimal fraction
 * ("2", "0.5", ".25"), with millisecond resolution (msleep()).
 */
#include <ctype.h>
#include <err.h>
#include <limits.h>
#include <unistd.h>

/* "S[.F]" -> milliseconds (digits after the third decimal are ignored);
 * -1 if s is not such a number or is too large. */
static long parse_ms(const char *s)
{
	long sec = 0, ms = 0, scale = 100;

	if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		sec = sec * 10 + (*s - '0');
		if (sec > LONG_MAX / 1000 / 10)
			return -1;
	}
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
			ms += (*s - '0') * scale;
	return *s ? -1 : sec * 1000 + ms;
}

int main(int argc, char **argv)
{
	long ms = argc == 2 ? parse_ms(argv[1]) : -1, r;

	if (ms < 0)
		err_usage("sleep seconds");
	r = msleep((unsigned long)ms);
	return r < 0 ? err_report("sleep", "msleep", r) : 0;
}
