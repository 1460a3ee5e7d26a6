#!/usr/bin/env python3
"""bench.py - `make bench`: Canary's performance numbers, as a table and JSON.

Boot time: wall time from starting QEMU to the banner line on the serial
console, and to the monitor prompt, for the `-kernel` (PVH) path and the
GRUB ISO, each the median of several runs under TCG (the default here; see
PLATFORM-NOTES).  The QEMU command is the one tools/kboot would run
(`kboot --dry-run`), so the benchmark measures what tests and users get.
Allocation: `run=bench` in the SAN=0 kernel (build/san0/canary.elf) and
the default SAN=1 kernel: kmalloc+kfree pairs at 64 B and 1 KiB and page
alloc+free, in TSC cycles and ns per pair, and the sanitizers' overhead;
then once more under `-icount shift=0`, where the TSC counts guest
instructions, for exact instruction counts of the same paths.
(Instruction counts of the allocator alone, on the host, come from
tools/allocbench.py, which `make bench` also runs.)

User mode: `init=/bin/ubench` (userland/bin/ubench.c) on the SAN=0 kernel
with the initrd, and again on the SAN=1 kernel for the sanitizers' cost:
getpid round trip, fork+exit+wait, fork+exec+wait of /bin/true, a
demand-zero page fault and a pipe round trip between two processes, in
cycles and ns (median of 3 boots, each the median of 5 runs), next to
xv6-public's numbers on the same kind of machine; and boot-to-shell-prompt
(`$ `, -kernel, median of 5 boots).

Results go to stdout and build/bench.json.  Later subsystems add rows.

    tools/bench.py [--build DIR] [--san0 DIR]   (default build/, build/san0/)
"""
import argparse
import importlib.machinery
import importlib.util
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KBOOT = os.path.join(ROOT, "tools", "kboot")
BANNER = b"(x86_64) booting"
# The first prompt: the kernel monitor's, or the shell's when an initrd
# brought user space up (the shell prints "$ " at the start of a line).
PROMPT = re.compile(rb"canary> |(?:^|\n)\$ ")
SHELL_PROMPT = re.compile(rb"(?:^|\n)\$ ")

# Where the kernels and the initrd are (main() may point them elsewhere).
paths = {"build": os.path.join(ROOT, "build"), "san0": os.path.join(ROOT, "build", "san0")}

# xv6-public under TCG on this kind of machine, and Canary's targets.
XV6_PROMPT_S = 0.46
TARGET_PROMPT_S = 0.25
# name: (xv6 ns, Canary's target ns or None, what the target is)
UBENCH_TARGETS = {
    "getpid": (5600, 2800, "<= xv6/2"),
    "fork": (1700000, 1700000, "<= xv6"),
    "exec": (None, None, "<= xv6 (xv6's exec not measured here)"),
    "pagefault": (None, None, "-"),
    "pipe": (None, None, "-"),
}

# (name, kboot arguments, runs, target seconds to the banner)
BOOT_CASES = [
    ("boot -kernel (PVH, qboot, TCG)", ["--accel", "tcg"], 9, 0.2),
    ("boot GRUB ISO (SeaBIOS, TCG)", ["--accel", "tcg", "--iso"], 5, 1.0),
]


def kvm_usable():
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
        return True
    except OSError:
        return False


def kvm_problem():
    """tools/kboot's verdict: why KVM is unusable or slow here, or None."""
    loader = importlib.machinery.SourceFileLoader("kboot", KBOOT)
    spec = importlib.util.spec_from_loader("kboot", loader)
    kboot = importlib.util.module_from_spec(spec)
    loader.exec_module(kboot)
    return kboot.kvm_problem()


def build_file(name, build="build"):
    return os.path.join(paths[build], name)


def kernel_args(build="build"):
    """kboot arguments for the kernel of a build and the initrd (the
    initrd is the same for every kernel: user programs have no sanitizers)."""
    args = ["--kernel", build_file("canary.elf", build)]
    initrd = build_file("initrd.cpio")
    return args + (["--initrd", initrd] if os.path.exists(initrd) else ["--no-initrd"])


def qemu_command(kboot_args):
    dry = subprocess.run([sys.executable, KBOOT, "--dry-run"] + kboot_args,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    return shlex.split(dry.strip().splitlines()[-1])


def time_boot(cmd, limit=30.0, prompt=PROMPT):
    """Seconds from exec to the banner and to the prompt (None if missed)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    seen, t_banner, t_prompt = b"", None, None
    try:
        while time.monotonic() - start < limit:
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            now = time.monotonic() - start
            if t_banner is None and BANNER in seen:
                t_banner = now
            if prompt.search(seen):
                t_prompt = now
                break
    finally:
        p.kill()
        p.wait()
    return t_banner, t_prompt


# QEMU's -icount shift=0 advances the virtual clock, and with it the TSC the
# kernel calibrates against the PIT, by 1 ns per guest instruction: the
# kernel's "cycles" then count instructions, exactly and repeatably, which a
# shared, nested machine's timings do not.
ICOUNT = ["--", "-icount", "shift=0"]


def alloc_bench(elf, accel="tcg", runs=3, extra=(), cmdline="run=bench"):
    """{name: (cycles, ns)} from `run=bench` boots of elf, the best of runs."""
    best = {}
    for _ in range(runs):
        p = subprocess.run([sys.executable, KBOOT, "--kernel", elf, "--accel", accel,
                            "--timeout", "300", "--cmdline", cmdline] + list(extra),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for m in re.finditer(r"bench: (\S+) iterations=\d+ cycles=([\d.]+) ns=([\d.]+)",
                             p.stdout.decode(errors="replace")):
            name, cyc, ns = m.group(1), float(m.group(2)), float(m.group(3))
            if name not in best or cyc < best[name][0]:
                best[name] = (cyc, ns)
    return best


def alloc_rows():
    san0_elf = build_file("canary.elf", "san0")
    san0 = alloc_bench(san0_elf)
    san1 = alloc_bench(build_file("canary.elf"))
    san0_i = alloc_bench(san0_elf, runs=1, extra=ICOUNT)
    san1_i = alloc_bench(build_file("canary.elf"), runs=1, extra=ICOUNT)
    # SLUB's production settings: no fills, no kfree checks (slab.h).
    lean_i = alloc_bench(san0_elf, runs=1, extra=ICOUNT, cmdline="run=bench slub_debug=-")
    # Only on fast KVM: nested, every one of the 500,000 operations traps
    # to the outer hypervisor and the column takes ten minutes to say so.
    problem = kvm_problem()
    kvm = alloc_bench(san0_elf, "kvm") if problem is None else {}
    rows = []
    for name in sorted(set(san0) | set(san1)):
        a, b, k = san0.get(name), san1.get(name), kvm.get(name)
        ai, bi, li = san0_i.get(name), san1_i.get(name), lean_i.get(name)
        rows.append({"name": name, "san0_cycles": a and a[0], "san0_ns": a and a[1],
                     "san1_cycles": b and b[0], "san1_ns": b and b[1],
                     "overhead": round(b[0] / a[0], 2) if a and b and a[0] else None,
                     "san0_instructions": ai and ai[0], "san1_instructions": bi and bi[0],
                     "overhead_instructions": round(bi[0] / ai[0], 2) if ai and bi and ai[0] else None,
                     "san0_nodebug_instructions": li and li[0],
                     "kvm_san0_cycles": k and k[0], "kvm_san0_ns": k and k[1]})
    print()
    print("%-15s %13s %10s %13s %10s %8s %12s" % ("benchmark", "SAN=0 cycles", "SAN=0 ns",
                                                "SAN=1 cycles", "SAN=1 ns", "SAN=1/0", "KVM SAN=0 ns"))
    for r in rows:
        print("%-15s %13.1f %10.1f %13.1f %10.1f %7.2fx %12s" % (
            r["name"], r["san0_cycles"] or -1, r["san0_ns"] or -1, r["san1_cycles"] or -1,
            r["san1_ns"] or -1, r["overhead"] or -1,
            "%.1f" % r["kvm_san0_ns"] if r["kvm_san0_ns"] else "-"))
    print("(TCG: cycles are the emulated TSC; compare ratios, not absolute numbers, with hardware;")
    print(" the KVM column: %s)" % ("this machine's KVM" if problem is None
                                     else "not measured, " + problem))
    print()
    print("%-15s %13s %13s %8s %22s" % ("benchmark", "SAN=0 instr", "SAN=1 instr", "SAN=1/0",
                                        "SAN=0 slub_debug=- instr"))
    for r in rows:
        print("%-15s %13.1f %13.1f %7.2fx %22s" % (
            r["name"], r["san0_instructions"] or -1, r["san1_instructions"] or -1,
            r["overhead_instructions"] or -1,
            "%.1f" % r["san0_nodebug_instructions"] if r["san0_nodebug_instructions"] else "-"))
    print("(guest instructions per operation, the whole kernel path included: QEMU -icount shift=0;")
    print(" slub_debug=- is SLUB's production setting: no junk/poison fills, no kfree checks)")
    return rows


def ubench(build, boots=3):
    """{name: (cycles, ns, iters)} from init=/bin/ubench, the median of boots."""
    runs = {}
    for _ in range(boots):
        p = subprocess.run([sys.executable, KBOOT, "--accel", "tcg", "--timeout", "180",
                            "--cmdline", "init=/bin/ubench"] + kernel_args(build),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        text = p.stdout.decode(errors="replace")
        if p.returncode != 0:
            print("bench: ubench on %s: kboot status %d\n%s" % (build, p.returncode, text[-800:]),
                  file=sys.stderr)
        for m in re.finditer(r"ubench: (\w+) cycles=(\d+) ns=(\d+) iters=(\d+)", text):
            runs.setdefault(m.group(1), []).append(tuple(int(x) for x in m.group(2, 3, 4)))
    return {name: sorted(v)[len(v) // 2] for name, v in runs.items()}


def ubench_rows():
    san0, san1 = ubench("san0"), ubench("build")
    rows = []
    for name in UBENCH_TARGETS:
        a, b = san0.get(name), san1.get(name)
        xv6_ns, target_ns, target = UBENCH_TARGETS[name]
        rows.append({"name": name, "iters": a and a[2],
                     "san0_cycles": a and a[0], "san0_ns": a and a[1],
                     "san1_cycles": b and b[0], "san1_ns": b and b[1],
                     "overhead": round(b[0] / a[0], 2) if a and b and a[0] else None,
                     "xv6_ns": xv6_ns, "target": target, "target_ns": target_ns,
                     "meets_target": None if target_ns is None or not a else a[1] <= target_ns})
    print()
    print("%-10s %12s %10s %12s %10s %8s %10s  %s" % (
        "user mode", "SAN=0 cyc", "SAN=0 ns", "SAN=1 cyc", "SAN=1 ns", "SAN=1/0", "xv6 ns",
        "target (SAN=0)"))
    for r in rows:
        verdict = "" if r["meets_target"] is None else (" ok" if r["meets_target"] else " MISSED")
        print("%-10s %12s %10s %12s %10s %8s %10s  %s%s" % (
            r["name"], r["san0_cycles"] or "-", r["san0_ns"] or "-", r["san1_cycles"] or "-",
            r["san1_ns"] or "-", "%.2fx" % r["overhead"] if r["overhead"] else "-",
            r["xv6_ns"] or "-", r["target"], verdict))
    print("(getpid: one system call round trip; fork: fork+exit+wait; exec: fork+exec /bin/true+wait;")
    print(" pagefault: first touch of a heap page; pipe: one byte there and back between two processes)")
    return rows


def shell_prompt_row(runs=5):
    """Boot to the shell's `$ ` prompt on the -kernel path, median of runs."""
    cmd = qemu_command(["--accel", "tcg"] + kernel_args())
    samples = [time_boot(cmd, prompt=SHELL_PROMPT) for _ in range(runs)]
    prompt = [p for _, p in samples if p is not None]
    med = statistics.median(prompt) if prompt else None
    row = {"name": "boot -kernel to shell prompt (TCG)", "runs": runs,
           "prompt_median_s": round(med, 4) if med else None,
           "prompt_min_s": round(min(prompt), 4) if prompt else None,
           "prompt_max_s": round(max(prompt), 4) if prompt else None,
           "banner_median_s": round(statistics.median([b for b, _ in samples if b]), 4)
           if any(b for b, _ in samples) else None,
           "target_prompt_s": TARGET_PROMPT_S, "xv6_prompt_s": XV6_PROMPT_S,
           "meets_target": bool(med) and med < TARGET_PROMPT_S}
    print()
    print("boot to the shell's `$ ` prompt (-kernel, initrd, TCG), %d boots: median %.3fs "
          "(%.3f-%.3fs), banner at %.3fs; target < %.2fs %s; xv6-public: %.2fs" % (
              runs, med or -1, row["prompt_min_s"] or -1, row["prompt_max_s"] or -1,
              row["banner_median_s"] or -1, TARGET_PROMPT_S,
              "ok" if row["meets_target"] else "MISSED", XV6_PROMPT_S))
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=paths["build"], help="the SAN=1 build (default build/)")
    ap.add_argument("--san0", default=paths["san0"], help="the SAN=0 build (default build/san0/)")
    args = ap.parse_args()
    paths.update(build=args.build, san0=args.san0)
    out_json = build_file("bench.json")
    rows = []
    cases = list(BOOT_CASES)
    if kvm_usable():
        # No target: this machine's KVM is nested (kvm_pvm), where the first
        # touch of every page traps; the row is for machines with real KVM.
        cases.append(("boot -kernel (PVH, qboot, KVM)", ["--accel", "kvm"], 5, None))
    for name, args, runs, target in cases:
        if "--iso" in args:     # this build's ISO (its own initrd is inside)
            cmd = qemu_command([a for a in args if a != "--iso"] + ["--iso", build_file("canary.iso")])
        else:
            cmd = qemu_command(args + kernel_args())
        samples = [time_boot(cmd) for _ in range(runs)]
        banner = [b for b, _ in samples if b is not None]
        prompt = [p for _, p in samples if p is not None]
        if len(banner) < runs:
            print("bench: %s: banner missing in %d of %d runs" % (name, runs - len(banner), runs),
                  file=sys.stderr)
        rows.append({
            "name": name, "runs": runs,
            "banner_median_s": round(statistics.median(banner), 4) if banner else None,
            "banner_min_s": round(min(banner), 4) if banner else None,
            "banner_max_s": round(max(banner), 4) if banner else None,
            "prompt_median_s": round(statistics.median(prompt), 4) if prompt else None,
            "target_banner_s": target,
            "meets_target": None if target is None else bool(banner) and statistics.median(banner) < target,
        })
    print("%-34s %5s %12s %18s %12s %8s" % ("benchmark", "runs", "banner (med)", "banner (min-max)",
                                            "prompt (med)", "target"))
    for r in rows:
        target = "%6.1fs %s" % (r["target_banner_s"], "ok" if r["meets_target"] else "MISSED") \
            if r["target_banner_s"] is not None else "     -"
        print("%-34s %5d %11.3fs %8.3f-%.3fs %11.3fs %s" % (
            r["name"], r["runs"], r["banner_median_s"] or -1, r["banner_min_s"] or -1,
            r["banner_max_s"] or -1, r["prompt_median_s"] or -1, target))
    print("(prompt: the monitor's or, with the initrd, the shell's; for scale: xv6-public reaches "
          "its shell prompt in %.2f s median on this kind of machine)" % XV6_PROMPT_S)
    shell = shell_prompt_row()
    user = ubench_rows()
    alloc = alloc_rows()
    os.makedirs(os.path.dirname(out_json), exist_ok=True)
    with open(out_json, "w") as f:
        json.dump({"boot": rows, "shell_prompt": shell, "user": user, "alloc": alloc,
                   "host": os.uname().nodename, "time": time.time()}, f, indent=2)
    print("wrote %s" % os.path.relpath(out_json, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
