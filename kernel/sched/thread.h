/*
 * thread.h - kernel threads (thread.c): each has its own kernel stack with
 * a guard page below it (vm_alloc_stack), a saved stack pointer while it is
 * not running, and a state the scheduler moves it through:
 *
 *   thread_create -> RUNNABLE <-> RUNNING -> (thread_exit) ZOMBIE
 *                        ^            |                       |
 *                        |            v                       v
 *                        +------ BLOCKED / SLEEPING     thread_join: reaped
 *
 * Ownership: the thread list and every field marked [rq] belong to the
 * scheduler and change only with interrupts disabled; a struct thread is
 * freed by the thread that joins it, never by itself.
 */
#ifndef CANARY_SCHED_THREAD_H
#define CANARY_SCHED_THREAD_H

#include "lib/list.h"
#include "lib/types.h"
#include "sched/policy.h"
#include "sched/wait.h"

#define THREAD_MAGIC 0x54485244u	/* "THRD" */
#define THREAD_NAME_MAX 16
#define LOCKDEP_MAX_HELD 16

enum thread_state {
	THREAD_RUNNABLE,	/* on the run queue */
	THREAD_RUNNING,		/* on the CPU */
	THREAD_BLOCKED,		/* on a wait queue */
	THREAD_SLEEPING,	/* until wake_at (jiffies), or woken earlier */
	THREAD_ZOMBIE,		/* exited, not yet joined */
};

struct held_lock {
	const void *lock;		/* the lock's address */
	const struct lock_class_key *class;	/* lockdep class */
	u64 acquire_ip;		/* where it was taken */
};

struct lock_class_key;
struct proc;

struct thread {
	u32 magic;			/* THREAD_MAGIC; poisoned when freed */
	int tid;
	char name[THREAD_NAME_MAX];
	enum thread_state state;	/* [rq] */
	struct sched_entity se;		/* [rq] the policy's view */
	u64 rsp;			/* [rq] saved stack pointer while not running */
	u64 stack_lo, stack_top;	/* its stack (guard page below stack_lo) */
	u64 wake_at;			/* [rq] SLEEPING: jiffies to wake at */
	struct list_head sleep_link;	/* [rq] on the sleep list while SLEEPING */
	struct list_head all_link;	/* [rq] on the list of all threads */
	u64 blocked_since;		/* [rq] jiffies when it blocked (hung-task check) */
	bool interruptible;		/* BLOCKED in a wait a kill ends (wait.h) */
	u64 switches;			/* times switched in */
	struct proc *proc;		/* the user process it runs, or NULL (proc/) */
	void (*fn)(void *);		/* body and its argument */
	void *arg;
	int exit_code;			/* ZOMBIE: thread_exit's argument */
	struct wait_queue_head exited;	/* joiners wait here */
	/* lockdep: locks held now, innermost last (sched/lockdep.c). */
	struct held_lock held[LOCKDEP_MAX_HELD];
	unsigned nr_held;
};

/* The thread running now.  Written only by the scheduler. */
extern struct thread *current_thread;

/* Start fn(arg) in a new thread; NULL if out of memory. */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg);
/* Wait for t to exit, free it, return its exit code.  May sleep. */
int thread_join(struct thread *t);
__noreturn void thread_exit(int code);
/* Call fn for every thread (interrupts disabled meanwhile). */
void thread_for_each(void (*fn)(struct thread *t, void *ctx), void *ctx);
const char *thread_state_name(enum thread_state s);
/* A switched-out thread's frame pointer (the start of its backtrace). */
u64 thread_saved_rbp(const struct thread *t);

/* For sched.c: a thread not yet runnable, and the boot context. */
struct thread *thread_alloc(const char *name, void (*fn)(void *), void *arg);
void thread_init_struct(struct thread *t, const char *name);
void thread_register(struct thread *t);
/* Print one line per thread (the monitor's `threads`). */
void thread_print_all(void);

#endif
