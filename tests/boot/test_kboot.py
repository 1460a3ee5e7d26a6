#!/usr/bin/env python3
# test_kboot.py: tests of tools/kboot itself: exit-status mapping, timeouts,
# missing tools and files, and that no QEMU outlives kboot.
#
#   tests/boot/test_kboot.py [--kernel ELF]     (default build/canary.elf)
#
# Boots the kernel with the monitor (`canary> `), `crash=hang` and `reboot`.
# Each QEMU gets `-name kboot-test-<pid>-<case>` so that a leftover QEMU can
# be found in /proc.  Checks needing the kernel are skipped if it is missing.

import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, brief  # noqa: E402


def marker(case):
    """A QEMU -name unique to this test process and case."""
    return "kboot-test-%d-%s" % (os.getpid(), case)


def test_poweroff_status(kernel):
    """(a) `poweroff 7` typed at the prompt becomes exit status 7; --log copies."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "serial.log")
        r = harness.run_kboot(["--kernel", kernel, "--timeout", "30", "--log", log,
                               "--cmdline", "run=monitor", "--send", "poweroff 7", "--", "-name", marker("a")])
        check("kboot.poweroff_status", r.status == 7,
              "exit status %s, want 7; stderr: %s" % (r.status, brief(r.err)))
        check("kboot.prompt_seen", "canary> " in r.out,
              "no `canary> ` in output: %s" % brief(r.out))
        logged = ""
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                logged = f.read()
        check("kboot.log_matches_stdout", logged == r.out and logged,
              "--log file has %d chars, stdout %d" % (len(logged), len(r.out)))


def test_timeout(kernel):
    """(b) a hanging guest is stopped after --timeout, with exit 124 and no QEMU left."""
    name = marker("b")
    r = harness.run_kboot(["--kernel", kernel, "--cmdline", "crash=hang", "--timeout", "3",
                           "--", "-name", name])
    check("kboot.timeout_status", r.status == 124,
          "exit status %s, want 124; stderr: %s" % (r.status, brief(r.err)))
    check("kboot.timeout_message", "kboot: timeout after 3 s; QEMU stopped" in r.err,
          "stderr: %s" % brief(r.err))
    check("kboot.timeout_elapsed", 2.5 <= r.elapsed < 10,
          "took %.1f s, want 3 s (< 10)" % r.elapsed)
    check("kboot.timeout_guest_booted", "Canary " in r.out,
          "no banner before the hang: %s" % brief(r.out))
    left = harness.qemu_pids(name)
    check("kboot.timeout_no_qemu_left", not left, "QEMU still running: pids %s" % left)


def test_dry_run():
    """(c) --dry-run prints the QEMU command and starts nothing."""
    r = harness.run_kboot(["--dry-run", "--cmdline", "run=ktest"])
    check("kboot.dry_run_status", r.status == 0, "exit status %s; %s" % (r.status, brief(r.err)))
    check("kboot.dry_run_command",
          "-kernel" in r.out and "isa-debug-exit" in r.out and "run=ktest" in r.out,
          "command: %s" % brief(r.out))


def test_no_qemu():
    """(d) without QEMU on PATH kboot exits 127 and points at tools/deps.sh."""
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.realpath(sys.executable), os.path.join(tmp, "python3"))
        env = dict(os.environ, PATH=tmp)
        r = harness.run_kboot(["--kernel", "/nonexistent/canary.elf"], env=env)
    check("kboot.no_qemu_status", r.status == 127,
          "exit status %s, want 127; stderr: %s" % (r.status, brief(r.err)))
    check("kboot.no_qemu_message",
          "qemu-system-x86_64" in r.err and "tools/deps.sh" in r.err,
          "stderr: %s" % brief(r.err))


def test_missing_kernel():
    """(e) a missing --kernel file exits 127 and says to run make."""
    path = "/nonexistent/kboot-test/canary.elf"
    r = harness.run_kboot(["--kernel", path])
    check("kboot.missing_kernel_status", r.status == 127,
          "exit status %s, want 127; stderr: %s" % (r.status, brief(r.err)))
    check("kboot.missing_kernel_message",
          "kboot: %s not found; run make" % path in r.err, "stderr: %s" % brief(r.err))


def test_usage_errors():
    """Bad options and combinations exit 126, never a kernel-like status."""
    r = harness.run_kboot(["--no-such-option"])
    check("kboot.usage_error_status", r.status == 126, "exit status %s" % r.status)
    r = harness.run_kboot(["--iso", "--firmware", "qboot", "--dry-run"])
    check("kboot.iso_qboot_rejected", r.status == 126 and "qboot" in r.err,
          "exit status %s; stderr: %s" % (r.status, brief(r.err)))


def test_sigterm(kernel):
    """(f) SIGTERM to kboot while the guest hangs takes QEMU down with it."""
    name = marker("f")
    proc = harness.start_kboot(["--kernel", kernel, "--cmdline", "crash=hang",
                                "--timeout", "60", "--", "-name", name])
    deadline = time.monotonic() + 20
    while not harness.qemu_pids(name) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    running = harness.qemu_pids(name)
    check("kboot.sigterm_qemu_started", running, "no QEMU named %s appeared" % name)
    time.sleep(0.5)  # let the guest reach its hang
    proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=10)
        status = proc.returncode
    except Exception:
        proc.kill()
        proc.communicate()
        status = None
    check("kboot.sigterm_status", status == 128 + signal.SIGTERM,
          "exit status %s, want %d" % (status, 128 + signal.SIGTERM))
    left = harness.qemu_pids(name)
    check("kboot.sigterm_no_qemu_left", not left, "QEMU still running: pids %s" % left)


def test_reboot(kernel):
    """A guest reset (`reboot` under -no-reboot) is exit 125, not success."""
    r = harness.run_kboot(["--kernel", kernel, "--timeout", "30", "--cmdline", "run=monitor", "--send", "reboot",
                           "--", "-name", marker("g")])
    check("kboot.reset_status", r.status == 125,
          "exit status %s, want 125; stderr: %s" % (r.status, brief(r.err)))


def main(argv):
    """Run every test; kernel-free ones always, boots only if the kernel exists."""
    kernel = harness.DEFAULT_KERNEL
    if argv[:1] == ["--kernel"] and len(argv) == 2:
        kernel = os.path.abspath(argv[1])
    elif argv:
        print("usage: tests/boot/test_kboot.py [--kernel ELF]", file=sys.stderr)
        return 2
    test_dry_run()
    test_no_qemu()
    test_missing_kernel()
    test_usage_errors()
    boots = ["kboot.poweroff_status", "kboot.timeout", "kboot.sigterm", "kboot.reset"]
    if harness.kernel_or_skip(kernel, boots):
        test_poweroff_status(kernel)
        test_timeout(kernel)
        test_sigterm(kernel)
        test_reboot(kernel)
    return harness.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
