/*
 * usertests_fs.c - file tests of usertests: create, write, read, lseek,
 * O_APPEND, O_TRUNC, unlink (an unlinked file stays readable while
 * open), readdir, stat and fstat, access modes, dup/dup2, bad file
 * descriptors and /dev/null.  Scratch files go in ut_tmpdir(), named
 * after the test's pid so that two runs cannot collide.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usertests.h"

static char scratch[PATH_MAX];

/* A fresh scratch path for this process: <tmp>/ut-<pid>-<tag>. */
static const char *tmp_path(const char *tag)
{
	snprintf(scratch, sizeof(scratch), "%s/ut-%ld-%s", ut_tmpdir(), getpid(), tag);
	return scratch;
}

static long open_ok(const char *path, int flags)
{
	long fd = open(path, flags);

	UT_ASSERT(fd >= 0, "open(%s, %#x): %s", path, flags, strerror((int)-fd));
	return fd;
}

static uint64_t size_of(const char *path)
{
	struct stat st;

	UT_EQ(stat(path, &st), 0);
	return st.size;
}

/* The byte at offset i of the test pattern. */
static char pat(long i)
{
	return (char)('a' + (i * 7 + i / 251) % 26);
}

static void test_file_rw(void)
{
	static char buf[5000], back[5000];
	const char *path = tmp_path("rw");
	struct stat st;
	long fd;

	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = pat(i);
	fd = open_ok(path, O_CREAT | O_RDWR);
	UT_EQ(write((int)fd, buf, sizeof(buf)), sizeof(buf));
	UT_EQ(fstat((int)fd, &st), 0);
	UT_EQ(st.type, S_IFREG);
	UT_EQ(st.size, sizeof(buf));
	UT_EQ(read((int)fd, back, 10), 0);		/* at the end */
	UT_EQ(lseek((int)fd, 0, SEEK_SET), 0);
	UT_EQ(read((int)fd, back, sizeof(back)), sizeof(back));
	UT_ASSERT(!memcmp(buf, back, sizeof(buf)), "read back differs from what was written");
	UT_EQ(close((int)fd), 0);
	/* Again through a new open, in odd-sized pieces. */
	fd = open_ok(path, O_RDONLY);
	memset(back, 0, sizeof(back));
	for (long got = 0, n; got < (long)sizeof(back); got += n) {
		n = read((int)fd, back + got, 333);
		UT_ASSERT(n > 0, "read at %ld = %ld", got, n);
	}
	UT_ASSERT(!memcmp(buf, back, sizeof(buf)), "second read differs");
	UT_EQ(close((int)fd), 0);
	UT_EQ(size_of(path), sizeof(buf));
	UT_EQ(unlink(path), 0);
}

static void test_file_lseek(void)
{
	const char *path = tmp_path("seek");
	char buf[16];
	long fd = open_ok(path, O_CREAT | O_RDWR);

	UT_EQ(write((int)fd, "0123456789", 10), 10);
	UT_EQ(lseek((int)fd, 0, SEEK_CUR), 10);
	UT_EQ(lseek((int)fd, -4, SEEK_END), 6);
	UT_EQ(read((int)fd, buf, sizeof(buf)), 4);
	UT_ASSERT(!memcmp(buf, "6789", 4), "read after SEEK_END -4: %.4s", buf);
	UT_EQ(lseek((int)fd, 2, SEEK_SET), 2);
	UT_EQ(lseek((int)fd, 3, SEEK_CUR), 5);
	UT_EQ(read((int)fd, buf, 1), 1);
	UT_EQ(buf[0], '5');
	UT_EQ(lseek((int)fd, -1, SEEK_SET), -EINVAL);
	UT_EQ(lseek((int)fd, -100, SEEK_CUR), -EINVAL);
	UT_EQ(lseek((int)fd, 0, 3), -EINVAL);
	UT_EQ(lseek((int)fd, 0, -1), -EINVAL);
	UT_EQ(lseek((int)fd, 0, SEEK_CUR), 6);		/* failed seeks moved nothing */
	/* Past the end: a write there leaves a hole that reads as zeros. */
	UT_EQ(lseek((int)fd, 20, SEEK_SET), 20);
	UT_EQ(size_of(path), 10);
	UT_EQ(write((int)fd, "Z", 1), 1);
	UT_EQ(size_of(path), 21);
	UT_EQ(lseek((int)fd, 10, SEEK_SET), 10);
	UT_EQ(read((int)fd, buf, 11), 11);
	for (int i = 0; i < 10; i++)
		UT_ASSERT(buf[i] == 0, "hole byte %d is %#x", 10 + i, buf[i]);
	UT_EQ(buf[10], 'Z');
	close((int)fd);
	unlink(path);
}

static void test_file_append_trunc(void)
{
	const char *path = tmp_path("app");
	char buf[32];
	long fd = open_ok(path, O_CREAT | O_WRONLY);

	UT_EQ(write((int)fd, "hello", 5), 5);
	close((int)fd);
	fd = open_ok(path, O_WRONLY | O_APPEND);
	UT_EQ(lseek((int)fd, 0, SEEK_SET), 0);
	UT_EQ(write((int)fd, " world", 6), 6);	/* at the end all the same */
	close((int)fd);
	UT_EQ(size_of(path), 11);
	fd = open_ok(path, O_RDONLY);
	UT_EQ(read((int)fd, buf, sizeof(buf)), 11);
	UT_ASSERT(!memcmp(buf, "hello world", 11), "after append: %.11s", buf);
	close((int)fd);
	/* O_TRUNC empties it; O_CREAT of an existing file keeps it. */
	fd = open_ok(path, O_CREAT | O_RDWR);
	UT_EQ(size_of(path), 11);
	close((int)fd);
	fd = open_ok(path, O_WRONLY | O_TRUNC);
	UT_EQ(size_of(path), 0);
	UT_EQ(write((int)fd, "xy", 2), 2);
	close((int)fd);
	UT_EQ(size_of(path), 2);
	unlink(path);
}

static void test_file_unlink(void)
{
	const char *path = tmp_path("unl");
	struct stat st;
	char buf[8];
	long fd = open_ok(path, O_CREAT | O_RDWR);

	UT_EQ(write((int)fd, "still here", 10), 10);
	UT_EQ(unlink(path), 0);
	UT_EQ(stat(path, &st), -ENOENT);
	UT_EQ(open(path, O_RDONLY), -ENOENT);
	UT_EQ(unlink(path), -ENOENT);
	/* The open file lives on until its last close. */
	UT_EQ(lseek((int)fd, 0, SEEK_SET), 0);
	UT_EQ(read((int)fd, buf, 5), 5);
	UT_ASSERT(!memcmp(buf, "still", 5), "unlinked file reads %.5s", buf);
	UT_EQ(write((int)fd, "!", 1), 1);
	UT_EQ(fstat((int)fd, &st), 0);
	UT_EQ(st.size, 10);
	UT_EQ(close((int)fd), 0);
	/* The name is free for a new, empty file. */
	fd = open_ok(path, O_CREAT | O_RDWR);
	UT_EQ(size_of(path), 0);
	close((int)fd);
	UT_EQ(unlink(path), 0);
}

static void test_file_modes(void)
{
	const char *path = tmp_path("mode");
	char buf[4];
	long fd = open_ok(path, O_CREAT | O_WRONLY);

	UT_EQ(read((int)fd, buf, 1), -EBADF);		/* write-only */
	close((int)fd);
	fd = open_ok(path, O_RDONLY);
	UT_EQ(write((int)fd, "x", 1), -EBADF);		/* read-only */
	close((int)fd);
	UT_EQ(open("/bin", O_WRONLY), -EISDIR);
	UT_EQ(open("/bin", O_RDWR), -EISDIR);
	fd = open_ok("/bin", O_RDONLY);
	UT_EQ(read((int)fd, buf, 1), -EISDIR);
	close((int)fd);
	UT_EQ(open("/no-such-file", O_RDONLY), -ENOENT);
	UT_EQ(open("/no-such-dir/x", O_CREAT | O_RDWR), -ENOENT);
	UT_EQ(open("/etc/motd/x", O_RDONLY), -ENOTDIR);
	UT_EQ(open("/etc/motd/x", O_CREAT | O_RDWR), -ENOTDIR);
	UT_EQ(open("etc/motd", O_RDONLY), -ENOENT);	/* relative: no cwd */
	UT_EQ(open("", O_RDONLY), -ENOENT);
	/* Path spellings the file system documents (ramfs.h). */
	fd = open_ok("//etc/./motd", O_RDONLY);
	close((int)fd);
	fd = open_ok("/bin/../etc/motd", O_RDONLY);
	close((int)fd);
	unlink(path);
}

static bool dir_has(const char *dir, const char *name, struct dirent *out)
{
	struct dirent de;
	long fd = open_ok(dir, O_RDONLY), r;
	bool found = false;

	while ((r = readdir((int)fd, &de)) > 0)
		if (!strcmp(de.name, name)) {
			found = true;
			*out = de;
		}
	UT_EQ(r, 0);
	UT_EQ(readdir((int)fd, &de), 0);		/* and stays at the end */
	close((int)fd);
	return found;
}

static void test_readdir(void)
{
	struct dirent de;
	struct stat st;
	int n = 0;
	long fd, r;

	UT_ASSERT(dir_has("/bin", "usertests", &de), "/bin does not list usertests");
	UT_EQ(de.type, S_IFREG);
	UT_EQ(stat("/bin/usertests", &st), 0);
	UT_EQ(de.size, st.size);
	UT_ASSERT(st.size > 4096, "/bin/usertests is %lu bytes", (unsigned long)st.size);
	UT_ASSERT(dir_has("/bin", "sh", &de), "/bin does not list sh");
	UT_ASSERT(dir_has("/", "bin", &de) && de.type == S_IFDIR, "/ does not list bin as a directory");
	UT_ASSERT(dir_has("/", "etc", &de) && de.type == S_IFDIR, "/ does not list etc as a directory");
	UT_ASSERT(!dir_has("/bin", "no-such-program", &de), "/bin lists a program that is not there");
	/* Every entry of /bin is a file whose stat agrees, and none is "." or "..". */
	fd = open_ok("/bin", O_RDONLY);
	while ((r = readdir((int)fd, &de)) > 0) {
		char path[PATH_MAX];

		n++;
		UT_ASSERT(strcmp(de.name, ".") && strcmp(de.name, ".."), "readdir lists %s", de.name);
		snprintf(path, sizeof(path), "/bin/%s", de.name);
		UT_EQ(stat(path, &st), 0);
		UT_ASSERT(st.type == de.type && st.size == de.size, "%s: readdir and stat disagree", path);
	}
	UT_EQ(r, 0);
	UT_ASSERT(n >= 10, "/bin has only %d entries", n);
	close((int)fd);
	fd = open_ok("/etc/motd", O_RDONLY);
	UT_EQ(readdir((int)fd, &de), -ENOTDIR);
	close((int)fd);
}

static void test_stat(void)
{
	static char buf[8192];
	struct stat st;
	long fd = open_ok("/etc/motd", O_RDONLY), n = ut_read_all((int)fd, buf, sizeof(buf));
	int fds[2];

	close((int)fd);
	UT_ASSERT(n > 0, "/etc/motd is empty");
	UT_EQ(stat("/etc/motd", &st), 0);
	UT_EQ(st.type, S_IFREG);
	UT_EQ(st.size, n);
	UT_EQ(stat("/", &st), 0);
	UT_EQ(st.type, S_IFDIR);
	UT_EQ(stat("/dev/console", &st), 0);
	UT_EQ(st.type, S_IFCHR);
	UT_EQ(stat("/dev/null", &st), 0);
	UT_EQ(st.type, S_IFCHR);
	UT_EQ(stat("/no/such", &st), -ENOENT);
	UT_EQ(fstat(1, &st), 0);
	ut_pipe(fds);
	UT_EQ(fstat(fds[0], &st), 0);
	UT_EQ(st.type, S_IFIFO);
}

static void test_dev_null(void)
{
	char buf[16];
	long fd = open_ok("/dev/null", O_RDWR);

	UT_EQ(write((int)fd, "discarded", 9), 9);
	UT_EQ(read((int)fd, buf, sizeof(buf)), 0);
	long r = lseek((int)fd, 0, SEEK_SET);

	UT_ASSERT(r == -ESPIPE || r == 0, "lseek(/dev/null) = %ld", r);
	close((int)fd);
}

static void test_dup(void)
{
	char a[8], b[8], whole[16];
	long fd = open_ok("/etc/motd", O_RDONLY), d, other;

	UT_EQ(read((int)fd, whole, sizeof(whole)), sizeof(whole));
	UT_EQ(lseek((int)fd, 0, SEEK_SET), 0);
	d = dup((int)fd);
	UT_EQ(d, fd + 1);			/* the lowest free fd */
	/* A dup shares the offset: reads continue each other. */
	UT_EQ(read((int)fd, a, 8), 8);
	UT_EQ(read((int)d, b, 8), 8);
	UT_ASSERT(!memcmp(a, whole, 8) && !memcmp(b, whole + 8, 8), "dup'ed fds do not share the offset");
	UT_EQ(close((int)fd), 0);
	UT_EQ(lseek((int)d, 0, SEEK_CUR), 16);	/* still open through the dup */
	UT_EQ(dup((int)d), fd);			/* fd is the lowest free again */
	close((int)fd);

	UT_EQ(dup2((int)d, (int)d), d);
	other = open_ok("/bin/sh", O_RDONLY);
	UT_EQ(dup2((int)d, 12), 12);
	UT_EQ(dup2((int)other, 12), 12);	/* replaces the dup silently */
	UT_EQ(lseek(12, 0, SEEK_CUR), 0);	/* /bin/sh's offset, not motd's */
	UT_EQ(read(12, a, 4), 4);
	UT_ASSERT(!memcmp(a, "\177ELF", 4), "fd 12 is not /bin/sh after dup2");
	UT_EQ(lseek((int)d, 0, SEEK_CUR), 16);	/* d itself unharmed */
	UT_EQ(dup2((int)d, OPEN_MAX), -EBADF);
	UT_EQ(dup2((int)d, -1), -EBADF);
	UT_EQ(dup2((int)d, INT_MAX), -EBADF);
	UT_EQ(dup2(-1, 5), -EBADF);
	UT_EQ(dup2(OPEN_MAX - 1, 5), -EBADF);	/* closed */
	UT_EQ(dup(-1), -EBADF);
	UT_EQ(dup(OPEN_MAX), -EBADF);
	/* dup until the table is full. */
	int n = 0;
	long r;

	while ((r = dup((int)d)) >= 0)
		n++;
	UT_EQ(r, -EMFILE);
	UT_ASSERT(n > 0 && n < OPEN_MAX, "%d dups before EMFILE", n);
	for (int i = 3; i < OPEN_MAX; i++)
		if (i != d)
			close(i);
	UT_EQ(dup((int)d), 3);
}

static void test_bad_fd(void)
{
	char buf[8];
	struct stat st;
	struct dirent de;
	static const int bad[] = { -1, -100, INT_MIN, OPEN_MAX, OPEN_MAX + 1, 1000, INT_MAX, OPEN_MAX - 1 };
	long fd;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int b = bad[i];

		UT_EQ(read(b, buf, 1), -EBADF);
		UT_EQ(write(b, "x", 1), -EBADF);
		UT_EQ(close(b), -EBADF);
		UT_EQ(dup(b), -EBADF);
		UT_EQ(lseek(b, 0, SEEK_SET), -EBADF);
		UT_EQ(fstat(b, &st), -EBADF);
		UT_EQ(readdir(b, &de), -EBADF);
	}
	fd = open_ok("/etc/motd", O_RDONLY);
	UT_EQ(close((int)fd), 0);
	UT_EQ(close((int)fd), -EBADF);		/* twice */
	UT_EQ(read((int)fd, buf, 1), -EBADF);
	/* A zero-length transfer on a bad fd is still a bad fd. */
	UT_EQ(read(-1, buf, 0), -EBADF);
	UT_EQ(write(-1, buf, 0), -EBADF);
}

/* A file written by one process is seen by the next (the tree is shared). */
static void test_file_shared(void)
{
	const char *path = tmp_path("shr");
	char buf[8];
	long pid = ut_fork(), fd;

	if (pid == 0) {
		fd = open(path, O_CREAT | O_WRONLY);
		exit(fd >= 0 && write((int)fd, "child", 5) == 5 ? 0 : 1);
	}
	ut_expect_exit(pid, 0, "writer child");
	fd = open_ok(path, O_RDONLY);
	UT_EQ(read((int)fd, buf, sizeof(buf)), 5);
	UT_ASSERT(!memcmp(buf, "child", 5), "read %.5s", buf);
	close((int)fd);
	unlink(path);
}

const struct ut_test ut_fs_tests[] = {
	{ "file_rw", test_file_rw },
	{ "file_lseek", test_file_lseek },
	{ "file_append_trunc", test_file_append_trunc },
	{ "file_unlink", test_file_unlink },
	{ "file_modes", test_file_modes },
	{ "file_shared", test_file_shared },
	{ "readdir", test_readdir },
	{ "stat", test_stat },
	{ "dev_null", test_dev_null },
	{ "dup", test_dup },
	{ "bad_fd", test_bad_fd },
	{ NULL, NULL },
};
