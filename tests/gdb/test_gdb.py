#!/usr/bin/env python3
"""test_gdb.py - GDB against the real kernel, in batch mode.

QEMU runs paused under GDB (`target remote | qemu ... -gdb stdio -S`: no TCP
port, no race).  GDB loads the ELF64, sets a hardware breakpoint on kmain
while the CPU is still in real mode, continues across the 32->64-bit switch,
checks the backtrace ends cleanly at the boot entry, then stops later (in
ktest_run, or in monitor_run for the ISO) and reads kernel variables the
kernel filled in at run time.  Run twice: with the `-kernel` path (then the
kernel runs on to finish its tests) and with the ISO `make` built.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "boot"))
import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELF = os.path.join(ROOT, "build", "canary.elf")
KBOOT = os.path.join(ROOT, "tools", "kboot")


def qemu_command(label, serial_log):
    """The QEMU command kboot would run, with the gdbstub on stdio."""
    args = [sys.executable, KBOOT, "--dry-run", "--accel", "tcg"]
    args += ["--iso"] if label == "iso" else ["--cmdline", "run=ktest:lib"]
    dry = subprocess.run(args, stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    cmd = shlex.split(dry.splitlines()[-1])
    # Serial to a file: GDB owns QEMU's stdio for the remote protocol.
    out = []
    skip = False
    for a in cmd:
        if skip:
            skip = False
            continue
        if a in ("-serial", "-chardev"):
            skip = True
            continue
        if a.startswith("chardev") or a == "-mon":
            continue
        out.append(a)
    return out + ["-serial", "file:" + serial_log, "-gdb", "stdio", "-S"]


def run(label):
    second, ending = ("proc_start_init", "kill") if label == "iso" else ("ktest_run", "continue")
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "serial.txt")
        qemu = " ".join(shlex.quote(a) for a in qemu_command(label, log))
        gdb = ["gdb", "-q", "-nx", "-batch", ELF,
               "-ex", "target remote | exec " + qemu,
               "-ex", "hbreak kmain", "-ex", "continue", "-ex", "bt",
               "-ex", "delete", "-ex", "hbreak " + second, "-ex", "continue",
               "-ex", "print boot_info.protocol", "-ex", "print boot_info.cmdline",
               "-ex", "print boot_info.mmap_count", "-ex", "print kernel_options.hz",
               "-ex", "print/x ksym_count", "-ex", "bt",
               "-ex", "source " + os.path.join(ROOT, "tools", "gdb", "commands.gdb"),
               "-ex", "canary-threads"]
        if label == "iso":
            # On to the shell's first system call, in user space's kernel entry.
            gdb += ["-ex", "delete", "-ex", "hbreak syscall_dispatch", "-ex", "continue",
                    "-ex", "canary-syscall", "-ex", "canary-procs"]
        gdb += ["-ex", "delete", "-ex", ending]
        p = subprocess.run(gdb, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=120)
        out = p.stdout.decode(errors="replace")
        serial = open(log, errors="replace").read() if os.path.exists(log) else ""
    name = "gdb-" + label
    harness.check(name + "/break-in-kmain", re.search(r"Breakpoint 1, kmain \(", out), out[-2000:])
    bt1 = out[out.find("#0  kmain"):]
    harness.check(name + "/backtrace-ends-at-entry",
                  re.search(r"#0  kmain .*\n#1  .*boot_entry64", bt1)
                  and "Backtrace stopped" not in bt1.split("Breakpoint 2")[0]
                  and "??" not in bt1.split("Breakpoint 2")[0], bt1[:800])
    harness.check(name + "/break-in-" + second, re.search(r"Breakpoint 2, %s " % second, out),
                  out[-2000:])
    # An empty char array prints as '\000' <repeats N times>.
    proto, cmdline = (("multiboot2", r"\$2 = '\\000' <repeats") if label == "iso"
                      else ("pvh", r'\$2 = "run=ktest:lib"'))
    harness.check(name + "/reads-boot_info", re.search(r'= .*"%s"' % proto, out)
                  and re.search(cmdline, out), out[-2000:])
    m = re.search(r"\$3 = (\d+)", out)
    harness.check(name + "/reads-mmap_count", m and int(m.group(1)) >= 3, out[-1500:])
    harness.check(name + "/reads-kernel_options", re.search(r"\$4 = 100\b", out), out[-1500:])
    harness.check(name + "/canary-threads-lists-threads",
                  re.search(r"\n +\d+  main +1 ", out) and re.search(r"\n +\d+  idle ", out)
                  and "current: main" in out, out[-1500:])
    if label != "iso":
        harness.check(name + "/kernel-ran-on", "ktest: 8 passed, 0 failed" in serial, serial[-800:])
    else:
        harness.check(name + "/break-in-syscall_dispatch",
                      re.search(r"Breakpoint \d+, syscall_dispatch ", out), out[-2000:])
        harness.check(name + "/canary-syscall-decodes-the-call",
                      re.search(r"\n[a-z_]+\((0x[0-9a-f]+|0), (0x[0-9a-f]+|0), (0x[0-9a-f]+|0)\) from rip 0x4[0-9a-f]{5}\n", out),
                      out[-1500:])
        harness.check(name + "/canary-procs-lists-init",
                      re.search(r"\n +\d+ +0 sh +0 +\d+ +0x[0-9a-f]+\n", out), out[-1500:])


def main():
    run("kernel")
    run("iso")
    return harness.main()


if __name__ == "__main__":
    sys.exit(main())
