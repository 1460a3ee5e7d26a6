# canary.gdb - GDB setup for Canary: `make debug` loads it with build/canary.elf.
#
# QEMU waits paused (-S) with its gdbstub on port 1234.  GDB connects while
# the CPU is still in real mode, at the reset vector; hardware breakpoints
# (hbreak) are used because software ones cannot be written into the
# kernel's higher-half addresses before paging is on.  They keep working
# across the 32-bit -> 64-bit switch, since the ELF is 64-bit from the start.
#
# Commands added here:
#   canary-boot    what the loader told the kernel (boot_info)
#   canary-ticks   timer ticks and the TSC rate
#   canary-threads every thread: tid, name, state, saved stack pointer
#   canary-oops    the registers saved by the exception being handled
#                  (use inside trap_exception: `frame` into it first)
#   canary-tour    breakpoints for a guided first session

set pagination off
set confirm off
set disassembly-flavor att
target remote localhost:1234
source tools/gdb/commands.gdb

hbreak kmain
echo Canary: stopped at the reset vector; `continue` runs to kmain.\n
