/*
 * idt.c - the interrupt descriptor table and legacy IRQ routing.
 *
 * Every vector 0..NR_VECTORS-1 points at its stub in vectors.S, which saves
 * a struct trap_frame and calls trap_dispatch().  Exceptions go to traps.c;
 * IRQs go to the handler registered for their line.  The 8259 PIC pair is
 * remapped to vectors 32..47 because its power-on mapping (8..15) collides
 * with CPU exceptions.
 *
 * irq_handlers[] is written only during init, with interrupts off.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "lib/printk.h"
#include "proc/usermode.h"
#include "sched/sched.h"

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;		/* 0, or the TSS IST slot whose stack to use */
	u8 type_attr;	/* P | DPL | type (0xe = interrupt gate: IF cleared) */
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

static struct idt_gate idt[256];
static irq_handler_t irq_handlers[NR_IRQS];
extern const u64 trap_stub_table[NR_VECTORS];

static void idt_set_gate(int vec, u64 handler, u8 ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = handler & 0xffff,
		.selector = SEL_KCODE,
		.ist = ist,
		.type_attr = 0x8e,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed ptr = { sizeof(idt) - 1, (u64)idt };

	for (int v = 0; v < NR_VECTORS; v++)
		idt_set_gate(v, trap_stub_table[v], v == 8 ? IST_DOUBLE_FAULT : 0);
	__asm__ __volatile__("lidt %0" : : "m"(ptr));
	pic_init(IRQ_BASE);
	lapic_init_virtual_wire();
}

void irq_register(int irq, irq_handler_t handler)
{
	u64 flags = irq_save();

	irq_handlers[irq] = handler;
	pic_unmask(irq);
	irq_restore(flags);
}

/* Called from vectors.S with interrupts disabled. */
void trap_dispatch(struct trap_frame *tf)
{
	if (tf->vector < NR_EXCEPTIONS) {
		trap_exception(tf);
		return;
	}
	if (tf->vector >= IRQ_BASE + NR_IRQS) {
		if (tf->vector != LAPIC_SPURIOUS_VECTOR)
			pr_warn("idt: unexpected interrupt on vector %llu\n",
				(unsigned long long)tf->vector);
		return;
	}
	int irq = (int)(tf->vector - IRQ_BASE);

	if (pic_is_spurious(irq))
		return;
	/* Acknowledge first: a handler that later switches threads must not
	 * leave the PIC waiting for an EOI that comes much later. */
	pic_eoi(irq);
	sched_irq_enter();
	if (irq_handlers[irq])
		irq_handlers[irq](tf);
	sched_irq_exit();
	/* Out of interrupt context: switch now if the tick asked for it. */
	sched_preempt_irq();
	/* Back to a program that was killed meanwhile: it ends here. */
	usermode_return_check(tf);
}
