/*
 * pipe.c - pipes: a PIPE_BUF-byte ring between a read end and a write end
 * (two struct files made by pipe_create, shared further by dup and fork).
 *
 *   buf: [....tail=====data=====head......]   (indices modulo PIPE_BUF)
 *   read takes from tail, write adds at head; head - tail bytes are queued.
 *
 * Semantics (POSIX, as Linux does it): a read blocks while the pipe is
 * empty and the write end is open, returns what is there (possibly less
 * than asked), and returns 0 (end of file) once the write end is closed
 * and the data drained.  A write of at most PIPE_BUF bytes goes in whole
 * or waits, so it is never interleaved with another writer's; a bigger
 * one goes in pieces.  A write with the read end closed gets -EPIPE
 * (there are no signals).  A blocked reader or writer whose process is
 * killed returns -EINTR.
 *
 * Lock: pipe->lock (a mutex) guards the ring and the open flags, and is
 * held while waking the other side.  Lifetime: each end owns one of
 * pipe->ends references, dropped after its last unlock of the mutex; the
 * end that drops the last frees the pipe.  Deciding "last" under the
 * mutex would not do: mutex_unlock still wakes the mutex's waiters after
 * it has released it, and the other end could free the pipe in between
 * (why Linux, too, keeps object lifetimes out of mutexes).
 */
#include "fs/file.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "proc/proc.h"
#include "sched/mutex.h"
#include "sched/wait.h"

#define PIPE_MAGIC 0x50495045u		/* "PIPE" */
#define PIPE_DEAD  0x70697065u		/* "pipe": written just before kfree */

struct pipe {
	u32 magic;			/* PIPE_MAGIC; checked on every use */
	u32 ends;			/* atomic: open ends (2, 1, 0: free) */
	struct mutex lock;
	/* [lock] */
	u8 *buf;			/* owned, PIPE_BUF bytes */
	u64 head;			/* bytes ever written; buf index head % PIPE_BUF */
	u64 tail;			/* bytes ever read; head - tail <= PIPE_BUF */
	bool read_open;			/* the read end's file still exists */
	bool write_open;
	/* Wait queues (their own interrupt-safe locking, wait.h): */
	struct wait_queue_head readable;	/* readers: data, or no writer */
	struct wait_queue_head writable;	/* writers: room, or no reader */
};

static struct pipe *pipe_of(struct file *f)
{
	struct pipe *p = f->private;

	if (p->magic != PIPE_MAGIC)
		panic("pipe: %p has magic %#x, not PIPE_MAGIC (%s)", (void *)p, p->magic,
		      p->magic == PIPE_DEAD ? "used after free" : "overwritten");
	return p;
}

/*
 * Sleep on wq until woken.  The caller holds p->lock, found its condition
 * false, and tests it again afterwards.  No wake-up is lost: every waker
 * changes the pipe and wakes under p->lock, so it wakes us after we are
 * queued (prepare_to_wait runs before we let the lock go).  A kill sets
 * the process's flag and then sched_wake()s its thread; testing the flag
 * after prepare_to_wait catches both orders: killed before, we see the
 * flag; killed after, the wake makes schedule() return.  -EINTR if killed.
 */
static int pipe_wait_locked(struct pipe *p, struct wait_queue_head *wq)
{
	DEFINE_WAIT(w);

	prepare_to_wait_interruptible(wq, &w);
	bool killed = proc_killed();

	mutex_unlock(&p->lock);
	if (!killed)
		schedule();
	finish_wait(wq, &w);
	mutex_lock(&p->lock);
	return killed ? -EINTR : 0;
}

/* Take n queued bytes from tail / put n at head: two runs if the ring wraps. */
static void pipe_copy_out(struct pipe *p, u8 *buf, size_t n)
{
	size_t at = p->tail % PIPE_BUF, run = MIN(n, PIPE_BUF - at);

	memcpy(buf, p->buf + at, run);
	memcpy(buf + run, p->buf, n - run);
}

static void pipe_copy_in(struct pipe *p, const u8 *buf, size_t n)
{
	size_t at = p->head % PIPE_BUF, run = MIN(n, PIPE_BUF - at);

	memcpy(p->buf + at, buf, run);
	memcpy(p->buf, buf + run, n - run);
}

static long pipe_read(struct file *f, void *buf, size_t n)
{
	struct pipe *p = pipe_of(f);
	long r;

	if (n == 0)
		return 0;
	mutex_lock(&p->lock);
	for (;;) {
		size_t queued = p->head - p->tail;

		if (queued) {
			size_t k = MIN(n, queued);

			pipe_copy_out(p, buf, k);
			p->tail += k;
			wake_up_all(&p->writable);
			r = (long)k;
			break;
		}
		if (!p->write_open) {
			r = 0;		/* end of file */
			break;
		}
		r = pipe_wait_locked(p, &p->readable);
		if (r)
			break;
	}
	mutex_unlock(&p->lock);
	return r;
}

static long pipe_write(struct file *f, const void *buf, size_t n)
{
	struct pipe *p = pipe_of(f);
	size_t done = 0;
	long r = 0;

	mutex_lock(&p->lock);
	while (done < n) {
		if (!p->read_open) {
			r = -EPIPE;
			break;
		}
		size_t room = PIPE_BUF - (p->head - p->tail), left = n - done;

		/* Atomic up to PIPE_BUF: such a write waits for room for all
		 * of it; a bigger one takes whatever room there is. */
		if (room >= left || (n > PIPE_BUF && room > 0)) {
			size_t k = MIN(room, left);

			pipe_copy_in(p, (const u8 *)buf + done, k);
			p->head += k;
			done += k;
			wake_up_all(&p->readable);
			continue;
		}
		r = pipe_wait_locked(p, &p->writable);
		if (r)
			break;
	}
	mutex_unlock(&p->lock);
	return done ? (long)done : r;
}

static void pipe_stat(struct file *f, struct stat *st)
{
	struct pipe *p = pipe_of(f);

	mutex_lock(&p->lock);
	st->type = S_IFIFO;
	st->mode = 0600;
	st->size = p->head - p->tail;	/* bytes waiting to be read */
	mutex_unlock(&p->lock);
}

static void pipe_release(struct file *f)
{
	struct pipe *p = pipe_of(f);

	mutex_lock(&p->lock);
	/* The other side must notice: a reader sees end of file, a writer
	 * -EPIPE.  Woken under the lock, like every other wake-up here. */
	if (file_can_read(f)) {
		p->read_open = false;
		wake_up_all(&p->writable);
	} else {
		p->write_open = false;
		wake_up_all(&p->readable);
	}
	mutex_unlock(&p->lock);
	if (__atomic_sub_fetch(&p->ends, 1, __ATOMIC_ACQ_REL) == 0) {
		kfree(p->buf);
		p->magic = PIPE_DEAD;
		kfree(p);
	}
}

static const struct file_ops pipe_read_ops = {
	.name = "pipe", .seekable = false,
	.read = pipe_read, .stat = pipe_stat, .release = pipe_release,
};

static const struct file_ops pipe_write_ops = {
	.name = "pipe", .seekable = false,
	.write = pipe_write, .stat = pipe_stat, .release = pipe_release,
};

int pipe_create(struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);
	u8 *buf = kmalloc(PIPE_BUF, GFP_KERNEL);
	struct file *r = file_alloc(&pipe_read_ops, O_RDONLY, p);
	struct file *w = file_alloc(&pipe_write_ops, O_WRONLY, p);

	if (!p || !buf || !r || !w) {
		/* Nothing was published yet: plain frees, no release. */
		kfree(w);
		kfree(r);
		kfree(buf);
		kfree(p);
		return -ENOMEM;
	}
	p->magic = PIPE_MAGIC;
	p->ends = 2;
	p->buf = buf;
	p->read_open = p->write_open = true;
	mutex_init(&p->lock);
	init_waitqueue_head(&p->readable);
	init_waitqueue_head(&p->writable);
	*rd = r;
	*wr = w;
	return 0;
}
