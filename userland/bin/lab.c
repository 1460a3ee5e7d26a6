/*
 * lab - run a kernel lab scenario: `lab NAME` asks the kernel (the lab()
 * system call) to run scenario NAME under its checkers, which print their
 * reports on the console.  lab() returns the number of problems the
 * checkers found, or -ENOENT for a scenario that does not exist.
 * Exit status: 0 no problem found, 1 problems found or an error.
 */
#include <err.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long r;

	if (argc != 2)
		err_usage("lab NAME   (runs the kernel lab scenario NAME)");
	r = lab(argv[1]);
	if (r == -ENOENT) {
		dprintf(STDERR_FILENO, "lab: %s: no such scenario\n", argv[1]);
		return 1;
	}
	if (r < 0)
		return err_report("lab", argv[1], r);
	printf("lab %s: %ld problem%s found\n", argv[1], r, r == 1 ? "" : "s");
	return r > 0;
}
