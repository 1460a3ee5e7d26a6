/*
 * lapic.c - put the local APIC in virtual-wire mode (Intel SDM 3A, 10.4,
 * 10.5.1; MultiProcessor Specification 1.4, 3.6.2.2).
 *
 * The 8259 PIC's INTR line reaches the CPU through the local APIC's LINT0
 * pin.  SeaBIOS programs LINT0 as ExtINT before booting, but not every
 * loader does: QEMU's qboot leaves it masked, and then no timer or serial
 * interrupt ever arrives.  So the kernel sets it up itself, the way Linux's
 * init_bsp_APIC() does, and does not depend on the firmware.
 *
 * Registers are 32-bit, 16-byte aligned, at the physical base in MSR 0x1b
 * (normally 0xfee00000), reached through the boot MMIO mapping.
 */
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include "lib/printk.h"

#define MSR_APIC_BASE     0x1b
#define APIC_BASE_ENABLE  (1u << 11)	/* globally enabled */
#define LAPIC_TPR   0x080		/* task priority: 0 accepts everything */
#define LAPIC_SVR   0x0f0		/* spurious vector; bit 8 = software enable */
#define LAPIC_LINT0 0x350
#define LAPIC_LINT1 0x360
#define LVT_EXTINT  (7u << 8)		/* delivery mode ExtINT */
#define LVT_NMI     (4u << 8)		/* delivery mode NMI */
#define SVR_ENABLE  (1u << 8)

static volatile u32 *lapic_regs;

static void lapic_write(u32 reg, u32 v)
{
	lapic_regs[reg / 4] = v;
}

void lapic_init_virtual_wire(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1u << 9)))
		return;			/* no APIC: INTR goes straight to the CPU */
	u64 base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		return;			/* globally disabled: same */
	u64 phys = base & 0xfffff000ULL;

	if (phys < MMIO_PHYS || phys >= MMIO_PHYS + 0x40000000ULL) {
		pr_warn("lapic: registers at %llx are outside the MMIO window; "
			"legacy interrupts may not arrive\n", (unsigned long long)phys);
		return;
	}
	lapic_regs = (volatile u32 *)(MMIO_VMA + (phys - MMIO_PHYS));
	lapic_write(LAPIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LINT0, LVT_EXTINT);
	lapic_write(LAPIC_LINT1, LVT_NMI);
}
