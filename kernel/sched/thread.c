/*
 * thread.c - creating, ending and reaping kernel threads.
 *
 * A new thread's stack is built to look as if it had been switched out
 * just before returning into thread_trampoline (see switch.S), so the
 * first switch to it "returns" there; the trampoline turns interrupts on
 * and calls the thread's function.  Returning from it is thread_exit(0).
 *
 * A thread never frees itself: it becomes a ZOMBIE and wakes its joiner,
 * who frees the stack and the struct after the zombie has left the CPU.
 */
#include "arch/x86_64/x86.h"
#include "lib/current.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm/vm.h"
#include "sched/lockdep.h"
#include "sched/sched.h"
#include "sched/thread.h"

struct thread *current_thread;
static LIST_HEAD(all_threads);		/* [rq] every thread not yet reaped */
static int next_tid = 1;

_Static_assert(THREAD_NAME_MAX == TASK_COMM_LEN, "current_comm() returns a whole name");

/* Not instrumented: with SAN=1 the allocator asks for both on every
 * kmalloc and kfree, and a checked load of current_thread each time would
 * double what those tracks cost. */
__attribute__((no_sanitize("address", "undefined"))) const char *current_comm(void)
{
	static const char swapper[TASK_COMM_LEN] = "swapper/0";

	return current_thread ? current_thread->name : swapper;
}

__attribute__((no_sanitize("address", "undefined"))) int current_pid(void)
{
	return current_thread ? current_thread->tid : 0;
}

static const char *const state_names[] = {
	[THREAD_RUNNABLE] = "R", [THREAD_RUNNING] = "R+", [THREAD_BLOCKED] = "D",
	[THREAD_SLEEPING] = "S", [THREAD_ZOMBIE] = "Z",
};

const char *thread_state_name(enum thread_state s)
{
	return s <= THREAD_ZOMBIE ? state_names[s] : "?";
}

u64 thread_saved_rbp(const struct thread *t)
{
	return ((const u64 *)t->rsp)[5];
}

static __noreturn void thread_trampoline(void)
{
	struct thread *t = current_thread;

	sti();	/* schedule() switched to us with interrupts off */
	t->fn(t->arg);
	thread_exit(0);
}

void thread_init_struct(struct thread *t, const char *name)
{
	t->magic = THREAD_MAGIC;
	strncpy_safe(t->name, name, sizeof(t->name));
	INIT_LIST_HEAD(&t->sleep_link);
	INIT_LIST_HEAD(&t->se.link);
	init_waitqueue_head(&t->exited);
}

void thread_register(struct thread *t)
{
	u64 flags = irq_save();

	t->tid = t->tid ? t->tid : next_tid++;
	list_add_tail(&t->all_link, &all_threads);
	irq_restore(flags);
}

struct thread *thread_alloc(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack_top = vm_alloc_stack();
	if (!t->stack_top) {
		kfree(t);
		return NULL;
	}
	t->stack_lo = t->stack_top - KSTACK_SIZE;
	thread_init_struct(t, name);
	t->fn = fn;
	t->arg = arg;

	/* The frame switch_to pops: six registers (rbp = 0 ends backtraces),
	 * the return address, and a zero slot that keeps the trampoline's
	 * stack aligned as after a call. */
	u64 *sp = (u64 *)t->stack_top;

	*--sp = 0;
	*--sp = (u64)thread_trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->rsp = (u64)sp;
	thread_register(t);
	return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *t = thread_alloc(name, fn, arg);

	if (t)
		sched_wake_new(t);
	return t;
}

int thread_join(struct thread *t)
{
	might_sleep();
	wait_event(t->exited, t->state == THREAD_ZOMBIE);

	u64 flags = irq_save();
	int code = t->exit_code;

	list_del(&t->all_link);
	irq_restore(flags);
	vm_free_stack(t->stack_top);
	t->magic = 0;
	kfree(t);
	return code;
}

void thread_exit(int code)
{
	struct thread *t = current_thread;

	lockdep_check_no_locks_held();	/* exiting with a lock held: reported */
	cli();
	t->exit_code = code;
	t->state = THREAD_ZOMBIE;
	wake_up_all(&t->exited);
	schedule();		/* a zombie is never picked again */
	for (;;)
		hlt();
}

void thread_for_each(void (*fn)(struct thread *t, void *ctx), void *ctx)
{
	u64 flags = irq_save();
	struct thread *t;

	list_for_each_entry(t, &all_threads, all_link)
		fn(t, ctx);
	irq_restore(flags);
}

static void thread_print_one(struct thread *t, void *ctx)
{
	(void)ctx;
	printk("  %4d %-16s %-3s %8llu  level %u  ticks %llu\n", t->tid, t->name,
	       thread_state_name(t->state), (unsigned long long)t->switches, t->se.level,
	       (unsigned long long)t->se.ticks);
}

void thread_print_all(void)
{
	printk("   tid name             st  switches\n");
	thread_for_each(thread_print_one, NULL);
}
