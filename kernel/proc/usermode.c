/*
 * usermode.c - the kernel's side of the ring 0 / ring 3 boundary: SYSCALL
 * set-up, SMEP and SMAP, the state each switch must change, and what a
 * fault in (or on behalf of) a program does.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include "boot/options.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "proc/usermode.h"
#include "uapi/canary.h"

_Static_assert(USER_TOP == USER_TOP_ASM, "layout.h and uapi/canary.h disagree on USER_TOP");

extern u64 syscall_rsp0;		/* syscall.S */
extern u8 uaccess_smap;			/* uaccess_copy.S */
void syscall_entry(void);
u64 uaccess_fixup(u64 rip);		/* uaccess.c */

#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

void usermode_init(void)
{
	u32 a, b, c, d;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* STAR[47:32]: SYSCALL loads CS from it and SS = that + 8.
	 * STAR[63:48]: SYSRET loads CS = that + 16 and SS = that + 8, which
	 * is why gdt.c puts user data just below 64-bit user code. */
	wrmsr(MSR_STAR, ((u64)(SEL_UCODE32 | 3) << 48) | ((u64)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	/* No interrupts until the entry is on a kernel stack; no single-step
	 * into it; the C ABI's DF=0; no user access (AC) by accident. */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);

	cpuid(0, &a, &b, &c, &d);
	b = 0;
	if (a >= 7)
		cpuid(7, &a, &b, &c, &d);
	u64 cr4 = read_cr4();

	if (b & CPUID7_EBX_SMEP)
		cr4 |= CR4_SMEP;
	bool smap = (b & CPUID7_EBX_SMAP) && kernel_options.smap;

	if (smap) {
		cr4 |= CR4_SMAP;
		uaccess_smap = 1;
	}
	write_cr4(cr4);
	pr_info("usermode: syscall/sysret; SMEP %s, SMAP %s\n",
		(b & CPUID7_EBX_SMEP) ? "on" : "not offered by this CPU",
		smap ? "on" : (b & CPUID7_EBX_SMAP) ? "off (smap=off)" : "not offered by this CPU");
}

void usermode_frame(struct trap_frame *tf, u64 rip, u64 rsp)
{
	memset(tf, 0, sizeof(*tf));
	tf->cs = SEL_UCODE | 3;
	tf->ss = SEL_UDATA | 3;
	tf->rflags = RFLAGS_IF | 0x2;	/* bit 1 is always set */
	tf->rip = rip;
	tf->rsp = rsp;
}

void usermode_switch_to(struct thread *next)
{
	/* Entries from ring 3 (interrupts via TSS.rsp0, SYSCALL via
	 * syscall_rsp0) land on top of next's own kernel stack. */
	syscall_rsp0 = next->stack_top;
	gdt_set_kernel_stack(next->stack_top);
	mm_activate(next->proc ? next->proc->mm : NULL);
}

/* Which signal an exception sends, as Linux maps them. */
static int usermode_signal(u64 vector)
{
	switch (vector) {
	case 0:  return SIGFPE;		/* #DE */
	case 6:  return SIGILL;		/* #UD */
	default: return SIGSEGV;	/* #PF, #GP, #SS, ... */
	}
}

static const char *usermode_pf_reason(struct proc *p, u64 addr, u64 ec)
{
	const struct vma *v = p->mm ? mm_find_vma(p->mm, addr) : NULL;

	if (addr >= USER_TOP)
		return "kernel address";
	if (!v)
		return addr < PAGE_SIZE ? "NULL pointer" : "no mapping";
	if ((ec & PF_INSTR))
		return "execute of non-executable memory";
	if ((ec & PF_WRITE))
		return "write to read-only memory";
	return "access not allowed";
}

/* Linux's one-line reports (arch/x86/mm/fault.c show_signal_msg and
 * arch/x86/kernel/traps.c do_trap), with the reason in words added. */
static __noreturn void usermode_kill(struct trap_frame *tf, u64 cr2)
{
	struct proc *p = proc_current();
	int sig = usermode_signal(tf->vector);

	if (tf->vector == 14)
		pr_info("%s[%d]: segfault at %llx ip %016llx sp %016llx error %llx in %s (%s)\n",
			p->name, p->pid, (unsigned long long)cr2, (unsigned long long)tf->rip,
			(unsigned long long)tf->rsp, (unsigned long long)tf->error_code, p->name,
			usermode_pf_reason(p, cr2, tf->error_code));
	else
		pr_info("traps: %s[%d] trap %s ip:%llx sp:%llx error:%llx in %s\n",
			p->name, p->pid, trap_name(tf->vector), (unsigned long long)tf->rip,
			(unsigned long long)tf->rsp, (unsigned long long)tf->error_code, p->name);
	sti();
	proc_exit(sig);
}

bool usermode_fault(struct trap_frame *tf, u64 cr2)
{
	struct proc *p = proc_current();

	if (!(tf->cs & 3)) {
		u64 fixup = tf->vector == 14 && cr2 < USER_TOP ? uaccess_fixup(tf->rip) : 0;

		if (!fixup)
			return false;	/* the kernel's own bug: an oops */
		/* A copy to or from user memory: a page not touched yet is
		 * mapped as for the program itself; anything else is -EFAULT. */
		if (!(p && p->mm && mm_fault(p->mm, cr2, tf->error_code) == 0))
			tf->rip = fixup;
		return true;
	}
	if (tf->vector == 14 && p->mm && mm_fault(p->mm, cr2, tf->error_code) == 0)
		return true;
	usermode_kill(tf, cr2);
}

void usermode_return_check(struct trap_frame *tf)
{
	struct proc *p = proc_current();

	if ((tf->cs & 3) && p && p->killed) {
		sti();
		proc_exit(p->killed);
	}
}
