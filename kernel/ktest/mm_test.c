/*
 * mm_test.c - the kernel's page tables and page allocator, tested on the
 * running kernel: W^X really holds (writes to code and execution of data
 * fault with the right error codes), map/unmap/protect take effect at once
 * (TLB invalidation), a stack overflow hits the guard page, and pages
 * return to the buddy allocator.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "ktest/ktest.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/vm.h"

void kmain(u32, u32);

static char oops[4096];
static const u64 a_constant = 0x1234;
static u8 data_code[16] = { 0xc3 };	/* "ret", in a data page */

/* Outside every region the kernel maps: free for these tests. */
#define TEST_VA 0xffffc98000000000ULL

static void write_text(void *arg) { (void)arg; *(volatile u8 *)kmain = 0x90; }
static void write_rodata(void *arg) { (void)arg; *(volatile u64 *)&a_constant = 1; }
static void exec_data(void *arg) { (void)arg; ((void (*)(void))(void *)data_code)(); }
static void read_test_va(void *arg) { (void)arg; (void)*(volatile u64 *)TEST_VA; }
static void write_test_va(void *arg) { (void)arg; *(volatile u64 *)TEST_VA = 2; }

static void text_is_read_only(struct ktest *t)
{
	struct trap_fault_result r;

	KTEST_EXPECT(t, trap_expect_fault(14, write_text, NULL, oops, sizeof(oops), &r));
	KTEST_EXPECT_EQ(t, r.error_code, 0x3);	/* present | write */
	KTEST_EXPECT_CONTAINS(t, oops, "#PF: error_code(0x0003) - permissions violation");
	KTEST_EXPECT(t, trap_expect_fault(14, write_rodata, NULL, oops, sizeof(oops), &r));
	KTEST_EXPECT_EQ(t, r.cr2, (u64)&a_constant);
}

static void data_is_not_executable(struct ktest *t)
{
	struct trap_fault_result r;

	KTEST_EXPECT(t, trap_expect_fault(14, exec_data, NULL, oops, sizeof(oops), &r));
	KTEST_EXPECT_EQ(t, r.error_code, 0x11);	/* present | instruction fetch */
	KTEST_EXPECT_EQ(t, r.rip, (u64)data_code);
	KTEST_EXPECT_CONTAINS(t, oops, "kernel tried to execute NX-protected page");
	KTEST_EXPECT_CONTAINS(t, oops, "#PF: supervisor instruction fetch in kernel mode");
}

static void image_flags(struct ktest *t)
{
	unsigned f;

	KTEST_EXPECT(t, vm_translate((u64)kmain, &f) == (u64)kmain - KERNEL_VMA);
	KTEST_EXPECT_EQ(t, f & (VM_WRITE | VM_EXEC), VM_EXEC);
	vm_translate((u64)&a_constant, &f);
	KTEST_EXPECT_EQ(t, f & (VM_WRITE | VM_EXEC), 0);
	vm_translate((u64)data_code, &f);
	KTEST_EXPECT_EQ(t, f & (VM_WRITE | VM_EXEC), VM_WRITE);
}

static void map_protect_unmap(struct ktest *t)
{
	struct trap_fault_result r;
	void *page = alloc_pages(0);
	paddr_t pa = virt_to_phys(page);

	KTEST_EXPECT(t, page != NULL);
	KTEST_EXPECT(t, vm_translate(TEST_VA, NULL) == (paddr_t)-1);
	KTEST_EXPECT_EQ(t, vm_map_page(TEST_VA, pa, VM_WRITE), 0);
	*(volatile u64 *)TEST_VA = 0xfeed;
	KTEST_EXPECT_EQ(t, *(volatile u64 *)page, 0xfeed);	/* same frame */
	KTEST_EXPECT_EQ(t, vm_protect(TEST_VA, 1, 0), 0);
	KTEST_EXPECT(t, trap_expect_fault(14, write_test_va, NULL, NULL, 0, &r));
	KTEST_EXPECT_EQ(t, r.error_code, 0x3);
	KTEST_EXPECT_EQ(t, vm_unmap_page(TEST_VA), 0);
	KTEST_EXPECT(t, trap_expect_fault(14, read_test_va, NULL, NULL, 0, &r));
	KTEST_EXPECT_EQ(t, r.error_code, 0x0);	/* not present: the TLB entry went */
	free_pages(page, 0);
}

static void direct_map_round_trip(struct ktest *t)
{
	void *page = alloc_pages(0);

	KTEST_EXPECT(t, (u64)page >= PAGE_OFFSET);
	KTEST_EXPECT_EQ(t, phys_to_virt(virt_to_phys(page)), page);
	KTEST_EXPECT_EQ(t, vm_translate((u64)page, NULL), virt_to_phys(page));
	KTEST_EXPECT(t, pmm_is_ram(virt_to_phys(page), PAGE_SIZE));
	/* The hole below 1 MiB where VGA lives is not RAM, not direct-mapped. */
	KTEST_EXPECT(t, vm_translate(PAGE_OFFSET + 0xb8000, NULL) == (paddr_t)-1);
	free_pages(page, 0);
}

/* Unbounded on purpose; the volatile limit hides that from GCC's
 * -Winfinite-recursion. */
static volatile u64 recurse_limit = ~0ULL;

__attribute__((noipa)) static u64 recurse(u64 depth)
{
	volatile u8 pad[256];

	pad[0] = (u8)depth;
	if (depth >= recurse_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}

static void overflow_stack(void *arg) { (void)arg; recurse(0); }

static void stack_overflow_hits_guard_page(struct ktest *t)
{
	struct trap_fault_result r;
	u64 lo, hi;

	KTEST_EXPECT(t, trap_expect_fault(8, overflow_stack, NULL, oops, sizeof(oops), &r));
	KTEST_EXPECT(t, vm_stack_guard_hit(r.cr2, &lo, &hi));
	KTEST_EXPECT_CONTAINS(t, oops, "BUG: TASK stack guard page was hit at ");
	KTEST_EXPECT_CONTAINS(t, oops, "Oops: stack guard page: 0000 [#");
	KTEST_EXPECT_CONTAINS(t, oops, " recurse+0x");
}

static void pages_come_back(struct ktest *t)
{
	u64 before = pmm_free_pages();
	void *p[11];

	for (unsigned order = 0; order <= 10; order++) {
		p[order] = alloc_pages(order);
		KTEST_EXPECT(t, p[order] != NULL);
		/* A block of order n is aligned to its size. */
		KTEST_EXPECT_EQ(t, virt_to_phys(p[order]) & ((PAGE_SIZE << order) - 1), 0);
	}
	KTEST_EXPECT_EQ(t, pmm_free_pages(), before - ((1u << 11) - 1));
	for (unsigned order = 0; order <= 10; order++)
		free_pages(p[order], order);
	KTEST_EXPECT_EQ(t, pmm_free_pages(), before);
}

static void bad_page_free_is_refused(struct ktest *t)
{
	char captured[1024];
	void *p = alloc_pages(1);
	u64 before;

	free_pages(p, 1);
	before = pmm_free_pages();
	printk_capture_start(captured, sizeof(captured));
	free_pages(p, 1);			/* double free */
	free_pages((char *)p + 8, 0);		/* not a page boundary */
	printk_capture_stop();
	KTEST_EXPECT_EQ(t, pmm_free_pages(), before);
	KTEST_EXPECT_CONTAINS(t, captured, "BUG: Bad page state");
	KTEST_EXPECT_CONTAINS(t, captured, "is not a page of managed memory");
}

KTEST_SUITE(mm, "mm",
	    KTEST_CASE(text_is_read_only),
	    KTEST_CASE(data_is_not_executable),
	    KTEST_CASE(image_flags),
	    KTEST_CASE(map_protect_unmap),
	    KTEST_CASE(direct_map_round_trip),
	    KTEST_CASE(stack_overflow_hits_guard_page),
	    KTEST_CASE(pages_come_back),
	    KTEST_CASE(bad_page_free_is_refused));
