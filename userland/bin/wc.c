/*
 * wc - count lines, words and bytes of files (or stdin, or "-"), one
 * line each as "lines words bytes name", and a total for several files.
 * A word is a run of characters other than white space.
 */
#include <ctype.h>
#include <err.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

struct counts {
	unsigned long lines, words, bytes;
};

/* Add fd's counts to *c; returns 0 or the negative errno of read(). */
static long count_fd(int fd, struct counts *c)
{
	char buf[512];
	bool in_word = false;	/* across reads: a word may span two */
	long n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c->bytes += (unsigned long)n;
		for (long i = 0; i < n; i++) {
			bool space = isspace((unsigned char)buf[i]);

			c->lines += buf[i] == '\n';
			c->words += !space && !in_word;
			in_word = !space;
		}
	}
	return n < 0 ? n : 0;
}

static void print_counts(const struct counts *c, const char *name)
{
	printf("%7lu %7lu %7lu%s%s\n", c->lines, c->words, c->bytes,
	       name ? " " : "", name ? name : "");
}

/* Count one file into *total and print its line. */
static int wc_path(const char *path, struct counts *total)
{
	struct counts c = { 0, 0, 0 };
	bool is_stdin = path[0] == '-' && !path[1];
	long fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY), r;

	if (fd < 0)
		return err_report("wc", path, fd);
	r = count_fd((int)fd, &c);
	if (!is_stdin)
		close((int)fd);
	if (r < 0)
		return err_report("wc", path, r);
	print_counts(&c, path);
	total->lines += c.lines;
	total->words += c.words;
	total->bytes += c.bytes;
	return 0;
}

int main(int argc, char **argv)
{
	struct counts total = { 0, 0, 0 };
	int status = 0;
	long r;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			err_usage("wc [file...]");
	if (argc == 1) {
		r = count_fd(STDIN_FILENO, &total);
		if (r < 0)
			return err_report("wc", "stdin", r);
		print_counts(&total, NULL);
		return 0;
	}
	for (int i = 1; i < argc; i++)
		status |= wc_path(argv[i], &total);
	if (argc > 2)
		print_counts(&total, "total");
	return status;
}
