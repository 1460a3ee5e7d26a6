/*
 * uaccess_copy.S - the instructions that touch user memory.
 *
 * Each load or store of a user address is listed in __ex_table with a fixup
 * address.  If it faults and the page-fault handler cannot make the page
 * appear (demand paging, proc/mm.c), it resumes at the fixup, which
 * returns -EFAULT: a bad pointer from a program becomes an error code, not
 * an oops (Linux: arch/x86/lib/copy_user_64.S and extable.c).
 *
 * With SMAP (CR4.SMAP) the kernel may touch user pages only while RFLAGS.AC
 * is set: STAC before, CLAC after, and nowhere else.  STAC is an invalid
 * instruction on CPUs without SMAP, hence the test of uaccess_smap.
 */
/* The error numbers, from the one table. */
#define ERRNO(name, num, msg) .set name, num;
#include "uapi/errno.def"
#undef ERRNO

.macro user_access_begin
	testb $1, uaccess_smap(%rip)
	jz 98f
	stac
98:
.endm
.macro user_access_end
	testb $1, uaccess_smap(%rip)
	jz 99f
	clac
99:
.endm

	.bss
	.globl uaccess_smap
uaccess_smap:	.byte 0		/* set once SMAP is on (proc/usermode.c) */

	.text
/* long uaccess_copy(void *dst, const void *src, size_t n): 0 or -EFAULT.
 * One of dst and src is a user address the caller checked with access_ok. */
	.globl uaccess_copy
	.type uaccess_copy, @function
uaccess_copy:
	user_access_begin
	movq %rdx, %rcx
1:	rep movsb
	user_access_end
	xorl %eax, %eax
	ret
2:	user_access_end
	movq $-EFAULT, %rax
	ret
	.size uaccess_copy, . - uaccess_copy

/* long uaccess_strncpy(char *dst, const char *src, size_t size): the
 * length, -EFAULT, or -ENAMETOOLONG if no NUL within size bytes. */
	.globl uaccess_strncpy
	.type uaccess_strncpy, @function
uaccess_strncpy:
	user_access_begin
	xorl %eax, %eax
3:	cmpq %rdx, %rax
	jae 5f
4:	movb (%rsi,%rax), %cl
	movb %cl, (%rdi,%rax)
	testb %cl, %cl
	jz 6f
	incq %rax
	jmp 3b
5:	movq $-ENAMETOOLONG, %rax
6:	user_access_end
	ret
7:	user_access_end
	movq $-EFAULT, %rax
	ret
	.size uaccess_strncpy, . - uaccess_strncpy

	.section __ex_table, "a"
	.align 8
	.quad 1b, 2b
	.quad 4b, 7b

	.section .note.GNU-stack, "", @progbits
