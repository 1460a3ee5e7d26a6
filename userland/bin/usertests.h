/*
 * usertests.h - the framework shared by the files of usertests, the user
 * test suite (usertests.c runs it; usertests_{proc,fs,ipc,mem,uaccess,args}.c hold
 * the tests).
 *
 * Each test is a function run in a child process of its own, so that a
 * crash, a hang or a leak in one is a FAIL for it and not the end of the
 * suite.  A test passes only by returning: the runner then sees exit
 * status 0.  ut_fail() prints the FAIL line itself and exits with
 * UT_REPORTED; any other ending (a signal, another exit status, the time
 * limit) is reported by the runner.
 *
 * Grandchildren a test forks must not call ut_fail (the test would then
 * print a second FAIL line): they report through their exit status or a
 * pipe, and the test checks that.
 */
#ifndef USERTESTS_H
#define USERTESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

/* The exit status of a test child that has printed its own FAIL line. */
#define UT_REPORTED 97

struct ut_test {
	const char *name;
	void (*run)(void);
};

/* One table per file, ended by a { NULL, NULL } entry. */
extern const struct ut_test ut_proc_tests[];
extern const struct ut_test ut_fs_tests[];
extern const struct ut_test ut_ipc_tests[];
extern const struct ut_test ut_mem_tests[];
extern const struct ut_test ut_uaccess_tests[];
extern const struct ut_test ut_args_tests[];

/* The name of the test this process runs (set in its child). */
extern const char *ut_current;

/* Print "usertests: FAIL <test>: <why> (line N)" and exit(UT_REPORTED). */
__attribute__((noreturn, format(printf, 2, 3)))
void ut_fail_at(int line, const char *fmt, ...);
#define ut_fail(...) ut_fail_at(__LINE__, __VA_ARGS__)

/* Fail unless cond holds. */
#define UT_ASSERT(cond, ...) do { if (!(cond)) ut_fail(__VA_ARGS__); } while (0)
/* Fail unless a call's result equals the expected one; names both. */
#define UT_EQ(expr, want) do {						\
		long ut_got_ = (long)(expr), ut_want_ = (long)(want);	\
		if (ut_got_ != ut_want_)				\
			ut_fail("%s = %ld, want %ld (%s)", #expr, ut_got_,	\
				ut_want_, #want);			\
	} while (0)

/* fork(), failing the test if it fails. */
long ut_fork(void);
/* waitpid(pid, ..., 0), which must return pid; the status word. */
int ut_wait(long pid);
/* Wait for pid, which must exit with status code. */
void ut_expect_exit(long pid, int code, const char *what);
/* Run fn in a child; it must be killed by signal sig (fn returning is a
 * FAIL: the fault did not happen). */
void ut_expect_signal(void (*fn)(void), int sig, const char *what);
/* pipe(), failing the test if it fails. */
void ut_pipe(int fds[2]);
/* Read from fd until EOF or size - 1 bytes; NUL-terminates; the length. */
long ut_read_all(int fd, char *buf, size_t size);
/* Milliseconds since boot, from time(). */
long ut_now_ms(void);
/* meminfo()'s free page count. */
long ut_free_pages(void);
/* The pid of init (the process with no parent), from procinfo(). */
int ut_init_pid(void);
/* procinfo() of pid into *pi: true if such a process exists. */
struct procinfo;
bool ut_find_proc(int pid, struct procinfo *pi);
/* A directory for scratch files: /tmp if it exists, else /. */
const char *ut_tmpdir(void);
/* Is this process init (so that orphans are ours to reap)? */
bool ut_we_are_init(void);

/* A few addresses no user pointer may reach (copy_from_user tests, faults). */
#define UT_KERNEL_DIRECT  0xffff888000000000UL	/* Linux's direct map base */
#define UT_KERNEL_TEXT    0xffffffff80100000UL	/* Canary's kernel image */
#define UT_NONCANONICAL   0x8000000000000000UL
#define UT_UNMAPPED_USER  0x0000500000000000UL	/* between mmap and stack: nothing */

#endif
