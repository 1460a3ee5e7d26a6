/*
 * machine_test.c - what the kernel learned from and does to the machine:
 * boot information from the loader, the timer interrupt, the TSC clock,
 * the VGA screen, the descriptor tables.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "boot/boot.h"
#include "drivers/video/vgatext.h"
#include "ktest/ktest.h"
#include "lib/string.h"

static void boot_info_has_memory_map(struct ktest *t)
{
	KTEST_EXPECT(t, boot_info.mmap_count >= 2);
	/* QEMU's default or -m 128M: at least 64 MiB usable above 1 MiB. */
	KTEST_EXPECT(t, bootinfo_usable_bytes(&boot_info) >= (64ULL << 20));
	bool kernel_in_ram = false;

	for (u32 i = 0; i < boot_info.mmap_count; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];

		if (e->type == BOOT_MEM_AVAILABLE && e->base <= KERNEL_PHYS &&
		    e->base + e->len > KERNEL_PHYS)
			kernel_in_ram = true;
	}
	KTEST_EXPECT(t, kernel_in_ram);
}

static void boot_info_has_command_line(struct ktest *t)
{
	KTEST_EXPECT(t, !strcmp(boot_info.protocol, "multiboot2") ||
			!strcmp(boot_info.protocol, "pvh"));
	/* We are running tests, so the command line asked for them. */
	KTEST_EXPECT(t, strstr(boot_info.cmdline, "run=ktest") != NULL);
	if (!strcmp(boot_info.protocol, "multiboot2"))
		KTEST_EXPECT(t, !strncmp(boot_info.loader_name, "GRUB", 4));
}

static void timer_ticks(struct ktest *t)
{
	u64 start = jiffies;
	u64 deadline = rdtsc() + tsc_khz() * 2000;	/* 2 s of TSC time */

	KTEST_EXPECT(t, read_rflags() & RFLAGS_IF);
	while (jiffies < start + 5 && rdtsc() < deadline)
		sti_hlt();
	KTEST_EXPECT(t, jiffies >= start + 5);
}

static void tsc_clock_moves(struct ktest *t)
{
	KTEST_EXPECT(t, tsc_khz() > 10000);	/* any x86-64 runs above 10 MHz */
	u64 a = time_ns_since_boot();
	u64 b = time_ns_since_boot();

	KTEST_EXPECT(t, a > 0 && b >= a);
	KTEST_EXPECT_EQ(t, tsc_to_ns(tsc_khz() * 1000), 1000000000);
}

static void vga_writes_and_scrolls(struct ktest *t)
{
	static const char line[] = "vga-test-line";

	if (!vga_present())
		KTEST_SKIP(t, "no VGA text mode (the firmware did not set one up)");

	for (const char *p = line; *p; p++)
		vga_putc(*p);
	int row = vga_cursor_row();

	KTEST_EXPECT_EQ(t, vga_cursor_col(), sizeof(line) - 1);
	KTEST_EXPECT_EQ(t, vga_char_at(row, 0), 'v');
	KTEST_EXPECT_EQ(t, vga_char_at(row, 12), 'e');
	vga_putc('\n');
	/* 30 more lines: the screen must scroll, never write past row 24. */
	for (int i = 0; i < 30; i++) {
		vga_putc('0' + i % 10);
		vga_putc('\n');
	}
	KTEST_EXPECT_EQ(t, vga_cursor_row(), VGA_ROWS - 1);
	KTEST_EXPECT_EQ(t, vga_char_at(VGA_ROWS - 2, 0), '9');
	KTEST_EXPECT_EQ(t, vga_char_at(VGA_ROWS - 3, 0), '8');
}

static void descriptor_tables_loaded(struct ktest *t)
{
	struct {
		u16 limit;
		u64 base;
	} __packed gdtr, idtr;
	u16 tr;

	__asm__ __volatile__("sgdt %0; sidt %1; str %2" : "=m"(gdtr), "=m"(idtr), "=r"(tr));
	KTEST_EXPECT_EQ(t, read_cs(), SEL_KCODE);
	KTEST_EXPECT_EQ(t, tr, SEL_TSS);
	KTEST_EXPECT(t, gdtr.base >= KERNEL_VMA && idtr.base >= KERNEL_VMA);
	KTEST_EXPECT_EQ(t, idtr.limit, 256 * 16 - 1);
	KTEST_EXPECT(t, jiffies > 0);	/* interrupts reach the CPU */
	/* Long mode is on and the identity map is gone (EFER.LMA, PML4[0]). */
	KTEST_EXPECT(t, read_cr0() & 0x80000000);
}

KTEST_SUITE(machine, "machine",
	    KTEST_CASE(boot_info_has_memory_map),
	    KTEST_CASE(boot_info_has_command_line),
	    KTEST_CASE(timer_ticks),
	    KTEST_CASE(tsc_clock_moves),
	    KTEST_CASE(vga_writes_and_scrolls),
	    KTEST_CASE(descriptor_tables_loaded));
