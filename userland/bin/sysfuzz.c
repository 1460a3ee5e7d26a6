/*
 * sysfuzz - a system call fuzzer: random calls with random and boundary
 * arguments, made from ring 3 through the raw `syscall` instruction, to
 * show that the kernel answers nonsense with errors and never with a
 * crash, a hang or a sanitizer report.
 *
 *   sysfuzz [-v] [-s SEED] [-t SECONDS] [-n CALLS]
 *
 * -v: each worker that ends normally prints, per call, how many times it
 * succeeded and which errors it got (how deep the fuzzing reaches).
 * Defaults: a seed from the clock, and -n 10000 if neither -t nor -n is
 * given.  The same seed makes the same sequence of calls (the kernel's
 * answers may still differ: pids, free memory).
 *
 * Processes:
 *
 *   sysfuzz (parent) --fork--> worker k (seed SEED + k - 1): the calls
 *                    --fork--> ticker: a tick into the report pipe every
 *                              100 ms, so that the parent, blocked in
 *                              read(), can watch the clock
 *
 * The worker announces each call before making it (8 bytes into the
 * report pipe, fd OPEN_MAX - 1), so when it dies the parent can say in
 * which call.  A worker killed by a signal is logged and replaced by the
 * next seed's; one that makes no progress for 5 s is killed and counted
 * as hung.  Output: `sysfuzz: seed N` first, a progress line every 5000
 * calls, and `sysfuzz: N calls, M workers, K killed by signals, done`.
 * Exit status 0 when the run is over (the verdict on the kernel is its
 * console: no BUG, KASAN, UBSAN or lockdep report; tests/user checks).
 *
 * Skipped, because they would end the fuzzing in a boring way: exit,
 * monitor (waits for the console), lab (prints reports on purpose), exec
 * of an existing file (the worker would stop fuzzing), reads and writes
 * on pipes (they may block forever with no one on the other end), calls
 * that would close, replace or use the report pipe.  Tamed: kill of the
 * parent, the ticker, init, the worker itself or pid <= 0 (a process
 * group in Linux) sends signal 0 instead; msleep is capped at 20 ms.
 */
#include <err.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>

#define REPORT_FD   (OPEN_MAX - 1)	/* the worker's end of the report pipe */
#define STATS_FD    (OPEN_MAX - 2)	/* -v: the console, for the worker's statistics */
#define TICK        0xffffffffu		/* a report from the ticker */
#define PROGRESS    5000		/* calls between progress lines */
#define HANG_MS     5000		/* no call finished for this long: hung */
#define PAGE        4096UL

static const char *const names[] = {
#define SYSCALL(nr, name, rtype, params) [nr] = #name,
#include "uapi/syscalls.def"
#undef SYSCALL
};

struct report {
	uint32_t seq;		/* calls made before this one, or TICK */
	uint32_t nr;		/* the call about to be made (low 32 bits) */
};

/* ---------------------------------------------------------------- worker */

static uint64_t rng;		/* xorshift64* state */
static int parent_pid, ticker_pid, init_pid, my_pid;

/* What pointer arguments point at: scratch is the worker's own valid
 * memory, which calls may overwrite at will.  It is mmap'd, not static:
 * a call given a pointer near its end and a long length writes past it,
 * and what lies there must be fuzzing's own (other mmap regions, the
 * cliff of `mapped`), never the worker's variables in .data and .bss. */
#define SCRATCH (3 * PAGE)
static unsigned char *scratch;
static long mapped;
static const char *const paths[] = {
	"/etc/motd", "/bin", "/", "/dev/null", "", "/nonexistent", "/tmp/fz0",
	"/tmp/fz1", "/tmp/fz2", "/tmp/", "/tmp/fz0/x", "//tmp/../tmp/./fz1",
	"relative", "/etc/motd/x",
	"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static long pick(const long *v, size_t n)
{
	return v[rnd() % n];
}

/* One argument: boundary values, small numbers, and pointers good, bad
 * and in between. */
static long rand_arg(void)
{
	static const long edges[] = { 0, -1, 1, 2, INT_MAX, INT_MIN, (long)UINT_MAX, LONG_MAX,
				      LONG_MIN, 4096, 4095, 8192, OPEN_MAX, ARG_MAX, PATH_MAX };
	static const long kernel[] = { (long)0xffff888000000000UL, (long)0xffffffff80100000UL,
				       (long)0xffffffff80000000UL, (long)0xffffc90000000000UL,
				       (long)0x8000000000000000UL, (long)0x0000800000000000UL,
				       (long)USER_TOP, (long)(USER_TOP - 1), (long)(USER_TOP - PAGE),
				       (long)USER_STACK_TOP, (long)USER_MMAP_BASE, 0x1000, 0x400000 };
	long heap_end = (sbrk(0) + (long)PAGE - 1) & ~(long)(PAGE - 1);

	switch (rnd() % 14) {
	case 0: case 1:
		return pick(edges, sizeof(edges) / sizeof(edges[0]));
	case 2: case 3:
		return (long)(rnd() % 24);			/* fds, signals, indexes */
	case 4:
		return (long)rnd();				/* anything */
	case 5:
		return (long)(rnd() % 100000);			/* lengths */
	case 6:
		return pick(kernel, sizeof(kernel) / sizeof(kernel[0])) + (long)(rnd() % 3) * 8;
	case 7: case 8:
		return (long)(scratch + rnd() % SCRATCH);
	case 9:
		return mapped + 2 * (long)PAGE - (long)(rnd() % 64);	/* the end of a mapping */
	case 10:
		return heap_end - (long)(rnd() % 64);			/* the end of the heap */
	case 11:
		return (long)(USER_STACK_TOP - rnd() % 16);		/* the top of the stack */
	case 12:
		return (long)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
	default:
		return (long)(rnd() % 4) << (rnd() % 64);		/* single bits */
	}
}

/*
 * Typed arguments: most of the time an argument has the shape its
 * parameter wants (an fd that is probably open, a buffer that is valid,
 * flags that make sense), so that calls get past the first check and into
 * the code behind it; the rest of the time anything from rand_arg().
 */
enum kind { K_ANY, K_FD, K_BUF, K_LEN, K_PATH, K_OFLAGS, K_PID, K_SIG, K_INCR, K_ADDR,
	    K_PROT, K_MFLAGS, K_MS, K_WHENCE, K_INDEX, K_OFF, K_ARGV };

static const unsigned char kinds[][6] = {
	[SYS_read]     = { K_FD, K_BUF, K_LEN },
	[SYS_write]    = { K_FD, K_BUF, K_LEN },
	[SYS_open]     = { K_PATH, K_OFLAGS },
	[SYS_close]    = { K_FD },
	[SYS_pipe]     = { K_BUF },
	[SYS_dup]      = { K_FD },
	[SYS_dup2]     = { K_FD, K_FD },
	[SYS_exec]     = { K_PATH, K_ARGV },
	[SYS_waitpid]  = { K_PID, K_BUF, K_INDEX },
	[SYS_kill]     = { K_PID, K_SIG },
	[SYS_sbrk]     = { K_INCR },
	[SYS_mmap]     = { K_ADDR, K_LEN, K_PROT, K_MFLAGS },
	[SYS_munmap]   = { K_ADDR, K_LEN },
	[SYS_msleep]   = { K_MS },
	[SYS_time]     = { K_BUF },
	[SYS_readdir]  = { K_FD, K_BUF },
	[SYS_stat]     = { K_PATH, K_BUF },
	[SYS_lseek]    = { K_FD, K_OFF, K_WHENCE },
	[SYS_procinfo] = { K_INDEX, K_BUF },
	[SYS_meminfo]  = { K_BUF },
	[SYS_uname]    = { K_BUF },
	[SYS_unlink]   = { K_PATH },
	[SYS_fstat]    = { K_FD, K_BUF },
};

static long maps[16], map_len[16];	/* regions the worker's mmap calls returned */
static long last_child;		/* the pid its last fork returned */

/* A pointer to argv-shaped memory: pointers to strings, then NULL. */
static long rand_argv(void)
{
	char **v = (char **)(scratch + PAGE);

	for (int i = 0; i < 4; i++)
		v[i] = (char *)(rnd() % 2 ? (long)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))]
					 : rand_arg());
	v[rnd() % 5] = NULL;
	return (long)v;
}

static long typed_arg(enum kind k)
{
	static const long oflags[] = { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT | O_RDWR,
				       O_CREAT | O_TRUNC | O_WRONLY, O_APPEND | O_WRONLY,
				       O_CREAT | O_APPEND | O_RDWR, O_TRUNC | O_RDONLY };

	if (k == K_ANY || rnd() % 4 == 0)
		return rand_arg();
	switch (k) {
	case K_FD:
		return (long)(rnd() % (OPEN_MAX + 1));
	case K_BUF:
		return (long)(scratch + rnd() % (2 * PAGE));
	case K_LEN:
		return (long)(rnd() % 3 ? rnd() % 512 : rnd() % (3 * PAGE));
	case K_PATH:
		return (long)paths[rnd() % (sizeof(paths) / sizeof(paths[0]))];
	case K_OFLAGS:
		return pick(oflags, sizeof(oflags) / sizeof(oflags[0]));
	case K_PID:
		return rnd() % 2 ? last_child : (long)(rnd() % 3) - 1;
	case K_SIG:
		return (long)(rnd() % (NSIG + 2));
	case K_INCR:
		return ((long)(rnd() % 17) - 8) * (long)(rnd() % 2 ? PAGE : 100);
	case K_ADDR:
		return rnd() % 2 ? maps[rnd() % 16] : 0;
	case K_PROT:
		return (long)(rnd() % 8);
	case K_MFLAGS:
		return rnd() % 8 ? MAP_PRIVATE | MAP_ANONYMOUS : (long)(rnd() % 0x40);
	case K_MS:
		return (long)(rnd() % 5);
	case K_WHENCE:
		return (long)(rnd() % 4);
	case K_INDEX:
		return (long)(rnd() % 8);
	case K_OFF:
		return rnd() % 4 ? (long)(rnd() % 8192) - 1024 : rand_arg();
	case K_ARGV:
		return rand_argv();
	default:
		return rand_arg();
	}
}

/* Note what a call returned that later calls can use. */
static void remember(long nr, const long *a, long r)
{
	if (nr == SYS_mmap && !MAP_FAILED_ERR(r)) {
		int i = (int)(rnd() % 16);

		maps[i] = r;
		map_len[i] = a[1];
	} else if (nr == SYS_munmap && r == 0) {
		for (int i = 0; i < 16; i++)
			if (maps[i] == a[0])
				maps[i] = 0;
	} else if (nr == SYS_fork && r > 0) {
		last_child = r;
	}
}

static long raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

static bool is_pipe(long fd)
{
	struct stat st;

	return fd >= 0 && fd < OPEN_MAX && fstat((int)fd, &st) == 0 && st.type == S_IFIFO;
}

/* Does the string at a (if it is readable and ours) name an existing file? */
static bool names_a_file(long a)
{
	struct stat st;

	return stat((const char *)a, &st) == 0 && st.type == S_IFREG && a != (long)paths[0];
}

/* The fds the fuzzing needs, which calls may not close, replace, copy
 * or use (a copy of the console would let read() wait for a keyboard). */
static bool is_ours(long fd)
{
	return (int)fd == REPORT_FD || (int)fd == STATS_FD;
}

/* Make the call harmless to the fuzzing itself (see the top comment);
 * false to skip it altogether. */
static bool tame(long nr, long *a)
{
	switch (nr) {
	case SYS_exit: case SYS_monitor: case SYS_lab:
		return false;
	case SYS_exec:
		return !names_a_file(a[0]);
	case SYS_kill: {
		int pid = (int)a[0];

		if (pid == parent_pid || pid == ticker_pid || pid == init_pid || pid == 1 ||
		    pid <= 0 || pid == my_pid)
			a[1] = 0;	/* signal 0: only "does it exist?" */
		return true;
	}
	case SYS_msleep:
		if ((unsigned long)a[0] <= 24UL * 3600 * 1000)
			a[0] = (long)((unsigned long)a[0] % 20);
		return true;
	case SYS_read: case SYS_write:
		return !is_ours(a[0]) && !is_pipe((int)a[0]);
	case SYS_munmap:		/* rand_argv() writes into scratch */
		return (unsigned long)a[0] - (unsigned long)scratch >= SCRATCH;
	case SYS_close: case SYS_dup:
		return !is_ours(a[0]);
	case SYS_dup2:
		return !is_ours(a[0]) && !is_ours(a[1]);
	default:
		return true;
	}
}

static long next_nr(void)
{
	static const long odd[] = { SYS_COUNT, SYS_COUNT + 1, 255, 256, 1000, INT_MAX,
				    (long)UINT_MAX, -1, LONG_MIN, (1L << 32) + SYS_getpid };

	if (rnd() % 16 == 0)
		return pick(odd, sizeof(odd) / sizeof(odd[0]));
	return (long)(rnd() % SYS_COUNT);
}

static bool verbose;		/* -v */
static uint32_t n_ok[SYS_COUNT], n_err[SYS_COUNT][ENOTEMPTY + 1], n_skip[SYS_COUNT];

static void count(long nr, long ret, bool skipped)
{
	if (nr < 0 || nr >= SYS_COUNT)
		return;
	if (skipped)
		n_skip[nr]++;
	else if (!MAP_FAILED_ERR(ret))	/* mmap's addresses count as success too */
		n_ok[nr]++;
	else if (-ret <= ENOTEMPTY)
		n_err[nr][-ret]++;
}

static void print_stats(void)
{
	for (int nr = 0; nr < SYS_COUNT; nr++) {
		dprintf(STATS_FD, "sysfuzz:   %-8s ok %5u skipped %5u", names[nr], n_ok[nr], n_skip[nr]);
		for (int e = 1; e <= ENOTEMPTY; e++)
			if (n_err[nr][e])
				dprintf(STATS_FD, " -%d:%u", e, n_err[nr][e]);
		dprintf(STATS_FD, "\n");
	}
}

static __attribute__((noreturn)) void worker(uint64_t seed, long budget, int report_fd)
{
	long null = open("/dev/null", O_RDWR), a[6];
	uint32_t seq = 0;

	if (verbose)
		dup2(STDOUT_FILENO, STATS_FD);
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	my_pid = (int)getpid();
	/* The calls may write anywhere the worker can; keep the console out
	 * of it (fd 0 would also make read() wait for a keyboard). */
	for (int fd = 0; fd < 3; fd++)
		dup2((int)null, fd);
	if (null > 2)
		close((int)null);
	if (dup2(report_fd, REPORT_FD) < 0)
		exit(3);
	if (report_fd != REPORT_FD)
		close(report_fd);
	scratch = (unsigned char *)mmap(NULL, SCRATCH, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS);
	mapped = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (MAP_FAILED_ERR((long)scratch) || MAP_FAILED_ERR(mapped))
		exit(5);
	while (budget < 0 || seq < budget) {
		long nr = next_nr();
		struct report r = { seq, (uint32_t)nr };

		for (int i = 0; i < 6; i++)
			a[i] = nr >= 0 && nr < SYS_COUNT && (size_t)nr < sizeof(kinds) / sizeof(kinds[0]) ?
				typed_arg(kinds[nr][i]) : rand_arg();
		if (nr == SYS_munmap && rnd() % 2) {	/* a region as it was mapped */
			int i = (int)(rnd() % 16);

			a[0] = maps[i];
			a[1] = map_len[i];
		}
		if (!tame(nr, a)) {
			count(nr, 0, true);
			continue;
		}
		if (write(REPORT_FD, &r, sizeof(r)) != sizeof(r))
			exit(4);
		long ret = raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);

		if (ret == 0 && nr == SYS_fork)
			exit(0);	/* the fork's child: done at once */
		remember(nr, a, ret);
		count(nr, ret, false);
		seq++;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;		/* reap those children */
	}
	if (verbose)
		print_stats();
	exit(0);
}

/* ---------------------------------------------------------------- parent */

static __attribute__((noreturn)) void ticker(int fd)
{
	struct report r = { TICK, 0 };

	for (;;) {
		msleep(100);
		if (write(fd, &r, sizeof(r)) != sizeof(r))
			exit(1);
	}
}

static long now_ms(void)
{
	struct timespec ts;

	time(&ts);
	return (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static const char *call_name(uint32_t nr)
{
	return nr < SYS_COUNT ? names[nr] : "(out of range)";
}

#define USAGE "sysfuzz [-v] [-s SEED] [-t SECONDS] [-n CALLS]"

static long parse_num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (end == s || *end || v < 0)
		err_usage(USAGE);
	return v;
}

/* What the parent knows about the running worker. */
struct watch {
	long pid;
	long calls;		/* calls announced */
	uint32_t seq, nr;	/* the last one announced */
	long last_ms;		/* when it was announced */
};

/* Take the reports waiting in the pipe (blocking until at least a tick
 * comes); returns how many messages the read returned. */
static long take_reports(int fd, struct watch *w)
{
	struct report rep[64];
	long n = read(fd, rep, sizeof(rep));

	for (long i = 0; i < n / (long)sizeof(rep[0]); i++) {
		if (rep[i].seq == TICK)
			continue;
		w->calls = rep[i].seq + 1;
		w->seq = rep[i].seq;
		w->nr = rep[i].nr;
		w->last_ms = now_ms();
	}
	return n < 0 ? 0 : n / (long)sizeof(rep[0]);
}

/* Reap what has ended: true if the worker has (status in *st).  Orphans
 * (ours when sysfuzz is init) are collected; a dead ticker is replaced. */
static bool reap(long worker_pid, int *st, int report_w)
{
	bool done = false;
	long r;
	int s;

	while ((r = waitpid(-1, &s, WNOHANG)) > 0) {
		if (r == worker_pid) {
			*st = s;
			done = true;
		} else if (r == ticker_pid) {
			printf("sysfuzz: the ticker died (status %#x); starting another\n", s);
			ticker_pid = (int)fork();
			if (ticker_pid == 0)
				ticker(report_w);
		}
	}
	return done;
}

int main(int argc, char **argv)
{
	long seed = -1, seconds = -1, calls = -1, deadline;
	long total = 0, workers = 0, killed = 0, hung = 0, next_progress = PROGRESS;
	struct procinfo pi;
	int fds[2];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			verbose = true;
			continue;
		}
		if (i + 1 >= argc || argv[i][0] != '-' || !argv[i][1] || argv[i][2])
			err_usage(USAGE);
		switch (argv[i][1]) {
		case 's': seed = parse_num(argv[++i]); break;
		case 't': seconds = parse_num(argv[++i]); break;
		case 'n': calls = parse_num(argv[++i]); break;
		default: err_usage(USAGE);
		}
	}
	if (seconds < 0 && calls < 0)
		calls = 10000;
	if (seed < 0)
		seed = now_ms() % 1000000;
	printf("sysfuzz: seed %ld\n", seed);
	parent_pid = (int)getpid();
	for (int i = 0; procinfo(i, &pi) > 0; i++)
		if (pi.ppid == 0)
			init_pid = pi.pid;
	if (pipe(fds) < 0)
		return err_report("sysfuzz", "pipe", -EMFILE);
	ticker_pid = (int)fork();
	if (ticker_pid == 0)
		ticker(fds[1]);
	deadline = seconds >= 0 ? now_ms() + seconds * 1000 : LONG_MAX;

	while ((calls < 0 || total < calls) && now_ms() < deadline) {
		struct watch w = { 0, 0, 0, 0, now_ms() };
		long wseed = seed + workers;
		bool stopped = false;
		int st = 0;

		if (++workers > 1)
			printf("sysfuzz: worker %ld: seed %ld\n", workers, wseed);
		w.pid = fork();
		if (w.pid == 0) {
			close(fds[0]);
			worker((uint64_t)wseed, calls < 0 ? -1 : calls - total, fds[1]);
		}
		if (w.pid < 0) {
			printf("sysfuzz: fork failed (%s); stopping\n", strerror((int)-w.pid));
			break;
		}
		for (;;) {
			take_reports(fds[0], &w);
			if (total + w.calls >= next_progress) {
				printf("sysfuzz: %ld calls, %ld workers, %ld killed by signals\n",
				       total + w.calls, workers, killed);
				next_progress += PROGRESS;
			}
			if (reap(w.pid, &st, fds[1]))
				break;
			if (now_ms() >= deadline || now_ms() - w.last_ms > HANG_MS) {
				if (now_ms() < deadline) {
					hung++;
					printf("sysfuzz: worker %ld (seed %ld) hung in call %u (%u %s); "
					       "killing it\n", workers, wseed, w.seq, w.nr, call_name(w.nr));
				}
				kill((int)w.pid, SIGKILL);
				waitpid((int)w.pid, &st, 0);
				stopped = true;
				break;
			}
		}
		/* Reports still in the pipe: a short read means it is empty, and
		 * after the worker's end only ticks can follow. */
		while (take_reports(fds[0], &w) == 64)
			;
		/* A call announced by a worker that did not exit may not have finished. */
		total += stopped || WIFSIGNALED(st) ? (w.calls > 0 ? w.calls - 1 : 0) : w.calls;
		if (!stopped && WIFSIGNALED(st)) {
			killed++;
			printf("sysfuzz: worker %ld (seed %ld) killed by signal %d in call %u (%u %s)\n",
			       workers, wseed, WTERMSIG(st), w.seq, w.nr, call_name(w.nr));
		} else if (!stopped && WEXITSTATUS(st) != 0) {
			printf("sysfuzz: worker %ld (seed %ld) exited with status %d\n", workers, wseed,
			       WEXITSTATUS(st));
		}
	}
	kill(ticker_pid, SIGKILL);
	waitpid(ticker_pid, NULL, 0);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (hung)
		printf("sysfuzz: %ld workers hung\n", hung);
	printf("sysfuzz: %ld calls, %ld workers, %ld killed by signals, done\n", total, workers, killed);
	return 0;
}
