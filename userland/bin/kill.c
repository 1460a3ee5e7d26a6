/*
 * kill - send a signal (default SIGTERM) to processes:
 *   kill [-SIG] pid...    SIG is a number or a name: KILL, SIGKILL, 9.
 */
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "kill [-SIG] pid..."

/* The signals Canary has (uapi/canary.h), by name without "SIG". */
static const struct {
	const char *name;
	int num;
} signals[] = {
	{ "ILL", SIGILL }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "SEGV", SIGSEGV }, { "TERM", SIGTERM },
};

/* A whole-string decimal number >= 0, or -1. */
static long parse_number(const char *s)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtol(s, &end, 10);
	return *end ? -1 : n;
}

/* "9", "KILL" or "SIGKILL" -> 9; -1 if unknown. */
static int parse_signal(const char *s)
{
	long n = parse_number(s);

	if (n >= 0)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (!strcmp(s, signals[i].name))
			return signals[i].num;
	return -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc > 1 && argv[1][0] == '-') {
		sig = parse_signal(argv[1] + 1);
		if (sig < 0) {
			dprintf(STDERR_FILENO, "kill: %s: unknown signal\n", argv[1]);
			err_usage(USAGE);
		}
		i = 2;
	}
	if (i == argc)
		err_usage(USAGE);
	for (; i < argc; i++) {
		long pid = parse_number(argv[i]), r;

		if (pid < 0)
			err_usage(USAGE);
		r = kill((int)pid, sig);
		if (r < 0)
			status = err_report("kill", argv[i], r);
	}
	return status;
}
