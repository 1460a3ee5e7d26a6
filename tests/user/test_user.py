#!/usr/bin/env python3
"""test_user.py - user mode, tested by booting it: the `user` suite of `make test`.

    tests/user/test_user.py [--build DIR]     (default build/, or $CANARY_BUILD)

Boots DIR/canary.elf with DIR/initrd.cpio under QEMU (through tools/kboot)
and checks what user programs did, never only what they printed about
themselves:

  usertests   init=/bin/usertests: each of its lines is re-emitted as
              `PASS: user/<name>` / `FAIL: user/<name>`; every test the
              binary lists (`usertests -l`) must have run; init's exit
              status (the power-off status QEMU reports) must be 0; the
              kernel's fault reports must have the Linux one-line format.
  sysfuzz     init=/bin/sysfuzz with a fixed seed and call count: exit 0,
              the summary line, and no kernel report on the console.
  shell       /bin/sh driven line by line: files written and read back,
              `ls /bin` against the initrd's staging tree, a pipeline's
              counts, `cat < /etc/motd` against the motd file, errors,
              a faulting program, ps, kill of a background job (its pid is
              read from the shell's output), meminfo, a lab scenario, and
              `exit 3` becoming QEMU's exit status; then 300 lines typed one
              after another, each echoed back.
  iso         the GRUB ISO (module2 initrd) reaches a working shell.
  initrd      no initrd: a clear message and the monitor; a truncated or
              damaged initrd: a clear error line, what was unpacked before
              the damage stays, and the kernel goes on (the shell if
              /bin/sh was unpacked, else the monitor).

Python 3 standard library only; harness.py (tests/boot) provides the
PASS/FAIL lines and runs kboot.
"""
import argparse
import os
import re
import selectors
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "boot"))
import harness  # noqa: E402
from harness import brief, check  # noqa: E402

ROOT = harness.ROOT
# A kernel report of any kind: what sanitizers, lockdep and the oops path print.
KERNEL_REPORT = re.compile(r"BUG:|WARNING:|KASAN|UBSAN|Oops|general protection|Kernel panic|"
                           r"lockdep|possible circular|kasan: region table full|refcount_t:")
FUZZ_SEED = int(os.environ.get("CANARY_FUZZ_SEED", "1"))
FUZZ_CALLS = 30000      # about 20 s under TCG
PROMPT = "$ "


class Build:
    """The files of one build directory."""

    def __init__(self, path):
        self.dir = path
        self.elf = os.path.join(path, "canary.elf")
        self.initrd = os.path.join(path, "initrd.cpio")
        self.iso = os.path.join(path, "canary.iso")
        self.bin = os.path.join(path, "user", "root", "bin")
        self.motd = os.path.join(path, "user", "root", "etc", "motd")


def boot(b, args, timeout=60, initrd=True):
    """kboot with b's kernel (and initrd); a harness.Result."""
    base = ["--kernel", b.elf, "--timeout", str(timeout)]
    if initrd is True:
        base += ["--initrd", b.initrd]
    elif initrd:
        base += ["--initrd", initrd]
    else:
        base += ["--no-initrd"]
    return harness.run_kboot(base + list(args), limit=timeout + 60)


def plain(out):
    """Serial text without printk's "[    0.012345] " timestamps."""
    return re.sub(r"^\[[ \d.]+\] ", "", out, flags=re.M)


# A program's fault is reported in one line (not a kernel report), e.g.
# "traps: prog[12] trap general protection ip:...": left out of the scan.
USER_FAULT_LINE = re.compile(r"^(\[[ \d.]+\] )?(traps: \S+\[\d+\] trap |\S+\[\d+\]: segfault at ).*$",
                             re.M)


def no_report(name, out):
    out = USER_FAULT_LINE.sub("", out)
    m = KERNEL_REPORT.search(out)
    check(name, m is None, "kernel report on the console: %s" %
          (brief(out[max(0, m.start() - 200):m.start() + 600]) if m else ""))


# ------------------------------------------------------------------ usertests

def test_usertests(b):
    listing = boot(b, ["--cmdline", 'init="/bin/usertests -l"'], timeout=30)
    names = [l for l in plain(listing.out).splitlines() if re.fullmatch(r"[a-z0-9_]+", l)]
    r = boot(b, ["--cmdline", "init=/bin/usertests"], timeout=300)
    out = plain(r.out)
    results = {}
    for m in re.finditer(r"^usertests: (PASS|FAIL) (\S+?)(?:: (.*))?$", out, re.M):
        verdict, name, why = m.groups()
        if name in results:         # a test reports once: twice is a FAIL
            results[name] = ("FAIL", "reported twice; " + (why or ""))
        else:
            results[name] = (verdict, why or "")
    for name, (verdict, why) in sorted(results.items()):
        check("user/" + name, verdict == "PASS", why)
    summary = re.search(r"^usertests: (\d+) passed, (\d+) failed$", out, re.M)
    passed = sum(v == "PASS" for v, _ in results.values())
    check("user/usertests-exit-status", r.status == 0,
          "status %s, want 0 (usertests exits 0 only if all passed)\n%s" % (r.status, out[-1500:]))
    check("user/usertests-summary", summary is not None and
          (int(summary.group(1)), int(summary.group(2))) == (passed, len(results) - passed),
          "summary %s, lines: %d passed of %d" % (summary and summary.group(0), passed, len(results)))
    missing = sorted(set(names) - set(results))
    check("user/usertests-all-ran", len(names) >= 90 and not missing,
          "usertests -l lists %d tests; no result for %s" % (len(names), missing[:10]))
    # The kernel's reports of the faults the tests provoked, in Linux's format.
    check("user/fault-report-null", re.search(
        r"^usertests\[\d+\]: segfault at 0 ip [0-9a-f]{16} sp [0-9a-f]{16} error [0-9a-f]+ "
        r"in usertests \(NULL pointer\)$", out, re.M), "no NULL-pointer segfault line")
    check("user/fault-report-nx", re.search(
        r"^usertests\[\d+\]: segfault at [0-9a-f]+ ip [0-9a-f]{16} .* \(execute of "
        r"non-executable memory\)$", out, re.M), "no execute-of-data segfault line")
    check("user/fault-report-ud2", re.search(
        r"^traps: usertests\[\d+\] trap invalid opcode ip:[0-9a-f]+ sp:[0-9a-f]+ error:0 "
        r"in usertests$", out, re.M), "no invalid-opcode trap line")
    check("user/fault-report-divide", re.search(
        r"^traps: usertests\[\d+\] trap divide error ip:", out, re.M), "no divide-error trap line")
    no_report("user/usertests-no-kernel-report", r.out)


# -------------------------------------------------------------------- sysfuzz

def test_sysfuzz(b):
    cmd = "/bin/sysfuzz -s %d -n %d" % (FUZZ_SEED, FUZZ_CALLS)
    r = boot(b, ["--cmdline", 'init="%s"' % cmd], timeout=180)
    out = plain(r.out)
    lines = [l for l in out.splitlines() if l.startswith("sysfuzz:")]
    summary = re.search(r"^sysfuzz: (\d+) calls, (\d+) workers, (\d+) killed by signals, done$",
                        out, re.M)
    check("user/sysfuzz-exit-status", r.status == 0, "status %s\n%s" % (r.status, out[-1500:]))
    check("user/sysfuzz-seed-first", lines and lines[0] == "sysfuzz: seed %d" % FUZZ_SEED,
          "first line %r" % (lines[:1],))
    check("user/sysfuzz-summary", summary and int(summary.group(1)) == FUZZ_CALLS,
          "summary %s, want %d calls" % (summary and summary.group(0), FUZZ_CALLS))
    # Workers die only if the kernel kills or wedges them: sysfuzz keeps
    # its own memory and the signals it may send out of the calls' reach.
    trouble = [l for l in lines if "killed by signal " in l or "hung" in l or "exited with" in l]
    check("user/sysfuzz-workers-unharmed", summary and summary.group(2) == "1" and not trouble,
          "; ".join(trouble) or (summary and summary.group(0)))
    no_report("user/sysfuzz-no-kernel-report", r.out)


# ---------------------------------------------------------------------- shell

def die_with_parent():
    """In QEMU's child process: SIGKILL it when this script dies (Linux's
    PR_SET_PDEATHSIG, as tools/kboot does), so no QEMU outlives the test."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


class Session:
    """The shell on a booted kernel, driven one command at a time (QEMU
    started with the command tools/kboot would run)."""

    def __init__(self, b, extra=(), initrd=True):
        args = ["--kernel", b.elf] + (["--initrd", initrd if initrd is not True else b.initrd]
                                      if initrd else ["--no-initrd"]) + list(extra)
        dry = subprocess.run([harness.KBOOT, "--dry-run"] + args, stdout=subprocess.PIPE,
                             check=True).stdout.decode()
        self.proc = subprocess.Popen(shlex.split(dry.strip().splitlines()[-1]),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True,
                                     preexec_fn=die_with_parent)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        self.text = ""          # everything the serial line said, \r\n -> \n
        self.held_cr = ""       # a chunk may end between \r and \n: held back

    def feed(self, data):
        data = self.held_cr + data.decode(errors="replace")
        self.held_cr = "\r" if data.endswith("\r") else ""
        self.text += data[:len(data) - len(self.held_cr)].replace("\r\n", "\n")

    def read_until(self, pred, timeout):
        """Read output until pred(self.text) holds; False on timeout or EOF."""
        end = time.monotonic() + timeout
        while not pred(self.text):
            left = end - time.monotonic()
            if left <= 0:
                return False
            for key, _ in self.sel.select(min(left, 0.5)):
                data = os.read(key.fd, 65536)
                if not data:
                    return pred(self.text)
                self.feed(data)
        return True

    def type(self, line):
        """Send line to the serial port; False if QEMU is gone."""
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
            return True
        except BrokenPipeError:
            return False

    def start(self, prompt=PROMPT, timeout=30):
        return self.read_until(lambda t: prompt in t, timeout)

    def run(self, line, timeout=30):
        """Type line; return what came between its echo and the next prompt
        (None if no prompt came back)."""
        mark = len(self.text)
        if not self.type(line):
            return None
        echo = PROMPT + line + "\n"
        ok = self.read_until(lambda t: echo in t[mark - len(PROMPT):] and
                             PROMPT in t[t.index(echo, mark - len(PROMPT)) + len(echo):], timeout)
        if not ok:
            return None
        start = self.text.index(echo, mark - len(PROMPT)) + len(echo)
        return self.text[start:self.text.index(PROMPT, start)]

    def finish(self, line, timeout=30):
        """Type line (which should power off); QEMU's status as kboot maps it."""
        self.type(line)
        if self.proc.poll() is None:
            self.read_until(lambda t: False, timeout)     # to the end of the output
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return rc >> 1 if rc % 2 else None

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def lines_of(seg):
    return [l for l in plain(seg or "").splitlines()]


def test_shell(b):
    s = Session(b)
    try:
        check("user/shell-prompt", s.start(), "no `$ ` prompt: %s" % brief(s.text))
        run_shell_checks(b, s)
        status = s.finish("exit 3")
        check("user/shell-exit-3", status == 3, "QEMU status %s, want 3" % status)
    finally:
        s.close()
    no_report("user/shell-no-kernel-report", s.text)
    r = boot(b, ["--send", "exit 0"], timeout=30)
    check("user/shell-exit-0", r.status == 0, "status %s, want 0: %s" % (r.status, brief(r.out)))


def run_shell_checks(b, s):
    s.run("echo hello > /tmp/f")
    check("user/shell-redirect-and-cat", lines_of(s.run("cat /tmp/f")) == ["hello"],
          "cat /tmp/f: %r" % s.text[-300:])
    s.run("echo more >> /tmp/f")
    check("user/shell-append", lines_of(s.run("cat /tmp/f")) == ["hello", "more"],
          "after >>: %r" % s.text[-300:])
    s.run("rm /tmp/f")
    gone = s.run("cat /tmp/f") or ""
    check("user/shell-rm", "cat: /tmp/f: no such file or directory" in gone, repr(gone))

    want = sorted(os.listdir(b.bin))
    got = sorted(lines_of(s.run("ls /bin")))
    check("user/shell-ls-bin", got == want and "sh" in got,
          "ls /bin: %s; the initrd has %s" % (got, want))
    wc = s.run("echo a b c | wc") or ""
    check("user/shell-pipeline-wc", re.fullmatch(r"\s*1\s+3\s+6\s*", wc) is not None, repr(wc))
    with open(b.motd) as f:
        motd = f.read()
    got = s.run("cat < /etc/motd")
    check("user/shell-cat-motd", got == motd, "got %r, want %r" % (got, motd))

    err = s.run("nosuchprog") or ""
    check("user/shell-missing-program", "sh: nosuchprog: no such file or directory" in err, repr(err))
    check("user/shell-goes-on-after-error", lines_of(s.run("echo after-error")) == ["after-error"],
          s.text[-300:])
    seg = s.run("segv") or ""
    check("user/shell-segv-report", re.search(
        r"^\[[ \d.]+\] segv\[\d+\]: segfault at 0 ip [0-9a-f]{16} sp [0-9a-f]{16} error [0-9a-f]+ "
        r"in segv \(NULL pointer\)$", seg, re.M), repr(seg))
    check("user/shell-segv-status", "sh: segv: killed by signal 11" in seg, repr(seg))
    check("user/shell-goes-on-after-segv", lines_of(s.run("echo after-segv")) == ["after-segv"],
          s.text[-300:])

    procs = parse_ps(s.run("ps"))
    sh = [p for p in procs if p["name"] == "sh"]
    ps = [p for p in procs if p["name"] == "ps"]
    check("user/shell-ps", len(sh) == 1 and sh[0]["ppid"] == 0 and len(ps) == 1 and
          ps[0]["ppid"] == sh[0]["pid"] and ps[0]["state"] == "R",
          "ps listed %s" % procs)

    bg = s.run("sleep 100 &") or ""
    m = re.search(r"^\[(\d+)\]$", bg, re.M)
    check("user/shell-background-pid", m, repr(bg))
    if m:
        pid = int(m.group(1))
        before = parse_ps(s.run("ps"))
        check("user/shell-background-running", any(p["pid"] == pid and p["name"] == "sleep" and
                                                    p["ppid"] == sh[0]["pid"] for p in before if sh),
              "ps: %s" % before)
        killed = s.run("kill %d" % pid)
        after = s.run("echo reaped") or ""
        check("user/shell-kill-background", "sh: [%d]: killed by signal 15" % pid in
              (killed or "") + after, repr((killed, after)))
        check("user/shell-killed-gone", all(p["pid"] != pid for p in parse_ps(s.run("ps"))),
              s.text[-500:])

    mem = s.run("meminfo") or ""
    total = re.search(r"^total\s+(\d+) pages\s+(\d+) MiB$", mem, re.M)
    free = re.search(r"^free\s+(\d+) pages", mem, re.M)
    check("user/shell-meminfo", total and free and 0 < int(free.group(1)) < int(total.group(1))
          and 100 <= int(total.group(2)) <= 128, repr(mem))

    lab = s.run("lab page-pair", timeout=60) or ""
    check("user/shell-lab", "lab page-pair: 0 problems found" in lab and
          re.search(r"lab: page-pair finished: 0 sanitizer report\(s\), 0 leaked", lab) and
          not KERNEL_REPORT.search(lab), repr(lab[-800:]))
    nolab = s.run("lab no-such-scenario") or ""
    check("user/shell-lab-unknown", "lab: no-such-scenario: no such scenario" in nolab, repr(nolab))


def test_shell_many_lines(b, count=300):
    """Line after line typed at the shell, each answered before the next:
    every byte arrives by a UART interrupt while the shell is reading, so
    this is where a wake-up racing with a waiter's own check shows (a
    reader woken between prepare_to_wait() and finish_wait() that then
    does not sleep must not be left on the run queue)."""
    s = Session(b)
    bad = None
    try:
        s.start()
        for i in range(count):
            line = "echo %03d %s" % (i, "x" * 100)
            got = s.run(line, timeout=20)
            if got != line[5:] + "\n":
                bad = (i, got)
                break
        status = s.finish("exit 0")
    finally:
        s.close()
    check("user/shell-many-lines", bad is None and status == 0,
          "line %s answered %r, status %s: %s" % (bad and bad[0], bad and bad[1], status,
                                                   brief(s.text, 1500)))
    no_report("user/shell-many-lines-no-kernel-report", s.text)


def parse_ps(text):
    procs = []
    for line in lines_of(text):
        m = re.fullmatch(r"\s*(\d+)\s+(\d+)\s+([RSZ])\s+(\d+)\s+(\d+) (\S+)", line)
        if m:
            procs.append({"pid": int(m.group(1)), "ppid": int(m.group(2)), "state": m.group(3),
                          "name": m.group(6)})
    return procs


# ------------------------------------------------------------------------ iso

def test_iso(b):
    """The GRUB path: the ISO as built (its menu's first entry), or if this
    build has none, a temporary ISO that kboot makes with a module2 line."""
    if os.path.exists(b.iso):
        args, how = ["--iso", b.iso], "ISO as built"
    else:
        args, how = ["--iso", "--kernel", b.elf, "--initrd", b.initrd], "temporary ISO"
    r = harness.run_kboot(args + ["--timeout", "90", "--send", "echo iso-ok", "--send", "exit 0"],
                          limit=150)
    out = plain(r.out)
    check("user/iso-grub-loaded", 'loader "GRUB' in out, "%s: %s" % (how, brief(out)))
    check("user/iso-initrd-module", re.search(r"^initrd: \d+ files, \d+ directories", out, re.M),
          "%s: no initrd unpacked: %s" % (how, brief(out)))
    check("user/iso-shell", "\niso-ok\n" in out and r.status == 0,
          "%s: status %s: %s" % (how, r.status, brief(out)))
    no_report("user/iso-no-kernel-report", r.out)


# --------------------------------------------------------------------- initrd

def cpio_entries(data):
    """[(name, header offset, data offset, data size)] of a newc archive."""
    entries, off = [], 0
    while off + 110 <= len(data) and data[off:off + 6] == b"070701":
        size = int(data[off + 54:off + 62], 16)
        namesize = int(data[off + 94:off + 102], 16)
        name = data[off + 110:off + 110 + namesize - 1].decode()
        start = off + 110 + namesize
        start += -start % 4
        entries.append((name, off, start, size))
        if name == "TRAILER!!!":
            break
        off = start + size
        off += -off % 4
    return entries


def test_no_initrd(b):
    r = boot(b, ["--send", "poweroff 5"], timeout=30, initrd=False)
    out = plain(r.out)
    check("user/no-initrd-message", re.search(r"^initrd: none loaded", out, re.M), brief(out))
    check("user/no-initrd-init-fails", re.search(r"^init: cannot run '/bin/sh': ENOENT", out, re.M),
          brief(out))
    check("user/no-initrd-monitor", "canary> " in out and r.status == 5,
          "status %s (the monitor's `poweroff 5` gives 5): %s" % (r.status, brief(out)))


def test_bad_initrd(b):
    with open(b.initrd, "rb") as f:
        data = f.read()
    entries = cpio_entries(data)
    names = [e[0] for e in entries]
    if "bin/sh" not in names or names.index("bin/sh") + 1 >= len(names):
        check("user/bad-initrd-layout", False, "no bin/sh followed by more entries: %s" % names)
        return
    after = entries[names.index("bin/sh") + 1]          # the entry that will be damaged
    first_prog = entries[1] if len(entries) > 1 else None
    cases = [   # (name, the damaged archive)
        ("truncated-after-sh", data[:after[2] + after[3] // 2]),
        ("bad-magic-after-sh", data[:after[1]] + b"XXXXXX" + data[after[1] + 6:]),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for case, blob in cases:
            path = os.path.join(tmp, case + ".cpio")
            with open(path, "wb") as f:
                f.write(blob)
            bad_initrd_shell(b, case, path, after[0])
        # Cut inside the first program: nothing to run, so the monitor.
        path = os.path.join(tmp, "early.cpio")
        with open(path, "wb") as f:
            f.write(data[:first_prog[2] + first_prog[3] // 2])
        r = boot(b, ["--send", "poweroff 6"], timeout=30, initrd=path)
        out = plain(r.out)
        check("user/bad-initrd-early-error", re.search(
            r"^initrd: (bad archive entry|cannot unpack).*offset \d+", out, re.M), brief(out))
        check("user/bad-initrd-early-monitor", "canary> " in out and r.status == 6 and
              re.search(r"^init: cannot run '/bin/sh'", out, re.M),
              "status %s: %s" % (r.status, brief(out)))
        no_report("user/bad-initrd-no-kernel-report", r.out)


def bad_initrd_shell(b, case, path, damaged):
    """The archive is damaged at entry `damaged`, after bin/sh: the shell runs
    with what came before."""
    s = Session(b, initrd=path)
    try:
        up = s.start()
        out = plain(s.text)
        check("user/bad-initrd-%s-error" % case, re.search(
            r"^initrd: (bad archive entry|cannot unpack).*offset \d+", out, re.M), brief(out))
        check("user/bad-initrd-%s-shell" % case, up, "no shell prompt: %s" % brief(out))
        if not up:
            return
        listed = lines_of(s.run("ls /bin"))
        check("user/bad-initrd-%s-kept" % case, "sh" in listed and
              os.path.basename(damaged) not in listed, "ls /bin: %s (damaged: %s)" % (listed, damaged))
        motd = s.run("cat /etc/motd") or ""
        check("user/bad-initrd-%s-rest-missing" % case,
              "cat: /etc/motd: no such file or directory" in motd, "%r; console: %s" %
              (motd, brief(s.text, 1500)))
        status = s.finish("exit 0")
        check("user/bad-initrd-%s-exit" % case, status == 0, "status %s" % status)
    finally:
        s.close()
    no_report("user/bad-initrd-%s-no-kernel-report" % case, s.text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.environ.get("CANARY_BUILD", os.path.join(ROOT, "build")),
                    help="build directory with canary.elf, initrd.cpio, user/root (default build/)")
    b = Build(ap.parse_args().build)
    missing = [p for p in (b.elf, b.initrd, b.bin, b.motd) if not os.path.exists(p)]
    if missing:
        check("user/built", False, "missing %s: run make" % ", ".join(missing))
        return harness.main()
    test_usertests(b)
    test_sysfuzz(b)
    test_shell(b)
    test_shell_many_lines(b)
    test_iso(b)
    test_no_initrd(b)
    test_bad_initrd(b)
    return harness.main()


if __name__ == "__main__":
    sys.exit(main())
