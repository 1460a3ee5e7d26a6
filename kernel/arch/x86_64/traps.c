/*
 * traps.c - CPU exceptions: the oops report, expected faults for tests,
 * and the decision to panic.
 *
 * An oops copies Linux's x86 format (arch/x86/mm/fault.c, kernel/dumpstack.c)
 * so that a learner who reads one here can read a real one:
 *
 *   BUG: unable to handle page fault for address: 0000000040000000
 *   #PF: supervisor write access in kernel mode
 *   #PF: error_code(0x0002) - not-present page
 *   PGD 0
 *   Oops: 0002 [#1] NOPTI
 *   CPU: 0 PID: 0 Comm: swapper/0 Not tainted 0.1 #1
 *   RIP: 0010:crash_write_unmapped+0x12/0x20
 *   Code: ...
 *   RSP: 0018:ffffffff80125f58 EFLAGS: 00010046
 *   RAX: ... (all registers, control registers)
 *   Call Trace: ...
 *   ---[ end trace 0000000000000000 ]---
 *
 * Other exceptions start with "<name>: <error code> [#n]", e.g.
 * "invalid opcode: 0000 [#1]".  Then the kernel panics, unless a test armed
 * trap_expect_fault(), in which case execution resumes in the test.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/kconfig.h"
#include "lib/ksym.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/vm.h"
#include "proc/usermode.h"
#include "sched/sched.h"
#include "version.h"

static const char *const trap_names[NR_EXCEPTIONS] = {
#define TRAP(vec, mn, name, err) [vec] = name,
#include "arch/x86_64/traps.def"
#undef TRAP
};

/* Page-fault error code bits (Intel SDM 3A, 4.7). */

static int oops_count;		/* the [#n] in "Oops: 0002 [#n]" */
static int oops_expected;	/* of those, the ones a test asked for */

/* setjmp/longjmp pair from kjmp.S. */
struct kjmp {
	u64 regs[9];
};
int kjmp_set(struct kjmp *j) __attribute__((returns_twice));
__noreturn void kjmp_jump(struct kjmp *j, int v);

/* The armed expectation; only touched with interrupts off or by its owner. */
static struct {
	bool armed;
	bool capturing;
	u64 vector;		/* the exception the test asked for */
	struct kjmp resume;
	struct trap_fault_result *res;
} expect;

int trap_oops_count(void) { return oops_count; }
int trap_expected_oopses(void) { return oops_expected; }

const char *trap_name(u64 vector)
{
	if (vector < NR_EXCEPTIONS)
		return trap_names[vector];
	return "interrupt";
}

/* "PGD 1234067 P4D 1234067 PUD ... PMD ... PTE ..." for a faulting address. */
static void show_page_walk(u64 addr)
{
	static const char *const level[] = { "PGD", "PUD", "PMD", "PTE" };
	u64 table = read_cr3() & ~0xfffULL;
	char line[160];
	size_t n = 0;

	for (int l = 0; l < 4; l++) {
		u64 idx = (addr >> (39 - 9 * l)) & 0x1ff;
		u64 e = ((const u64 *)vm_early_virt(table))[idx];

		n += ksnprintf(line + n, sizeof(line) - n, "%s %llx ", level[l],
			       (unsigned long long)e);
		if (l == 0)	/* 4-level paging: P4D is folded into the PGD */
			n += ksnprintf(line + n, sizeof(line) - n, "P4D %llx ",
				       (unsigned long long)e);
		if (!(e & PTE_P) || (l > 0 && (e & PTE_PS)) || n >= sizeof(line))
			break;
		table = e & 0x000ffffffffff000ULL;
	}
	printk(KERN_ALERT "%s\n", line);
}

static void show_fault_header(const struct trap_frame *tf, u64 cr2)
{
	u64 ec = tf->error_code, lo, hi;

	/* A kernel stack ran into its guard page: directly as a #PF, or as a
	 * #DF when the CPU could not even push the #PF frame (the overflowed
	 * stack is unusable, so #DF runs on its own IST stack). */
	if ((tf->vector == 8 || tf->vector == 14) && vm_stack_guard_hit(cr2, &lo, &hi)) {
		printk(KERN_EMERG "BUG: TASK stack guard page was hit at %016llx (stack is %016llx..%016llx)\n",
		       (unsigned long long)cr2, (unsigned long long)lo, (unsigned long long)hi);
		printk(KERN_EMERG "Oops: stack guard page: %04llx [#%d] NOPTI\n",
		       (unsigned long long)ec, oops_count);
		return;
	}
	if (tf->vector != 14) {
		printk(KERN_EMERG "%s: %04llx [#%d] NOPTI\n", trap_name(tf->vector),
		       (unsigned long long)ec, oops_count);
		return;
	}
	if ((ec & PF_INSTR) && (ec & PF_PROT))
		printk(KERN_CRIT "kernel tried to execute NX-protected page - exploit attempt?\n");
	if (cr2 < PAGE_SIZE)
		printk(KERN_ALERT "BUG: kernel NULL pointer dereference, address: %016llx\n",
		       (unsigned long long)cr2);
	else
		printk(KERN_ALERT "BUG: unable to handle page fault for address: %016llx\n",
		       (unsigned long long)cr2);
	printk(KERN_ALERT "#PF: %s %s in %s mode\n",
	       (ec & PF_USER) ? "user" : "supervisor",
	       (ec & PF_INSTR) ? "instruction fetch" : (ec & PF_WRITE) ? "write access" : "read access",
	       (tf->cs & 3) ? "user" : "kernel");
	printk(KERN_ALERT "#PF: error_code(0x%04llx) - %s\n", (unsigned long long)ec,
	       !(ec & PF_PROT) ? "not-present page" :
	       (ec & PF_RSVD) ? "reserved bit violation" :
	       (ec & PF_PK) ? "protection keys violation" : "permissions violation");
	show_page_walk(cr2);
	printk(KERN_EMERG "Oops: %04llx [#%d] NOPTI\n", (unsigned long long)ec, oops_count);
}

/* "Code: 48 89 e5 <0f> 0b ..." - bytes around RIP, when it is kernel text. */
static void show_code(u64 rip)
{
	extern const char text_start[], text_end[];
	char line[200];
	size_t n = 0;

	if (rip < (u64)text_start + 21 || rip + 10 > (u64)text_end) {
		printk(KERN_EMERG "Code: Unable to access opcode bytes at %016llx.\n",
		       (unsigned long long)rip);
		return;
	}
	for (u64 a = rip - 21; a < rip + 10; a++)
		n += ksnprintf(line + n, sizeof(line) - n, a == rip ? "<%02x> " : "%02x ",
			       *(const u8 *)a);
	printk(KERN_EMERG "Code: %s\n", line);
}

static void show_regs(const struct trap_frame *tf, u64 cr2)
{
	char sym[128];

	printk(KERN_EMERG "CPU: 0 PID: %d Comm: %s %s %s #1\n", current_pid(), current_comm(),
	       oops_count > 1 ? "Tainted: G      D" : "Not tainted", CANARY_VERSION);
	printk(KERN_EMERG "%s\n", sched_seed_line(sym, sizeof(sym)));
	ksym_snprint(sym, sizeof(sym), tf->rip);
	printk(KERN_EMERG "RIP: %04llx:%s\n", (unsigned long long)tf->cs, sym);
	show_code(tf->rip);
#define R(x) (unsigned long long)(x)
	printk(KERN_EMERG "RSP: %04llx:%016llx EFLAGS: %08llx\n", R(tf->ss), R(tf->rsp), R(tf->rflags));
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n", R(tf->rax), R(tf->rbx), R(tf->rcx));
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n", R(tf->rdx), R(tf->rsi), R(tf->rdi));
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n", R(tf->rbp), R(tf->r8), R(tf->r9));
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n", R(tf->r10), R(tf->r11), R(tf->r12));
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n", R(tf->r13), R(tf->r14), R(tf->r15));
	printk(KERN_EMERG "CS:  %04llx DS: %04x ES: %04x CR0: %016llx\n", R(tf->cs), read_ds(),
	       read_es(), R(read_cr0()));
	printk(KERN_EMERG "CR2: %016llx CR3: %016llx CR4: %016llx\n", R(cr2), R(read_cr3()),
	       R(read_cr4()));
#undef R
}

void trap_exception(struct trap_frame *tf)
{
	/* CR2 still holds the fault address when a #PF became a #DF. */
	u64 cr2 = (tf->vector == 14 || tf->vector == 8) ? read_cr2() : 0;

	/* A program's fault, or a bad user pointer met by copy_from_user:
	 * handled there (demand paging, killing the program, -EFAULT). */
	if (tf->vector != 8 && usermode_fault(tf, cr2))
		return;
	oops_count++;
	show_fault_header(tf, cr2);
	show_regs(tf, cr2);
	show_call_trace_regs(tf->rip, tf->rsp, tf->rbp);
	printk(KERN_EMERG "---[ end trace 0000000000000000 ]---\n");

	if (expect.armed) {
		struct trap_fault_result *res = expect.res;

		if (tf->vector == expect.vector)
			oops_expected++;
		res->faulted = true;
		res->vector = tf->vector;
		res->error_code = tf->error_code;
		res->rip = tf->rip;
		res->cr2 = cr2;
		expect.armed = false;
		if (expect.capturing)
			printk_capture_stop();
		/* Abandon the faulting code: its frame and ours are dropped,
		 * and RFLAGS (with IF) is restored from the saved context. */
		kjmp_jump(&expect.resume, 1);
	}
	panic("Fatal exception");
}

/* Clear KASAN's stack marks below sp, as Linux's __asan_handle_no_return
 * does after a longjmp: those frames are gone. */
static void trap_unpoison_stack_below(u64 sp)
{
	extern char boot_stack_bottom[];
	u64 lo, hi;

	if (vm_stack_bounds(sp, &lo, &hi))
		kasan_unpoison((void *)lo, sp - lo);
	else if (sp > (u64)boot_stack_bottom && sp - (u64)boot_stack_bottom <= BOOT_STACK_SIZE)
		kasan_unpoison(boot_stack_bottom, sp - (u64)boot_stack_bottom);
}

bool trap_expect_fault(u64 vector, void (*fn)(void *), void *arg,
		       char *oops, size_t oops_size, struct trap_fault_result *res)
{
	/* Volatile: read again after kjmp_jump comes back here. */
	volatile int irq_depth = sched_irq_depth();

	memset(res, 0, sizeof(*res));
	expect.res = res;
	expect.vector = vector;
	expect.capturing = oops != NULL;
	if (kjmp_set(&expect.resume) == 0) {
		if (oops)
			printk_capture_start(oops, oops_size);
		expect.armed = true;
		fn(arg);
		expect.armed = false;
		if (oops)
			printk_capture_stop();
		return false;
	}
	/* An interrupt that arrived on the overflowing stack and faulted in
	 * its handler (a stack-overflow test) was abandoned with the rest:
	 * it never reached sched_irq_exit(). */
	sched_set_irq_depth(irq_depth);
	/* The abandoned frames below us, and the handler's frames on the
	 * double-fault stack, left stack redzones poisoned. */
	if (CONFIG_KASAN) {
		u64 lo, hi;

		trap_unpoison_stack_below((u64)__builtin_frame_address(0));
		gdt_df_stack(&lo, &hi);
		kasan_unpoison((void *)lo, hi - lo);
	}
	return res->faulted && res->vector == vector;
}
