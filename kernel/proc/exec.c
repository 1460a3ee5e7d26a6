/*
 * exec.c - replace a process's program: read the ELF file, check it
 * (proc/elf.c, which trusts nothing in it), build a new address space with
 * its segments, a heap and a stack holding the arguments, and only then
 * drop the old one, so a failed exec leaves the caller running unchanged.
 *
 * The stack a new program starts with (userland/lib/crt0.S reads it):
 *
 *   USER_STACK_TOP  argument strings, NUL-terminated
 *                   (padding to 16 bytes)
 *                   NULL
 *                   argv[argc-1] ... argv[0]   pointers to the strings
 *   rsp (16-aligned) argc
 */
#include "fs/file.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/slab.h"
#include "mm/vm.h"
#include "proc/elf.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/usermode.h"

#define PAGE_MASK (~(u64)(PAGE_SIZE - 1))

static unsigned exec_prot(unsigned elf_prot)
{
	return ((elf_prot & ELF_PROT_W) ? VM_WRITE : 0) | ((elf_prot & ELF_PROT_X) ? VM_EXEC : 0);
}

/* Map and fill the image's segments, then the heap and stack regions. */
static int exec_build(struct mm *mm, const u8 *file, const struct elf_image *img)
{
	int r;

	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->seg[i];
		u64 start = s->vaddr & PAGE_MASK, end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);

		r = mm_add_vma(mm, start, end, exec_prot(s->prot), VMA_IMAGE);
		if (r == 0)
			r = mm_write(mm, s->vaddr, file + s->offset, s->filesz);
		if (r < 0)
			return r;
		/* The rest up to memsz (.bss) is demand-zero. */
	}
	mm->brk_start = mm->brk = img->hi;
	r = mm_add_vma(mm, img->hi, img->hi + PAGE_SIZE, VM_WRITE, VMA_HEAP);
	if (r == 0)
		r = mm_add_vma(mm, USER_STACK_TOP - USER_STACK_MAX, USER_STACK_TOP, VM_WRITE, VMA_STACK);
	return r;
}

/* Lay out argc/argv as the comment at the top shows; the new rsp. */
static long exec_push_args(struct mm *mm, const char *const *argv)
{
	u64 sp = USER_STACK_TOP, uargv[ARGV_MAX + 1];
	u64 argc = 0, total = 0;

	for (; argv[argc]; argc++) {
		size_t len = strlen(argv[argc]) + 1;

		total += len;
		if (argc == ARGV_MAX || total > ARG_MAX)
			return -E2BIG;
		sp -= len;
		if (mm_write(mm, sp, argv[argc], len) < 0)
			return -ENOMEM;
		uargv[argc] = sp;
	}
	uargv[argc] = 0;
	sp &= ~15ULL;
	if ((argc + 2) % 2)
		sp -= 8;	/* argc + pointers + NULL leave rsp 16-aligned */
	sp -= (argc + 1) * 8;
	if (mm_write(mm, sp, uargv, (argc + 1) * 8) < 0)
		return -ENOMEM;
	sp -= 8;
	if (mm_write(mm, sp, &argc, 8) < 0)
		return -ENOMEM;
	return (long)sp;
}

static const char *exec_basename(const char *path)
{
	const char *base = path;

	for (const char *c = path; *c; c++)
		if (*c == '/')
			base = c + 1;
	return base;
}

int exec_load(struct proc *p, const char *path, const char *const *argv, struct trap_frame *frame)
{
	struct elf_image img;
	char why[96];
	void *file;
	size_t size;
	long r = fs_read_file(path, &file, &size);

	if (r < 0)
		return (int)r;
	r = elf_parse(file, size, USER_BASE, USER_MMAP_BASE, &img, why, sizeof(why));
	if (r < 0) {
		pr_info("exec: %s: %s\n", path, why);
		kfree(file);
		return -ENOEXEC;
	}
	struct mm *mm = mm_create(), *old = p->mm;

	r = mm ? exec_build(mm, file, &img) : -ENOMEM;
	kfree(file);
	if (r == 0)
		r = exec_push_args(mm, argv);
	if (r < 0) {
		mm_destroy(mm);
		return (int)r;
	}
	/* The point of no return: the old program is gone. */
	p->mm = mm;
	if (p == proc_current())
		mm_activate(mm);
	mm_destroy(old);
	strncpy_safe(p->name, exec_basename(path), sizeof(p->name));
	strncpy_safe(p->thread->name, p->name, sizeof(p->thread->name));
	usermode_frame(frame, img.entry, (u64)r);
	return 0;
}

/* Copy argv (an array of user pointers) into one kernel buffer. */
static long exec_copy_argv(char *const __user *uargv, const char **argv, char *buf)
{
	size_t used = 0;
	int n = 0;

	for (;; n++) {
		char *uptr;

		if (n > ARGV_MAX)
			return -E2BIG;
		if (copy_from_user(&uptr, uargv + n, sizeof(uptr)) < 0)
			return -EFAULT;
		if (!uptr)
			break;
		if (n == ARGV_MAX)
			return -E2BIG;
		long len = strncpy_from_user(buf + used, uptr, ARG_MAX - used);

		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		argv[n] = buf + used;
		used += (size_t)len + 1;
	}
	argv[n] = NULL;
	return n;
}

long sys_exec(const char __user *upath, char *const __user *uargv)
{
	char path[PATH_MAX];
	const char *argv[ARGV_MAX + 1];
	long r = strncpy_from_user(path, upath, sizeof(path));
	char *buf;

	if (r < 0)
		return r;
	buf = kmalloc(ARG_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	r = exec_copy_argv(uargv, argv, buf);
	if (r >= 0)
		r = exec_load(proc_current(), path, argv, proc_current()->frame);
	kfree(buf);
	return r;
}
