/*
 * usertests.c - the user test suite's runner and shared helpers, in the
 * spirit of xv6's usertests: it exercises the kernel through its system
 * calls from ring 3, the way programs use it.
 *
 *   usertests            run every test
 *   usertests NAME...    run only the named tests
 *   usertests -l         list the tests
 *   usertests --show-args ARGS...   print argc and each argument on a
 *                        line (the exec_args test execs this)
 *
 * Output, one line per test and a summary (tests/user/test_user.py reads
 * it):
 *
 *   usertests: PASS name
 *   usertests: FAIL name: why
 *   usertests: N passed, M failed
 *
 * Exit status 0 only if every test that ran passed (and at least one
 * ran), 1 otherwise, 2 for a name that is not a test.
 *
 * Each test runs in a child (see usertests.h).  The runner polls for it
 * with waitpid(-1, WNOHANG) rather than blocking on its pid: that enforces
 * a time limit, and when the suite is init (`init=/bin/usertests`) it also
 * reaps the orphans that tests leave to init, as init must.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usertests.h"

/* A test that has not ended after this long is killed and FAILs. */
#define UT_TIMEOUT_MS 60000

const char *ut_current = "?";

static const struct ut_test *const groups[] = {
	ut_proc_tests, ut_fs_tests, ut_ipc_tests, ut_mem_tests, ut_uaccess_tests,
	ut_args_tests,
};

void ut_fail_at(int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("usertests: FAIL %s: %s (line %d)\n", ut_current, why, line);
	exit(UT_REPORTED);
}

long ut_fork(void)
{
	long pid = fork();

	UT_ASSERT(pid >= 0, "fork: %s", strerror((int)-pid));
	return pid;
}

int ut_wait(long pid)
{
	int st = -1;
	long r = waitpid((int)pid, &st, 0);

	UT_ASSERT(r == pid, "waitpid(%ld) = %ld, want the pid", pid, r);
	return st;
}

void ut_expect_exit(long pid, int code, const char *what)
{
	int st = ut_wait(pid);

	UT_ASSERT(WIFEXITED(st), "%s: killed by signal %d, want exit %d", what, WTERMSIG(st), code);
	UT_ASSERT(WEXITSTATUS(st) == code, "%s: exit status %d, want %d", what,
		  WEXITSTATUS(st), code);
}

void ut_expect_signal(void (*fn)(void), int sig, const char *what)
{
	long pid = ut_fork();
	int st;

	if (pid == 0) {
		fn();
		exit(0);	/* the fault did not happen */
	}
	st = ut_wait(pid);
	UT_ASSERT(!WIFEXITED(st), "%s: the child survived (exit %d); want signal %d",
		  what, WEXITSTATUS(st), sig);
	UT_ASSERT(WTERMSIG(st) == sig, "%s: killed by signal %d, want %d", what,
		  WTERMSIG(st), sig);
}

void ut_pipe(int fds[2])
{
	long r = pipe(fds);

	UT_ASSERT(r == 0, "pipe: %s", strerror((int)-r));
}

long ut_read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	long n;

	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = 0;
	return (long)len;
}

long ut_now_ms(void)
{
	struct timespec ts;
	long r = time(&ts);

	UT_ASSERT(r >= 0, "time: %s", strerror((int)-r));
	return (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

long ut_free_pages(void)
{
	struct meminfo mi;
	long r = meminfo(&mi);

	UT_ASSERT(r == 0, "meminfo = %ld", r);
	return (long)mi.free_pages;
}

bool ut_find_proc(int pid, struct procinfo *pi)
{
	for (int i = 0; procinfo(i, pi) > 0; i++)
		if (pi->pid == pid)
			return true;
	return false;
}

int ut_init_pid(void)
{
	struct procinfo pi;

	for (int i = 0; procinfo(i, &pi) > 0; i++)
		if (pi.ppid == 0)
			return pi.pid;
	ut_fail("procinfo lists no process without a parent (no init)");
}

bool ut_we_are_init(void)
{
	return getppid() == 0;
}

const char *ut_tmpdir(void)
{
	struct stat st;

	return stat("/tmp", &st) == 0 && st.type == S_IFDIR ? "/tmp" : "";
}

/* ------------------------------------------------------------ the runner */

/* Run t in a child; true if it passed.  Prints the PASS line, and the FAIL
 * line unless the child printed it. */
static bool run_test(const struct ut_test *t)
{
	long pid = fork(), r, deadline;
	int st = 0;

	if (pid < 0) {
		printf("usertests: FAIL %s: fork: %s\n", t->name, strerror((int)-pid));
		return false;
	}
	if (pid == 0) {
		ut_current = t->name;
		t->run();
		exit(0);
	}
	deadline = ut_now_ms() + UT_TIMEOUT_MS;
	for (;;) {
		r = waitpid(-1, &st, WNOHANG);
		if (r == pid)
			break;
		if (r > 0)
			continue;	/* an orphan given to us, init: reaped */
		if (r < 0) {
			printf("usertests: FAIL %s: waitpid: %s\n", t->name, strerror((int)-r));
			return false;
		}
		if (ut_now_ms() > deadline) {
			kill((int)pid, SIGKILL);
			waitpid((int)pid, &st, 0);
			printf("usertests: FAIL %s: still running after %d s; killed\n",
			       t->name, UT_TIMEOUT_MS / 1000);
			return false;
		}
		msleep(2);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		printf("usertests: PASS %s\n", t->name);
		return true;
	}
	if (WIFSIGNALED(st))
		printf("usertests: FAIL %s: killed by signal %d\n", t->name, WTERMSIG(st));
	else if (WEXITSTATUS(st) != UT_REPORTED)
		printf("usertests: FAIL %s: exited with status %d\n", t->name, WEXITSTATUS(st));
	return false;
}

static const struct ut_test *find_test(const char *name)
{
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (const struct ut_test *t = groups[g]; t->name; t++)
			if (!strcmp(t->name, name))
				return t;
	return NULL;
}

int main(int argc, char **argv)
{
	bool as_init = ut_we_are_init();
	int passed = 0, failed = 0;

	if (argc >= 2 && !strcmp(argv[1], "--show-args")) {
		printf("argc=%d\n", argc);
		for (int i = 0; i < argc; i++)
			printf("%s\n", argv[i]);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
			for (const struct ut_test *t = groups[g]; t->name; t++)
				printf("%s\n", t->name);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!find_test(argv[i])) {
			dprintf(STDERR_FILENO, "usertests: no test named %s (usertests -l lists them)\n",
				argv[i]);
			return 2;
		}
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_test(find_test(argv[i])) ? passed++ : failed++;
	} else {
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
			for (const struct ut_test *t = groups[g]; t->name; t++)
				run_test(t) ? passed++ : failed++;
	}
	/* As init, collect what the last tests left behind before powering off. */
	while (as_init && waitpid(-1, NULL, WNOHANG) > 0)
		;
	printf("usertests: %d passed, %d failed\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
