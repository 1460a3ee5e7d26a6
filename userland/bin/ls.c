/*
 * ls - list directories (default "/"), one entry a line; a file argument
 * prints just its name.  -l puts the type (d directory, c character
 * device, p pipe, - file) and the size in bytes before each name.
 * Directories are read with open() + readdir(), which returns 1 per entry
 * and 0 at the end.
 */
#include <err.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool long_format;	/* -l */

static char type_char(uint32_t type)
{
	switch (type) {
	case S_IFDIR:
		return 'd';
	case S_IFCHR:
		return 'c';
	case S_IFIFO:
		return 'p';
	default:
		return '-';
	}
}

static void print_entry(const char *name, uint32_t type, uint64_t size)
{
	if (long_format)
		printf("%c %8lu %s\n", type_char(type), (unsigned long)size, name);
	else
		printf("%s\n", name);
}

static int list_dir(const char *path)
{
	struct dirent de;
	long fd = open(path, O_RDONLY), r;

	if (fd < 0)
		return err_report("ls", path, fd);
	while ((r = readdir((int)fd, &de)) > 0)
		print_entry(de.name, de.type, de.size);
	close((int)fd);
	return r < 0 ? err_report("ls", path, r) : 0;
}

/* With several arguments, each directory's listing gets a heading. */
static int ls_path(const char *path, bool heading)
{
	struct stat st;
	long r = stat(path, &st);

	if (r < 0)
		return err_report("ls", path, r);
	if (st.type != S_IFDIR) {
		print_entry(path, st.type, st.size);
		return 0;
	}
	if (heading)
		printf("%s:\n", path);
	return list_dir(path);
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;
	bool many;

	if (argc > 1 && !strcmp(argv[1], "-l")) {
		long_format = true;
		i = 2;
	}
	for (int j = i; j < argc; j++)
		if (argv[j][0] == '-')
			err_usage("ls [-l] [path...]");
	if (i == argc)
		return ls_path("/", false);
	many = argc - i > 1;
	for (; i < argc; i++)
		status |= ls_path(argv[i], many);
	return status;
}
