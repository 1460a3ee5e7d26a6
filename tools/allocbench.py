#!/usr/bin/env python3
"""allocbench.py - instructions per allocate+free pair, for `make bench`.

Builds tests/host/bench_alloc.c with the allocators (kernel/mm/buddy.c,
slab.c, slab_debug.c) as the kernel's SAN=0 build compiles them: -O2,
CONFIG_KASAN=0, CONFIG_SLAB_DEBUG=0, no SSE, frame pointers (only the code
model differs: a host program cannot use -mcmodel=kernel).  Then runs each
case under `valgrind --tool=callgrind --toggle-collect=bench_loop`, so only
the measured loop is counted, and subtracts the same loop with an empty
body.  Instruction counts are exact and repeatable, unlike timings on a
shared machine; they do not show cache misses or the cost of a division.

Prints a table and writes build/allocbench.json (see --help for options).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SOURCES = [
    "tests/host/bench_alloc.c",     # the loops and a page source on buddy.c
    "kernel/mm/buddy.c",
    "kernel/mm/slab.c",
    "kernel/mm/slab_debug.c",
    "kernel/lib/format.c",          # for the (unused) reports' formatting
    "tests/host/kernel_stubs.c",    # printk, stack depot, symbols
]
CFLAGS = [
    "-std=c11", "-O2", "-g", "-Wall", "-Wextra",
    "-DCONFIG_KASAN=0", "-DCONFIG_SLAB_DEBUG=0",
    "-mno-red-zone", "-mno-mmx", "-mno-sse", "-mno-sse2",
    "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer",
    "-fno-optimize-sibling-calls", "-fno-tree-loop-distribute-patterns",
    "-fno-stack-protector", "-fno-pie", "-no-pie",
    "-Ikernel", "-I.", "-Itests/host",
]

# (case, slub_debug= flags, what is measured).  FP is the default; "-" is
# SLUB's production fast path (no junk/poison fills, no magic or
# object-start checks on kfree).
CASES = [
    ("kmalloc64", "FP", "kmalloc(64) + kfree"),
    ("kmalloc64", "-", "kmalloc(64) + kfree, slub_debug=-"),
    ("kmalloc1k", "FP", "kmalloc(1024) + kfree"),
    ("kmalloc1k", "-", "kmalloc(1024) + kfree, slub_debug=-"),
    ("page_split", "FP", "alloc_pages(0) + free_pages, idle zone (split/merge 10 levels)"),
    ("page_nosplit", "FP", "alloc_pages(0) + free_pages, buddy in use (no split/merge)"),
]


def build(out_dir):
    exe = os.path.join(out_dir, "bench_alloc")
    cmd = ["gcc"] + CFLAGS + ["-o", exe] + SOURCES
    subprocess.run(cmd, cwd=ROOT, check=True)
    return exe


def instructions(exe, case, n, debug="FP"):
    """Instructions executed inside bench_loop() for one run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=bench_loop",
                        "--callgrind-out-file=" + out, exe, case, str(n), debug],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(out) as f:
            for line in f:
                if line.startswith("totals:") or line.startswith("summary:"):
                    return int(line.split()[1])
    raise RuntimeError("no totals in callgrind output for " + case)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100000, help="pairs per case (default 100000)")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"),
                    help="where bench_alloc and allocbench.json go (default build/)")
    args = ap.parse_args()

    if not shutil.which("valgrind"):
        print("allocbench: valgrind not found (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    out_dir = os.path.join(args.build_dir, "allocbench")
    os.makedirs(out_dir, exist_ok=True)
    exe = build(out_dir)

    # The loop's own cost; each case's first 1000 pairs are a warm-up
    # outside the counted call (bench_run() directly, not bench_loop()),
    # so runs with n and 2n differ by exactly n pairs.
    empty = instructions(exe, "empty", args.n)
    rows = []
    for case, debug, what in CASES:
        total = instructions(exe, case, args.n, debug)
        rows.append({"case": case, "slub_debug": debug, "what": what, "pairs": args.n,
                     "instructions_per_pair": round((total - empty) / args.n, 1)})

    print("Allocator fast paths (callgrind, instructions per pair, loop overhead of "
          "%.1f subtracted)" % (empty / args.n))
    print("  %-66s %10s" % ("", "instr/pair"))
    for r in rows:
        print("  %-66s %10.1f" % (r["what"], r["instructions_per_pair"]))
    result = {"tool": "callgrind", "config": "CONFIG_KASAN=0 CONFIG_SLAB_DEBUG=0 -O2",
              "loop_overhead_per_iteration": round(empty / args.n, 1), "results": rows}
    with open(os.path.join(args.build_dir, "allocbench.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
