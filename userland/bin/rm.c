/*
 * rm - remove files (unlink()).  Each failure is reported and the rest
 * are still removed; the exit status is then 1.
 */
#include <err.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2 || argv[1][0] == '-')
		err_usage("rm file...");
	for (int i = 1; i < argc; i++) {
		long r = unlink(argv[i]);

		if (r < 0)
			status = err_report("rm", argv[i], r);
	}
	return status;
}
