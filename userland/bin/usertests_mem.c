/*
 * usertests_mem.c - memory tests of usertests: sbrk growth and shrink,
 * malloc/free churn, anonymous mmap/munmap, and faults that must kill
 * only the faulting child with the right signal: NULL, writes to code
 * and constants, executing data (NX), touching the kernel, non-canonical
 * addresses, privileged instructions, divide errors, ud2, a stack beyond
 * its 1 MiB, a system call made with a wild stack pointer.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usertests.h"

#define PAGE 4096L

static long map(size_t len, int prot)
{
	long a = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS);

	UT_ASSERT(!MAP_FAILED_ERR(a), "mmap(%zu, %d): %s", len, prot, strerror((int)-a));
	UT_ASSERT(a % PAGE == 0 && (unsigned long)a >= USER_BASE && (unsigned long)a < USER_TOP,
		  "mmap returned %#lx", a);
	return a;
}

/* Every page of [a, a + pages * PAGE) reads zero, then holds its pattern. */
static void fill_pages(long a, long pages, int seed)
{
	for (long i = 0; i < pages; i++) {
		volatile long *p = (volatile long *)(a + i * PAGE);

		UT_ASSERT(p[0] == 0 && p[PAGE / 8 - 1] == 0, "fresh page %ld at %#lx is not zero", i,
			  a + i * PAGE);
		p[0] = seed + i;
		p[PAGE / 8 - 1] = ~(seed + i);
	}
	for (long i = 0; i < pages; i++) {
		volatile long *p = (volatile long *)(a + i * PAGE);

		UT_ASSERT(p[0] == seed + i && p[PAGE / 8 - 1] == ~(seed + i), "page %ld lost its data", i);
	}
}

static volatile long fault_addr;	/* for the faulting children */

static void touch_fault_addr(void)
{
	*(volatile char *)fault_addr = 1;
}

static void read_fault_addr(void)
{
	(void)*(volatile char *)fault_addr;
}

static void test_sbrk(void)
{
	long start = sbrk(0), before = ut_free_pages(), top;
	enum { PAGES = 64 };

	UT_ASSERT(start > 0, "sbrk(0) = %ld", start);
	UT_EQ(sbrk(PAGES * PAGE), start);
	UT_EQ(sbrk(0), start + PAGES * PAGE);
	top = (start + PAGE - 1) & ~(PAGE - 1);		/* first whole heap page */
	fill_pages(top, PAGES - 1, 1000);
	UT_EQ(sbrk(-PAGES * PAGE), start + PAGES * PAGE);
	UT_EQ(sbrk(0), start);
	UT_ASSERT(before - ut_free_pages() <= 4, "%ld pages kept after the heap shrank",
		  before - ut_free_pages());
	/* Gone: touching it kills. */
	fault_addr = top + 2 * PAGE;
	ut_expect_signal(touch_fault_addr, SIGSEGV, "write to a page sbrk gave back");
	/* Grown again, it is zero again: nothing of the old contents. */
	UT_EQ(sbrk(PAGES * PAGE), start);
	fill_pages(top, PAGES - 1, 2000);
	UT_EQ(sbrk(-PAGES * PAGE), start + PAGES * PAGE);
	/* What sbrk refuses, leaving the break alone. */
	UT_EQ(sbrk(LONG_MAX), -ENOMEM);
	UT_EQ(sbrk(LONG_MIN), -ENOMEM);
	UT_EQ(sbrk(-(start + 1)), -ENOMEM);		/* below address 0 */
	UT_EQ(sbrk(-(1L << 30)), -ENOMEM);		/* below the heap's start */
	UT_EQ(sbrk((long)(USER_TOP)), -ENOMEM);		/* into the stack and beyond */
	UT_EQ(sbrk(0), start);
	/* 8 MiB, every page written. */
	UT_EQ(sbrk(2048 * PAGE), start);
	fill_pages(top, 2047, 3000);
	UT_EQ(sbrk(-2048 * PAGE), start + 2048 * PAGE);
	/* The page tables that mapped it may stay until exit: one per 2 MiB. */
	UT_ASSERT(before - ut_free_pages() <= 2048 / 512 + 2, "8 MiB of heap: %ld pages not "
		  "given back", before - ut_free_pages());
}

static void test_malloc(void)
{
	enum { SLOTS = 64 };
	unsigned char *p[SLOTS] = { NULL };
	size_t size[SLOTS] = { 0 };

	srand(12345);
	for (int round = 0; round < 3000; round++) {
		int i = (int)(rand() % SLOTS);

		if (p[i]) {
			for (size_t j = 0; j < size[i]; j++)
				UT_ASSERT(p[i][j] == (unsigned char)(i + j), "block %d byte %zu changed", i, j);
			free(p[i]);
			p[i] = NULL;
			continue;
		}
		size[i] = rand() % 3 ? rand() % 200 + 1 : rand() % 20000 + 1;
		p[i] = malloc(size[i]);
		UT_ASSERT(p[i], "malloc(%zu) failed at round %d", size[i], round);
		UT_ASSERT((uintptr_t)p[i] % 16 == 0, "malloc returned %p, not 16-aligned", (void *)p[i]);
		for (size_t j = 0; j < size[i]; j++)
			p[i][j] = (unsigned char)(i + j);
	}
	for (int i = 0; i < SLOTS; i++)
		free(p[i]);
	/* calloc zeroes; realloc keeps the contents. */
	unsigned char *c = calloc(1000, 10);

	UT_ASSERT(c, "calloc failed");
	for (int j = 0; j < 10000; j++)
		UT_ASSERT(c[j] == 0, "calloc byte %d = %d", j, c[j]);
	memset(c, 0x5a, 10000);
	c = realloc(c, 100000);
	UT_ASSERT(c, "realloc failed");
	for (int j = 0; j < 10000; j++)
		UT_ASSERT(c[j] == 0x5a, "realloc lost byte %d", j);
	free(c);
	/* A few big blocks, written through. */
	for (int k = 0; k < 4; k++) {
		char *big = malloc(1 << 20);

		UT_ASSERT(big, "malloc(1 MiB) #%d failed", k);
		memset(big, k, 1 << 20);
		free(big);
	}
}

static void test_mmap(void)
{
	long before = ut_free_pages(), a, b, r;

	a = map(16 * PAGE, PROT_READ | PROT_WRITE);
	fill_pages(a, 16, 10);
	b = map(3 * PAGE, PROT_READ | PROT_WRITE);
	UT_ASSERT(b + 3 * PAGE <= a || b >= a + 16 * PAGE, "mmap regions overlap: %#lx, %#lx", a, b);
	fill_pages(b, 3, 20);
	UT_EQ(munmap((void *)a, 16 * PAGE), 0);
	fault_addr = a + 5 * PAGE;
	ut_expect_signal(read_fault_addr, SIGSEGV, "read of munmapped memory");
	UT_EQ(munmap((void *)a, 16 * PAGE), -EINVAL);	/* twice */
	fill_pages(b, 0, 0);				/* b untouched by a's unmapping */
	UT_ASSERT(*(long *)b == 20, "b lost its data");
	UT_EQ(munmap((void *)b, 3 * PAGE), 0);
	/* Read-only memory reads as zero and cannot be written. */
	a = map(PAGE, PROT_READ);
	UT_EQ(*(volatile long *)a, 0);
	fault_addr = a;
	ut_expect_signal(touch_fault_addr, SIGSEGV, "write to PROT_READ memory");
	UT_EQ(munmap((void *)a, PAGE), 0);
	/* What mmap refuses. */
	UT_EQ(mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);
	UT_EQ(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), -EINVAL);
	UT_EQ(mmap(NULL, PAGE, PROT_READ, 0), -EINVAL);
	UT_EQ(mmap(NULL, PAGE, PROT_READ, 0x01 | MAP_ANONYMOUS), -EINVAL);	/* MAP_SHARED */
	UT_EQ(mmap(NULL, PAGE, PROT_READ, -1), -EINVAL);
	r = mmap(NULL, SIZE_MAX, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	UT_ASSERT(r == -EINVAL || r == -ENOMEM, "mmap(SIZE_MAX) = %ld", r);
	r = mmap(NULL, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);	/* all of user space */
	UT_ASSERT(r == -ENOMEM || r == -EINVAL, "mmap(128 TiB) = %ld", r);
	/* What munmap refuses: only whole mmap regions may go. */
	a = map(2 * PAGE, PROT_READ | PROT_WRITE);
	UT_EQ(munmap((void *)(a + 1), PAGE), -EINVAL);
	UT_EQ(munmap((void *)a, 0), -EINVAL);
	UT_EQ(munmap((void *)UT_KERNEL_TEXT, PAGE), -EINVAL);
	UT_EQ(munmap((void *)UT_NONCANONICAL, PAGE), -EINVAL);
	UT_EQ(munmap((void *)(USER_TOP - PAGE), SIZE_MAX - PAGE), -EINVAL);
	UT_EQ(munmap((void *)((uintptr_t)test_mmap & ~(PAGE - 1)), PAGE), -EINVAL);	/* our code */
	UT_EQ(munmap((void *)a, 2 * PAGE), 0);
	/* Churn: 200 map, touch, unmap; nothing may be lost. */
	for (int i = 0; i < 200; i++) {
		a = map((size_t)(i % 7 + 1) * PAGE, PROT_READ | PROT_WRITE);
		*(volatile long *)(a + (i % 7) * PAGE) = i;
		UT_EQ(munmap((void *)a, (size_t)(i % 7 + 1) * PAGE), 0);
	}
	UT_ASSERT(before - ut_free_pages() <= 4, "%ld pages lost to mmap churn",
		  before - ut_free_pages());
}

/* Map single pages until the kernel refuses; the refusal must be clean. */
static void test_mmap_exhaust(void)
{
	long maps[64], r = 0;
	int n = 0;

	while (n < 64 && !MAP_FAILED_ERR(r = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS)))
		maps[n++] = r;
	UT_ASSERT(n < 64 ? r == -ENOMEM : 1, "mmap #%d failed with %ld, want -ENOMEM", n + 1, r);
	UT_ASSERT(n >= 8, "only %d mmaps", n);
	for (int i = 0; i < n; i++) {
		*(volatile long *)maps[i] = i;
		UT_EQ(munmap((void *)maps[i], PAGE), 0);
	}
	r = map(PAGE, PROT_READ | PROT_WRITE);	/* works again */
	UT_EQ(munmap((void *)r, PAGE), 0);
}

/* ---------------------------------------------------------------- faults */

static int *volatile null_ptr;	/* NULL, behind volatile so GCC cannot see it */

static void f_null_read(void) { (void)*(volatile int *)null_ptr; }
static void f_null_write(void) { *(volatile int *)(null_ptr + 2) = 1; }
static void f_text_write(void) { *(volatile char *)(uintptr_t)f_null_read = 0; }
static void f_rodata_write(void) { *(volatile char *)(uintptr_t)"constant" = 'C'; }
static void f_kernel_read(void) { (void)*(volatile long *)UT_KERNEL_TEXT; }
static void f_kernel_direct_read(void) { (void)*(volatile long *)UT_KERNEL_DIRECT; }
static void f_kernel_write(void) { *(volatile long *)UT_KERNEL_DIRECT = 0; }
static void f_noncanonical(void) { (void)*(volatile long *)UT_NONCANONICAL; }
static void f_kernel_jump(void) { ((void (*)(void))UT_KERNEL_TEXT)(); }
static void f_null_call(void) { ((void (*)(void))(uintptr_t)null_ptr)(); }

static unsigned char ret_insn[16] = { 0xc3 };	/* `ret`, in .data */

static void f_exec_data(void) { ((void (*)(void))(uintptr_t)ret_insn)(); }

static void f_exec_stack(void)
{
	volatile unsigned char code[16] = { 0xc3 };

	((void (*)(void))(uintptr_t)code)();
}

static void f_exec_heap(void)
{
	unsigned char *code = malloc(64);

	code[0] = 0xc3;
	((void (*)(void))(uintptr_t)code)();
}

static void f_exec_mmap_ro(void)	/* PROT_READ without PROT_EXEC */
{
	long a = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);

	((void (*)(void))a)();
}

static void f_div_zero(void)
{
	volatile int zero = 0, x = 1;

	x = x / zero;
}

static void f_div_overflow(void)	/* INT_MIN / -1 does not fit: #DE too */
{
	volatile int a = INT_MIN, b = -1;

	a = a / b;
}

static void f_ud2(void) { __asm__ __volatile__("ud2"); }
static void f_cli(void) { __asm__ __volatile__("cli"); }
static void f_hlt(void) { __asm__ __volatile__("hlt"); }
static void f_read_cr3(void) { long v; __asm__ __volatile__("mov %%cr3, %0" : "=r"(v)); }
/* Port 0xf4 is QEMU's isa-debug-exit: were the write allowed, the machine
 * would power off with status 0x55, which no test accepts. */
static void f_port_io(void) { __asm__ __volatile__("outb %%al, $0xf4" :: "a"(0x55)); }
static void f_wrmsr(void) { __asm__ __volatile__("wrmsr" :: "c"(0xc0000082), "a"(0), "d"(0)); }
static void f_int80(void) { __asm__ __volatile__("int $0x80"); }
static void f_int_pf(void) { __asm__ __volatile__("int $14"); }	/* a fake page fault */
static void f_int_timer(void) { __asm__ __volatile__("int $0x20"); }

/* A system call made with a stack pointer into the kernel: the kernel
 * must not use it, and the program dies when it next touches its stack. */
static void f_syscall_bad_rsp(void)
{
	__asm__ __volatile__(
		"mov %%rsp, %%rbx\n\t"
		"mov %0, %%rsp\n\t"
		"mov $11, %%eax\n\t"	/* getpid */
		"syscall\n\t"
		"push %%rax\n\t"	/* faults */
		"mov %%rbx, %%rsp"
		:: "r"(UT_KERNEL_DIRECT) : "rax", "rbx", "rcx", "r11", "memory");
}

static volatile int recurse_limit = INT_MAX;	/* never reached: the stack ends first */

static int recurse(int n)
{
	volatile char frame[4000];

	frame[0] = (char)n;
	return n < recurse_limit ? recurse(n + 1) + frame[0] : 0;
}

static void f_stack_overflow(void) { recurse(0); }

/* One test per fault, so that each is reported on its own. */
#define FAULT_TEST(name, sig, what) \
	static void t_##name(void) { ut_expect_signal(f_##name, sig, what); }
FAULT_TEST(null_read, SIGSEGV, "NULL read")
FAULT_TEST(null_write, SIGSEGV, "NULL write")
FAULT_TEST(null_call, SIGSEGV, "NULL call")
FAULT_TEST(text_write, SIGSEGV, "write to .text")
FAULT_TEST(rodata_write, SIGSEGV, "write to .rodata")
FAULT_TEST(kernel_read, SIGSEGV, "read of the kernel image")
FAULT_TEST(kernel_direct_read, SIGSEGV, "read of the kernel direct map")
FAULT_TEST(kernel_write, SIGSEGV, "write to the kernel direct map")
FAULT_TEST(noncanonical, SIGSEGV, "read of a non-canonical address")
FAULT_TEST(kernel_jump, SIGSEGV, "jump into the kernel")
FAULT_TEST(exec_data, SIGSEGV, "execute .data (NX)")
FAULT_TEST(exec_stack, SIGSEGV, "execute the stack (NX)")
FAULT_TEST(exec_heap, SIGSEGV, "execute the heap (NX)")
FAULT_TEST(exec_mmap_ro, SIGSEGV, "execute PROT_READ mmap")
FAULT_TEST(div_zero, SIGFPE, "divide by zero")
FAULT_TEST(div_overflow, SIGFPE, "INT_MIN / -1")
FAULT_TEST(ud2, SIGILL, "ud2")
FAULT_TEST(cli, SIGSEGV, "cli")
FAULT_TEST(hlt, SIGSEGV, "hlt")
FAULT_TEST(read_cr3, SIGSEGV, "mov from cr3")
FAULT_TEST(port_io, SIGSEGV, "out to a port")
FAULT_TEST(wrmsr, SIGSEGV, "wrmsr")
FAULT_TEST(int80, SIGSEGV, "int $0x80")
FAULT_TEST(int_pf, SIGSEGV, "int $14 (fake page fault)")
FAULT_TEST(int_timer, SIGSEGV, "int $0x20 (fake timer)")
FAULT_TEST(syscall_bad_rsp, SIGSEGV, "syscall with a kernel rsp")
FAULT_TEST(stack_overflow, SIGSEGV, "stack overflow past 1 MiB")

/* The stack may grow to (nearly) 1 MiB before that is a fault. */
static int deep(int n)
{
	volatile char frame[1000];

	frame[0] = (char)n;
	return n ? deep(n - 1) + frame[0] : 0;
}

static void test_stack_growth(void)
{
	int want = 0;

	for (int n = 1; n <= 900; n++)
		want += (char)n;
	UT_EQ(deep(900), want);		/* ~900 KiB of stack */
}

/* Faults kill only the faulting process: the kernel and we go on. */
static void test_faults_contained(void)
{
	long before = ut_free_pages(), pid = getpid();

	static void (*const fns[])(void) = { f_null_read, f_kernel_read, f_exec_data, f_stack_overflow };

	for (int i = 0; i < 20; i++)
		ut_expect_signal(fns[i % 4], SIGSEGV, "one of four faults");
	UT_EQ(getpid(), pid);
	UT_ASSERT(before - ut_free_pages() <= 8, "20 faulting children: %ld pages lost",
		  before - ut_free_pages());
}

const struct ut_test ut_mem_tests[] = {
	{ "sbrk", test_sbrk },
	{ "malloc", test_malloc },
	{ "mmap", test_mmap },
	{ "mmap_exhaust", test_mmap_exhaust },
	{ "stack_growth", test_stack_growth },
	{ "fault_null_read", t_null_read },
	{ "fault_null_write", t_null_write },
	{ "fault_null_call", t_null_call },
	{ "fault_text_write", t_text_write },
	{ "fault_rodata_write", t_rodata_write },
	{ "fault_kernel_read", t_kernel_read },
	{ "fault_kernel_direct_read", t_kernel_direct_read },
	{ "fault_kernel_write", t_kernel_write },
	{ "fault_noncanonical", t_noncanonical },
	{ "fault_kernel_jump", t_kernel_jump },
	{ "fault_exec_data", t_exec_data },
	{ "fault_exec_stack", t_exec_stack },
	{ "fault_exec_heap", t_exec_heap },
	{ "fault_exec_mmap_ro", t_exec_mmap_ro },
	{ "fault_div_zero", t_div_zero },
	{ "fault_div_overflow", t_div_overflow },
	{ "fault_ud2", t_ud2 },
	{ "fault_cli", t_cli },
	{ "fault_hlt", t_hlt },
	{ "fault_read_cr3", t_read_cr3 },
	{ "fault_port_io", t_port_io },
	{ "fault_wrmsr", t_wrmsr },
	{ "fault_int80", t_int80 },
	{ "fault_int_pf", t_int_pf },
	{ "fault_int_timer", t_int_timer },
	{ "fault_syscall_bad_rsp", t_syscall_bad_rsp },
	{ "fault_stack_overflow", t_stack_overflow },
	{ "faults_contained", test_faults_contained },
	{ NULL, NULL },
};
