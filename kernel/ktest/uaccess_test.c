/*
 * uaccess_test.c - the user/kernel boundary seen from the kernel: the
 * range checks of access_ok, copies that fault and come back as -EFAULT
 * through the exception table, and the CPU features that back them.
 * These run in a kernel thread, whose address space has no user pages at
 * all, so every user address faults.
 */
#include "arch/x86_64/layout.h"
#include "arch/x86_64/x86.h"
#include "boot/options.h"
#include "ktest/ktest.h"
#include "lib/string.h"
#include "proc/uaccess.h"
#include "uapi/canary.h"

static void access_ok_bounds(struct ktest *t)
{
	KTEST_EXPECT(t, access_ok(USER_BASE, 4096));
	KTEST_EXPECT(t, access_ok(USER_TOP - 1, 1));
	KTEST_EXPECT(t, !access_ok(USER_TOP - 1, 2));		/* crosses the end */
	KTEST_EXPECT(t, !access_ok(USER_TOP, 1));
	KTEST_EXPECT(t, !access_ok(0xffff888000000000ULL, 8));	/* the direct map */
	KTEST_EXPECT(t, !access_ok(0x8000000000000000ULL, 1));	/* non-canonical */
	KTEST_EXPECT(t, !access_ok(0x1000, ~(size_t)0));	/* wraps */
}

static void kernel_pointers_are_refused(struct ktest *t)
{
	static char secret[16] = "kernel secret";
	char buf[16];

	/* Mapped and readable by the kernel, so only the range check stops
	 * a "user" pointer to it. */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (const void __user *)secret, sizeof(buf)), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_to_user((void __user *)secret, "overwritten", 12), -EFAULT);
	KTEST_EXPECT(t, !strcmp(secret, "kernel secret"));
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, (const char __user *)secret, sizeof(buf)), -EFAULT);
}

static void unmapped_user_addresses_fault_to_efault(struct ktest *t)
{
	char buf[32];

	/* No user pages in a kernel thread: each copy faults, and the fault
	 * handler resumes at the fixup instead of printing an oops. */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (const void __user *)0, 8), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (const void __user *)USER_BASE, sizeof(buf)), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_to_user((void __user *)(USER_TOP - 8), buf, 8), -EFAULT);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, (const char __user *)USER_BASE, sizeof(buf)), -EFAULT);
	/* A zero-length copy touches nothing. */
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (const void __user *)USER_BASE, 0), 0);
}

static void smep_smap_follow_the_cpu(struct ktest *t)
{
	u32 a, b = 0, c, d;

	cpuid(0, &a, &b, &c, &d);
	b = 0;
	if (a >= 7)
		cpuid(7, &a, &b, &c, &d);
	/* On when offered (tools/kboot asks QEMU for both), unless smap=off. */
	KTEST_EXPECT_EQ(t, !!(read_cr4() & CR4_SMEP), !!(b & (1u << 7)));
	KTEST_EXPECT_EQ(t, !!(read_cr4() & CR4_SMAP), (b & (1u << 20)) && kernel_options.smap);
	/* Outside a copy, user access stays off. */
	KTEST_EXPECT(t, !(read_rflags() & RFLAGS_AC));
}

static void syscall_msrs_are_set(struct ktest *t)
{
	KTEST_EXPECT(t, rdmsr(MSR_EFER) & EFER_SCE);
	KTEST_EXPECT(t, rdmsr(MSR_LSTAR) >= KERNEL_VMA);
	KTEST_EXPECT(t, rdmsr(MSR_FMASK) & RFLAGS_IF);
	/* SYSRET's CS and SS come from STAR[63:48] + 16 and + 8. */
	KTEST_EXPECT_EQ(t, ((rdmsr(MSR_STAR) >> 48) + 16) | 3, SEL_UCODE | 3);
	KTEST_EXPECT_EQ(t, ((rdmsr(MSR_STAR) >> 48) + 8) | 3, SEL_UDATA | 3);
}

KTEST_SUITE(uaccess, "uaccess",
	    KTEST_CASE(access_ok_bounds),
	    KTEST_CASE(kernel_pointers_are_refused),
	    KTEST_CASE(unmapped_user_addresses_fault_to_efault),
	    KTEST_CASE(smep_smap_follow_the_cpu),
	    KTEST_CASE(syscall_msrs_are_set));
