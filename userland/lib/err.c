/*
 * err.c - the utilities' error and usage messages (see err.h), so every
 * program words them the same way.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int err_report(const char *prog, const char *what, long err)
{
	dprintf(STDERR_FILENO, "%s: %s: %s\n", prog, what, strerror((int)-err));
	return 1;
}

void err_usage(const char *synopsis)
{
	dprintf(STDERR_FILENO, "usage: %s\n", synopsis);
	exit(2);
}
