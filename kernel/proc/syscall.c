/*
 * syscall.c - the dispatcher, generated from uapi/syscalls.def, and the
 * small calls that belong to no other subsystem (time, memory, the lab
 * and monitor hooks).
 *
 * syscall_entry (arch/x86_64/syscall.S) calls syscall_dispatch with the
 * user's registers in a struct trap_frame on the thread's kernel stack,
 * interrupts on.  Whatever it leaves in tf->rax is the result.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/timer.h"
#include "lab/lab.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "monitor.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/usermode.h"
#include "sched/sched.h"
#include "version.h"

typedef long (*syscall_fn_t)(u64, u64, u64, u64, u64, u64);

/* Each handler has its own prototype (syscall.h); the table calls them
 * all with six 64-bit registers, as the ABI passes them. */
static const syscall_fn_t syscall_table[] = {
#define SYSCALL(nr, name, rtype, params) [nr] = (syscall_fn_t)(void (*)(void))sys_##name,
#include "uapi/syscalls.def"
#undef SYSCALL
};

static const char *const syscall_names[] = {
#define SYSCALL(nr, name, rtype, params) [nr] = #name,
#include "uapi/syscalls.def"
#undef SYSCALL
};

const char *syscall_name(u64 nr)
{
	return nr < ARRAY_SIZE(syscall_names) && syscall_names[nr] ? syscall_names[nr] : "?";
}

void syscall_dispatch(struct trap_frame *tf)
{
	struct proc *p = proc_current();
	u64 nr = tf->rax;

	p->frame = tf;
	usermode_return_check(tf);	/* killed before it could run: no call */
	if (nr < ARRAY_SIZE(syscall_table) && syscall_table[nr])
		tf->rax = (u64)syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	else
		tf->rax = (u64)-ENOSYS;
	p->frame = NULL;
	usermode_return_check(tf);
}

long sys_yield(void)
{
	sched_yield();
	return 0;
}

long sys_msleep(unsigned long ms)
{
	if (ms > 24UL * 3600 * 1000)
		return -EINVAL;		/* a day at most: a typo, not a plan */
	sched_sleep_ms_unless(ms, &proc_current()->killed);
	return proc_killed() ? -EINTR : 0;
}

long sys_time(struct timespec __user *uts)
{
	u64 ns = time_ns_since_boot();
	struct timespec ts = { (s64)(ns / 1000000000), (s64)(ns % 1000000000) };

	if (uts && copy_to_user(uts, &ts, sizeof(ts)) < 0)
		return -EFAULT;
	return ts.tv_sec;
}

long sys_meminfo(struct meminfo __user *umi)
{
	struct slab_stats st;
	struct meminfo mi;

	slab_get_stats(&st);
	memset(&mi, 0, sizeof(mi));
	mi.total_pages = pmm_total_pages();
	mi.free_pages = pmm_free_pages();
	mi.slab_objects = st.objects_in_use;
	mi.slab_bytes = st.bytes_in_use;
	mi.page_size = PAGE_SIZE;
	return copy_to_user(umi, &mi, sizeof(mi));
}

long sys_uname(struct utsname __user *uu)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strncpy_safe(u.sysname, CANARY_NAME, sizeof(u.sysname));
	strncpy_safe(u.release, CANARY_VERSION, sizeof(u.release));
	strncpy_safe(u.machine, "x86_64", sizeof(u.machine));
	return copy_to_user(uu, &u, sizeof(u));
}

long sys_lab(const char __user *uname)
{
	char name[64];
	long r = strncpy_from_user(name, uname, sizeof(name));

	if (r < 0)
		return r;
	r = lab_run(name);
	return r < 0 ? -ENOENT : r;
}

long sys_monitor(void)
{
	monitor_session(true);
	return 0;
}

long sys_sbrk(long increment)
{
	return mm_sbrk(proc_current()->mm, increment);
}

long sys_mmap(void __user *addr, size_t len, int prot, int flags)
{
	/* Only what malloc and the tests need: anonymous private memory,
	 * placed by the kernel (a hint is ignored, as Linux may). */
	(void)addr;
	if (flags != (MAP_PRIVATE | MAP_ANONYMOUS))
		return -EINVAL;
	return mm_mmap(proc_current()->mm, len, prot);
}

long sys_munmap(void __user *addr, size_t len)
{
	return mm_munmap(proc_current()->mm, (u64)addr, len);
}

const char *errno_text(long err)
{
	switch (-err) {
#define ERRNO(name, num, msg) case num: return #name " (" msg ")";
#include "uapi/errno.def"
#undef ERRNO
	default: return "unknown error";
	}
}
