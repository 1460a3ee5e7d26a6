/*
 * usertests_ipc.c - exec and pipe tests of usertests: exec with
 * arguments (output read back through a pipe), exec's failures (missing
 * file, not an ELF, a damaged ELF, too many or too long arguments, a
 * path too long) leaving the caller intact, and pipes: byte order, EOF,
 * EPIPE, writes larger than the pipe, atomic small writes, many pipes.
 *
 * `usertests --show-args ARGS...` (usertests.c) prints its arguments one
 * a line: exec_args runs it to see exactly what exec delivered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usertests.h"

/* Run path with argv in a child whose stdout is a pipe; return the
 * output (NUL-terminated in out) and check the exit status. */
static long run_capture(const char *path, char *const argv[], char *out, size_t size, int code)
{
	int fds[2];
	long pid, n;

	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		long r = exec(path, argv);

		exit(100 + (int)(-r & 0x1f));	/* only if exec failed */
	}
	close(fds[1]);
	n = ut_read_all(fds[0], out, size);
	close(fds[0]);
	ut_expect_exit(pid, code, path);
	return n;
}

static void test_exec_echo(void)
{
	char out[256];
	char *argv[] = { "echo", "hello", "from", "exec", NULL };

	run_capture("/bin/echo", argv, out, sizeof(out), 0);
	UT_ASSERT(!strcmp(out, "hello from exec\n"), "echo printed \"%s\"", out);
}

static void test_exec_args(void)
{
	static char out[8192], want[8192], big[1001];
	char *argv[ARGV_MAX + 1];
	char num[ARGV_MAX][8];
	int argc = 0;
	size_t len;

	memset(big, 'B', sizeof(big) - 1);
	argv[argc++] = "usertests";
	argv[argc++] = "--show-args";
	argv[argc++] = "";
	argv[argc++] = "two words";
	argv[argc++] = big;
	while (argc < ARGV_MAX) {	/* exactly as many as exec takes */
		snprintf(num[argc], sizeof(num[argc]), "a%d", argc);
		argv[argc] = num[argc];
		argc++;
	}
	argv[argc] = NULL;
	len = (size_t)snprintf(want, sizeof(want), "argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s\n", argv[i]);
	run_capture("/bin/usertests", argv, out, sizeof(out), 0);
	UT_ASSERT(!strcmp(out, want), "exec delivered different arguments: got %zu bytes, "
		  "want %zu; start \"%.60s\"", strlen(out), strlen(want), out);
}

/* Copy the first n bytes of from into a new file at to. */
static void copy_prefix(const char *from, const char *to, long n)
{
	static char buf[4096];
	long in = open(from, O_RDONLY), outfd = open(to, O_CREAT | O_TRUNC | O_WRONLY);

	UT_ASSERT(in >= 0 && outfd >= 0 && n <= (long)sizeof(buf), "copy_prefix setup");
	UT_EQ(read((int)in, buf, (size_t)n), n);
	UT_EQ(write((int)outfd, buf, (size_t)n), n);
	close((int)in);
	close((int)outfd);
}

static int intact = 0x1234567;	/* a failed exec must leave this alone */

static void test_exec_errors(void)
{
	static char longpath[PATH_MAX + 16], huge[3000];
	char *argv[ARGV_MAX + 2], path[PATH_MAX];
	char *args1[] = { "x", NULL };
	long fd;

	UT_EQ(exec("/no/such/program", args1), -ENOENT);
	UT_EQ(exec("/bin/no-such-program", args1), -ENOENT);
	UT_EQ(exec("", args1), -ENOENT);
	UT_EQ(exec("bin/true", args1), -ENOENT);	/* relative: no cwd */
	UT_EQ(exec("/etc/motd", args1), -ENOEXEC);	/* text, not ELF */
	UT_EQ(exec("/bin", args1), -EISDIR);
	UT_EQ(exec("/dev/null", args1), -EISDIR);	/* not a regular file */
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	UT_EQ(exec(longpath, args1), -ENAMETOOLONG);
	/* A file that starts like an ELF and is not one. */
	snprintf(path, sizeof(path), "%s/ut-%ld-fake", ut_tmpdir(), getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY);
	UT_ASSERT(fd >= 0, "create %s: %ld", path, fd);
	UT_EQ(write((int)fd, "\177ELF\2\1\1\0garbage garbage garbage garbage garbage garbage", 60), 60);
	close((int)fd);
	UT_EQ(exec(path, args1), -ENOEXEC);
	/* A real program cut short: its headers promise bytes that are not there. */
	copy_prefix("/bin/true", path, 200);
	UT_EQ(exec(path, args1), -ENOEXEC);
	copy_prefix("/bin/true", path, 4096);
	UT_EQ(exec(path, args1), -ENOEXEC);
	unlink(path);
	/* Too many arguments: ARGV_MAX + 1. */
	for (int i = 0; i <= ARGV_MAX; i++)
		argv[i] = "arg";
	argv[ARGV_MAX + 1] = NULL;
	UT_EQ(exec("/bin/true", argv), -E2BIG);
	/* Too many bytes: two 3000-byte strings exceed ARG_MAX (4096). */
	memset(huge, 'h', sizeof(huge) - 1);
	argv[0] = huge;
	argv[1] = huge;
	argv[2] = NULL;
	UT_EQ(exec("/bin/true", argv), -E2BIG);
	/* Still this program, with its memory. */
	UT_EQ(intact, 0x1234567);
	UT_ASSERT(!strcmp(args1[0], "x"), "argv strings changed");
}

/* ---------------------------------------------------------------- pipes */

static unsigned char seq_byte(long i)
{
	return (unsigned char)(i * 31 + 7 + (i >> 8));
}

/* Bytes come out in the order they went in, across odd-sized writes. */
static void test_pipe_order(void)
{
	enum { TOTAL = 50000 };
	static unsigned char buf[1000];
	int fds[2];
	long pid, got = 0, n;

	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		static unsigned char w[200];
		long sent = 0;

		close(fds[0]);
		for (int k = 1; sent < TOTAL; k = k % 199 + 1) {
			long len = k < TOTAL - sent ? k : TOTAL - sent;

			for (long j = 0; j < len; j++)
				w[j] = seq_byte(sent + j);
			if (write_all(fds[1], w, (size_t)len) != len)
				exit(1);
			sent += len;
		}
		exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		for (long j = 0; j < n; j++)
			UT_ASSERT(buf[j] == seq_byte(got + j), "byte %ld is %#x, want %#x", got + j,
				  buf[j], seq_byte(got + j));
		got += n;
	}
	UT_EQ(n, 0);
	UT_EQ(got, TOTAL);
	ut_expect_exit(pid, 0, "writer");
}

/* A reader blocked on an empty pipe gets the data, then EOF once every
 * write end is closed, and not before. */
static void test_pipe_eof(void)
{
	int fds[2];
	char buf[8];
	long pid, t0;

	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		close(fds[0]);
		msleep(50);
		if (write(fds[1], "abc", 3) != 3)
			exit(1);
		msleep(300);			/* EOF must wait for this */
		exit(0);			/* closes the last write end */
	}
	close(fds[1]);
	UT_EQ(read(fds[0], buf, sizeof(buf)), 3);	/* blocks until the write */
	UT_ASSERT(!memcmp(buf, "abc", 3), "read %.3s", buf);
	t0 = ut_now_ms();
	UT_EQ(read(fds[0], buf, sizeof(buf)), 0);
	UT_ASSERT(ut_now_ms() - t0 >= 100, "EOF after %ld ms, before the writer exited",
		  ut_now_ms() - t0);
	UT_EQ(read(fds[0], buf, sizeof(buf)), 0);	/* EOF stays */
	ut_expect_exit(pid, 0, "writer");
}

static void test_pipe_epipe(void)
{
	int fds[2], st;
	long pid, r;

	ut_pipe(fds);
	UT_EQ(close(fds[0]), 0);
	UT_EQ(write(fds[1], "x", 1), -EPIPE);
	r = write(fds[1], "x", 0);
	UT_ASSERT(r == 0 || r == -EPIPE, "empty write to a broken pipe = %ld", r);
	close(fds[1]);
	/* A writer blocked on a full pipe is woken when the reader goes. */
	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		static char big[65536];

		close(fds[0]);
		r = write(fds[1], big, sizeof(big));
		if (!(r == -EPIPE || (r > 0 && r < (long)sizeof(big))))
			exit(1);
		exit(write(fds[1], big, 1) == -EPIPE ? 0 : 2);
	}
	close(fds[1]);
	msleep(100);			/* the child fills the pipe and blocks */
	UT_EQ(waitpid((int)pid, &st, WNOHANG), 0);
	close(fds[0]);
	ut_expect_exit(pid, 0, "blocked writer");
}

/* One write of 16 pipe-fulls completes as the reader drains it. */
static void test_pipe_big(void)
{
	enum { TOTAL = 16 * 4096 };
	static unsigned char buf[777];
	int fds[2];
	long pid, got = 0, n;

	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		static unsigned char w[TOTAL];

		close(fds[0]);
		for (long j = 0; j < TOTAL; j++)
			w[j] = seq_byte(j);
		exit(write(fds[1], w, TOTAL) == TOTAL ? 0 : 1);
	}
	close(fds[1]);
	msleep(50);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		for (long j = 0; j < n; j++)
			UT_ASSERT(buf[j] == seq_byte(got + j), "byte %ld is %#x", got + j, buf[j]);
		got += n;
	}
	UT_EQ(got, TOTAL);
	ut_expect_exit(pid, 0, "writer of 64 KiB in one write");
}

/* Writes of at most PIPE_BUF bytes from two writers never interleave. */
static void test_pipe_atomic(void)
{
	enum { MSG = 128, COUNT = 150 };
	static char stream[2 * MSG * COUNT + 1];
	int fds[2];
	long pids[2], len;

	ut_pipe(fds);
	for (int w = 0; w < 2; w++) {
		pids[w] = ut_fork();
		if (pids[w] == 0) {
			char msg[MSG];

			close(fds[0]);
			memset(msg, 'A' + w, sizeof(msg));
			for (int i = 0; i < COUNT; i++)
				if (write(fds[1], msg, MSG) != MSG)
					exit(1);
			exit(0);
		}
	}
	close(fds[1]);
	len = ut_read_all(fds[0], stream, sizeof(stream));
	UT_EQ(len, 2 * MSG * COUNT);
	for (long m = 0; m < len; m += MSG)
		for (long j = 1; j < MSG; j++)
			UT_ASSERT(stream[m + j] == stream[m], "message at %ld mixes %c and %c", m,
				  stream[m], stream[m + j]);
	ut_expect_exit(pids[0], 0, "writer A");
	ut_expect_exit(pids[1], 0, "writer B");
}

/* Fill the fd table with pipes, use each, close them; 50 times over. */
static void test_pipe_many(void)
{
	int fds[OPEN_MAX][2], n = 0;
	long r = 0, before = ut_free_pages();
	char c;

	for (int round = 0; round < 50; round++) {
		for (n = 0; (r = pipe(fds[n])) == 0; n++)
			;
		UT_EQ(r, -EMFILE);
		UT_ASSERT(n == (OPEN_MAX - 3) / 2, "%d pipes with %d fds free", n, OPEN_MAX - 3);
		for (int i = 0; i < n; i++)
			UT_EQ(write(fds[i][1], &"0123456789abcdef"[i], 1), 1);
		for (int i = 0; i < n; i++) {
			UT_EQ(read(fds[i][0], &c, 1), 1);
			UT_EQ(c, "0123456789abcdef"[i]);
			UT_EQ(close(fds[i][0]), 0);
			UT_EQ(close(fds[i][1]), 0);
		}
		/* The failed pipe() left nothing behind: all fds but 0-2 free. */
		r = dup(0);
		UT_EQ(r, 3);
		close((int)r);
	}
	UT_ASSERT(before - ut_free_pages() <= 8, "%ld pages lost over 50 rounds of %d pipes",
		  before - ut_free_pages(), n);
}

const struct ut_test ut_ipc_tests[] = {
	{ "exec_echo", test_exec_echo },
	{ "exec_args", test_exec_args },
	{ "exec_errors", test_exec_errors },
	{ "pipe_order", test_pipe_order },
	{ "pipe_eof", test_pipe_eof },
	{ "pipe_epipe", test_pipe_epipe },
	{ "pipe_big", test_pipe_big },
	{ "pipe_atomic", test_pipe_atomic },
	{ "pipe_many", test_pipe_many },
	{ NULL, NULL },
};
