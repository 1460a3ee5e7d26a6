/*
 * power.c - power-off and reboot on a PC under QEMU.
 *
 * Power-off tries, in order: QEMU's isa-debug-exit port (carries a status to
 * the host), the ACPI PM1a control port QEMU's firmware sets up on i440fx
 * (0x604: SLP_TYPa=0 | SLP_EN), then halts forever.
 * Reboot pulses the CPU reset line through the 8042 keyboard controller,
 * then falls back to a triple fault (an empty IDT and an interrupt).
 */
#include "arch/x86_64/x86.h"
#include "lib/power.h"
#include "lib/printk.h"

#define DEBUG_EXIT_PORT 0xf4
#define ACPI_PM1A_CNT_QEMU 0x604
#define KBC_CMD 0x64

void power_off(int status)
{
	if (status < 0 || status > KEXIT_MAX)
		status = KEXIT_MAX;
	cli();
	outl(DEBUG_EXIT_PORT, (u32)status);
	outw(ACPI_PM1A_CNT_QEMU, 0x2000);
	printk(KERN_EMERG "System halted (status %d); no power-off device.\n", status);
	for (;;)
		hlt();
}

void power_reboot(void)
{
	cli();
	for (int i = 0; i < 100000 && (inb(KBC_CMD) & 0x02); i++)
		cpu_relax();	/* wait for the input buffer to drain */
	outb(KBC_CMD, 0xfe);	/* pulse reset */
	struct {
		u16 limit;
		u64 base;
	} __packed empty = { 0, 0 };
	__asm__ __volatile__("lidt %0; int3" : : "m"(empty));
	for (;;)
		hlt();
}
