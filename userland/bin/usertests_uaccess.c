/*
 * usertests_uaccess.c - user-pointer tests of usertests: every system
 * call that takes a pointer is handed NULL, kernel addresses, a
 * non-canonical address, an unmapped user address and ranges that run
 * off the end of user space or of a mapping, and must answer -EFAULT
 * without harm (the next test running is the proof the kernel survived).
 * Also: the kernel may not write into read-only user memory on a
 * program's behalf, and must fill untouched (demand-zero) pages.
 *
 * Exec calls that are expected to fail name /bin/false: if one wrongly
 * succeeds, the test process becomes false, exits 1, and FAILs.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usertests.h"

#define PAGE 4096UL

static const struct {
	const char *what;
	unsigned long addr;
} bad[] = {
	{ "NULL", 0 },
	{ "page 1", 0x1000 },
	{ "kernel direct map", UT_KERNEL_DIRECT },
	{ "kernel image", UT_KERNEL_TEXT },
	{ "non-canonical", UT_NONCANONICAL },
	{ "unmapped user", UT_UNMAPPED_USER },
	{ "crossing USER_TOP", USER_TOP - 8 },
	{ "last user page", USER_TOP - PAGE },
	{ "-1", ~0UL },
};
#define NBAD (sizeof(bad) / sizeof(bad[0]))
#define BAD(i) ((void *)bad[i].addr)

/* The fd table holds only 0-2 again: a failed call leaked no fd. */
static void no_fd_leak(const char *after)
{
	long fd = dup(0);

	UT_ASSERT(fd == 3, "after %s, the lowest free fd is %ld", after, fd);
	close((int)fd);
}

#define EXPECT_EFAULT(call, i) do {					\
		long r_ = (long)(call);					\
		if (r_ != -EFAULT)					\
			ut_fail("%s with %s (%#lx) = %ld, want -EFAULT",	\
				#call, bad[i].what, bad[i].addr, r_);	\
	} while (0)

static void test_efault_read(void)
{
	int fds[2];
	long fd = open("/etc/motd", O_RDONLY);

	UT_ASSERT(fd >= 0, "open /etc/motd: %ld", fd);
	ut_pipe(fds);
	for (size_t i = 0; i < NBAD; i++) {
		EXPECT_EFAULT(read((int)fd, BAD(i), 64), i);
		UT_EQ(write(fds[1], "data", 4), 4);
		EXPECT_EFAULT(read(fds[0], BAD(i), 64), i);
	}
}

static void test_efault_write(void)
{
	int fds[2];
	char path[64];
	long fd;

	snprintf(path, sizeof(path), "%s/ut-%ld-w", ut_tmpdir(), getpid());
	fd = open(path, O_CREAT | O_RDWR);
	UT_ASSERT(fd >= 0, "create %s: %ld", path, fd);
	ut_pipe(fds);
	for (size_t i = 0; i < NBAD; i++) {
		EXPECT_EFAULT(write((int)fd, BAD(i), 64), i);
		EXPECT_EFAULT(write(fds[1], BAD(i), 64), i);
		EXPECT_EFAULT(write(STDOUT_FILENO, BAD(i), 64), i);	/* the console */
	}
	struct stat st;

	UT_EQ(fstat((int)fd, &st), 0);
	UT_EQ(st.size, 0);			/* nothing got in */
	unlink(path);
}

static void test_efault_open(void)
{
	for (size_t i = 0; i < NBAD; i++) {
		EXPECT_EFAULT(open(BAD(i), O_RDONLY), i);
		EXPECT_EFAULT(open(BAD(i), O_CREAT | O_RDWR), i);
	}
	no_fd_leak("open with bad paths");
}

static void test_efault_pipe(void)
{
	for (size_t i = 0; i < NBAD; i++)
		EXPECT_EFAULT(pipe(BAD(i)), i);
	no_fd_leak("pipe with bad pointers");
}

static void test_efault_stat(void)
{
	struct stat st;

	for (size_t i = 0; i < NBAD; i++) {
		EXPECT_EFAULT(stat(BAD(i), &st), i);
		EXPECT_EFAULT(stat("/etc/motd", BAD(i)), i);
		EXPECT_EFAULT(fstat(0, BAD(i)), i);
	}
}

static void test_efault_waitpid(void)
{
	int st;

	for (size_t i = 0; i < NBAD; i++) {
		long pid = ut_fork();

		if (pid == 0)
			exit(5);
		if (bad[i].addr == 0) {		/* NULL: "I do not want the status" */
			UT_EQ(waitpid((int)pid, BAD(i), 0), pid);
			continue;
		}
		EXPECT_EFAULT(waitpid((int)pid, BAD(i), 0), i);
		UT_EQ(waitpid((int)pid, &st, WNOHANG), -ECHILD);	/* reaped all the same */
	}
}

static void test_efault_exec(void)
{
	for (size_t i = 0; i < NBAD; i++) {
		char *argv[] = { "false", BAD(i), NULL };
		char *ok[] = { "false", NULL };

		EXPECT_EFAULT(exec(BAD(i), ok), i);
		EXPECT_EFAULT(exec("/bin/false", BAD(i)), i);
		if (bad[i].addr)		/* NULL there just ends argv */
			EXPECT_EFAULT(exec("/bin/false", argv), i);
	}
}

static void test_efault_info(void)
{
	struct timespec ts;

	for (size_t i = 0; i < NBAD; i++) {
		if (bad[i].addr)		/* time(NULL) just returns the seconds */
			EXPECT_EFAULT(time(BAD(i)), i);
		EXPECT_EFAULT(procinfo(0, BAD(i)), i);
		EXPECT_EFAULT(meminfo(BAD(i)), i);
		EXPECT_EFAULT(uname(BAD(i)), i);
	}
	UT_ASSERT(time(NULL) >= 0 && time(&ts) >= 0, "time broken after the bad pointers");
}

static void test_efault_paths(void)
{
	struct dirent de;
	long fd = open("/bin", O_RDONLY);

	UT_ASSERT(fd >= 0, "open /bin: %ld", fd);
	for (size_t i = 0; i < NBAD; i++) {
		EXPECT_EFAULT(readdir((int)fd, BAD(i)), i);
		EXPECT_EFAULT(unlink(BAD(i)), i);
		EXPECT_EFAULT(lab(BAD(i)), i);
	}
	UT_EQ(readdir((int)fd, &de), 1);	/* the directory still reads */
}

/* Ranges that start in good memory and run off its end: the top of the
 * stack region and the end of the heap's last page. */
static void test_efault_partial(void)
{
	/* A break in the middle of a page: the heap region ends at the
	 * next page boundary, and nothing is mapped above it. */
	unsigned long cur = (unsigned long)sbrk(0);
	unsigned long brk = ((cur + PAGE - 1) & ~(PAGE - 1)) + PAGE + 100;
	unsigned long heap_end = (brk + PAGE - 1) & ~(PAGE - 1);
	unsigned long ends[2] = { USER_STACK_TOP, heap_end };
	struct stat st;
	int fds[2];

	UT_EQ(sbrk((long)(brk - cur)), cur);
	ut_pipe(fds);
	for (int k = 0; k < 2; k++) {
		char *p = (char *)(ends[k] - 16);
		long fd = open("/etc/motd", O_RDONLY), r;

		memset(p, 'a', 16);		/* a string with no NUL before the end */
		r = read((int)fd, p, 64);
		UT_ASSERT(r == -EFAULT || (r >= 0 && r <= 16), "read across %#lx = %ld", ends[k], r);
		close((int)fd);
		memset(p, 'a', 16);
		r = write(fds[1], p, 64);
		UT_ASSERT(r == -EFAULT || (r >= 0 && r <= 16), "write across %#lx = %ld", ends[k], r);
		if (r > 0)
			UT_EQ(read(fds[0], (char[64]){ 0 }, 64), r);
		UT_EQ(open(p, O_RDONLY), -EFAULT);
		UT_EQ(stat(p, &st), -EFAULT);
		UT_EQ(unlink(p), -EFAULT);
		UT_EQ(exec(p, (char *[]){ "false", NULL }), -EFAULT);
		UT_EQ(stat("/etc/motd", (struct stat *)(ends[k] - 8)), -EFAULT);
		UT_EQ(pipe((int *)(ends[k] - 4)), -EFAULT);
		UT_EQ(time((struct timespec *)(ends[k] - 8)), -EFAULT);
		UT_EQ(uname((struct utsname *)(ends[k] - 8)), -EFAULT);
		/* An argv array with no NULL before the end. */
		char **argv = (char **)(ends[k] - 16);

		argv[0] = argv[1] = "false";
		UT_EQ(exec("/bin/false", argv), -EFAULT);
	}
	close(fds[0]);
	close(fds[1]);
	no_fd_leak("partial ranges");
}

static void code_probe(void) { }
static const char probe_text[] = "read-only data, not to be changed";

/* The kernel writes into user memory with its own privileges; it must
 * still honour the program's read-only pages (CR0.WP, the vma's flags). */
static void test_uaccess_readonly(void)
{
	void *targets[2] = { (void *)(uintptr_t)code_probe, (void *)(uintptr_t)probe_text };
	char saved[32], back[32];
	int fds[2];

	for (int k = 0; k < 2; k++) {
		long fd = open("/etc/motd", O_RDONLY);

		memcpy(saved, targets[k], sizeof(saved));
		UT_EQ(read((int)fd, targets[k], 16), -EFAULT);
		UT_EQ(lseek((int)fd, 0, SEEK_CUR), 0);		/* the failed read took nothing */
		close((int)fd);
		/* Same from a pipe, whose bytes cannot be read twice: the kernel
		 * must refuse before it takes them (one more byte after them
		 * shows whether they are still there, without blocking). */
		ut_pipe(fds);
		UT_EQ(write(fds[1], "0123456789abcdef", 16), 16);
		UT_EQ(read(fds[0], targets[k], 16), -EFAULT);
		UT_EQ(write(fds[1], "!", 1), 1);
		UT_ASSERT(read(fds[0], back, sizeof(back)) == 17 && !memcmp(back, "0123456789abcdef!", 17),
			  "a pipe read into %s failed with -EFAULT and lost the data",
			  k ? ".rodata" : ".text");
		close(fds[0]);
		close(fds[1]);
		UT_EQ(pipe(targets[k]), -EFAULT);
		UT_EQ(stat("/etc/motd", targets[k]), -EFAULT);
		UT_EQ(time(targets[k]), -EFAULT);
		UT_EQ(uname(targets[k]), -EFAULT);
		UT_EQ(meminfo(targets[k]), -EFAULT);
		UT_ASSERT(!memcmp(saved, targets[k], sizeof(saved)), "the kernel wrote into %s",
			  k ? ".rodata" : ".text");
	}
	code_probe();
	no_fd_leak("read-only targets");
}

/* Valid memory never touched yet must work as a system call buffer. */
static void test_uaccess_demand(void)
{
	long base = sbrk(8 * PAGE);
	char *heap = (char *)((base + PAGE - 1) & ~(PAGE - 1));
	long m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	char *targets[2] = { heap, (char *)m };
	int fds[2];

	char motd[16];
	long fd = open("/etc/motd", O_RDONLY);

	UT_ASSERT(base > 0 && !MAP_FAILED_ERR(m), "sbrk %ld mmap %ld", base, m);
	UT_EQ(read((int)fd, motd, 16), 16);
	close((int)fd);
	ut_pipe(fds);
	for (int k = 0; k < 2; k++) {
		char *t = targets[k];

		/* The kernel reads an untouched page (zeros) and writes one. */
		UT_EQ(write(fds[1], t, 64), 64);
		UT_EQ(read(fds[0], t + PAGE, 64), 64);
		for (int i = 0; i < 64; i++)
			UT_ASSERT(t[PAGE + i] == 0, "byte %d of an untouched page is %d", i, t[PAGE + i]);
		fd = open("/etc/motd", O_RDONLY);
		UT_EQ(read((int)fd, t + 2 * PAGE - 8, 16), 16);		/* across two new pages */
		UT_ASSERT(!memcmp(t + 2 * PAGE - 8, motd, 16), "read into fresh pages lost the data");
		close((int)fd);
		UT_EQ(stat("/etc/motd", (struct stat *)(t + 3 * PAGE - 8)), 0);
		UT_EQ(pipe((int *)(t + 3 * PAGE + 100)), 0);
		UT_ASSERT(time((struct timespec *)(t + 3 * PAGE + 512)) >= 0, "time into a fresh page");
		close(((int *)(t + 3 * PAGE + 100))[0]);
		close(((int *)(t + 3 * PAGE + 100))[1]);
	}
}

const struct ut_test ut_uaccess_tests[] = {
	{ "efault_read", test_efault_read },
	{ "efault_write", test_efault_write },
	{ "efault_open", test_efault_open },
	{ "efault_pipe", test_efault_pipe },
	{ "efault_stat", test_efault_stat },
	{ "efault_waitpid", test_efault_waitpid },
	{ "efault_exec", test_efault_exec },
	{ "efault_info", test_efault_info },
	{ "efault_paths", test_efault_paths },
	{ "efault_partial", test_efault_partial },
	{ "uaccess_readonly", test_uaccess_readonly },
	{ "uaccess_demand", test_uaccess_demand },
	{ NULL, NULL },
};
