/*
 * cat - copy files (or stdin, or "-") to stdout.  A failed read is
 * reported with the file's name and the copy goes on with the next file;
 * the exit status is then 1.
 */
#include <err.h>
#include <stdio.h>
#include <unistd.h>

/* Copy fd to stdout; name is for messages. Returns the exit status. */
static int cat_fd(int fd, const char *name)
{
	char buf[512];
	long n, w;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		w = write_all(STDOUT_FILENO, buf, (size_t)n);
		if (w < 0)
			return err_report("cat", "stdout", w);
	}
	return n < 0 ? err_report("cat", name, n) : 0;
}

static int cat_path(const char *path)
{
	long fd;
	int status;

	if (path[0] == '-' && !path[1])
		return cat_fd(STDIN_FILENO, "stdin");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return err_report("cat", path, fd);
	status = cat_fd((int)fd, path);
	close((int)fd);
	return status;
}

int main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			err_usage("cat [file...]");
	if (argc == 1)
		return cat_fd(STDIN_FILENO, "stdin");
	for (int i = 1; i < argc; i++)
		status |= cat_path(argv[i]);
	return status;
}
