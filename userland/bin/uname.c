/*
 * uname - the system's name; with -a also its release and machine.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct utsname u;
	long r;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-a")))
		err_usage("uname [-a]");
	r = uname(&u);
	if (r < 0)
		return err_report("uname", "uname", r);
	/* %.16s: a field that fills its array has no NUL. */
	if (argc == 2)
		printf("%.16s %.16s %.16s\n", u.sysname, u.release, u.machine);
	else
		printf("%.16s\n", u.sysname);
	return 0;
}
