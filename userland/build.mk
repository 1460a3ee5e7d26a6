# userland/build.mk - the user programs, their libc, and the initrd that
# carries them; a fragment of the top Makefile (which includes it and
# provides BUILD, Q, CC, LD, OBJCOPY, PYTHON and WERROR).
#
#   make userland               every program, the staging tree, the initrd
#   make $(BUILD)/initrd.cpio   the same, named by its result
#
#   USER_LIBC_SRCS ------------------------------------> $(BUILD)/user/libc.a
#   userland/bin/P.c [+ its extra objects]
#       + crt0.o + libc.a --userland/user.ld--> $(BUILD)/user/bin/P   (with -g)
#   $(BUILD)/user/bin/P --strip-debug--> $(BUILD)/user/root/bin/P
#   userland/etc/motd ----------------> $(BUILD)/user/root/etc/motd
#   $(BUILD)/user/root --tools/mkinitrd.py--> $(BUILD)/initrd.cpio (newc)
#
# A new program is one line in USER_PROGS and a file userland/bin/P.c; a
# program made of several files also gets a line under "extra objects".

# ------------------------------------------------------------- programs
USER_PROGS += sh          # the shell: pipes, redirections, ; and &, scripts
USER_PROGS += echo        # print the arguments
USER_PROGS += cat         # copy files to stdout
USER_PROGS += ls          # list a directory (-l: type and size)
USER_PROGS += ps          # list processes
USER_PROGS += kill        # send a signal
USER_PROGS += meminfo     # kernel memory: pages, slab objects
USER_PROGS += sleep       # wait, in seconds (fractions allowed)
USER_PROGS += lab         # run a kernel lab scenario
USER_PROGS += true        # exit 0
USER_PROGS += false       # exit 1
USER_PROGS += wc          # count lines, words, bytes
USER_PROGS += uname       # system name (-a: release, machine)
USER_PROGS += rm          # remove files
USER_PROGS += usertests   # the user test suite (tests/user/test_user.py boots it)
USER_PROGS += sysfuzz     # system call fuzzer
USER_PROGS += ubench      # user-mode micro-benchmarks (make bench)
USER_PROGS += segv        # crashes on purpose: the fault report

# The other sources of a program made of more than one file.
USER_EXTRA_sh := userland/bin/sh_parse.c     # line -> commands (host-testable)
USER_EXTRA_usertests := $(addprefix userland/bin/usertests_,proc.c fs.c ipc.c mem.c uaccess.c args.c)

# ----------------------------------------------------------------- libc
USER_CRT0 := $(BUILD)/user/obj/userland/lib/crt0.o          # _start: the entry state
USER_LIBC_SRCS += userland/lib/syscalls.S   # one stub per syscalls.def entry
USER_LIBC_SRCS += userland/lib/syscall.S    # syscall(nr, ...): any call by number
USER_LIBC_SRCS += kernel/lib/string.c       # memcpy, strlen, ...: the kernel's own
USER_LIBC_SRCS += userland/lib/string.c     # strcpy, strrchr, ..., strerror
USER_LIBC_SRCS += kernel/lib/format.c       # vsnprintf: the kernel's printf engine
USER_LIBC_SRCS += userland/lib/stdio.c      # printf, dprintf, readline on fds
USER_LIBC_SRCS += userland/lib/stdlib.c     # strtol, rand, abort
USER_LIBC_SRCS += userland/lib/malloc.c     # malloc, free: first fit over sbrk
USER_LIBC_SRCS += userland/lib/err.c        # the utilities' error and usage lines
USER_LIBC := $(BUILD)/user/libc.a
USER_LDS  := userland/user.ld

# -mgeneral-regs-only: the kernel does not save SSE/x87 state when it
# switches processes, so no user code may touch those registers.
# -nostdinc + GCC's own directory: only userland/include and the
# compiler's freestanding headers (stdint.h, stdarg.h ...), never the
# host's glibc headers by accident.  -fno-tree-loop-distribute-patterns:
# GCC would otherwise turn memset's own loop into a call to memset.
# Function sections + --gc-sections: a program links only what it calls.
# The CONFIG_ switches compile kernel/lib/string.c without KASAN checks.
USER_CFLAGS := -std=c11 -O2 -g -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-ffreestanding -fno-pic -fno-pie -fno-stack-protector -mgeneral-regs-only \
	-fno-builtin -nostdlib -static -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-ffunction-sections -fdata-sections \
	-DCONFIG_KASAN=0 -DCONFIG_UBSAN=0 -DCONFIG_STACKPROTECTOR=0 \
	-Ikernel -Iuserland/include -MMD -MP
# A source that needs more flags gets a USER_CFLAGS_<path> line, e.g.
#   USER_CFLAGS_userland/bin/usertests_mem.c := -Wno-infinite-recursion
USER_ASFLAGS := -g -Ikernel -Iuserland/include -MMD -MP -D__ASSEMBLER__
# snprintf and vsnprintf are the kernel's ksnprintf and kvsnprintf
# (kernel/lib/format.c) under their ISO names: the same code, no wrapper.
USER_LDFLAGS := -nostdlib -static --gc-sections -z max-page-size=0x1000 -T $(USER_LDS) \
	--defsym=snprintf=ksnprintf --defsym=vsnprintf=kvsnprintf

USER_MKINITRD ?= tools/mkinitrd.py

user_obj = $(patsubst %,$(BUILD)/user/obj/%.o,$(basename $(1)))
USER_LIBC_OBJS := $(call user_obj,$(USER_LIBC_SRCS))
USER_PROG_OBJS  = $(call user_obj,$(patsubst %,userland/bin/%.c,$(USER_PROGS)) \
	$(foreach p,$(USER_PROGS),$(USER_EXTRA_$(p))))
USER_BINS       = $(addprefix $(BUILD)/user/bin/,$(USER_PROGS))
USER_ROOT_FILES = $(addprefix $(BUILD)/user/root/bin/,$(USER_PROGS)) \
	$(BUILD)/user/root/etc/motd

# ---------------------------------------------------------------- rules
# This file is included before the top Makefile's `all:`; its rules must
# not become make's default goal, so the goal is put back at the end.
user_saved_default_goal := $(.DEFAULT_GOAL)

.PHONY: userland
userland: $(USER_BINS) $(BUILD)/initrd.cpio

$(BUILD)/user/obj/%.o: %.c userland/build.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UCC     $<")
	$(Q)$(CC) $(USER_CFLAGS) $(USER_CFLAGS_$<) -c $< -o $@

$(BUILD)/user/obj/%.o: %.S userland/build.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UAS     $<")
	$(Q)$(CC) $(USER_ASFLAGS) -c $< -o $@

# rm first: an object dropped from the list must not linger in the archive.
$(USER_LIBC): $(USER_LIBC_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# Any userland/bin/P.c is a program, with the objects of USER_EXTRA_P
# (added as prerequisites here); crt0 first, so _start opens .text.
$(foreach p,$(USER_PROGS),$(eval $(BUILD)/user/bin/$(p): $(call user_obj,$(USER_EXTRA_$(p)))))
$(BUILD)/user/bin/%: $(BUILD)/user/obj/userland/bin/%.o $(USER_CRT0) $(USER_LIBC) \
		$(USER_LDS) userland/build.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ULD     $@")
	$(Q)$(LD) $(USER_LDFLAGS) -o $@ $(USER_CRT0) \
		$(filter-out $(USER_CRT0),$(filter %.o,$^)) $(USER_LIBC)

# Objects reached only through the pattern rule above would otherwise be
# deleted as intermediate files, and every build would compile them again.
.SECONDARY: $(USER_PROG_OBJS) $(USER_CRT0)

# The initrd's copy has no debug information (GDB uses $(BUILD)/user/bin).
$(BUILD)/user/root/bin/%: $(BUILD)/user/bin/%
	@mkdir -p $(dir $@)
	$(Q)$(OBJCOPY) --strip-debug $< $@

$(BUILD)/user/root/etc/motd: userland/etc/motd
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# Files in the staging tree that are no longer listed are removed first,
# so the archive holds exactly USER_ROOT_FILES.
$(BUILD)/initrd.cpio: $(USER_ROOT_FILES) $(USER_MKINITRD)
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)find $(BUILD)/user/root -type f $(patsubst %,! -path %,$(USER_ROOT_FILES)) -delete
	$(Q)mkdir -p $(BUILD)/user/root/tmp	# an empty /tmp, for the shell's redirections
	$(Q)$(PYTHON) $(USER_MKINITRD) $@ $(BUILD)/user/root

-include $(patsubst %.o,%.d,$(USER_LIBC_OBJS) $(USER_CRT0) $(USER_PROG_OBJS))

.DEFAULT_GOAL := $(user_saved_default_goal)
