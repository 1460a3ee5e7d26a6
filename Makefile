# Canary - the whole build, one file, read top to bottom as a table of
# contents.  Every source is listed once, with what it is.  All outputs go
# under build/.
#
#   make            kernel ELF + userland and initrd + GRUB ISO + host tests
#   make run        build, then boot the ISO in QEMU on this terminal: the
#                   shell's prompt ($); `run=monitor` for the kernel monitor
#   make test       build, then run every test; ends with "N passed, N failed"
#   make debug      boot paused and attach GDB (tools/gdb/canary.gdb)
#   make bench      performance numbers (table + build/bench.json)
#   make clean      remove build/
#   make run BUG=ID boot the variant with deliberate bug ID, with its trigger
#   make bugs       every bug variant (build/bugs/ID/canary.elf)
#   make docs       docs/bugs.md from the bug catalogue labs/bugs.json
#   make fuzz       the ELF and cpio parsers under libFuzzer (FUZZ_SECONDS=N each)
#
# Variables: BOOT=iso|kernel (make run), CMDLINE="key=value ..." (make run,
# make debug), SAN=0 (no sanitizers: build/san0/), WERROR=0 (do not stop
# on compiler warnings), GRUB_TIMEOUT=N (show the ISO's menu for N seconds),
# BUG=ID (make run, make bug-kernel; `tools/bugs.py list` shows the IDs).

SAN          ?= 1
BUILD        ?= $(if $(filter 0,$(SAN)),build/san0,build)
KERNEL_ELF   := $(BUILD)/canary.elf
KERNEL_ISO   := $(BUILD)/canary.iso
INITRD       := $(BUILD)/initrd.cpio
BOOT         ?= iso
CMDLINE      ?=
WERROR       ?= 1
GRUB_TIMEOUT ?= 0
BUG          ?=
PYTHON       ?= python3

# V=1 shows the full commands.
Q := $(if $(filter 1,$(V)),,@)

CC      := gcc
LD      := ld
NM      := nm
OBJCOPY := objcopy
AR      := ar

# ---------------------------------------------------------------- kernel
# In reading order (see kernel/main.c).

# Boot: from a 32-bit loader to 64-bit C.
KERNEL_SRCS += kernel/arch/x86_64/boot.S       # multiboot2 header, PVH note, long mode
KERNEL_SRCS += kernel/main.c                   # kmain: init order, what to run
KERNEL_SRCS += kernel/boot/boot.c              # which loader; PVH start info
KERNEL_SRCS += kernel/boot/multiboot2.c        # multiboot2 information parser
KERNEL_SRCS += kernel/boot/bootinfo.c          # protocol-neutral boot information
KERNEL_SRCS += kernel/boot/options.c           # the command-line option table
# Console and log.
KERNEL_SRCS += drivers/serial/uart16550.c      # COM1: polled output, IRQ input
KERNEL_SRCS += drivers/video/vgatext.c         # VGA text screen
KERNEL_SRCS += kernel/lib/console.c            # fan-out to serial and VGA
KERNEL_SRCS += kernel/lib/printk.c             # printk, levels, timestamps, log ring
KERNEL_SRCS += kernel/lib/format.c             # vsnprintf
KERNEL_SRCS += kernel/lib/cmdline.c            # key=value parser
KERNEL_SRCS += kernel/lib/string.c             # memcpy, strlen, ...
# CPU: segments, interrupts, exceptions.
KERNEL_SRCS += kernel/arch/x86_64/gdt.c        # GDT and TSS (double-fault stack)
KERNEL_SRCS += kernel/arch/x86_64/idt.c        # IDT, IRQ routing
KERNEL_SRCS += kernel/arch/x86_64/vectors.S    # interrupt entry stubs
KERNEL_SRCS += kernel/arch/x86_64/pic.c        # 8259A interrupt controllers
KERNEL_SRCS += kernel/arch/x86_64/lapic.c      # local APIC in virtual-wire mode
KERNEL_SRCS += kernel/arch/x86_64/traps.c      # exceptions: the oops report
KERNEL_SRCS += kernel/arch/x86_64/kjmp.S       # resume after an expected fault
KERNEL_SRCS += kernel/arch/x86_64/stacktrace.c # frame-pointer backtraces
KERNEL_SRCS += kernel/lib/ksym.c               # address -> func+0xoff/0xsize
KERNEL_SRCS += kernel/lib/panic.c              # panic()
# Memory.
KERNEL_SRCS += kernel/mm/page_alloc.c          # RAM from the memory map; alloc_pages
KERNEL_SRCS += kernel/mm/buddy.c               # the buddy allocator
KERNEL_SRCS += kernel/mm/vm.c                  # page tables: direct map, W^X, guarded stacks
KERNEL_SRCS += kernel/mm/slab.c                # kmalloc, kmem_cache_create
KERNEL_SRCS += kernel/mm/slab_debug.c          # object tracks, leak check, bad frees
KERNEL_SRCS += kernel/lib/list_debug.c         # list corruption reports
KERNEL_SRCS += kernel/lib/stackdepot.c         # call stacks stored once, by handle
# Scheduling.
KERNEL_SRCS += kernel/arch/x86_64/switch.S     # the context switch
KERNEL_SRCS += kernel/sched/sched.c            # run queue, preemption, sleep
KERNEL_SRCS += kernel/sched/thread.c           # create, exit, join
KERNEL_SRCS += kernel/sched/wait.c             # wait queues
KERNEL_SRCS += kernel/sched/policy.c           # policy table
KERNEL_SRCS += kernel/sched/policy_rr.c        # round robin
KERNEL_SRCS += kernel/sched/policy_mlfq.c      # multi-level feedback queue
KERNEL_SRCS += kernel/sched/trace.c            # switch/wake-up/block/preempt events
KERNEL_SRCS += kernel/sched/hung_task.c        # khungtaskd: threads blocked too long
KERNEL_SRCS += kernel/sched/lockdep.c          # lock classes, order graph, might_sleep
KERNEL_SRCS += kernel/sched/spinlock.c         # spinlocks
KERNEL_SRCS += kernel/sched/mutex.c            # mutex, semaphore, condition variable
# file system: ramfs root, files, pipes, the console
KERNEL_SRCS += kernel/fs/ramfs.c               # the root file system, in RAM
KERNEL_SRCS += kernel/fs/initrd.c              # the initrd (cpio) unpacked into ramfs
KERNEL_SRCS += kernel/fs/file.c                # struct file, fd tables, ramfs files
KERNEL_SRCS += kernel/fs/pipe.c                # pipes: a 4 KiB ring, blocking ends
KERNEL_SRCS += kernel/fs/tty.c                 # /dev/console (cooked input), /dev/null
KERNEL_SRCS += kernel/fs/fs_syscalls.c         # read, write, open, close, pipe, dup, stat ...
# User mode: processes, system calls, programs.
KERNEL_SRCS += kernel/arch/x86_64/syscall.S    # SYSCALL entry, SYSRET/IRET exit
KERNEL_SRCS += kernel/proc/usermode.c          # MSRs, SMEP/SMAP, program faults
KERNEL_SRCS += kernel/proc/syscall.c           # the dispatch table (uapi/syscalls.def)
KERNEL_SRCS += kernel/proc/uaccess.c           # copy_from_user & co: range checks
KERNEL_SRCS += kernel/proc/uaccess_copy.S      # ... and the copies that may fault
KERNEL_SRCS += kernel/proc/mm.c                # address spaces, demand paging, sbrk
KERNEL_SRCS += kernel/proc/proc.c              # process table: fork, exit, waitpid, kill
KERNEL_SRCS += kernel/proc/exec.c              # exec: a new program in a new mm
KERNEL_SRCS += kernel/proc/elf.c               # ELF64 checks (trusts nothing in the file)
KERNEL_SRCS += kernel/fs/cpio.c                # newc archive parser (the initrd)
# Sanitizers (SAN=1 only).
SAN_SRCS := kernel/mm/kasan_init.c             # shadow memory for each region
SAN_SRCS += kernel/mm/kasan.c                  # shadow checks, __asan_* hooks
SAN_SRCS += kernel/mm/kasan_report.c           # Linux-format KASAN reports
SAN_SRCS += kernel/mm/kasan_quarantine.c       # freed objects wait before reuse
SAN_SRCS += kernel/lib/ubsan.c                 # __ubsan_handle_* reports
SAN_SRCS += kernel/lib/stackprotector.c        # __stack_chk_fail
KERNEL_SRCS += $(if $(filter 1,$(SAN)),$(SAN_SRCS))
# Time and power.
KERNEL_SRCS += kernel/arch/x86_64/timer.c      # PIT tick, TSC clock
KERNEL_SRCS += kernel/arch/x86_64/power.c      # power-off with status, reboot
# Using the kernel.
KERNEL_SRCS += kernel/monitor.c                # the command prompt
KERNEL_SRCS += kernel/crash.c                  # faults on purpose (demos)
KERNEL_SRCS += kernel/crash_stack.c            # crash=smash: the stack protector's demo
KERNEL_SRCS += kernel/bench.c                  # run=bench: micro-benchmarks for make bench
KERNEL_SRCS += kernel/lab/lab.c                # runs lab scenarios under the checkers
KERNEL_SRCS += kernel/lab/alloc_lab.c          # the allocator lab's scenarios
KERNEL_SRCS += kernel/lab/sched_lab.c          # the scheduler lab's scenarios
# In-kernel tests (run=ktest).
KERNEL_SRCS += kernel/ktest/ktest.c            # the framework
KERNEL_SRCS += kernel/ktest/traps_test.c       # expected #PF/#UD/#DE/#GP/#BP oopses
KERNEL_SRCS += kernel/ktest/lib_test.c         # format, ksym, backtrace, options
KERNEL_SRCS += kernel/ktest/machine_test.c     # boot info, timer, VGA, console
KERNEL_SRCS += kernel/ktest/selftest_test.c    # a failing suite, to test the framework
KERNEL_SRCS += kernel/ktest/mm_test.c          # page tables, W^X, guard pages, pages
KERNEL_SRCS += kernel/ktest/slab_test.c        # kmalloc edge cases, churn, leak check
KERNEL_SRCS += kernel/ktest/kasan_test.c       # each KASAN report type
KERNEL_SRCS += kernel/ktest/ubsan_test.c       # each UBSAN report type
KERNEL_SRCS += kernel/ktest/sched_test.c       # threads, preemption, sleep, wait queues
KERNEL_SRCS += kernel/ktest/locks_test.c       # spinlocks, mutexes, lockdep reports
KERNEL_SRCS += kernel/ktest/trace_test.c       # trace ring order, hung-task reports
KERNEL_SRCS += kernel/ktest/fs_test.c          # ramfs, initrd, fd tables, fs syscalls
KERNEL_SRCS += kernel/ktest/pipe_test.c         # pipes between threads, the console, /dev/null
KERNEL_SRCS += kernel/ktest/uaccess_test.c     # access_ok, -EFAULT via the exception table

KERNEL_LDS := kernel/arch/x86_64/linker.ld

# Sanitizers (SAN=1, the default): KASAN in outline mode with globals and
# stack redzones, UBSAN, and the stack protector (see mm/kasan.h and
# PLATFORM-NOTES).  The runtimes themselves, the slab allocator (it works
# on poisoned memory by design), the string functions (they check ranges
# explicitly), KASAN's shadow setup, and the trap path (it reads raw stack
# slots of interrupted frames, redzones included) are never instrumented,
# as Linux's KASAN_SANITIZE := n does for the same kinds of files.  crash.c
# is left alone so that its faults reach the CPU unannounced.
CONFIG_FLAGS := -DCONFIG_KASAN=$(SAN) -DCONFIG_UBSAN=$(SAN) -DCONFIG_STACKPROTECTOR=$(SAN)
SAN_CFLAGS   := $(if $(filter 1,$(SAN)), \
	-fsanitize=kernel-address -fasan-shadow-offset=0xdffffc0000000000 \
	--param asan-globals=1 --param asan-stack=1 \
	--param asan-instrumentation-with-call-threshold=0 \
	-fsanitize=undefined -fstack-protector-strong -mstack-protector-guard=global)
NO_SAN_SRCS  := kernel/mm/kasan.c kernel/mm/kasan_report.c kernel/mm/kasan_quarantine.c \
	kernel/mm/kasan_init.c kernel/mm/slab.c kernel/mm/slab_debug.c kernel/mm/buddy.c \
	kernel/mm/page_alloc.c kernel/lib/string.c kernel/lib/stackdepot.c \
	kernel/lib/ubsan.c kernel/lib/stackprotector.c \
	kernel/arch/x86_64/stacktrace.c kernel/arch/x86_64/traps.c kernel/arch/x86_64/idt.c \
	kernel/crash.c
# Sanitizer flags for one source file.
san_cflags = $(if $(filter $(NO_SAN_SRCS),$(1)),-fno-stack-protector,$(SAN_CFLAGS))

KERNEL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-fno-tree-loop-distribute-patterns $(CONFIG_FLAGS) -Ikernel -I. -MMD -MP
KERNEL_ASFLAGS := -g $(CONFIG_FLAGS) -Ikernel -I. -MMD -MP -D__ASSEMBLER__
KERNEL_LDFLAGS := -nostdlib --no-warn-rwx-segments -z max-page-size=0x1000 -T $(KERNEL_LDS)

KERNEL_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KERNEL_SRCS)))

# ------------------------------------------------------------ host tests
# The kernel's pure logic compiled for the host, tested with Check, under
# AddressSanitizer and UBSan (an over-read of a malformed blob fails).
HOST_TEST_SRCS := tests/host/check_main.c tests/host/test_format.c \
	tests/host/test_cmdline.c tests/host/test_multiboot2.c \
	tests/host/test_buddy.c tests/host/test_slab.c \
	tests/host/fake_page_alloc.c tests/host/kernel_stubs.c \
	tests/host/test_kasan_report.c tests/host/test_sched_policy.c \
	tests/host/test_elf.c tests/host/test_cpio.c
HOST_UNDER_TEST := kernel/lib/format.c kernel/lib/cmdline.c \
	kernel/boot/multiboot2.c kernel/boot/bootinfo.c \
	kernel/mm/buddy.c kernel/mm/slab.c kernel/mm/slab_debug.c \
	kernel/mm/kasan_report.c kernel/sched/policy.c kernel/sched/policy_rr.c \
	kernel/sched/policy_mlfq.c kernel/proc/elf.c kernel/fs/cpio.c
HOST_CHECK := $(BUILD)/host/check_host
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-DCONFIG_KASAN=0 -DCONFIG_SLAB_DEBUG=1 -Ikernel -I.

# -------------------------------------------------------------- userland
# crt0, libc, the shell and the utilities, packed into $(INITRD).
include userland/build.mk

# ------------------------------------------------------------------ rules
.PHONY: all kernel iso host run test debug bench deps clean help fuzz
all: kernel userland iso host

# A missing host tool is named by tools/deps.sh before anything compiles
# (checked once per build directory; `make deps` installs on Debian).
$(BUILD)/.deps-ok: tools/deps.sh
	@mkdir -p $(dir $@)
	@sh tools/deps.sh --check
	@touch $@
$(KERNEL_OBJS) $(HOST_CHECK): | $(BUILD)/.deps-ok

kernel: $(KERNEL_ELF)
iso: $(KERNEL_ISO)
host: $(HOST_CHECK)

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KERNEL_CFLAGS) $(call san_cflags,$<) -c $< -o $@

$(BUILD)/obj/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# Symbols are embedded in two links: the first, with an empty table, gives
# the addresses; tools/ksyms.py turns them into the table for the second.
# .ksyms lies after all code, so no function moves; cmp proves it.
$(BUILD)/ksyms-empty.S:
	@mkdir -p $(dir $@)
	$(Q)echo '' | $(PYTHON) tools/ksyms.py > $@

$(BUILD)/canary.pass1.elf: $(KERNEL_OBJS) $(BUILD)/obj/ksyms-empty.o $(KERNEL_LDS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/obj/ksyms-empty.o

$(BUILD)/ksyms.S: $(BUILD)/canary.pass1.elf tools/ksyms.py
	@$(if $(Q),echo "  KSYMS   $@")
	$(Q)$(NM) -n -S --defined-only $< | $(PYTHON) tools/ksyms.py > $@

$(BUILD)/obj/ksyms-empty.o: $(BUILD)/ksyms-empty.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@
$(BUILD)/obj/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/obj/ksyms.o $(KERNEL_LDS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/obj/ksyms.o
	@$(NM) -n $(BUILD)/canary.pass1.elf | grep ' [tT] ' > $(BUILD)/text.pass1
	@$(NM) -n $@ | grep ' [tT] ' > $(BUILD)/text.final
	@cmp -s $(BUILD)/text.pass1 $(BUILD)/text.final || \
		{ echo "error: functions moved between the two kernel links"; rm -f $@; exit 1; }

$(BUILD)/iso/boot/grub/grub.cfg: tools/mkgrubcfg.py Makefile
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/mkgrubcfg.py --timeout $(GRUB_TIMEOUT) > $@.tmp && mv $@.tmp $@

$(KERNEL_ISO): $(KERNEL_ELF) $(BUILD)/iso/boot/grub/grub.cfg $(INITRD)
	@$(if $(Q),echo "  ISO     $@")
	$(Q)cp $(KERNEL_ELF) $(BUILD)/iso/boot/canary.elf
	$(Q)cp $(INITRD) $(BUILD)/iso/boot/initrd.cpio
	$(Q)rm -f $(filter-out $(BUG_ISO_ELFS),$(wildcard $(BUILD)/iso/boot/bugs/*.elf))
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

$(HOST_CHECK): $(HOST_TEST_SRCS) $(HOST_UNDER_TEST) $(wildcard tests/host/*.h kernel/lib/*.h kernel/boot/*.h kernel/mm/*.h kernel/sched/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $(HOST_TEST_SRCS) $(HOST_UNDER_TEST) \
		$$(pkg-config --cflags --libs check)

# ------------------------------------------- parser test data and fuzzing
# The ELF and cpio host tests read two files from next to check_host: a
# real static executable (what gcc and ld make, not what a test assumes)
# and an archive tools/mkinitrd.py wrote from a staged tree holding it.
# The same two seed the fuzzers:
#
#   make fuzz [FUZZ_SECONDS=N]  tests/fuzz/fuzz_{elf,cpio}.c under libFuzzer,
#                               N seconds each (tests/fuzz/run_fuzz.sh)
FUZZ_SECONDS ?= 60
HOST_DATA := $(BUILD)/host/tiny.elf $(BUILD)/host/initrd-test.cpio
$(HOST_CHECK): $(wildcard kernel/proc/*.h kernel/fs/*.h kernel/uapi/*) | $(HOST_DATA)

$(BUILD)/host/tiny.elf: tests/host/data/tiny.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(CC) -O2 -Wall -Wextra -static -nostdlib -ffreestanding -fno-pie -no-pie \
		-Wl,-Ttext-segment=0x400000 -o $@ $<

$(BUILD)/host/initrd-test.cpio: tools/mkinitrd.py $(BUILD)/host/tiny.elf
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)rm -rf $(BUILD)/host/initrd-test
	$(Q)mkdir -p $(BUILD)/host/initrd-test/bin $(BUILD)/host/initrd-test/empty
	$(Q)cp $(BUILD)/host/tiny.elf $(BUILD)/host/initrd-test/bin/tiny
	$(Q)printf 'hello from the initrd\n' > $(BUILD)/host/initrd-test/motd
	$(Q)$(PYTHON) tools/mkinitrd.py $@ $(BUILD)/host/initrd-test

fuzz: $(HOST_DATA)
	@sh tests/fuzz/run_fuzz.sh $(BUILD) $(FUZZ_SECONDS)

# ------------------------------------------------ deliberate-bug variants
# Each bug in the catalogue labs/bugs.json is a patch, labs/LAB/bugs/ID.patch,
# that puts one real-world bug back into the corrected kernel.  Its variant
# is the main kernel with only the patched sources recompiled:
#
#   labs/LAB/bugs/ID.patch --tools/bugs.py apply--> $(BUILD)/bugs/ID/src/PATH
#   src/PATH --the main rule's flags for PATH--> $(BUILD)/bugs/ID/obj/PATH.o
#   those + $(BUILD)/obj/*.o of every other source --the same two links-->
#                                                $(BUILD)/bugs/ID/canary.elf
#
#   make bug-kernel BUG=ID   one variant        make bugs   every variant
#   tools/kboot --bug ID     build and boot it  make docs   docs/bugs.md
#
# The work tree is never patched.  The recipes below are the main rules'
# with the variant's paths; tests/bugs/test_bugs.py checks that they run the
# same commands.  tools/bugs.py turns the catalogue into $(BUILD)/bugs.mk:
# BUG_IDS, and for each ID its patch BUG_PATCH_ID and the sources it touches
# BUG_SRCS_ID (.c and .S only: a patched header would need every includer
# recompiled).  With a broken catalogue the main kernel still builds; the
# ISO and the variants stop with bugs.py's message.
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean help deps,$(MAKECMDGOALS)),all),)
-include $(BUILD)/bugs.mk
endif
$(BUILD)/bugs.mk: labs/bugs.json tools/bugs.py $(wildcard labs/*/bugs/*.patch)
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/bugs.py make-vars > $@.tmp && mv $@.tmp $@ || \
		{ rm -f $@ $@.tmp; exit 1; }

BUG_ELFS     := $(patsubst %,$(BUILD)/bugs/%/canary.elf,$(BUG_IDS))
BUG_ISO_ELFS := $(patsubst %,$(BUILD)/iso/boot/bugs/%.elf,$(BUG_IDS))

# A variant's objects in link order, $(1) = ID: its own for the patched
# sources, the main build's for the rest.
bug_objs = $(foreach s,$(KERNEL_SRCS),$(if $(filter $(s),$(BUG_SRCS_$(1))),$(BUILD)/bugs/$(1)/obj,$(BUILD)/obj)/$(basename $(s)).o)
# What compiling the patched copy of tree file $(2) adds for bug $(1):
# "x.h" includes still find the original's directory, and __FILE__ names
# the tree path.  Debug information names the copy, so GDB shows the bug.
bug_flags = -iquote $(dir $(2)) -fmacro-prefix-map=$(BUILD)/bugs/$(1)/src/=

# The rules of one variant, $(1) = ID.  ($$ defers to when a recipe runs.)
define bug_rules
$(addprefix $(BUILD)/bugs/$(1)/src/,$(BUG_SRCS_$(1))) &: $(BUG_PATCH_$(1)) $(BUG_SRCS_$(1))
	@$(if $(Q),echo "  PATCH   $(BUG_PATCH_$(1))")
	$(Q)rm -rf $(BUILD)/bugs/$(1)/src
	$(Q)$(PYTHON) tools/bugs.py apply $(1) $(BUILD)/bugs/$(1)/src > /dev/null

$(BUILD)/bugs/$(1)/obj/%.o: $(BUILD)/bugs/$(1)/src/%.c Makefile | $(BUILD)/.deps-ok
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC      $$<")
	$$(Q)$$(CC) $$(KERNEL_CFLAGS) $$(call san_cflags,$$*.c) $$(call bug_flags,$(1),$$*.c) -c $$< -o $$@

$(BUILD)/bugs/$(1)/obj/%.o: $(BUILD)/bugs/$(1)/src/%.S Makefile | $(BUILD)/.deps-ok
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  AS      $$<")
	$$(Q)$$(CC) $$(KERNEL_ASFLAGS) $$(call bug_flags,$(1),$$*.S) -c $$< -o $$@

$(BUILD)/bugs/$(1)/canary.pass1.elf: $(call bug_objs,$(1)) $(BUILD)/obj/ksyms-empty.o $(KERNEL_LDS)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(LD) $$(KERNEL_LDFLAGS) -o $$@ $(call bug_objs,$(1)) $(BUILD)/obj/ksyms-empty.o

$(BUILD)/bugs/$(1)/ksyms.S: $(BUILD)/bugs/$(1)/canary.pass1.elf tools/ksyms.py
	@$$(if $$(Q),echo "  KSYMS   $$@")
	$$(Q)$$(NM) -n -S --defined-only $$< | $$(PYTHON) tools/ksyms.py > $$@

$(BUILD)/bugs/$(1)/obj/ksyms.o: $(BUILD)/bugs/$(1)/ksyms.S
	$$(Q)$$(CC) $$(KERNEL_ASFLAGS) -c $$< -o $$@

$(BUILD)/bugs/$(1)/canary.elf: $(call bug_objs,$(1)) $(BUILD)/bugs/$(1)/obj/ksyms.o $(KERNEL_LDS)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(LD) $$(KERNEL_LDFLAGS) -o $$@ $(call bug_objs,$(1)) $(BUILD)/bugs/$(1)/obj/ksyms.o
	@$$(NM) -n $(BUILD)/bugs/$(1)/canary.pass1.elf | grep ' [tT] ' > $(BUILD)/bugs/$(1)/text.pass1
	@$$(NM) -n $$@ | grep ' [tT] ' > $(BUILD)/bugs/$(1)/text.final
	@cmp -s $(BUILD)/bugs/$(1)/text.pass1 $(BUILD)/bugs/$(1)/text.final || \
		{ echo "error: functions moved between the two kernel links"; rm -f $$@; exit 1; }
endef
$(foreach id,$(BUG_IDS),$(eval $(call bug_rules,$(id))))

# Without $(BUILD)/bugs.mk the catalogue is broken (bugs.py said why above).
bugs_mk_check = $(if $(wildcard $(BUILD)/bugs.mk),,$(error labs/bugs.json is broken; see tools/bugs.py check))

.PHONY: bug-kernel bugs docs bug-elf-path
bug-kernel: $(if $(filter $(BUG),$(BUG_IDS)),$(BUILD)/bugs/$(BUG)/canary.elf)
	$(bugs_mk_check)
	$(if $(BUG),,$(error BUG=ID is required; tools/bugs.py list shows the IDs))
	$(if $(filter $(BUG),$(BUG_IDS)),,$(error unknown bug '$(BUG)'; known: $(or $(BUG_IDS),none)))
	$(if $(filter-out $(KERNEL_SRCS),$(BUG_SRCS_$(BUG))),$(error bug $(BUG) patches \
		$(filter-out $(KERNEL_SRCS),$(BUG_SRCS_$(BUG))), which KERNEL_SRCS does not list))
bugs: $(BUG_ELFS)
	$(bugs_mk_check)
docs:
	$(PYTHON) tools/bugs.py gen-docs
# The ELF a variant is built into (tools/kboot --bug asks).
bug-elf-path:
	@echo $(BUILD)/bugs/$(BUG)/canary.elf

# The ISO's menu lists every variant (tools/mkgrubcfg.py reads the
# catalogue), and the ISO holds each as /boot/bugs/ID.elf, without debug
# information (GDB uses $(BUILD)/bugs/ID/canary.elf).
$(BUILD)/iso/boot/grub/grub.cfg: labs/bugs.json tools/bugs.py
$(KERNEL_ISO): $(BUG_ISO_ELFS)
$(BUILD)/iso/boot/bugs/%.elf: $(BUILD)/bugs/%/canary.elf
	@mkdir -p $(dir $@)
	$(Q)$(OBJCOPY) --strip-debug $< $@

# ------------------------------------------------------- the two commands
deps:
	@sh tools/deps.sh

# With BUG=ID, kboot builds that variant and boots it with its trigger.
run:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory $(if $(BUG),kernel,all)
	$(PYTHON) tools/kboot --interactive $(if $(filter iso,$(BOOT)),--iso) \
		$(if $(BUG),--bug "$(BUG)") $(if $(CMDLINE),--cmdline "$(CMDLINE)")

# Each suite prints PASS:/FAIL:/SKIP: lines; testrun.py adds them up.
TEST_SUITES := \
	host       '$(HOST_CHECK)' \
	boot       '$(PYTHON) tests/boot/test_boot.py' \
	user       '$(PYTHON) tests/user/test_user.py --build $(BUILD)' \
	kboot      '$(PYTHON) tests/boot/test_kboot.py' \
	gdb        '$(PYTHON) tests/gdb/test_gdb.py' \
	bugs       '$(PYTHON) tests/bugs/test_bugs.py' \
	tools      '$(PYTHON) tests/tools/test_trace2chrome.py'
TEST_SUITES += fuzz 'sh tests/fuzz/run_fuzz.sh $(BUILD) 10'

# Both builds are tested: the default (sanitizers on) fully, SAN=0 by its
# in-kernel tests (tests/boot/test_boot.py finds it in build/san0/).
test:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=0 kernel
	@$(PYTHON) tools/testrun.py $(TEST_SUITES)

# QEMU waits for GDB; the serial console goes to build/debug-serial.log
# (`tail -f` it in another terminal).  GDB starts once the stub listens on
# port 1234 (0x04D2, state 0A = LISTEN in /proc/net/tcp); a test connection
# would make QEMU resume the guest, so the port is not probed.
debug:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory kernel
	@$(PYTHON) tools/kboot --gdb 1234 $(if $(CMDLINE),--cmdline "$(CMDLINE)") \
		> $(BUILD)/debug-serial.log 2>&1 & \
	for i in $$(seq 100); do \
		grep -q ':04D2 00000000:0000 0A' /proc/net/tcp && break; sleep 0.1; \
	done; \
	gdb -q -x tools/gdb/canary.gdb $(KERNEL_ELF); \
	kill %1 2>/dev/null; wait; true

bench:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=0 kernel
	$(PYTHON) tools/bench.py
	$(PYTHON) tools/allocbench.py

clean:
	rm -rf $(BUILD)

help:
	@awk 'NR > 1 && !/^#/ { exit } NR > 1' Makefile

-include $(KERNEL_OBJS:.o=.d)
-include $(foreach id,$(BUG_IDS),$(patsubst %,$(BUILD)/bugs/$(id)/obj/%.d,$(basename $(BUG_SRCS_$(id)))))
