# commands.gdb - Canary's GDB commands (sourced by canary.gdb, and by the
# batch GDB test).  Symbols come from build/canary.elf.

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

define canary-threads
  set $head = &'thread.c'::all_threads
  set $n = $head->next
  printf " tid  name             state  rsp\n"
  while $n != $head
    set $t = (struct thread *)((char *)$n - (unsigned long)&((struct thread *)0)->all_link)
    printf "%4d  %-16s %-6d %#lx\n", $t->tid, $t->name, $t->state, $t->rsp
    set $n = $n->next
  end
  printf "current: %s\n", current_thread->name
end
document canary-threads
List every thread (states: 0 runnable, 1 running, 2 blocked, 3 sleeping, 4 zombie).
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

