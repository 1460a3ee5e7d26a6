/*
 * boot.h - turning what the loader handed over into struct bootinfo
 * (boot.c), and the kernel's copy of it.
 */
#ifndef CANARY_BOOT_BOOT_H
#define CANARY_BOOT_BOOT_H

#include "boot/bootinfo.h"

/* PVH start-info magic (xen/include/public/arch-x86/hvm/start_info.h). */
#define PVH_START_MAGIC 0x336ec578

/* Filled once by boot_info_load(); read-only afterwards. */
extern struct bootinfo boot_info;

/*
 * Recognise the loader from its magic numbers and parse its information.
 * A malformed structure is reported on the console and leaves boot_info
 * with what could be read (possibly nothing): booting goes on.
 */
void boot_info_load(u32 loader_magic, u32 info_phys);
void boot_info_print(void);

#endif
