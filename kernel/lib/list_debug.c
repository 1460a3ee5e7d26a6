/*
 * list_debug.c - what happens when lib/list.h finds a broken link.
 *
 * A list whose neighbours do not point back at each other has been
 * overwritten: by a use-after-free of an element still on it, a double
 * list_del, or a stray write.  Continuing would spread the damage through
 * every later list operation, so this is fatal, as in Linux built with
 * CONFIG_BUG_ON_DATA_CORRUPTION: the message, the BUG banner, the call
 * trace that shows which list operation found it (the stack walker checks
 * every frame, so a corrupted heap cannot mislead it), then panic.
 */
#include "arch/x86_64/stacktrace.h"
#include "lib/list.h"
#include "lib/panic.h"
#include "lib/printk.h"

void list_report_corruption(const char *msg)
{
	pr_err("%s\n", msg);
	pr_err("------------[ cut here ]------------\n");
	pr_err("kernel BUG at lib/list_debug.c:%d!\n", __LINE__);
	dump_stack();
	panic("list corruption");
}
