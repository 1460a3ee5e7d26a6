/*
 * uaccess.h - the only way the kernel touches user memory (uaccess.c).
 *
 * A user pointer is a number the process chose: it may be NULL, point into
 * the kernel, run past the end of user space, or point at an unmapped page.
 * Every copy checks the whole range first (it must lie below USER_TOP and
 * not wrap) and then copies with instructions listed in the exception table
 * (__ex_table): if one faults, the page-fault handler resumes at the fixup
 * and the copy returns -EFAULT instead of an oops.  With SMAP on, the copy
 * is the only code that runs with user access allowed (stac ... clac).
 *
 * __user marks such pointers in prototypes (as in Linux, for readers; it
 * expands to nothing for GCC).
 */
#ifndef CANARY_PROC_UACCESS_H
#define CANARY_PROC_UACCESS_H

#include "lib/types.h"

#define __user

/* 0, or -EFAULT if any byte of the user range is bad. */
long copy_from_user(void *dst, const void __user *src, size_t n);
long copy_to_user(void __user *dst, const void *src, size_t n);
/* Copy a NUL-terminated string of at most size bytes (with its NUL) into
 * dst.  Returns its length, -EFAULT, or -ENAMETOOLONG if no NUL was found
 * within size bytes (dst is then not a string). */
long strncpy_from_user(char *dst, const char __user *src, size_t size);
/* Is [uaddr, uaddr+n) inside user space (no wrap)?  Says nothing about
 * whether it is mapped. */
bool access_ok(u64 uaddr, size_t n);

#endif
