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
#   canary-oops    the registers saved by the exception being handled
#                  (use inside trap_exception: `frame` into it first)
#   canary-tour    breakpoints for a guided first session

set pagination off
set confirm off
set disassembly-flavor att
target remote localhost:1234

define canary-boot
  printf "protocol %s, loader \"%s\"\n", boot_info.protocol, boot_info.loader_name
  printf "command line \"%s\"\n", boot_info.cmdline
  set $i = 0
  while $i < boot_info.mmap_count
    printf "  [%#018lx-%#018lx] type %u\n", boot_info.mmap[$i].base, boot_info.mmap[$i].base + boot_info.mmap[$i].len - 1, boot_info.mmap[$i].type
    set $i = $i + 1
  end
end
document canary-boot
Print the boot information the kernel parsed (struct bootinfo boot_info).
end

define canary-ticks
  printf "jiffies %lu at %u Hz, TSC %lu kHz\n", jiffies, timer_hz(), tsc_khz()
end
document canary-ticks
Print the timer tick count and the calibrated TSC rate.
end

define canary-oops
  printf "vector %lu error %#lx rip %#lx rsp %#lx\n", tf->vector, tf->error_code, tf->rip, tf->rsp
  info symbol tf->rip
end
document canary-oops
Inside trap_exception(tf): the exception and where it happened.
end

define canary-tour
  hbreak boot_entry64
  hbreak kmain
  hbreak trap_exception
  echo Breakpoints: boot_entry64 (first 64-bit code), kmain, trap_exception.\n
  echo Type `continue`; at each stop try `bt`, `info registers`, `canary-boot`.\n
end
document canary-tour
Set breakpoints for a first walk through boot: 64-bit entry, kmain, any exception.
end

hbreak kmain
echo Canary: stopped at the reset vector; `continue` runs to kmain.\n
