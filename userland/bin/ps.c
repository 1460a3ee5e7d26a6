/*
 * ps - one line per process, from procinfo(index, &pi), asked for
 * index 0, 1, 2 ... until it returns 0 (no more processes).
 */
#include <err.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct procinfo pi;
	long r;

	(void)argv;
	if (argc > 1)
		err_usage("ps");
	printf("  PID  PPID STATE  PAGES    TICKS NAME\n");
	for (int i = 0; (r = procinfo(i, &pi)) > 0; i++)
		printf("%5d %5d %5c %6lu %8lu %.*s\n", pi.pid, pi.ppid, pi.state,
		       (unsigned long)pi.pages, (unsigned long)pi.cpu_ticks,
		       PROC_NAME_MAX, pi.name);	/* a full name has no NUL */
	return r < 0 ? err_report("ps", "procinfo", r) : 0;
}
