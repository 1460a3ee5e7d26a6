/*
 * echo - print the arguments, separated by spaces, and a newline (none
 * with -n).  The line is built first and written with one write(), so
 * that it reaches a pipe or the console in one piece.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char line[ARG_MAX + 1];	/* exec passes at most ARG_MAX bytes */
	bool newline = true;
	size_t len = 0;
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = false;
		i = 2;
	}
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 2 > sizeof(line))	/* + separator + newline */
			break;
		memcpy(line + len, argv[i], n);
		len += n;
		if (i + 1 < argc)
			line[len++] = ' ';
	}
	if (newline)
		line[len++] = '\n';
	return write_all(STDOUT_FILENO, line, len) < 0;
}
