/*
 * pipe_test.c - the file layer's two blocking kinds of file (suite
 * "pipe"): pipes between two kernel threads (order, EOF, EPIPE, a full
 * pipe blocking its writer until the reader drains it), the console's
 * line discipline fed through tty_input(), and /dev/null.
 */
#include "fs/file.h"
#include "ktest/ktest.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "sched/sched.h"
#include "sched/thread.h"

/* ------------------------------------------------------------ pipes */

/* One side of a pipe test, run in its own thread. */
struct kt_pipe_job {
	struct file *f;		/* the end this thread uses; put when done if close */
	size_t n;		/* bytes to write (pattern) or to read */
	size_t piece;		/* write in pieces of this size; 0: of 1 to ~3000 */
	bool close;		/* file_put(f) at the end */
	long result;		/* last return value, or bytes moved */
	volatile bool done;
};

static u8 kt_pattern(size_t i)
{
	return (u8)(i * 7 + i / 251);
}

/* Write job->n pattern bytes in pieces (job->piece, or 1 to ~3000 bytes). */
static void kt_pipe_writer(void *arg)
{
	struct kt_pipe_job *job = arg;
	u8 *buf = kmalloc(3000, GFP_KERNEL);
	size_t done = 0;

	while (buf && done < job->n) {
		size_t k = MIN(job->n - done, job->piece ? job->piece : 1 + (done * 13) % 2999);

		for (size_t i = 0; i < k; i++)
			buf[i] = kt_pattern(done + i);
		job->result = file_write(job->f, buf, k);
		if (job->result != (long)k)
			break;
		done += k;
	}
	if (done == job->n)
		job->result = (long)done;
	kfree(buf);
	if (job->close)
		file_put(job->f);
	job->done = true;
}

static void kt_pipe_reader(void *arg)
{
	struct kt_pipe_job *job = arg;
	char c;

	job->result = file_read(job->f, &c, 1);
	job->done = true;
}

static void pipe_keeps_order_then_eof(struct ktest *t)
{
	struct file *rd, *wr;
	struct kt_pipe_job job = { NULL, 65536 + 123, 0, true, 0, false };
	u8 *buf = kmalloc(5000, GFP_KERNEL);
	size_t got = 0, bad = 0;
	long r;

	KTEST_EXPECT_EQ(t, pipe_create(&rd, &wr), 0);
	job.f = wr;
	struct thread *w = thread_create("pipe-wr", kt_pipe_writer, &job);

	/* Read in pieces of another rhythm until end of file. */
	while ((r = file_read(rd, buf, 1 + (got * 7) % 4999)) > 0) {
		for (long i = 0; i < r; i++)
			bad += buf[i] != kt_pattern(got + (size_t)i);
		got += (size_t)r;
	}
	KTEST_EXPECT_EQ(t, r, 0);		/* end of file: the writer closed */
	KTEST_EXPECT_EQ(t, got, job.n);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, thread_join(w), 0);
	KTEST_EXPECT_EQ(t, job.result, (long)job.n);
	KTEST_EXPECT_EQ(t, file_read(rd, buf, 10), 0);	/* and again */
	file_put(rd);
	kfree(buf);
}

/* Wait (at most 5 s) until th blocks or finishes: a fixed short sleep is
 * not enough where the machine is slow (nested KVM). */
static void kt_wait_blocked(struct thread *th, volatile bool *done)
{
	for (int i = 0; i < 500 && th->state != THREAD_BLOCKED && !*done; i++)
		sched_sleep_ms(10);
}

static void pipe_eof_wakes_a_blocked_reader(struct ktest *t)
{
	struct file *rd, *wr;
	struct kt_pipe_job job = { NULL, 1, 0, false, 99, false };

	KTEST_EXPECT_EQ(t, pipe_create(&rd, &wr), 0);
	job.f = rd;
	struct thread *th = thread_create("pipe-rd", kt_pipe_reader, &job);

	kt_wait_blocked(th, &job.done);
	KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED);
	KTEST_EXPECT(t, !job.done);
	file_put(wr);			/* the last writer goes: end of file */
	thread_join(th);
	KTEST_EXPECT_EQ(t, job.result, 0);
	file_put(rd);
}

static void pipe_epipe_without_reader(struct ktest *t)
{
	struct file *rd, *wr;
	struct kt_pipe_job job = { NULL, 10, 10, false, 0, false };
	u8 *full = kzalloc(PIPE_BUF, GFP_KERNEL);

	KTEST_EXPECT_EQ(t, pipe_create(&rd, &wr), 0);
	KTEST_EXPECT_EQ(t, file_write(wr, full, PIPE_BUF), PIPE_BUF);
	/* A writer blocked on the full pipe gets -EPIPE when the reader goes. */
	job.f = wr;
	struct thread *th = thread_create("pipe-wr", kt_pipe_writer, &job);

	kt_wait_blocked(th, &job.done);
	KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED);
	file_put(rd);
	thread_join(th);
	KTEST_EXPECT_EQ(t, job.result, -EPIPE);
	KTEST_EXPECT_EQ(t, file_write(wr, "x", 1), -EPIPE);
	KTEST_EXPECT_EQ(t, file_lseek(wr, 0, SEEK_SET), -ESPIPE);
	KTEST_EXPECT_EQ(t, file_read(wr, full, 1), -EBADF);	/* the write end */
	file_put(wr);
	kfree(full);
}

static void pipe_full_blocks_the_writer(struct ktest *t)
{
	struct file *rd, *wr;
	struct kt_pipe_job job = { NULL, 100, 100, false, 0, false };	/* one write */
	u8 *buf = kzalloc(PIPE_BUF, GFP_KERNEL);
	struct stat st;

	KTEST_EXPECT_EQ(t, pipe_create(&rd, &wr), 0);
	KTEST_EXPECT_EQ(t, file_write(wr, buf, PIPE_BUF), PIPE_BUF);
	file_stat(rd, &st);
	KTEST_EXPECT(t, st.type == S_IFIFO && st.size == PIPE_BUF);
	job.f = wr;
	struct thread *th = thread_create("pipe-wr", kt_pipe_writer, &job);

	kt_wait_blocked(th, &job.done);
	KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED);
	/* Room for 50 of its 100 bytes: an atomic write keeps waiting. */
	KTEST_EXPECT_EQ(t, file_read(rd, buf, 50), 50);
	sched_sleep_ms(20);
	kt_wait_blocked(th, &job.done);
	KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED);
	KTEST_EXPECT(t, !job.done);
	file_stat(rd, &st);
	KTEST_EXPECT_EQ(t, st.size, PIPE_BUF - 50);	/* not even part of it went in */
	KTEST_EXPECT_EQ(t, file_read(rd, buf, 50), 50);
	thread_join(th);
	KTEST_EXPECT_EQ(t, job.result, 100);
	/* Partial reads: what is there, in order, the writer's 100 bytes last. */
	KTEST_EXPECT_EQ(t, file_read(rd, buf, PIPE_BUF), PIPE_BUF);
	KTEST_EXPECT(t, buf[PIPE_BUF - 100] == kt_pattern(0) && buf[PIPE_BUF - 1] == kt_pattern(99));
	file_put(wr);
	file_put(rd);
	kfree(buf);
}

/* ------------------------------------------------------------ devices */

struct kt_tty_job {
	struct file *f;
	long result;
	volatile bool done;
	char buf[64];
};

static void kt_tty_reader(void *arg)
{
	struct kt_tty_job *job = arg;

	job->result = file_read(job->f, job->buf, sizeof(job->buf));
	job->done = true;
}

static void tty_cooks_lines(struct ktest *t)
{
	struct file *f;
	char buf[64];

	fs_init();
	KTEST_EXPECT_EQ(t, file_open("/dev/console", O_RDWR, &f), 0);
	/* Backspace (both codes) erases, Ctrl-U kills, CR LF is one Enter. */
	tty_input("abc\177\bd\n", 7);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "ad\n", 3));
	tty_input("\b\177x\n", 4);			/* nothing to erase */
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "x\n", 2));
	tty_input("xyz\025q\r\n", 7);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "q\n", 2));
	/* A line is handed out in pieces to small reads; one line per read. */
	tty_input("hello\nworld\n", 12);
	KTEST_EXPECT_EQ(t, file_read(f, buf, 3), 3);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 3);
	KTEST_EXPECT(t, !memcmp(buf, "lo\n", 3));
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 6);
	/* Ctrl-D: end of file at a line start, the line so far elsewhere. */
	tty_input("\004ab\004", 4);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 0);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 2);
	KTEST_EXPECT(t, !memcmp(buf, "ab", 2));
	/* A reader blocks until a line is complete. */
	struct kt_tty_job job = { f, 0, false, "" };
	struct thread *th = thread_create("tty-rd", kt_tty_reader, &job);

	tty_input("par", 3);
	kt_wait_blocked(th, &job.done);
	KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED);
	KTEST_EXPECT(t, !job.done);
	tty_input("tial\r", 5);
	thread_join(th);
	KTEST_EXPECT_EQ(t, job.result, 8);
	KTEST_EXPECT(t, !memcmp(job.buf, "partial\n", 8));
	KTEST_EXPECT_EQ(t, file_lseek(f, 0, SEEK_CUR), -ESPIPE);
	file_put(f);
}

static void dev_null_reads_eof_and_swallows(struct ktest *t)
{
	struct file *f;
	char buf[8] = "keep";

	fs_init();
	KTEST_EXPECT_EQ(t, file_open("/dev/null", O_RDWR, &f), 0);
	KTEST_EXPECT_EQ(t, file_read(f, buf, sizeof(buf)), 0);
	KTEST_EXPECT(t, !strcmp(buf, "keep"));
	KTEST_EXPECT_EQ(t, file_write(f, buf, 5), 5);
	KTEST_EXPECT_EQ(t, file_write(f, buf, 0), 0);
	file_put(f);
	KTEST_EXPECT_EQ(t, file_open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, &f), 0);
	file_put(f);
}

KTEST_SUITE(pipe, "pipe",
	    KTEST_CASE(pipe_keeps_order_then_eof),
	    KTEST_CASE(pipe_eof_wakes_a_blocked_reader),
	    KTEST_CASE(pipe_epipe_without_reader),
	    KTEST_CASE(pipe_full_blocks_the_writer),
	    KTEST_CASE(tty_cooks_lines),
	    KTEST_CASE(dev_null_reads_eof_and_swallows));
