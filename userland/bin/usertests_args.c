/*
 * usertests_args.c - nonsense arguments, one test per system call
 * (args_<name>): negative and huge file descriptors, lengths and counts,
 * garbage flags and whence values, out-of-range numbers, strings at and
 * past their limits.  Each must give a specific error, never a crash or
 * a success; values at the very edge of the valid range must work.
 * Calls go through syscall() where the C prototype would hide the
 * garbage (upper register bits, unused argument registers).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#include "usertests.h"

#define JUNK 0xdeadbeefcafef00dL	/* for argument registers a call does not use */
#define RAMFS_FILE_MAX (4L << 20)	/* the largest file (kernel/fs/ramfs.h) */

static char buf[256];

static void test_args_read_write(void)
{
	long fd = open("/etc/motd", O_RDONLY), r;

	UT_ASSERT(fd >= 0, "open: %ld", fd);
	UT_EQ(read((int)fd, buf, 0), 0);
	UT_EQ(write(STDOUT_FILENO, buf, 0), 0);
	r = read((int)fd, buf, SIZE_MAX);		/* the range wraps */
	UT_ASSERT(r == -EFAULT || r == -EINVAL, "read(n = SIZE_MAX) = %ld", r);
	r = read((int)fd, buf, (size_t)LONG_MAX + 1);
	UT_ASSERT(r == -EFAULT || r == -EINVAL, "read(n = 2^63) = %ld", r);
	r = write(STDOUT_FILENO, buf, SIZE_MAX);
	UT_ASSERT(r == -EFAULT || r == -EINVAL, "write(n = SIZE_MAX) = %ld", r);
	r = write(STDOUT_FILENO, (void *)(USER_TOP - 100), 200);
	UT_EQ(r, -EFAULT);
	/* The fd is an int: garbage above bit 31 must not make -1 valid or 3 invalid. */
	UT_EQ(syscall(SYS_read, 0xffffffffL, (long)buf, 1, JUNK, JUNK, JUNK), -EBADF);
	UT_EQ(syscall(SYS_read, fd, (long)buf, 4, JUNK, JUNK, JUNK), 4);
	close((int)fd);
}

static void test_args_open(void)
{
	static char path[PATH_MAX + 8];
	long r;

	/* PATH_MAX - 1 bytes fit (and name nothing); PATH_MAX do not. */
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[PATH_MAX - 1] = 0;
	UT_EQ(open(path, O_RDONLY), -ENOENT);
	path[PATH_MAX - 1] = 'x';
	path[PATH_MAX] = 0;
	UT_EQ(open(path, O_RDONLY), -ENAMETOOLONG);
	path[PATH_MAX] = 'x';
	UT_EQ(open(path, O_RDONLY), -ENAMETOOLONG);
	/* Garbage flags: an error, or an fd that works as the access mode says. */
	static const int garbage[] = { -1, O_ACCMODE, 0x7fff0000 };

	snprintf(path, sizeof(path), "%s/ut-%ld-flags", ut_tmpdir(), getpid());
	r = open(path, O_CREAT | O_WRONLY);
	UT_ASSERT(r >= 0, "create %s: %ld", path, r);
	close((int)r);
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		r = open(path, garbage[i]);
		if (r >= 0)
			close((int)r);
		UT_ASSERT(r == -EINVAL || r >= 0, "open(%s, %#x) = %ld", path, garbage[i], r);
	}
	unlink(path);
	UT_EQ(open("/", O_CREAT | O_RDWR), -EISDIR);
	UT_EQ(open("/dev", O_WRONLY | O_TRUNC), -EISDIR);
}

static void test_args_close_dup(void)
{
	UT_EQ(syscall(SYS_close, (long)INT_MIN, JUNK, JUNK, JUNK, JUNK, JUNK), -EBADF);
	UT_EQ(syscall(SYS_dup, -1L, JUNK, JUNK, JUNK, JUNK, JUNK), -EBADF);
	UT_EQ(syscall(SYS_dup2, 0, (long)OPEN_MAX, JUNK, JUNK, JUNK, JUNK), -EBADF);
	UT_EQ(syscall(SYS_dup2, 0, (long)(OPEN_MAX - 1), JUNK, JUNK, JUNK, JUNK), OPEN_MAX - 1);
	UT_EQ(close(OPEN_MAX - 1), 0);
}

static void test_args_pipe(void)
{
	int fds[2] = { -7, -7 };

	UT_EQ(syscall(SYS_pipe, (long)fds, JUNK, JUNK, JUNK, JUNK, JUNK), 0);
	UT_ASSERT(fds[0] >= 3 && fds[1] >= 3 && fds[0] != fds[1], "pipe gave fds %d %d", fds[0], fds[1]);
	UT_EQ(pipe((int *)((uintptr_t)buf + 1)), 0);	/* unaligned is fine */
}

static void test_args_fork_exit(void)
{
	long pid = syscall(SYS_fork, JUNK, JUNK, JUNK, JUNK, JUNK, JUNK);

	if (pid == 0)
		syscall(SYS_exit, 0x7fffff00L | 3, JUNK, JUNK, JUNK, JUNK, JUNK);
	UT_ASSERT(pid > 0, "fork with junk arguments = %ld", pid);
	ut_expect_exit(pid, 3, "exit(0x7fffff03)");
	pid = ut_fork();
	if (pid == 0)
		exit(INT_MIN);
	ut_expect_exit(pid, 0, "exit(INT_MIN)");
}

static void test_args_waitpid(void)
{
	long r;

	UT_EQ(waitpid(INT_MIN, NULL, 0), -ECHILD);
	UT_EQ(waitpid(0, NULL, 0), -ECHILD);
	UT_EQ(waitpid(-2, NULL, 0), -ECHILD);
	r = waitpid(-1, NULL, -1);
	UT_ASSERT(r == -ECHILD || r == -EINVAL, "waitpid(options = -1) = %ld", r);
	r = waitpid(-1, NULL, 0x7fff0000);
	UT_ASSERT(r == -ECHILD || r == -EINVAL, "waitpid(options = 0x7fff0000) = %ld", r);
}

static void test_args_ids(void)
{
	long me = getpid();

	UT_EQ(syscall(SYS_getpid, JUNK, JUNK, JUNK, JUNK, JUNK, JUNK), me);
	UT_EQ(syscall(SYS_getppid, JUNK, JUNK, JUNK, JUNK, JUNK, JUNK), getppid());
	UT_EQ(syscall(SYS_yield, JUNK, JUNK, JUNK, JUNK, JUNK, JUNK), 0);
}

static void test_args_kill(void)
{
	UT_EQ(kill(INT_MIN, SIGKILL), -ESRCH);
	UT_EQ(kill((int)getpid(), -1), -EINVAL);
	UT_EQ(kill((int)getpid(), INT_MIN), -EINVAL);
	UT_EQ(kill((int)getpid(), 0), 0);
	/* sig is an int: 0x1_00000000 | 0 is signal 0, not a kill. */
	UT_EQ(syscall(SYS_kill, getpid(), 0x100000000L, JUNK, JUNK, JUNK, JUNK), 0);
}

static void test_args_sbrk(void)
{
	long start = sbrk(0);

	UT_EQ(sbrk(LONG_MAX), -ENOMEM);
	UT_EQ(sbrk(LONG_MIN), -ENOMEM);
	UT_EQ(sbrk((long)(USER_MMAP_BASE)), -ENOMEM);	/* the heap may not reach mmap space */
	UT_EQ(sbrk(0), start);
	UT_EQ(sbrk(1), start);				/* one byte: fine, and back */
	UT_EQ(sbrk(-1), start + 1);
	UT_EQ(sbrk(0), start);
}

static void test_args_mmap(void)
{
	long r;

	UT_EQ(mmap(NULL, 4096, -1, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);	/* W and X */
	UT_EQ(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE), -EINVAL);		/* a file mapping */
	r = mmap(NULL, (size_t)LONG_MAX, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	UT_ASSERT(r == -ENOMEM || r == -EINVAL, "mmap(LONG_MAX) = %ld", r);
	r = mmap(NULL, SIZE_MAX - 4094, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);	/* rounds to 0 */
	UT_ASSERT(r == -ENOMEM || r == -EINVAL, "mmap(2^64 - 4094) = %ld", r);
	UT_EQ(munmap((void *)1, 4096), -EINVAL);
	UT_EQ(munmap((void *)USER_MMAP_BASE, SIZE_MAX), -EINVAL);
	UT_EQ(munmap((void *)(USER_TOP - 4096), 8192), -EINVAL);
	UT_EQ(munmap((void *)UT_UNMAPPED_USER, 4096), -EINVAL);
}

static void test_args_msleep(void)
{
	UT_EQ(msleep(ULONG_MAX), -EINVAL);
	UT_EQ(msleep((unsigned long)LONG_MIN), -EINVAL);
	UT_EQ(msleep(24UL * 3600 * 1000 + 1), -EINVAL);
}

static void test_args_readdir(void)
{
	struct dirent de;
	int fds[2];

	ut_pipe(fds);
	UT_EQ(readdir(fds[0], &de), -ENOTDIR);
	UT_EQ(readdir(fds[1], &de), -ENOTDIR);
	UT_EQ(readdir(STDIN_FILENO, &de), -ENOTDIR);
}

static void test_args_stat_unlink(void)
{
	struct stat st;

	UT_EQ(stat("", &st), -ENOENT);
	UT_EQ(stat("relative", &st), -ENOENT);
	UT_EQ(unlink(""), -ENOENT);
	UT_EQ(unlink("/no/such"), -ENOENT);
	UT_EQ(unlink("/etc/motd/x"), -ENOTDIR);
	UT_EQ(unlink("/"), -EINVAL);
	UT_EQ(unlink("/bin/."), -EINVAL);
	UT_EQ(unlink("/bin/.."), -EINVAL);
	UT_EQ(unlink("/bin"), -ENOTEMPTY);
	UT_EQ(stat("/bin/usertests", &st), 0);	/* all of that removed nothing */
	UT_EQ(stat("/etc/motd", &st), 0);
}

static void test_args_lseek(void)
{
	int fds[2];
	char path[64];
	long fd, r;

	ut_pipe(fds);
	UT_EQ(lseek(fds[0], 0, SEEK_SET), -ESPIPE);
	UT_EQ(lseek(STDOUT_FILENO, 0, SEEK_CUR), -ESPIPE);
	snprintf(path, sizeof(path), "%s/ut-%ld-lseek", ut_tmpdir(), getpid());
	fd = open(path, O_CREAT | O_RDWR);
	UT_ASSERT(fd >= 0, "create: %ld", fd);
	UT_EQ(write((int)fd, "abc", 3), 3);
	UT_EQ(lseek((int)fd, 0, INT_MAX), -EINVAL);
	UT_EQ(lseek((int)fd, LONG_MIN, SEEK_END), -EINVAL);
	r = lseek((int)fd, LONG_MAX, SEEK_CUR);		/* 3 + LONG_MAX overflows */
	UT_ASSERT(r == -EINVAL || r == -ERANGE, "lseek(LONG_MAX, SEEK_CUR) from 3 = %ld", r);
	UT_EQ(lseek((int)fd, 0, SEEK_CUR), 3);
	/* Far past the end: the seek may work, the write may not. */
	r = lseek((int)fd, LONG_MAX, SEEK_SET);
	UT_ASSERT(r == LONG_MAX || r == -EINVAL, "lseek(LONG_MAX) = %ld", r);
	if (r == LONG_MAX) {
		UT_EQ(read((int)fd, buf, 1), 0);
		r = write((int)fd, "x", 1);
		UT_ASSERT(r == -EFBIG || r == -ENOSPC || r == -EINVAL, "write at 2^63 - 1 = %ld", r);
	}
	r = lseek((int)fd, RAMFS_FILE_MAX, SEEK_SET);
	UT_EQ(r, RAMFS_FILE_MAX);
	r = write((int)fd, "x", 1);
	UT_ASSERT(r == -EFBIG || r == -ENOSPC, "write at 4 MiB (the file limit) = %ld", r);
	struct stat st;

	UT_EQ(fstat((int)fd, &st), 0);
	UT_EQ(st.size, 3);		/* nothing of that grew the file */
	close((int)fd);
	unlink(path);
}

static void test_args_procinfo(void)
{
	struct procinfo pi;
	long r;

	UT_EQ(procinfo(INT_MAX, &pi), 0);
	r = procinfo(-1, &pi);
	UT_ASSERT(r == 0 || r == -EINVAL, "procinfo(-1) = %ld", r);
	r = procinfo(INT_MIN, &pi);
	UT_ASSERT(r == 0 || r == -EINVAL, "procinfo(INT_MIN) = %ld", r);
	UT_EQ(procinfo(0, &pi), 1);
}

static void test_args_lab_uname(void)
{
	static char name[300];
	struct utsname u;
	long r;

	UT_EQ(lab(""), -ENOENT);
	UT_EQ(lab("no-such-scenario"), -ENOENT);
	memset(name, 'z', sizeof(name) - 1);
	r = lab(name);
	UT_ASSERT(r == -ENOENT || r == -ENAMETOOLONG, "lab(299 bytes) = %ld", r);
	memset(&u, 0x55, sizeof(u));
	UT_EQ(uname(&u), 0);
	UT_ASSERT(!strcmp(u.sysname, "Canary") && !strcmp(u.machine, "x86_64"),
		  "uname: %.16s %.16s", u.sysname, u.machine);
	UT_ASSERT(memchr(u.release, 0, sizeof(u.release)), "uname: release not terminated");
}

/* Numbers not in the table reach the dispatcher and get -ENOSYS. */
static void test_args_nosys(void)
{
	static const long nrs[] = { SYS_COUNT, SYS_COUNT + 1, 100, 1000, 0x7fffffff,
				    -1, LONG_MIN, (long)1 << 32, ((long)1 << 32) + SYS_getpid };

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		long r = syscall(nrs[i], JUNK, JUNK, JUNK, JUNK, JUNK, JUNK);

		UT_ASSERT(r == -ENOSYS, "system call %#lx = %ld, want -ENOSYS", nrs[i], r);
	}
}

const struct ut_test ut_args_tests[] = {
	{ "args_read_write", test_args_read_write },
	{ "args_open", test_args_open },
	{ "args_close_dup", test_args_close_dup },
	{ "args_pipe", test_args_pipe },
	{ "args_fork_exit", test_args_fork_exit },
	{ "args_waitpid", test_args_waitpid },
	{ "args_ids", test_args_ids },
	{ "args_kill", test_args_kill },
	{ "args_sbrk", test_args_sbrk },
	{ "args_mmap", test_args_mmap },
	{ "args_msleep", test_args_msleep },
	{ "args_readdir", test_args_readdir },
	{ "args_stat_unlink", test_args_stat_unlink },
	{ "args_lseek", test_args_lseek },
	{ "args_procinfo", test_args_procinfo },
	{ "args_lab_uname", test_args_lab_uname },
	{ "args_nosys", test_args_nosys },
	{ NULL, NULL },
};
