#!/usr/bin/env python3
"""test_boot.py - boot-level tests: the kernel booted for real under QEMU.

Every case boots build/canary.elf (QEMU -kernel, PVH) or the GRUB ISO through
tools/kboot and checks what the kernel did: its power-off status (which the
kernel computes, so printing text alone cannot pass a test) and what it said.
The in-kernel test results are re-emitted one line per test, so `make test`
counts them individually.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELF = os.path.join(ROOT, "build", "canary.elf")
ISO = os.path.join(ROOT, "build", "canary.iso")
STATUS_PANIC = 3


def boot(*args, timeout=30):
    """Run kboot; return (serial text, stderr text, status)."""
    r = harness.run_kboot(["--timeout", str(timeout)] + list(args), limit=timeout + 60)
    return r.out, r.err, (-1 if r.status is None else r.status)


def check(name, cond, detail=""):
    return harness.check(name, bool(cond), detail)


def plain(out):
    """Serial text without printk's "[    0.012345] " timestamps."""
    return re.sub(r"^\[[ \d.]+\] ", "", out, flags=re.M)


def ktest_results(out):
    """{suite.test: 'PASS'|'FAIL'|'SKIP'} and the kernel's own summary."""
    results = {}
    for m in re.finditer(r"ktest: (PASS|FAIL|SKIP) ([\w.]+)", out):
        results[m.group(2)] = m.group(1)
    s = re.search(r"ktest: (\d+) passed, (\d+) failed, (\d+) skipped", out)
    return results, (tuple(int(x) for x in s.groups()) if s else None)


def run_ktest(label, *args, must_run=(), extra="", timeout=120):
    """Boot with run=ktest, re-emit each in-kernel test, check the totals."""
    out, err, status = boot(*args, "--cmdline", ("run=ktest " + extra).strip(), timeout=timeout)
    results, summary = ktest_results(out)
    for name, verdict in sorted(results.items()):
        if verdict == "SKIP":
            harness.skip("%s/%s" % (label, name), "skipped by the kernel")
        else:
            check("%s/%s" % (label, name), verdict == "PASS", "see the kernel log above")
    ok_summary = summary is not None and summary[0] == sum(v == "PASS" for v in results.values())
    check("%s/exit-status-0" % label, status == 0 and summary and summary[1] == 0,
          "status %d, summary %s\n%s" % (status, summary, out[-3000:] + err))
    check("%s/summary-matches-lines" % label, ok_summary and len(results) >= 20,
          "summary %s, %d result lines" % (summary, len(results)))
    for name in must_run:
        check("%s/%s-ran" % (label, name), results.get(name) == "PASS",
              "%s was %s" % (name, results.get(name)))
    return out


def test_ktest_paths():
    run_ktest("ktest-kernel-tcg", "--accel", "tcg")
    # Through GRUB: multiboot2 information, and SeaBIOS leaves VGA text mode on,
    # so the VGA test must really run here.
    out = run_ktest("ktest-iso-tcg", "--iso", "--accel", "tcg",
                    must_run=("machine.vga_writes_and_scrolls",))
    check("ktest-iso-tcg/booted-by-grub", 'protocol multiboot2, loader "GRUB' in out, out[:800])


def kvm_usable():
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
        return True
    except OSError:
        return False


def test_ktest_san0():
    """The SAN=0 build: the same suites (the sanitizer suites skip)."""
    elf = os.path.join(ROOT, "build", "san0", "canary.elf")
    if not os.path.exists(elf):
        check("ktest-san0/kernel-built", False, "%s missing: make SAN=0 kernel" % elf)
        return
    run_ktest("ktest-san0", "--kernel", elf, "--accel", "tcg")


def test_ktest_churn():
    """The million-allocation churn, once (it is a manual suite)."""
    out, err, status = boot("--cmdline", "run=ktest:churn", timeout=120)
    results, summary = ktest_results(out)
    check("ktest-churn/churn.churn_leaves_nothing", results.get("churn.churn_leaves_nothing") == "PASS"
          and status == 0, "status %d\n%s" % (status, out[-2000:]))


def test_ktest_mlfq_seeded():
    """The scheduler suites under the other policy and a perturbing seed."""
    out, err, status = boot("--cmdline", "run=ktest:sched sched=mlfq sched_seed=12345", timeout=60)
    results, summary = ktest_results(out)
    check("ktest-mlfq-seed/policy-and-seed-used", "sched: policy mlfq, seed 12345" in out, out[:2000])
    check("ktest-mlfq-seed/all-pass", status == 0 and summary and summary[1] == 0 and summary[0] >= 5,
          "status %d, %s\n%s" % (status, summary, out[-1500:]))


def test_ktest_kvm():
    if not kvm_usable():
        harness.skip("ktest-kernel-kvm", "/dev/kvm is not usable on this machine")
        return
    extra = ""
    if os.path.exists("/sys/module/kvm_pvm"):
        # This host's KVM is the nested kvm_pvm hypervisor, which cannot
        # deliver a guest's int3 (QEMU stops with "KVM internal error ...
        # emulation failure").  Real KVM can; only here is the test left out.
        # Nor STAC/CLAC ("emulation failure" at the first copy_from_user),
        # though CPUID offers SMAP: so SMAP is switched off there.
        extra = "ktest_exclude=traps.breakpoint smap=off"
        harness.skip("ktest-kernel-kvm/traps.breakpoint-under-kvm_pvm",
                     "nested kvm_pvm cannot emulate int3; covered under TCG")
    # Under nested KVM every port access, cli/popf and page-table write
    # traps to the outer hypervisor: the suite took 97 s here and over 120 s
    # on a CI machine (it is under 1 s of guest work on real KVM).
    run_ktest("ktest-kernel-kvm", "--accel", "kvm", extra=extra, timeout=480)


def test_shell_kvm():
    """User space (the shell, a pipe, init's exit status) on the -kernel path
    under KVM."""
    if not kvm_usable():
        harness.skip("shell-kvm", "/dev/kvm is not usable on this machine")
        return
    if os.path.exists("/sys/module/kvm_pvm"):
        # Seen here: a guest's SYSCALL arrives at LSTAR still in ring 3 (a
        # user-mode instruction fetch fault at syscall_entry), so no program
        # can make a system call.  Real KVM runs SYSCALL as the CPU does.
        harness.skip("shell-kvm", "nested kvm_pvm does not run a guest's SYSCALL; "
                     "user mode is covered under TCG, the kernel under KVM by ktest-kernel-kvm")
        return
    out, err, status = boot("--accel", "kvm", "--send", "echo kvm ok | wc", "--send", "exit 6",
                            timeout=120)
    check("shell-kvm/pipe-runs", re.search(r"^ +1 +2 +7$", out, re.M), out[-1500:] + err)
    check("shell-kvm/init-exit-status-6", status == 6, "status %d" % status)


def test_iso_as_built():
    """The ISO `make` built, with its own grub.cfg: banner, GRUB's initrd
    module unpacked, the shell's prompt, and init's exit status."""
    out, err, status = boot("--iso", ISO, "--accel", "tcg", "--send", "uname -a", "--send", "exit 4")
    check("iso/banner", re.search(r"\] Canary \d+\.\d+ \(x86_64\) booting", out), out[:500] + err)
    check("iso/initrd-module-unpacked", re.search(r"initrd: [1-9]\d* files", out), out[:2500])
    check("iso/shell-runs-a-program", re.search(r"^\$ uname -a\nCanary \d+\.\d+ x86_64$", out, re.M),
          out[-800:])
    check("iso/multiboot2-memory-map", out.count("BIOS-e820:") >= 3 and "GRUB" in out, out[:1500])
    check("iso/init-exit-status-4", status == 4, "status %d" % status)


def test_monitor():
    out, err, status = boot("--cmdline", "run=monitor", "--send", "help", "--send", "info", "--send", "backtrace",
                            "--send", "dmesg", "--send", "meminfo", "--send", "poweroff 7")
    out = plain(out)
    check("monitor/poweroff-status-7", status == 7, "status %d\n%s" % (status, out[-1500:] + err))
    for cmd in ("help", "info", "backtrace", "dmesg", "meminfo", "threads", "trace", "lab", "options",
                "ktest", "crash", "poweroff", "reboot"):
        check("monitor/help-lists-%s" % cmd, re.search(r"^  %s\s" % cmd, out, re.M), out[:2000])
    check("monitor/info-pvh", "protocol pvh" in out and "ticks at 100 Hz" in out, out)
    bt = out[out.find("canary> backtrace"):]
    check("monitor/backtrace-symbolized",
          re.search(r" cmd_backtrace\+0x[0-9a-f]+/0x[0-9a-f]+\n(.*\n)*? monitor_run\+.*\n"
                    r"(.*\n)*? kmain_continue\+.*\n vm_run_on_stack\+.*\n </TASK>", bt), bt[:1500])
    mem = out[out.find("canary> meminfo"):]
    m = re.search(r"MemTotal: +(\d+) kB\nMemFree: +(\d+) kB", mem)
    check("monitor/meminfo", m and 100000 < int(m.group(1)) < 131072 and 0 < int(m.group(2)) < int(m.group(1))
          and "Node 0, zone   Normal" in mem and re.search(r"kmalloc-64 ", mem), mem[:2500])
    check("monitor/dmesg-replays-log", out.count("Canary 0.1 (x86_64) booting") == 2, out[-3000:])


def test_monitor_bad_input():
    out, err, status = boot("--cmdline", "run=monitor", "--send", "nosuchcmd", "--send", "poweroff abc", "--send", "poweroff 999",
                            "--send", "crash", "--send", "crash bogus", "--send", "x" * 300,
                            "--send", "", "--send", "poweroff")
    check("monitor-bad-input/unknown-command", "unknown command 'nosuchcmd'; try 'help'" in out, out)
    check("monitor-bad-input/bad-status", out.count("poweroff: status must be a number 0..123") == 2, out)
    check("monitor-bad-input/crash-usage", out.count("usage: crash TYPE") == 2 and " gp " in out, out)
    check("monitor-bad-input/long-line-refused",
          "line too long (at most 127 characters); ignored" in out, out[-800:])
    check("monitor-bad-input/nothing-lost-after-long-line", status == 0,
          "status %d\n%s" % (status, out[-800:]))


def test_bad_cmdline():
    out, err, status = boot("--cmdline", 'foo=1 loglevel=abc hz=5 console=tty noequals run=bogus',
                            "--send", "poweroff")
    keys = "(valid keys: loglevel, console, run, init, crash, panic, hz, lab, sched, sched_seed, hung_task_timeout, kasan, slub_debug, smap, ktest_exclude)"
    check("cmdline/unknown-key-names-valid-keys", "unknown option 'foo=1' " + keys in out, out[:3000])
    check("cmdline/bad-uint", "bad value 'abc' for 'loglevel' (expected an integer 0..8)" in out, out[:3000])
    check("cmdline/out-of-range", "bad value '5' for 'hz' (expected an integer 20..1000)" in out, out[:3000])
    check("cmdline/bad-enum", "bad value 'tty' for 'console' (expected one of: serial, vga, both)" in out, out[:3000])
    check("cmdline/bare-word", "noequals" in out and keys in out, out[:3000])
    check("cmdline/bad-run-falls-back", "run: unknown value 'bogus'" in out and "canary> " in out, out[-2000:])
    check("cmdline/defaults-kept", "tick 100 Hz" in out, out[:3000])
    check("cmdline/still-boots", status == 0, "status %d" % status)
    # One warning line per problem, and nothing else went wrong.
    warnings = [l for l in out.splitlines() if "cmdline:" in l]
    check("cmdline/one-line-per-problem", len(warnings) == 5, "\n".join(warnings))


def test_loglevel():
    out, err, status = boot("--cmdline", "loglevel=6 run=monitor", "--send", "poweroff")
    check("loglevel/notice-shown", "Canary 0.1 (x86_64) booting" in out, out[:500])
    check("loglevel/info-hidden", "boot: protocol" not in out and "canary> " in out, out[:1500])


def addr2line(sym_off):
    """'func+0xoff' -> 'file:line' via nm and addr2line from binutils."""
    func, off = sym_off.split("+")
    nm = subprocess.run(["nm", ELF], stdout=subprocess.PIPE, check=True).stdout.decode()
    addr = next(int(l.split()[0], 16) for l in nm.splitlines() if l.split()[-1] == func)
    out = subprocess.run(["addr2line", "-e", ELF, "%x" % (addr + int(off, 16))],
                         stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    return out


def source_line(path, needle):
    with open(os.path.join(ROOT, path)) as f:
        for i, line in enumerate(f, 1):
            if needle in line:
                return i
    return -1


def test_uncontrolled_oops():
    out, err, status = boot("--cmdline", "crash=pf")
    out = plain(out)
    check("oops-pf/panic-status", status == STATUS_PANIC, "status %d\n%s" % (status, out[-2000:]))
    check("oops-pf/header", "BUG: unable to handle page fault for address: 0000000040000000\n"
          "#PF: supervisor write access in kernel mode\n" in out, out)
    check("oops-pf/panic-line", "Kernel panic - not syncing: Fatal exception" in out, out[-500:])
    m = re.search(r"RIP: 0010:(\w+\+0x[0-9a-f]+)/0x[0-9a-f]+", out)
    check("oops-pf/rip-symbolized", m and m.group(1).startswith("crash_write_unmapped+"), out)
    if m:
        where = addr2line(m.group(1))
        want = "kernel/crash.c:%d" % source_line("kernel/crash.c", "*(volatile u64 *)CRASH_UNMAPPED_ADDR")
        check("oops-pf/addr2line-maps-rip-to-source", where.endswith(want), "%s, wanted %s" % (where, want))
    trace = re.search(r"Call Trace:\n <TASK>\n((?:.*\n)*?) </TASK>", out)
    frames = [l.strip() for l in trace.group(1).splitlines()] if trace else []
    check("oops-pf/trace-ends-at-entry",
          frames and frames[0].startswith("crash_trigger+") and frames[-2].startswith("kmain_continue+")
          and frames[-1].startswith("vm_run_on_stack+"), "\n".join(frames))


def test_each_exception():
    for kind, header in (("null", "BUG: kernel NULL pointer dereference, address: 0000000000000000"),
                         ("ud", "invalid opcode: 0000 [#1] NOPTI"),
                         ("de", "divide error: 0000 [#1] NOPTI"),
                         ("gp", "general protection fault: 0000 [#1] NOPTI"),
                         ("int3", "int3: 0000 [#1] NOPTI")):
        out, err, status = boot("--cmdline", "crash=" + kind)
        check("oops-%s/report" % kind, header in out and status == STATUS_PANIC,
              "status %d\n%s" % (status, out[-2500:]))


def test_stack_protector():
    """crash=smash: the canary check panics, naming the smashing function."""
    out, err, status = boot("--cmdline", "crash=smash")
    check("stack-protector/panics", status == STATUS_PANIC and re.search(
        r"Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: "
        r"crash_stack_smash\+0x", out), "status %d\n%s" % (status, out[-1500:]))


def test_kasan_panic_mode():
    """kasan=panic: the first report ends the run (report mode goes on)."""
    out, err, status = boot("--bug", "alloc-double-free", "--cmdline", "lab=tcp-queue kasan=panic")
    check("kasan-panic/first-report-panics", status == STATUS_PANIC
          and "BUG: KASAN: double-free in tcpq_release" in out
          and "Kernel panic - not syncing: kasan.fault=panic set" in out
          and "lab: tcp-queue finished" not in out, "status %d\n%s" % (status, out[-1500:]))


def test_panic_halt():
    out, err, status = boot("--cmdline", "crash=panic panic=halt", timeout=3)
    check("panic-halt/keeps-machine-up", status == 124, "status %d" % status)
    check("panic-halt/message", "Kernel panic - not syncing: crash=panic requested" in out, out[-800:])


def test_ktest_framework():
    out, err, status = boot("--cmdline", "run=ktest:selftest")
    check("ktest-selftest/exit-status-1", status == 1, "status %d\n%s" % (status, out[-2000:]))
    check("ktest-selftest/false-expectation-fails",
          "FAIL selftest.false_expectation: kernel/ktest/selftest_test.c" in out, out)
    check("ktest-selftest/stray-oops-fails",
          re.search(r"FAIL selftest.caught_but_unwanted_oops: .*1 unexpected oops", out), out)
    check("ktest-selftest/others-still-run", "PASS selftest.passes" in out
          and "ktest: 1 passed, 2 failed" in out, out[-500:])
    out, err, status = boot("--cmdline", "run=ktest:nosuch")
    check("ktest-unknown-suite/status-2", status == 2, "status %d" % status)
    check("ktest-unknown-suite/lists-suites", "no suite named 'nosuch'" in out
          and re.search(r"^\S* *\[?.*traps\s+\d+ tests", out, re.M), out[-800:])
    out, err, status = boot("--cmdline", "run=ktest:machine")
    results, summary = ktest_results(out)
    check("ktest-one-suite/only-that-suite", results and all(k.startswith("machine.") for k in results)
          and status == 0, "status %d, %s" % (status, sorted(results)))


def test_boot_module():
    """A module handed over by the loader (QEMU -initrd becomes a PVH module)."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(b"canary-module" * 1000)
        f.flush()
        out, err, status = boot("--cmdline", "run=monitor", "--initrd", f.name,
                                "--send", "info", "--send", "poweroff")
    m = re.search(r"boot: module 0 \[0x([0-9a-f]+)-0x([0-9a-f]+)\)", out)
    check("boot-module/listed", m and int(m.group(2), 16) - int(m.group(1), 16) == 13000
          and status == 0, "status %d\n%s" % (status, out[-1500:]))


def test_reboot():
    out, err, status = boot("--cmdline", "run=monitor", "--send", "reboot")
    check("reboot/resets-machine", status == 125 and "Rebooting." in out, "status %d\n%s" % (status, err))


def test_image_layout():
    """The image itself, read with binutils: both boot headers are there."""
    notes = subprocess.run(["readelf", "-n", ELF], stdout=subprocess.PIPE).stdout.decode()
    check("image/pvh-note", re.search(r"Xen\s+0x00000008\s+Unknown note type: \(0x00000012\)", notes)
          or "0x00000012" in notes, notes)
    with open(ELF, "rb") as f:
        head = f.read(32768)
    offs = [i for i in range(0, len(head) - 16, 8)
            if head[i:i + 4] == (0xe85250d6).to_bytes(4, "little")]
    ok = False
    for i in offs:
        magic, arch, length, csum = (int.from_bytes(head[i + k:i + k + 4], "little") for k in (0, 4, 8, 12))
        ok |= (magic + arch + length + csum) & 0xffffffff == 0
    check("image/multiboot2-header-in-first-32k", ok, "offsets %s" % offs)
    syms = subprocess.run(["nm", ELF], stdout=subprocess.PIPE).stdout.decode()
    check("image/symbol-table-embedded", re.search(r" R ksym_table$", syms, re.M) or "ksym_table" in syms,
          "no ksym_table")


def main():
    if not os.path.exists(ELF):
        harness.check("boot/kernel-built", False, "%s missing: run make" % ELF)
        return harness.main()
    start = time.time()
    for t in (test_image_layout, test_ktest_paths, test_ktest_san0, test_ktest_churn, test_ktest_mlfq_seeded, test_ktest_kvm, test_shell_kvm, test_iso_as_built,
              test_monitor, test_monitor_bad_input, test_bad_cmdline, test_loglevel,
              test_uncontrolled_oops, test_each_exception, test_stack_protector, test_kasan_panic_mode, test_panic_halt,
              test_ktest_framework, test_boot_module, test_reboot):
        t()
    print("boot tests took %.1f s" % (time.time() - start))
    return harness.main()


if __name__ == "__main__":
    sys.exit(main())
