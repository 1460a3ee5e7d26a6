# Canary - the whole build, one file, read top to bottom as a table of
# contents.  Every source is listed once, with what it is.  All outputs go
# under build/.
#
#   make            kernel ELF + GRUB ISO + host test programs
#   make run        build, then boot the ISO in QEMU on this terminal
#   make test       build, then run every test; ends with "N passed, N failed"
#   make debug      boot paused and attach GDB (tools/gdb/canary.gdb)
#   make bench      performance numbers (table + build/bench.json)
#   make clean      remove build/
#
# Variables: BOOT=iso|kernel (make run), CMDLINE="key=value ..." (make run,
# make debug), WERROR=0 (do not stop on compiler warnings),
# GRUB_TIMEOUT=N (show the ISO's menu for N seconds).

BUILD        := build
KERNEL_ELF   := $(BUILD)/canary.elf
KERNEL_ISO   := $(BUILD)/canary.iso
BOOT         ?= iso
CMDLINE      ?=
WERROR       ?= 1
GRUB_TIMEOUT ?= 0
PYTHON       ?= python3

# V=1 shows the full commands.
Q := $(if $(filter 1,$(V)),,@)

CC      := gcc
LD      := ld
NM      := nm
OBJCOPY := objcopy

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
# Time and power.
KERNEL_SRCS += kernel/arch/x86_64/timer.c      # PIT tick, TSC clock
KERNEL_SRCS += kernel/arch/x86_64/power.c      # power-off with status, reboot
# Using the kernel.
KERNEL_SRCS += kernel/monitor.c                # the command prompt
KERNEL_SRCS += kernel/crash.c                  # faults on purpose (demos)
# In-kernel tests (run=ktest).
KERNEL_SRCS += kernel/ktest/ktest.c            # the framework
KERNEL_SRCS += kernel/ktest/traps_test.c       # expected #PF/#UD/#DE/#GP/#BP oopses
KERNEL_SRCS += kernel/ktest/lib_test.c         # format, ksym, backtrace, options
KERNEL_SRCS += kernel/ktest/machine_test.c     # boot info, timer, VGA, console
KERNEL_SRCS += kernel/ktest/selftest_test.c    # a failing suite, to test the framework

KERNEL_LDS := kernel/arch/x86_64/linker.ld

KERNEL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-Ikernel -I. -MMD -MP
KERNEL_ASFLAGS := -g -Ikernel -I. -MMD -MP -D__ASSEMBLER__
KERNEL_LDFLAGS := -nostdlib --no-warn-rwx-segments -z max-page-size=0x1000 -T $(KERNEL_LDS)

KERNEL_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KERNEL_SRCS)))

# ------------------------------------------------------------ host tests
# The kernel's pure logic compiled for the host, tested with Check, under
# AddressSanitizer and UBSan (an over-read of a malformed blob fails).
HOST_TEST_SRCS := tests/host/check_main.c tests/host/test_format.c \
	tests/host/test_cmdline.c tests/host/test_multiboot2.c
HOST_UNDER_TEST := kernel/lib/format.c kernel/lib/cmdline.c \
	kernel/boot/multiboot2.c kernel/boot/bootinfo.c
HOST_CHECK := $(BUILD)/host/check_host
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Ikernel -I.

# ------------------------------------------------------------------ rules
.PHONY: all kernel iso host run test debug bench deps clean help
all: kernel iso host

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
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

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
	$(Q)$(PYTHON) tools/mkgrubcfg.py --timeout $(GRUB_TIMEOUT) > $@

$(KERNEL_ISO): $(KERNEL_ELF) $(BUILD)/iso/boot/grub/grub.cfg
	@$(if $(Q),echo "  ISO     $@")
	$(Q)cp $(KERNEL_ELF) $(BUILD)/iso/boot/canary.elf
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

$(HOST_CHECK): $(HOST_TEST_SRCS) $(HOST_UNDER_TEST) $(wildcard tests/host/*.h kernel/lib/*.h kernel/boot/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $(HOST_TEST_SRCS) $(HOST_UNDER_TEST) \
		$$(pkg-config --cflags --libs check)

# ------------------------------------------------------- the two commands
deps:
	@sh tools/deps.sh

run:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory all
	$(PYTHON) tools/kboot --interactive $(if $(filter iso,$(BOOT)),--iso) \
		$(if $(CMDLINE),--cmdline "$(CMDLINE)")

# Each suite prints PASS:/FAIL:/SKIP: lines; testrun.py adds them up.
TEST_SUITES := \
	host       '$(HOST_CHECK)' \
	boot       '$(PYTHON) tests/boot/test_boot.py' \
	kboot      '$(PYTHON) tests/boot/test_kboot.py' \
	gdb        '$(PYTHON) tests/gdb/test_gdb.py'

test:
	@sh tools/deps.sh
	@$(MAKE) --no-print-directory all
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
	$(PYTHON) tools/bench.py

clean:
	rm -rf $(BUILD)

help:
	@sed -n '2,17p' Makefile

-include $(KERNEL_OBJS:.o=.d)
