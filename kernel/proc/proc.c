/*
 * proc.c - the process table and the life of a process: fork, exit,
 * waitpid, kill, and init.  exec is in exec.c; entering and leaving user
 * mode in usermode.c.
 *
 * A process's pid is the id of the thread that runs it, so the "task
 * sh/12" of a kernel report and the 12 of ps are the same number.
 *
 * Lock order: proc_lock is a spinlock (it is taken between
 * prepare_to_wait() and schedule(), where sleeping is not allowed) and
 * nothing that sleeps or allocates runs under it.
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "lib/panic.h"
#include "lib/power.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/slab.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/usermode.h"
#include "sched/sched.h"
#include "sched/spinlock.h"

static DEFINE_SPINLOCK(proc_lock);
static LIST_HEAD(proc_list);		/* [pt] every process not yet reaped */
static struct proc *init_proc;		/* adopts orphans; its exit ends the run */

struct proc *proc_current(void)
{
	return current_thread ? current_thread->proc : NULL;
}

struct fdtable *proc_files(void)
{
	struct proc *p = proc_current();

	return p ? &p->files : NULL;
}

bool proc_killed(void)
{
	struct proc *p = proc_current();

	return p && p->killed;
}

/* Every process thread starts here: leave for user mode through the frame
 * fork or init prepared. */
static __noreturn void proc_thread_start(void *arg)
{
	struct proc *p = arg;
	struct trap_frame frame = p->start_frame;

	/* This stack is left for good, not returned through: clear KASAN's
	 * marks of the frames on it, or they would linger under the trap
	 * frames that later system calls push in the same place. */
	kasan_unpoison((void *)p->thread->stack_lo, KSTACK_SIZE);
	usermode_return_check(&frame);	/* killed before it ever ran */
	usermode_enter(&frame);
}

/* A new process with no memory and no files, and a thread that will run
 * it (not yet runnable).  NULL if out of memory. */
static struct proc *proc_alloc(const char *name)
{
	struct proc *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->magic = PROC_MAGIC;
	strncpy_safe(p->name, name, sizeof(p->name));
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	init_waitqueue_head(&p->child_exit);
	fdtable_init(&p->files);
	p->thread = thread_alloc(name, proc_thread_start, p);
	if (!p->thread) {
		kfree(p);
		return NULL;
	}
	p->thread->proc = p;
	p->pid = p->thread->tid;
	p->start_ticks = jiffies;
	return p;
}

/* Undo proc_alloc for a process whose thread never ran. */
static void proc_free_unstarted(struct proc *p)
{
	p->thread->state = THREAD_ZOMBIE;
	thread_join(p->thread);
	mm_destroy(p->mm);
	fdtable_close_all(&p->files);
	p->magic = 0;
	kfree(p);
}

/* Link p under parent and let it run. */
static void proc_start(struct proc *p, struct proc *parent)
{
	u64 flags = spin_lock_irqsave(&proc_lock);

	p->parent = parent;
	if (parent)
		list_add_tail(&p->sibling, &parent->children);
	list_add_tail(&p->all_link, &proc_list);
	spin_unlock_irqrestore(&proc_lock, flags);
	sched_wake_new(p->thread);
}

long sys_fork(void)
{
	struct proc *parent = proc_current(), *child = proc_alloc(parent->name);

	if (!child)
		return -ENOMEM;
	child->mm = mm_fork(parent->mm);
	if (!child->mm || fdtable_fork(&child->files, &parent->files) < 0) {
		proc_free_unstarted(child);
		return -ENOMEM;
	}
	/* The child returns from the same system call, with 0. */
	child->start_frame = *parent->frame;
	child->start_frame.rax = 0;
	proc_start(child, parent);
	return child->pid;
}

int proc_start_init(const char *path, const char *const *argv)
{
	struct proc *p = proc_alloc("init");
	int r;

	if (!p)
		return -ENOMEM;
	r = fdtable_open_console(&p->files);
	if (r == 0)
		r = exec_load(p, path, argv, &p->start_frame);
	if (r < 0) {
		proc_free_unstarted(p);
		return r;
	}
	init_proc = p;
	proc_start(p, NULL);
	return p->pid;
}

/* Give p's children to init (Unix's orphan rule); wake init if one of them
 * is a zombie already.  Called with proc_lock held. */
static void proc_reparent_locked(struct proc *p)
{
	struct proc *c, *tmp;
	bool zombie = false;

	list_for_each_entry_safe(c, tmp, &p->children, sibling) {
		list_del(&c->sibling);
		c->parent = init_proc;
		if (init_proc && init_proc != p)
			list_add_tail(&c->sibling, &init_proc->children);
		zombie |= c->state == PROC_ZOMBIE;
	}
	if (zombie && init_proc && init_proc != p)
		wake_up_all(&init_proc->child_exit);
}

void proc_exit(int status)
{
	struct proc *p = proc_current();
	struct mm *mm = p->mm;

	fdtable_close_all(&p->files);
	/* Off the process's tables before they are freed. */
	p->mm = NULL;
	mm_activate(NULL);
	mm_destroy(mm);
	if (p == init_proc) {
		if (WIFSIGNALED(status))
			panic("Attempted to kill init! exitcode=0x%08x", status);
		pr_notice("init: exited with status %d; powering off\n", WEXITSTATUS(status));
		power_off(WEXITSTATUS(status) <= KEXIT_MAX ? WEXITSTATUS(status) : KEXIT_TEST_FAILED);
	}
	u64 flags = spin_lock_irqsave(&proc_lock);

	proc_reparent_locked(p);
	p->status = status;
	p->state = PROC_ZOMBIE;
	if (p->parent)
		wake_up_all(&p->parent->child_exit);
	spin_unlock_irqrestore(&proc_lock, flags);
	thread_exit(0);
}

long sys_exit(int status)
{
	proc_exit((status & 0xff) << 8);
}

/* Find a child of p matching pid (-1: any); *any says whether one exists. */
static struct proc *proc_zombie_child_locked(struct proc *p, int pid, bool *any)
{
	struct proc *c;

	*any = false;
	list_for_each_entry(c, &p->children, sibling) {
		if (pid != -1 && c->pid != pid)
			continue;
		*any = true;
		if (c->state == PROC_ZOMBIE)
			return c;
	}
	return NULL;
}

long sys_waitpid(int pid, int __user *ustatus, int options)
{
	struct proc *p = proc_current(), *z;
	bool any;
	DEFINE_WAIT(w);

	for (;;) {
		prepare_to_wait_interruptible(&p->child_exit, &w);
		u64 flags = spin_lock_irqsave(&proc_lock);

		z = proc_zombie_child_locked(p, pid, &any);
		if (z) {
			list_del(&z->sibling);
			list_del(&z->all_link);
		}
		spin_unlock_irqrestore(&proc_lock, flags);
		if (z || !any || (options & WNOHANG) || p->killed)
			break;
		schedule();
	}
	finish_wait(&p->child_exit, &w);
	if (!z)
		return !any ? -ECHILD : p->killed ? -EINTR : 0;

	int status = z->status, zpid = z->pid;

	thread_join(z->thread);
	z->magic = 0;
	kfree(z);
	/* Reaped even if the status cannot be stored, as Linux does. */
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) < 0)
		return -EFAULT;
	return zpid;
}

long sys_kill(int pid, int sig)
{
	struct proc *p, *target = NULL;

	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	u64 flags = spin_lock_irqsave(&proc_lock);

	list_for_each_entry(p, &proc_list, all_link)
		if (p->pid == pid && p->state == PROC_RUNNING)
			target = p;
	if (target && target != init_proc && sig) {
		target->killed = sig;
		/* Out of any sleep: its waits check proc_killed(). */
		sched_wake(target->thread);
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!target)
		return -ESRCH;
	return target == init_proc && sig ? -EPERM : 0;
}

long sys_getpid(void)
{
	return proc_current()->pid;
}

long sys_getppid(void)
{
	struct proc *p = proc_current();

	return p->parent ? p->parent->pid : 0;
}

long sys_procinfo(int index, struct procinfo __user *upi)
{
	struct procinfo pi;
	struct proc *p;
	int i = 0;
	bool found = false;

	memset(&pi, 0, sizeof(pi));
	u64 flags = spin_lock_irqsave(&proc_lock);

	list_for_each_entry(p, &proc_list, all_link) {
		if (i++ != index)
			continue;
		found = true;
		pi.pid = p->pid;
		pi.ppid = p->parent ? p->parent->pid : 0;
		pi.state = p->state == PROC_ZOMBIE ? 'Z' :
			   p->thread->state == THREAD_RUNNING || p->thread->state == THREAD_RUNNABLE ? 'R' : 'S';
		pi.pages = p->mm ? p->mm->pages : 0;
		pi.cpu_ticks = p->thread->se.ticks;
		strncpy_safe(pi.name, p->name, sizeof(pi.name));
		break;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!found)
		return 0;
	return copy_to_user(upi, &pi, sizeof(pi)) < 0 ? -EFAULT : 1;
}
