/*
 * uaccess.c - range checks in front of the copy instructions of
 * uaccess_copy.S, and the exception-table search the page-fault handler
 * uses to turn a fault on a user address into -EFAULT.
 *
 * The range check matters as much as the fault handling: a "user" pointer
 * into the kernel half is mapped, so it would not fault at all.  Linux's
 * access_ok() makes the same check (CVE-2010-4258 and friends were what
 * happens when a path skips it).
 */
#include "mm/kasan.h"
#include "proc/uaccess.h"
#include "uapi/canary.h"

long uaccess_copy(void *dst, const void *src, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t size);

struct ex_entry {
	u64 insn;	/* an instruction that may fault on a user address */
	u64 fixup;	/* where to continue if it does */
};
extern const struct ex_entry ex_table_start[], ex_table_end[];

bool access_ok(u64 uaddr, size_t n)
{
	return uaddr < USER_TOP && n <= USER_TOP - uaddr;
}

long copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!access_ok((u64)src, n))
		return -EFAULT;
	/* The kernel side is checked by KASAN like any memcpy destination;
	 * the user side has no shadow. */
	if (!kasan_check_range(dst, n, true, (u64)__builtin_return_address(0)))
		return -EFAULT;
	return uaccess_copy(dst, (const void *)src, n);
}

long copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!access_ok((u64)dst, n))
		return -EFAULT;
	if (!kasan_check_range(src, n, false, (u64)__builtin_return_address(0)))
		return -EFAULT;
	return uaccess_copy((void *)dst, src, n);
}

long strncpy_from_user(char *dst, const char __user *src, size_t size)
{
	u64 u = (u64)src;

	if (u >= USER_TOP)
		return -EFAULT;
	if (!kasan_check_range(dst, size, true, (u64)__builtin_return_address(0)))
		return -EFAULT;
	/* Never read past the end of user space, however large size is. */
	size_t room = USER_TOP - u;
	long r = uaccess_strncpy(dst, (const char *)src, size < room ? size : room);

	if (r == -ENAMETOOLONG && size > room)
		return -EFAULT;		/* ran into the end of user space */
	return r;
}

u64 uaccess_fixup(u64 rip)
{
	for (const struct ex_entry *e = ex_table_start; e < ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
