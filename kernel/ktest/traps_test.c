/*
 * traps_test.c - every exception the kernel reports, provoked on purpose
 * under trap_expect_fault(): the test passes only if the right exception
 * fired at the right place AND the oops says so in Linux's words.  The
 * faults come from crash.c, the same functions crash=TYPE uses.
 */
#include "arch/x86_64/timer.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/x86.h"
#include "crash.h"
#include "ktest/ktest.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/string.h"

static char oops[4096];

/* The RIP line must name the function that faulted, and the call trace
 * must continue into its caller. */
static void expect_rip_in(struct ktest *t, const struct trap_fault_result *r,
			  void (*fn)(void *), const char *name)
{
	u64 off, size;
	const char *sym = ksym_lookup(r->rip, &off, &size);
	char want[80];

	KTEST_EXPECT(t, sym && !strcmp(sym, name));
	KTEST_EXPECT(t, r->rip >= (u64)fn && r->rip < (u64)fn + size);
	ksnprintf(want, sizeof(want), "RIP: 0010:%s+0x%llx/0x%llx", name,
		  (unsigned long long)off, (unsigned long long)size);
	KTEST_EXPECT_CONTAINS(t, oops, want);
	KTEST_EXPECT_CONTAINS(t, oops, "Call Trace:\n <TASK>\n trap_expect_fault+0x");
	KTEST_EXPECT_CONTAINS(t, oops, " </TASK>\n---[ end trace");
}

/* Provoke fn's exception under trap_expect_fault() and check the parts
 * every oops shares; returns what the trap layer recorded. */
static struct trap_fault_result provoke(struct ktest *t, u64 vector, void (*fn)(void *),
					const char *name)
{
	struct trap_fault_result r;

	KTEST_EXPECT(t, trap_expect_fault(vector, fn, NULL, oops, sizeof(oops), &r));
	KTEST_EXPECT_EQ(t, r.vector, vector);
	expect_rip_in(t, &r, fn, name);
	return r;
}
#define PROVOKE(t, vector, fn) provoke(t, vector, fn, #fn)

static void page_fault_write(struct ktest *t)
{
	struct trap_fault_result r = PROVOKE(t, 14, crash_write_unmapped);

	KTEST_EXPECT_EQ(t, r.cr2, 0x40000000);
	KTEST_EXPECT_EQ(t, r.error_code, 0x2);	/* write, not present, kernel */
	KTEST_EXPECT_CONTAINS(t, oops, "BUG: unable to handle page fault for address: 0000000040000000\n");
	KTEST_EXPECT_CONTAINS(t, oops, "#PF: supervisor write access in kernel mode\n");
	KTEST_EXPECT_CONTAINS(t, oops, "#PF: error_code(0x0002) - not-present page\n");
	KTEST_EXPECT_CONTAINS(t, oops, "Oops: 0002 [#");
}

static void page_fault_null(struct ktest *t)
{
	struct trap_fault_result r = PROVOKE(t, 14, crash_read_null);

	KTEST_EXPECT_EQ(t, r.cr2, 0);
	KTEST_EXPECT_EQ(t, r.error_code, 0x0);
	KTEST_EXPECT_CONTAINS(t, oops, "BUG: kernel NULL pointer dereference, address: 0000000000000000\n");
	KTEST_EXPECT_CONTAINS(t, oops, "#PF: supervisor read access in kernel mode\n");
	/* The walk shows why: the identity map's PML4 entry was dropped. */
	KTEST_EXPECT_CONTAINS(t, oops, "PGD 0 P4D 0 \n");
}

static void invalid_opcode(struct ktest *t)
{
	PROVOKE(t, 6, crash_invalid_opcode);
	KTEST_EXPECT_CONTAINS(t, oops, "invalid opcode: 0000 [#");
	/* The Code: line marks the faulting bytes: ud2 is 0f 0b. */
	KTEST_EXPECT_CONTAINS(t, oops, "<0f> 0b");
}

static void divide_error(struct ktest *t)
{
	PROVOKE(t, 0, crash_divide_error);
	KTEST_EXPECT_CONTAINS(t, oops, "divide error: 0000 [#");
}

static void general_protection(struct ktest *t)
{
	PROVOKE(t, 13, crash_noncanonical);
	KTEST_EXPECT_CONTAINS(t, oops, "general protection fault: 0000 [#");
}

static void breakpoint(struct ktest *t)
{
	/* #BP is a trap: RIP is already past the int3, still inside. */
	PROVOKE(t, 3, crash_breakpoint);
	KTEST_EXPECT_CONTAINS(t, oops, "int3: 0000 [#");
}

static void nothing(void *arg) { *(int *)arg = 42; }

static void no_fault_is_reported_as_such(struct ktest *t)
{
	struct trap_fault_result r;
	int ran = 0;

	KTEST_EXPECT(t, !trap_expect_fault(14, nothing, &ran, oops, sizeof(oops), &r));
	KTEST_EXPECT_EQ(t, ran, 42);
	KTEST_EXPECT(t, !r.faulted);
	KTEST_EXPECT_EQ(t, oops[0], '\0');
}

static void interrupts_work_after_recovery(struct ktest *t)
{
	struct trap_fault_result r;

	trap_expect_fault(6, crash_invalid_opcode, NULL, NULL, 0, &r);
	KTEST_EXPECT(t, read_rflags() & RFLAGS_IF);
	u64 start = jiffies;
	u64 deadline = rdtsc() + tsc_khz() * 2000;	/* 2 s of TSC time */

	while (jiffies < start + 3 && rdtsc() < deadline)
		sti_hlt();
	KTEST_EXPECT(t, jiffies >= start + 3);
}

KTEST_SUITE(traps, "traps",
	    KTEST_CASE(page_fault_write),
	    KTEST_CASE(page_fault_null),
	    KTEST_CASE(invalid_opcode),
	    KTEST_CASE(divide_error),
	    KTEST_CASE(general_protection),
	    KTEST_CASE(breakpoint),
	    KTEST_CASE(no_fault_is_reported_as_such),
	    KTEST_CASE(interrupts_work_after_recovery));
