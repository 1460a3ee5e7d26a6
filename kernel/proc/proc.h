/*
 * proc.h - user processes (proc.c, fork.c, exec.c, exit.c).
 *
 * A process is an address space (struct mm), a table of open files and one
 * kernel thread that runs it: in ring 3 most of the time, in ring 0 on its
 * own kernel stack during a system call, an interrupt or a fault.
 *
 *   fork -> RUNNING --exit/kill/fault--> ZOMBIE --parent's waitpid--> freed
 *
 * Ownership: the process table (proc_list, pid numbers, parent/children
 * links and every field marked [pt]) is guarded by proc_lock, a mutex: only
 * process context touches it.  A struct proc is freed by the parent that
 * reaps it (or by init, which adopts orphans), never by itself.
 */
#ifndef CANARY_PROC_PROC_H
#define CANARY_PROC_PROC_H

#include "arch/x86_64/trap.h"
#include "fs/file.h"
#include "lib/list.h"
#include "lib/types.h"
#include "proc/mm.h"
#include "sched/thread.h"
#include "sched/wait.h"
#include "uapi/canary.h"

#define PROC_MAGIC 0x50524f43u	/* "PROC" */

enum proc_state {
	PROC_RUNNING,		/* its thread runs, sleeps or waits */
	PROC_ZOMBIE,		/* exited; status kept for the parent */
};

struct proc {
	u32 magic;			/* PROC_MAGIC; poisoned when freed */
	int pid;
	char name[PROC_NAME_MAX];	/* the program's file name */
	struct thread *thread;		/* owned: the thread running it */
	struct mm *mm;			/* owned: its address space */
	struct fdtable files;		/* open files (fs/file.h) */
	volatile int killed;		/* signal number that will end it, or 0 */
	struct trap_frame *frame;	/* its user registers, during a system call */
	struct trap_frame start_frame;	/* where a new process enters user mode */
	/* [pt] fields: under proc_lock */
	enum proc_state state;
	int status;			/* ZOMBIE: waitpid status word */
	struct proc *parent;		/* borrowed */
	struct list_head children;	/* of struct proc, via sibling */
	struct list_head sibling;	/* on parent->children */
	struct list_head all_link;	/* on proc_list */
	struct wait_queue_head child_exit;	/* waitpid sleeps here */
	u64 start_ticks;		/* statistics for ps */
};

/* The process the current thread runs, or NULL in a kernel thread. */
struct proc *proc_current(void);
/* The current process's open files, or NULL in a kernel thread. */
struct fdtable *proc_files(void);
/* Has the current process been killed?  Blocking waits in system calls
 * check it, so that kill() ends a process stuck in read(). */
bool proc_killed(void);

/* Start the first process: `path` with argv (kernel strings, NULL-ended).
 * Its pid, or a negative errno.  When init exits the machine powers off
 * with init's exit status (proc.c). */
int proc_start_init(const char *path, const char *const *argv);
/* End the current process with a waitpid status word (exit or signal). */
__noreturn void proc_exit(int status);

/* exec.c: load the program at path into p (a fresh address space replaces
 * p->mm) and set *frame to enter it.  0 or a negative errno; on failure p
 * is unchanged.  argv: kernel strings, NULL-ended. */
int exec_load(struct proc *p, const char *path, const char *const *argv, struct trap_frame *frame);

#endif
