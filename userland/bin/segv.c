/*
 * segv - a program that crashes on purpose, to show what the kernel does
 * with a faulting program: one report line on the console, and the
 * process (only it) killed with a signal its parent sees in waitpid.
 *
 *   segv          read through a NULL pointer   (SIGSEGV, "NULL pointer")
 *   segv ud2      an invalid instruction        (SIGILL)
 *   segv div      divide by zero                (SIGFPE)
 *
 * The shell then says "sh: segv: killed by signal N".
 */
#include <string.h>
#include <unistd.h>

static int *volatile null_ptr;	/* volatile: GCC may not turn the read into a trap */

int main(int argc, char **argv)
{
	volatile int zero = 0;

	if (argc > 1 && !strcmp(argv[1], "ud2"))
		__asm__ __volatile__("ud2");
	if (argc > 1 && !strcmp(argv[1], "div"))
		return 1 / zero;
	return *null_ptr;	/* the fault: nothing after it runs */
}
