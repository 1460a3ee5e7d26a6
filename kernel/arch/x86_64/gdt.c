/*
 * gdt.c - the 64-bit GDT and the TSS.
 *
 * In long mode segmentation is mostly gone, but the CPU still needs code and
 * data descriptors for each privilege level, and a TSS for two things: the
 * stack to switch to when an interrupt arrives from user mode (rsp0), and
 * known-good stacks for exceptions that must not run on the current stack
 * (the IST; Intel SDM 3A, 6.14.5).  The double-fault handler runs on IST1:
 * when a kernel stack overflows, the #PF handler cannot push its frame, the
 * CPU raises #DF, and only a separate stack lets us report it.
 *
 * Selector order is Linux's, which SYSRET (STAR MSR) dictates: user data
 * just below 64-bit user code.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/gdt.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];		/* stacks for entry from rings 0..2 */
	u64 reserved1;
	u64 ist[7];		/* IST1..IST7 */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;		/* beyond the limit: no I/O bitmap */
} __packed;

static struct tss tss;
static u8 ist_df_stack[8192] __attribute__((aligned(16)));

/* Descriptor words (Intel SDM 3A, 3.4.5): G, L, P, DPL, type. */
static u64 gdt[9] = {
	0,			/* 0x00 null */
	0,			/* 0x08 unused (Linux: 32-bit kernel code) */
	0x00af9a000000ffffULL,	/* 0x10 kernel code, 64-bit */
	0x00cf92000000ffffULL,	/* 0x18 kernel data */
	0x00cffa000000ffffULL,	/* 0x20 user code, 32-bit, DPL 3 (SYSRET base) */
	0x00cff2000000ffffULL,	/* 0x28 user data, DPL 3 */
	0x00affa000000ffffULL,	/* 0x30 user code, 64-bit, DPL 3 */
	0, 0,			/* 0x38 TSS: a 16-byte system descriptor */
};
#define GDT_TSS_INDEX (SEL_TSS / 8)

struct gdt_ptr {
	u16 limit;
	u64 base;
} __packed;

static void gdt_set_tss(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	gdt[GDT_TSS_INDEX] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) |		/* present, 64-bit TSS (available) */
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS_INDEX + 1] = base >> 32;
}

void gdt_init(void)
{
	struct gdt_ptr p = { sizeof(gdt) - 1, (u64)gdt };

	tss.ist[IST_DOUBLE_FAULT - 1] = (u64)(ist_df_stack + sizeof(ist_df_stack));
	tss.iomap_base = sizeof(tss);
	gdt_set_tss();

	/* Reload CS with a far return: there is no direct far jump to a
	 * 64-bit immediate address. */
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"ltr %w3"
		: : "m"(p), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS) : "rax", "memory");
}

void gdt_df_stack(u64 *lo, u64 *hi)
{
	*lo = (u64)ist_df_stack;
	*hi = (u64)ist_df_stack + sizeof(ist_df_stack);
}

void gdt_set_kernel_stack(u64 rsp0)
{
	tss.rsp[0] = rsp0;
}
