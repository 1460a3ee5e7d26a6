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

define canary-procs
  set $head = &'proc.c'::proc_list
  set $n = $head->next
  printf " pid  ppid name             state  pages  cr3\n"
  while $n != $head
    set $p = (struct proc *)((char *)$n - (unsigned long)&((struct proc *)0)->all_link)
    printf "%4d  %4d %-16s %-6d %5lu  %#lx\n", $p->pid, $p->parent ? $p->parent->pid : 0, $p->name, $p->state, $p->mm ? $p->mm->pages : 0, $p->mm ? $p->mm->pml4_pa : 0
    set $n = $n->next
  end
end
document canary-procs
List every user process (states: 0 running, 1 zombie), its pages and its page-table root.
end

define canary-syscall
  printf "%s(%#lx, %#lx, %#lx) from rip %#lx\n", syscall_names[tf->rax], tf->rdi, tf->rsi, tf->rdx, tf->rip
end
document canary-syscall
Inside syscall_dispatch(tf): which system call, its first arguments, and where in the program.
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
  hbreak syscall_dispatch
  echo Breakpoints: boot_entry64 (first 64-bit code), kmain, trap_exception, syscall_dispatch.\n
  echo Type `continue`; at each stop try `bt`, `info registers`, `canary-boot`;\n
  echo in syscall_dispatch, `canary-syscall` and `canary-procs`.\n
end
document canary-tour
Set breakpoints for a first walk: 64-bit entry, kmain, any exception, the first system call.
end

