#!/usr/bin/env python3
# testrun.py: the `make test` aggregator.  Runs test suites and sums results.
#
#   tools/testrun.py NAME1 'CMD1' [NAME2 'CMD2' ...]
#
# Each CMD runs with `sh -c` from the current directory, in order, with stdin
# from /dev/null and stderr merged into stdout; its output is passed through
# unchanged as it arrives.  Every output line that starts with `PASS: `,
# `FAIL: ` or `SKIP: ` is counted.  A suite that exits non-zero without a FAIL
# line counts as `FAIL: NAME (exit status N)`, and one that exits 0 without
# any PASS or FAIL line as `FAIL: NAME (no test results)`, so a broken suite
# cannot pass by saying nothing.  At the end the FAIL lines are repeated, then
# one line `N passed, N failed[, N skipped]`.  Exit 1 if anything failed,
# 2 on a usage error, else 0.  Python 3 standard library only.

import os
import subprocess
import sys

MARKS = ("PASS: ", "FAIL: ", "SKIP: ")


def out(data):
    """Write bytes to stdout at once, so output interleaves in order."""
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def run_suite(name, command, failures):
    """Run one suite; return (passed, failed, skipped) and collect FAIL lines."""
    counts = dict.fromkeys(MARKS, 0)

    def count(raw):
        line = raw.decode(errors="replace").rstrip("\r")
        for mark in MARKS:
            if line.startswith(mark):
                counts[mark] += 1
                if mark == "FAIL: ":
                    failures.append(line)

    out(b"=== %s: %s\n" % (name.encode(), command.encode()))
    proc = subprocess.Popen(["sh", "-c", command], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pending = b""  # the unfinished last line, counted once its newline arrives
    while True:
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        out(chunk)
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            count(line)
    if pending:
        out(b"\n")  # end the suite's last line so the next header starts clean
        count(pending)
    proc.stdout.close()
    status = proc.wait()
    if status < 0:
        status = 128 - status  # killed by a signal, shown as a shell would
    if status != 0 and counts["FAIL: "] == 0:
        extra = "FAIL: %s (exit status %d)" % (name, status)
    elif status == 0 and counts["PASS: "] + counts["FAIL: "] == 0:
        extra = "FAIL: %s (no test results)" % name
    else:
        extra = None
    if extra:
        out(extra.encode() + b"\n")
        failures.append(extra)
        counts["FAIL: "] += 1
    return counts["PASS: "], counts["FAIL: "], counts["SKIP: "]


def main(argv):
    """Run every NAME/CMD pair, print the recap and the totals line."""
    if not argv or len(argv) % 2:
        sys.stderr.write("usage: tools/testrun.py NAME 'CMD' [NAME 'CMD' ...]\n")
        return 2
    passed = failed = skipped = 0
    failures = []
    for name, command in zip(argv[0::2], argv[1::2]):
        p, f, s = run_suite(name, command, failures)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    if failures:
        out(b"\n=== failures:\n" + "".join(l + "\n" for l in failures).encode())
    total = "%d passed, %d failed" % (passed, failed)
    if skipped:
        total += ", %d skipped" % skipped
    out(total.encode() + b"\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
