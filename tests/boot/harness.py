# harness.py: shared helpers for the boot-level tests in tests/boot.
#
# A boot test imports this module, runs tools/kboot through run_kboot() or
# start_kboot(), reports each result with check() or skip(), and ends with
# `sys.exit(harness.main())`.  Output lines follow the `PASS: name` /
# `FAIL: name: detail` / `SKIP: name: why` format counted by tools/testrun.py.
# Python 3 standard library only.

import collections
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KBOOT = os.path.join(ROOT, "tools", "kboot")
DEFAULT_KERNEL = os.path.join(ROOT, "build", "canary.elf")

# out/err: kboot's stdout (the serial console) and stderr, as text;
# status: kboot's exit status; elapsed: wall-clock seconds.
Result = collections.namedtuple("Result", "out err status elapsed")

failures = []  # names of the checks that failed so far


def run_kboot(args, env=None, limit=120):
    """Run tools/kboot with args to the end; return a Result.

    limit is a backstop in seconds in case kboot itself hangs; kboot is then
    killed and the Result has status None."""
    start = time.monotonic()
    proc = subprocess.Popen([KBOOT] + list(args), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        out, err = proc.communicate(timeout=limit)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        status = None
    return Result(out.decode(errors="replace"), err.decode(errors="replace"),
                  status, time.monotonic() - start)


def start_kboot(args):
    """Start tools/kboot in the background (stdout/stderr piped); caller reaps it."""
    return subprocess.Popen([KBOOT] + list(args), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def qemu_pids(marker):
    """PIDs of running qemu-system processes whose command line holds marker."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmdline = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue  # exited meanwhile, or not ours to read
        if "qemu-system" in cmdline[0] and marker in " ".join(cmdline):
            pids.append(int(entry))
    return pids


def kernel_or_skip(kernel, names):
    """True if the kernel file exists; otherwise SKIP each of names and False."""
    if os.path.exists(kernel):
        return True
    for name in names:
        skip(name, "%s not found; run make" % os.path.relpath(kernel, ROOT))
    return False


def check(name, cond, detail=""):
    """Print `PASS: name` if cond holds, else `FAIL: name: detail`."""
    if cond:
        print("PASS: %s" % name, flush=True)
    else:
        failures.append(name)
        print("FAIL: %s: %s" % (name, detail or "check failed"), flush=True)
    return bool(cond)


def skip(name, why):
    """Print `SKIP: name: why`."""
    print("SKIP: %s: %s" % (name, why), flush=True)


def brief(text, size=300):
    """The tail of a long output, on one line, for a FAIL detail."""
    text = text.strip().replace("\n", " | ")
    return text if len(text) <= size else "..." + text[-size:]


def main():
    """Return the script's exit status: 1 if any check failed, else 0."""
    if failures:
        print("%s: %d check(s) failed" % (os.path.basename(sys.argv[0]), len(failures)))
    return 1 if failures else 0
