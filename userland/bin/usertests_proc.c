/*
 * usertests_proc.c - process tests of usertests: fork, exit and waitpid
 * status words, orphans, pids, kill() of sleeping, blocked and busy
 * processes, msleep timing, and that processes give their memory back
 * (repeated forks, a bounded fork bomb).  The runner is usertests.c.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usertests.h"

/* Pages the kernel may keep after a round of forks (caches warming up),
 * far fewer than one leaked address space (tens of pages). */
#define UT_PAGE_SLACK 8

static void test_exit_status(void)
{
	static const struct { int code, want; } cases[] = {
		{ 0, 0 }, { 1, 1 }, { 255, 255 }, { 42, 42 },
		{ 0x1234, 0x34 },	/* only the low byte is kept */
		{ -1, 255 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long pid = ut_fork();

		if (pid == 0)
			exit(cases[i].code);
		ut_expect_exit(pid, cases[i].want, "exit(code)");
	}
}

/* 40 children exit with 40 different codes; waitpid(-1) must hand back
 * each one exactly once, with its own code, then say there are no more. */
static void test_wait_many(void)
{
	enum { N = 40 };
	long pids[N];
	bool seen[N] = { false };
	int st;

	for (int i = 0; i < N; i++) {
		pids[i] = ut_fork();
		if (pids[i] == 0)
			exit(100 + i);
	}
	for (int n = 0; n < N; n++) {
		long r = waitpid(-1, &st, 0);
		int i = 0;

		while (i < N && pids[i] != r)
			i++;
		UT_ASSERT(i < N, "waitpid(-1) = %ld, not one of our children", r);
		UT_ASSERT(!seen[i], "child %ld reaped twice", r);
		UT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 100 + i,
			  "child %d: status %#x, want exit %d", i, st, 100 + i);
		seen[i] = true;
	}
	UT_EQ(waitpid(-1, &st, 0), -ECHILD);
}

static void test_wait_nohang(void)
{
	int fds[2], st = 0x5a5a;
	long pid;

	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		char c;

		close(fds[1]);
		exit(read(fds[0], &c, 1) == 1 ? 7 : 8);
	}
	close(fds[0]);
	UT_EQ(waitpid((int)pid, &st, WNOHANG), 0);
	UT_EQ(waitpid(-1, &st, WNOHANG), 0);
	UT_EQ(st, 0x5a5a);	/* nothing stored when nothing was reaped */
	UT_EQ(write(fds[1], "x", 1), 1);
	ut_expect_exit(pid, 7, "released child");
	UT_EQ(waitpid(-1, &st, WNOHANG), -ECHILD);
}

static void test_wait_echild(void)
{
	int st;

	UT_EQ(waitpid(-1, &st, 0), -ECHILD);
	UT_EQ(waitpid(-1, &st, WNOHANG), -ECHILD);
	/* Our parent exists but is not our child. */
	UT_EQ(waitpid((int)getppid(), &st, 0), -ECHILD);
	UT_EQ(waitpid((int)getpid(), &st, 0), -ECHILD);
	UT_EQ(waitpid(INT_MAX, &st, 0), -ECHILD);
}

/* waitpid(pid) waits for that child even when another is already a zombie. */
static void test_wait_pid(void)
{
	int fds[2], st;
	long a, b;

	ut_pipe(fds);
	a = ut_fork();
	if (a == 0)
		exit(11);
	b = ut_fork();
	if (b == 0) {
		char c;

		close(fds[1]);
		exit(read(fds[0], &c, 1) == 1 ? 22 : 23);
	}
	close(fds[0]);
	msleep(20);			/* a is (almost surely) a zombie now */
	UT_EQ(waitpid((int)b, &st, WNOHANG), 0);
	ut_expect_exit(a, 11, "first child");
	UT_EQ(write(fds[1], "x", 1), 1);
	UT_EQ(waitpid((int)b, NULL, 0), b);	/* NULL status: reap, store nothing */
	UT_EQ(waitpid(-1, &st, WNOHANG), -ECHILD);
}

/* A grandchild outlives its parent: init adopts it and reaps it. */
static void test_orphan(void)
{
	struct procinfo pi;
	int report[2], go[2], info[2];
	long c = -1, t0;

	ut_pipe(report);
	ut_pipe(go);
	c = ut_fork();
	if (c == 0) {
		long g = fork();

		if (g == 0) {
			char b;

			close(go[1]);
			if (read(go[0], &b, 1) != 1)	/* until our parent is reaped */
				exit(3);
			info[0] = (int)getpid();
			info[1] = (int)getppid();
			exit(write(report[1], info, sizeof(info)) == sizeof(info) ? 0 : 4);
		}
		exit(g > 0 ? 0 : 2);
	}
	close(report[1]);
	close(go[0]);
	ut_expect_exit(c, 0, "middle child");
	UT_EQ(write(go[1], "x", 1), 1);
	close(go[1]);
	UT_EQ(read(report[0], info, sizeof(info)), sizeof(info));
	UT_EQ(info[1], ut_init_pid());		/* adopted by init */
	UT_EQ(waitpid(info[0], NULL, WNOHANG), -ECHILD);	/* not ours */
	/* It exits now.  If init is the usertests runner (our parent), it
	 * reaps while it polls: the orphan must disappear.  Another init
	 * (the shell) reaps at its next prompt, so then it may linger as a
	 * zombie of init, but only as that. */
	t0 = ut_now_ms();
	while (ut_find_proc(info[0], &pi) && ut_now_ms() - t0 < 5000)
		msleep(10);
	if (getppid() == ut_init_pid())
		UT_ASSERT(!ut_find_proc(info[0], &pi), "orphan %d not reaped by init after 5 s "
			  "(state %c, ppid %d)", info[0], pi.state, pi.ppid);
	else if (ut_find_proc(info[0], &pi))
		UT_ASSERT(pi.state == 'Z' && pi.ppid == ut_init_pid(),
			  "orphan %d: state %c ppid %d", info[0], pi.state, pi.ppid);
}

static void test_getpid(void)
{
	long me = getpid(), pid, pid2;
	int fds[2], ids[2];
	struct procinfo pi;

	UT_ASSERT(me > 0, "getpid() = %ld", me);
	UT_EQ(getpid(), me);
	UT_ASSERT(getppid() > 0, "getppid() = %ld (the runner is our parent)", getppid());
	UT_ASSERT(ut_find_proc((int)me, &pi), "procinfo does not list pid %ld", me);
	UT_EQ(pi.ppid, getppid());
	UT_ASSERT(pi.state == 'R', "our own state is %c, want R", pi.state);
	UT_ASSERT(!strncmp(pi.name, "usertests", PROC_NAME_MAX), "our name is %.16s", pi.name);
	ut_pipe(fds);
	pid = ut_fork();
	if (pid == 0) {
		ids[0] = (int)getpid();
		ids[1] = (int)getppid();
		exit(write(fds[1], ids, sizeof(ids)) == sizeof(ids) ? 0 : 1);
	}
	UT_EQ(read(fds[0], ids, sizeof(ids)), sizeof(ids));
	UT_EQ(ids[0], pid);	/* fork returned the child's own pid */
	UT_EQ(ids[1], me);
	ut_expect_exit(pid, 0, "child");
	pid2 = ut_fork();
	if (pid2 == 0)
		exit(0);
	UT_ASSERT(pid2 != pid && pid2 != me, "pid %ld reused at once", pid2);
	ut_expect_exit(pid2, 0, "second child");
}

/* ---------------------------------------------------------------- kill */

enum { WAIT_SLEEP, WAIT_PIPE_READ, WAIT_PIPE_WRITE, WAIT_CHILD, WAIT_BUSY };

/* A child that says it is ready, then waits the way `how` says. */
static __attribute__((noreturn)) void waiter(int how, int ready)
{
	int fds[2];
	static char big[8192];

	if (pipe(fds) < 0)
		exit(90);
	if (how == WAIT_CHILD && fork() == 0) {
		char c;

		close(fds[1]);		/* EOF, and exit, when the waiter dies */
		exit(read(fds[0], &c, 1));
	}
	if (write(ready, "r", 1) != 1)
		exit(91);
	switch (how) {
	case WAIT_SLEEP:
		msleep(100000);
		break;
	case WAIT_PIPE_READ:
		read(fds[0], big, 1);		/* nobody will ever write */
		break;
	case WAIT_PIPE_WRITE:
		for (;;)			/* fills the pipe, then blocks */
			write(fds[1], big, sizeof(big));
	case WAIT_CHILD:
		waitpid(-1, NULL, 0);
		break;
	case WAIT_BUSY:
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	}
	exit(92);	/* the wait ended without the signal */
}

/* kill() a child blocked as `how` says; it must die of sig, soon. */
static void kill_blocked(int how, int sig, const char *what)
{
	int ready[2], st;
	long pid, r = 0, t0;
	char c;

	ut_pipe(ready);
	pid = ut_fork();
	if (pid == 0)
		waiter(how, ready[1]);
	UT_EQ(read(ready[0], &c, 1), 1);
	msleep(50);		/* let it get into its wait */
	UT_EQ(kill((int)pid, sig), 0);
	t0 = ut_now_ms();
	while ((r = waitpid((int)pid, &st, WNOHANG)) == 0 && ut_now_ms() - t0 < 5000)
		msleep(5);
	if (r == 0) {
		kill((int)pid, SIGKILL);
		ut_fail("%s: still alive 5 s after kill(%d)", what, sig);
	}
	UT_EQ(r, pid);
	UT_ASSERT(WIFSIGNALED(st), "%s: exited with %d instead of dying", what, WEXITSTATUS(st));
	UT_ASSERT(WTERMSIG(st) == sig, "%s: signal %d, want %d", what, WTERMSIG(st), sig);
}

static void test_kill_sleeping(void)
{
	kill_blocked(WAIT_SLEEP, SIGKILL, "child in msleep");
}

static void test_kill_pipe_reader(void)
{
	kill_blocked(WAIT_PIPE_READ, SIGTERM, "child reading an empty pipe");
}

static void test_kill_pipe_writer(void)
{
	kill_blocked(WAIT_PIPE_WRITE, SIGKILL, "child writing a full pipe");
}

static void test_kill_waitpid(void)
{
	kill_blocked(WAIT_CHILD, SIGKILL, "child in waitpid");
}

/* Only preemption can get the signal to a process that never enters the
 * kernel by itself. */
static void test_kill_busy(void)
{
	kill_blocked(WAIT_BUSY, SIGTERM, "busy-looping child");
}

static void test_kill_errors(void)
{
	int ready[2];
	long pid;
	char c;

	ut_pipe(ready);
	pid = ut_fork();
	if (pid == 0) {
		write(ready[1], "r", 1);
		msleep(100000);
		exit(0);
	}
	UT_EQ(read(ready[0], &c, 1), 1);
	UT_EQ(kill((int)pid, 0), 0);		/* signal 0: it exists */
	UT_EQ(kill((int)pid, -1), -EINVAL);
	UT_EQ(kill((int)pid, NSIG), -EINVAL);
	UT_EQ(kill((int)pid, INT_MAX), -EINVAL);
	UT_EQ(kill(INT_MAX, SIGKILL), -ESRCH);
	UT_EQ(kill(-12345, SIGKILL), -ESRCH);
	UT_EQ(kill((int)pid, SIGKILL), 0);
	UT_EQ(ut_wait(pid), SIGKILL);		/* status word of a SIGKILL death */
	UT_EQ(kill((int)pid, SIGKILL), -ESRCH);	/* reaped: gone */
}

/* kill() at once after fork, before the child has run at all or reached
 * its sleep: the signal must not be lost (the sleep must notice it). */
static void test_kill_early(void)
{
	for (int i = 0; i < 5; i++) {
		long pid = ut_fork(), r, t0;
		int st;

		if (pid == 0) {
			msleep(100000);
			exit(0);
		}
		UT_EQ(kill((int)pid, SIGKILL), 0);
		t0 = ut_now_ms();
		while ((r = waitpid((int)pid, &st, WNOHANG)) == 0 && ut_now_ms() - t0 < 5000)
			msleep(5);
		UT_ASSERT(r == pid, "round %d: child killed right after fork still alive after 5 s "
			  "(the kill was lost)", i);
		UT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "round %d: status %#x", i, st);
	}
}

static void test_kill_init(void)
{
	int init = ut_init_pid();

	UT_EQ(kill(init, SIGKILL), -EPERM);
	UT_EQ(kill(init, SIGTERM), -EPERM);
	UT_EQ(kill(init, 0), 0);
	/* Pids are thread ids: init is pid 1 only if no kernel thread came
	 * first.  Either way pid 1 cannot be killed from here. */
	UT_EQ(kill(1, SIGKILL), init == 1 ? -EPERM : -ESRCH);
	UT_ASSERT(ut_find_proc(init, &(struct procinfo){ 0 }), "init %d is gone", init);
}

static void test_msleep(void)
{
	long t0 = ut_now_ms(), dt;

	UT_EQ(msleep(200), 0);
	dt = ut_now_ms() - t0;
	UT_ASSERT(dt >= 190 && dt <= 2000, "msleep(200) took %ld ms", dt);
	t0 = ut_now_ms();
	UT_EQ(msleep(0), 0);
	for (int i = 0; i < 10; i++)
		UT_EQ(msleep(1), 0);
	dt = ut_now_ms() - t0;
	UT_ASSERT(dt >= 9 && dt <= 1000, "msleep(0) + 10 x msleep(1) took %ld ms", dt);
	/* time() agrees with itself: seconds returned = tv_sec stored. */
	struct timespec ts;
	long s = time(&ts);

	UT_ASSERT(s == ts.tv_sec && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
		  "time() = %ld, ts = %ld.%09ld", s, (long)ts.tv_sec, (long)ts.tv_nsec);
	long s2 = time(NULL);			/* NULL: just the seconds */

	UT_ASSERT(s2 >= s && s2 <= s + 1, "time(NULL) = %ld after time(&ts) = %ld", s2, s);
}

/* 20 fork+exit+wait rounds must give back what they took. */
static void test_fork_memory(void)
{
	struct meminfo m0, m1;
	long before, after;

	for (int i = 0; i < 3; i++) {	/* warm the kernel's caches */
		long pid = ut_fork();

		if (pid == 0)
			exit(0);
		ut_expect_exit(pid, 0, "warm-up child");
	}
	UT_EQ(meminfo(&m0), 0);
	before = (long)m0.free_pages;
	for (int i = 0; i < 20; i++) {
		long pid = ut_fork();

		if (pid == 0) {
			/* Touch some memory so there is something to give back. */
			static char buf[16384];

			memset(buf, i, sizeof(buf));
			exit(sbrk(8192) < 0);
		}
		ut_expect_exit(pid, 0, "child");
	}
	UT_EQ(meminfo(&m1), 0);
	after = (long)m1.free_pages;
	UT_ASSERT(before - after <= UT_PAGE_SLACK,
		  "%ld free pages before 20 forks, %ld after: %ld pages lost",
		  before, after, before - after);
	UT_ASSERT((long)(m1.slab_objects - m0.slab_objects) <= 4, "%lu live kernel objects "
		  "before 20 forks, %lu after", (unsigned long)m0.slab_objects,
		  (unsigned long)m1.slab_objects);
}

/* Fork until the kernel says no (or max processes), hold them all, then
 * let them go and reap them; returns how many there were. */
static int fork_bomb(int max)
{
	int gate[2], n = 0, reaped = 0, st;
	long r = 0;

	ut_pipe(gate);
	while (n < max) {
		r = fork();
		if (r == 0) {
			char c;

			close(gate[1]);
			exit(read(gate[0], &c, 1) == 0 ? 0 : 1);	/* EOF: go */
		}
		if (r < 0)
			break;
		n++;
	}
	close(gate[1]);
	close(gate[0]);
	UT_ASSERT(r >= 0 || r == -ENOMEM || r == -EAGAIN, "fork %d failed with %ld, want -ENOMEM",
		  n + 1, r);
	while ((r = waitpid(-1, &st, 0)) > 0) {
		reaped++;
		UT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %ld: status %#x", r, st);
	}
	UT_EQ(r, -ECHILD);
	UT_EQ(reaped, n);
	return n;
}

/* A fork bomb bounded by the test: the kernel must refuse cleanly when
 * it runs out, take everything back, and go on working.  The first two
 * bombs let the kernel's caches settle at what 200 processes need (free
 * pages drop by less each time, then not at all); the third must give
 * back all it takes: its kernel objects exactly, its pages to within
 * UT_BOMB_SLACK, far less than one page per process. */
#define UT_BOMB_SLACK 32

static void test_fork_bomb(void)
{
	struct meminfo m0, m1;
	int n;

	n = fork_bomb(200);
	UT_ASSERT(n >= 20, "only %d forks succeeded", n);
	fork_bomb(200);
	UT_EQ(meminfo(&m0), 0);
	n = fork_bomb(200);
	UT_EQ(meminfo(&m1), 0);
	UT_ASSERT(n >= 20, "only %d forks succeeded the second time", n);
	UT_ASSERT((long)(m1.slab_objects - m0.slab_objects) <= 8, "%d processes: %lu live kernel "
		  "objects before, %lu after", n, (unsigned long)m0.slab_objects,
		  (unsigned long)m1.slab_objects);
	UT_ASSERT((long)(m0.free_pages - m1.free_pages) <= UT_BOMB_SLACK, "%d processes: %lu free "
		  "pages before the third bomb, %lu after", n, (unsigned long)m0.free_pages,
		  (unsigned long)m1.free_pages);
	/* Still working: a fork and an exec. */
	long pid = ut_fork();

	if (pid == 0) {
		char *argv[] = { "true", NULL };

		exec("/bin/true", argv);
		exit(99);
	}
	ut_expect_exit(pid, 0, "/bin/true after the bomb");
}

const struct ut_test ut_proc_tests[] = {
	{ "exit_status", test_exit_status },
	{ "wait_many", test_wait_many },
	{ "wait_nohang", test_wait_nohang },
	{ "wait_echild", test_wait_echild },
	{ "wait_pid", test_wait_pid },
	{ "orphan", test_orphan },
	{ "getpid", test_getpid },
	{ "kill_sleeping", test_kill_sleeping },
	{ "kill_pipe_reader", test_kill_pipe_reader },
	{ "kill_pipe_writer", test_kill_pipe_writer },
	{ "kill_waitpid", test_kill_waitpid },
	{ "kill_busy", test_kill_busy },
	{ "kill_errors", test_kill_errors },
	{ "kill_early", test_kill_early },
	{ "kill_init", test_kill_init },
	{ "msleep", test_msleep },
	{ "fork_memory", test_fork_memory },
	{ "fork_bomb", test_fork_bomb },
	{ NULL, NULL },
};
