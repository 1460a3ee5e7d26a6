/*
 * sched_lab.c - the scheduler lab's scenarios (labs/02-sched).  Each is a
 * small model of kernel code in which Linux once had a concurrency or
 * lifetime bug around threads and wait queues; this file is the corrected
 * version and labs/02-sched/bugs/ puts the bugs back.
 */
#include "arch/x86_64/timer.h"
#include "lab/lab.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "sched/hung_task.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "sched/thread.h"
#include "sched/wait.h"

#define ELOOP 40

/*
 * 1. Waiting for a free tag (sbitmap, 040b83fcecfb "fix possible io hung
 * due to lost wakeup").  The waiter must be on the wait queue BEFORE it
 * checks for a free tag; wait_event() does it in that order.  Checked the
 * other way round, a tag freed (and its wake-up sent) between the check
 * and the sleep wakes nobody, and the waiter sleeps forever.
 */
struct tag_pool {
	spinlock_t lock;
	int free;			/* [lock] tags available */
	struct wait_queue_head wq;	/* threads waiting for a tag */
};

static struct tag_pool pool;

/* Take a tag if one is free.  Caller holds p->lock. */
static bool tag_try_get_locked(struct tag_pool *p)
{
	spin_assert_held(&p->lock);
	if (p->free == 0)
		return false;
	p->free--;
	return true;
}

static bool tag_try_get(struct tag_pool *p)
{
	u64 flags = spin_lock_irqsave(&p->lock);
	bool got = tag_try_get_locked(p);

	spin_unlock_irqrestore(&p->lock, flags);
	return got;
}

__attribute__((noipa)) static void tag_get(struct tag_pool *p)
{
	wait_event(p->wq, tag_try_get(p));
}

static void tag_put(struct tag_pool *p)
{
	u64 flags = spin_lock_irqsave(&p->lock);

	p->free++;
	spin_unlock_irqrestore(&p->lock, flags);
	wake_up_one(&p->wq);
}

static volatile bool tag_done;

static void tag_waiter(void *arg)
{
	(void)arg;
	tag_get(&pool);
	tag_done = true;
}

static void tag_completer(void *arg)
{
	(void)arg;
	sched_sleep_ms(5);	/* the I/O completes a little later */
	tag_put(&pool);
}

static void lab_tag_wait(void)
{
	unsigned old = hung_task_timeout();

	spin_lock_init(&pool.lock);
	pool.free = 0;
	init_waitqueue_head(&pool.wq);
	tag_done = false;
	hung_task_set_timeout(1);	/* report a stuck waiter within ~2 s */
	struct thread *w = thread_create("tagwaiter", tag_waiter, NULL);
	struct thread *c = thread_create("completer", tag_completer, NULL);

	thread_join(c);
	/* A waiter that missed its wake-up would stay blocked: give it 3 s
	 * (the watchdog speaks first), then rescue it so the lab can end. */
	for (int i = 0; i < 300 && !tag_done; i++)
		sched_sleep_ms(10);
	if (!tag_done) {
		pr_info("tag: waiter still blocked after 3 s; waking it again\n");
		tag_put(&pool);
	}
	thread_join(w);
	hung_task_set_timeout(old);
}
LAB_SCENARIO(lab_tag_wait, "tag-wait", "wait for a tag that an I/O completion frees");

/*
 * 2. A thread object polled through epoll (binder, CVE-2019-2215).  The
 * thread's wait queue may have poll entries from an epoll instance linked
 * on it; before the thread object is freed, wake_up_pollfree() must wake
 * and unlink them, or epoll's later cleanup writes into freed memory.
 */
struct binder_thread {
	int tid;
	struct wait_queue_head wait;	/* pollers link here; owned by the thread */
};

struct epitem {
	struct wait_queue_entry wait;	/* linked on *whead while registered */
	struct wait_queue_head *whead;	/* NULL once the queue went away */
};

static void ep_poll_callback(struct wait_queue_entry *w)
{
	struct epitem *epi = (struct epitem *)((char *)w - __builtin_offsetof(struct epitem, wait));

	epi->whead = NULL;	/* POLLFREE: the queue is gone, forget it */
}

__attribute__((noipa)) static void binder_thread_release(struct binder_thread *bt)
{
	wake_up_pollfree(&bt->wait);
	kfree(bt);
}

__attribute__((noipa)) static void ep_remove(struct epitem *epi)
{
	if (epi->whead)
		remove_wait_queue(epi->whead, &epi->wait);
}

static void lab_binder_poll(void)
{
	struct binder_thread *bt = kzalloc(sizeof(*bt), GFP_KERNEL);
	struct epitem *epi = kzalloc(sizeof(*epi), GFP_KERNEL);

	bt->tid = 7;
	init_waitqueue_head(&bt->wait);
	INIT_LIST_HEAD(&epi->wait.link);
	epi->wait.func = ep_poll_callback;
	epi->whead = &bt->wait;
	add_wait_queue(&bt->wait, &epi->wait);	/* epoll_ctl(ADD) on the thread */
	binder_thread_release(bt);		/* BINDER_THREAD_EXIT */
	ep_remove(epi);				/* close(epfd) */
	kfree(epi);
}
LAB_SCENARIO(lab_binder_poll, "binder-poll", "free a polled thread object, then close the epoll");

/*
 * 3. Picking from an empty run queue (sched/rt, CVE-2023-1077).  When no
 * thread is runnable the policy must say so (NULL), so that the idle
 * thread runs; list_first_entry() on an empty list returns the list head
 * itself cast to the wrong type, never NULL.  This scenario makes the
 * run queue empty: main sleeps while nothing else is runnable.
 */
static void lab_idle_cpu(void)
{
	u64 start = jiffies;

	sched_sleep_ms(30);
	pr_info("idle: slept %llu ticks with nothing else to run\n",
		(unsigned long long)(jiffies - start));
}
LAB_SCENARIO(lab_idle_cpu, "idle-cpu", "sleep while no other thread is runnable");

/*
 * 4. Following symbolic links (fs/namei.c's nesting limit).  Each level of
 * link resolution costs kernel stack; the limit is what keeps a loop of
 * links from recursing until the stack runs out.
 */
#define MAX_NESTED_LINKS 8

struct fake_inode {
	const char *name;
	struct fake_inode *link;	/* borrowed: the link's target, or NULL */
};

__attribute__((noipa)) static int walk_link(const struct fake_inode *in, int depth)
{
	char component[128];	/* a path component, on the stack as in namei */

	if (depth >= MAX_NESTED_LINKS)
		return -ELOOP;
	strncpy_safe(component, in->name, sizeof(component));
	if (!in->link)
		return (int)strlen(component);
	return walk_link(in->link, depth + 1);
}

static void link_walker(void *arg)
{
	int r = walk_link(arg, 0);

	pr_info("namei: lookup through a link loop returned %d (-ELOOP is %d)\n", r, -ELOOP);
}

static void lab_link_loop(void)
{
	static struct fake_inode a = { "a", NULL }, b = { "b", NULL };

	a.link = &b;	/* a -> b -> a -> ... */
	b.link = &a;
	thread_join(thread_create("namei", link_walker, &a));
}
LAB_SCENARIO(lab_link_loop, "link-loop", "resolve a path through a loop of symbolic links");
