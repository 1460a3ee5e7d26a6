/*
 * stacktrace.c - frame-pointer backtraces, printed as Linux prints them:
 *
 *   Call Trace:
 *    <TASK>
 *    caller+0x1c/0x40
 *    kmain+0x8d/0x120
 *    boot_entry64+0x3c/0x44
 *    </TASK>
 *
 * The walk trusts nothing it reads: a frame pointer must be aligned, inside
 * the kernel's boot mapping and above the previous one (stacks grow down, so
 * callers' frames are higher), and each return address must point into
 * kernel text.  A corrupt stack thus ends the trace instead of faulting.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "lib/ksym.h"
#include "lib/current.h"
#include "lib/printk.h"
#include "sched/sched.h"
#include "lib/string.h"
#include "mm/vm.h"

extern const char text_start[], text_end[], kernel_end[];

/* A frame must lie in the kernel image (boot and exception stacks) or in
 * one of the kernel stacks, with room for its two words. */
static bool stack_frame_ok(u64 rbp)
{
	u64 lo, hi;

	if (!rbp || (rbp & 7))
		return false;
	if (rbp >= (u64)text_start && rbp < (u64)kernel_end - 16)
		return true;
	/* Not the guard page: an overflowed stack's rsp points into it. */
	return vm_stack_bounds(rbp, &lo, &hi) && rbp >= lo && rbp <= hi - 16;
}

/* The bounds of the stack the last walk ran on: the stack depot walks the
 * current stack on every kmalloc and kfree with SAN=1, so the next walk is
 * almost always on the same one, and two compares replace the lookup.
 * Kernel stacks are never unmapped while a walk runs on them, and a slot
 * reused by a new stack has the same bounds. */
static u64 stack_cached_lo, stack_cached_hi;

int stack_walk(u64 rbp, u64 *ret_addrs, int max)
{
	u64 lo = stack_cached_lo, hi = stack_cached_hi;

	/* Frames stay on the stack they start on: find its bounds once. */
	if (rbp - lo >= hi - lo) {
		if (!vm_stack_bounds(rbp, &lo, &hi) || rbp < lo) {
			lo = hi = 0;
		} else {	/* both bounds or neither, for an interrupt's walk */
			u64 flags = irq_save();

			stack_cached_lo = lo;
			stack_cached_hi = hi;
			irq_restore(flags);
		}
	}
	/* On a known stack one bound check per frame is enough: rbp >= lo
	 * holds from the start and frames only move up, and an unaligned
	 * frame pointer is harmless to read within the stack.  On the boot
	 * stack or an exception stack, each frame is checked whole.  This
	 * loop is the largest part of what a SAN=1 kmalloc costs. */
	u64 text = (u64)text_start, text_size = (u64)text_end - text;
	u64 *out = ret_addrs, *end = ret_addrs + (max > 0 ? max : 0);

	hi -= 16;
	while (out < end && (lo ? rbp <= hi : stack_frame_ok(rbp))) {
		const u64 *frame = (const u64 *)rbp;
		u64 ret = frame[1], next = frame[0];

		if (ret - text >= text_size)
			break;
		*out++ = ret;
		if (next <= rbp)
			break;	/* the end (0), a loop or a downward link: corrupt */
		rbp = next;
	}
	return (int)(out - ret_addrs);
}

static void show_trace_lines(const u64 *addrs, int n)
{
	char sym[128];

	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " <TASK>\n");
	for (int i = 0; i < n; i++) {
		/* A return address points after the call; symbolize the call
		 * itself (ret - 1) so a call at a function's end names it. */
		ksym_snprint(sym, sizeof(sym), addrs[i] - 1);
		u64 off;
		if (ksym_lookup(addrs[i] - 1, &off, NULL))
			ksym_snprint(sym, sizeof(sym), addrs[i]);
		printk(KERN_EMERG " %s\n", sym);
	}
	printk(KERN_EMERG " </TASK>\n");
}

void show_call_trace(u64 rbp)
{
	u64 addrs[STACK_WALK_MAX];

	show_trace_lines(addrs, stack_walk(rbp, addrs, STACK_WALK_MAX));
}

/* Does ret follow a call instruction: e8 rel32, or ff /2 (an indirect
 * call, 2 to 7 bytes with its ModRM, SIB and displacement)? */
static bool stack_is_return_address(u64 ret)
{
	if (ret < (u64)text_start + 8 || ret >= (u64)text_end)
		return false;
	const u8 *p = (const u8 *)ret;

	if (p[-5] == 0xe8)
		return true;
	for (int len = 2; len <= 7; len++)
		if (p[-len] == 0xff && (p[-len + 1] & 0x38) == 0x10)
			return true;
	return false;
}

/*
 * GCC gives leaf functions no frame, even with -fno-omit-frame-pointer, so
 * when one faults, RBP still points at its caller's frame and the walk
 * would skip the caller.  The same holds at the first instruction of any
 * function.  In both cases the return address is on top of the stack: if
 * the function at RIP has not run "push %rbp; mov %rsp,%rbp" and [RSP]
 * looks like a return address, it is shown first.
 */
void show_call_trace_regs(u64 rip, u64 rsp, u64 rbp)
{
	static const u8 prologue[] = { 0x55, 0x48, 0x89, 0xe5 };
	u64 addrs[STACK_WALK_MAX], off;
	int n = 0;

	if (ksym_lookup(rip, &off, NULL) && stack_frame_ok(rsp)) {
		const u8 *fn = (const u8 *)(rip - off);
		bool framed = !memcmp(fn, prologue, sizeof(prologue)) && off >= sizeof(prologue);
		u64 top = *(const u64 *)rsp;

		if (!framed && stack_is_return_address(top))
			addrs[n++] = top;
	}
	n += stack_walk(rbp, addrs + n, STACK_WALK_MAX - n);
	show_trace_lines(addrs, n);
}

__attribute__((noinline)) void dump_stack(void)
{
	char seed[96];

	printk(KERN_EMERG "CPU: 0 PID: %d Comm: %s\n", current_pid(), current_comm());
	show_call_trace(read_rbp());
	printk(KERN_EMERG "%s\n", sched_seed_line(seed, sizeof(seed)));
}
