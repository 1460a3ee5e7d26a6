#!/usr/bin/env python3
"""test_bugs.py - every deliberate bug in labs/bugs.json, proved on every run.

For each bug: its patch applies to the current tree with fuzz 0; its variant
builds, recompiling only the patched sources (checked in a scratch build
directory by which object files appear); the variant booted with the bug's
trigger prints the report the catalogue expects; and the corrected kernel
booted with the same trigger prints no sanitizer or checker report and powers
off with status 0.  Also: `tools/bugs.py check`, docs/bugs.md matches the
catalogue, `tools/kboot --bug` refuses an unknown ID, and an empty catalogue
fails (bugs/catalogue-not-empty), so this suite cannot pass vacuously.  One
bug's SAN=0 behaviour (alloc-uaf) is proved too, with and without the
allocator's poisoning (slub_debug=).

The build directory is make's $(BUILD) (asked from make, so `make test
BUILD=dir` is honoured).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import harness  # noqa: E402
from harness import check, brief  # noqa: E402
import bugs  # noqa: E402

BUGS_PY = os.path.join(ROOT, "tools", "bugs.py")
TRIGGER_TIMEOUT = 30
# A corrected kernel must print none of these.
REPORT_WORDS = ("BUG:", "KASAN", "UBSAN", "WARNING:", "Oops", "unreferenced object",
                "Kernel panic", "corruption")


def run(cmd):
    """Run a command from the repo root; return (status, stdout+stderr text)."""
    done = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return done.returncode, done.stdout.decode(errors="replace")


def make(*args):
    return run(["make", "--no-print-directory"] + list(args))


def build_dir():
    """make's $(BUILD), relative paths taken from the repo root."""
    status, out = make("-s", "bug-elf-path", "BUG=x")
    path = out.split()[-1] if status == 0 and out.split() else "build/bugs/x/canary.elf"
    return os.path.join(ROOT, path[:-len("/bugs/x/canary.elf")])


def objects(build):
    """{path: mtime} of every object file under build."""
    found = {}
    for d, _, names in os.walk(build):
        for name in names:
            if name.endswith(".o"):
                path = os.path.join(d, name)
                found[path] = os.stat(path).st_mtime_ns
    return found


def changed(before, after):
    return sorted(p for p, t in after.items() if before.get(p) != t)


def test_tools(catalogue):
    status, out = run([sys.executable, BUGS_PY, "check"])
    check("bugs/check", status == 0, brief(out, 1500))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "bugs.md")
        status, out = run([sys.executable, BUGS_PY, "gen-docs", "-o", fresh])
        try:
            with open(fresh) as f, open(os.path.join(ROOT, bugs.DOCS)) as g:
                same = f.read() == g.read()
        except OSError as e:
            same, out = False, out + str(e)
        check("bugs/docs-up-to-date", status == 0 and same,
              "%s differs from the catalogue; run `make docs` %s" % (bugs.DOCS, brief(out)))
    r = harness.run_kboot(["--bug", "no-such-bug", "--timeout", "10"])
    ids = bugs.known_ids(catalogue) if catalogue is not None else []
    check("bugs/kboot-unknown-bug-exits-126",
          r.status == 126 and "unknown bug 'no-such-bug'" in r.err
          and all(i in r.err for i in ids), "status %s; stderr: %s" % (r.status, brief(r.err)))


def test_variant_build(bug, scratch):
    """Build the variant in the scratch build directory; only patched files compile."""
    name = "bugs/%s" % bug["id"]
    status, out = run([sys.executable, BUGS_PY, "apply", "--dry-run", bug["id"]])
    check(name + "/patch-applies-fuzz0", status == 0, brief(out, 1000))
    try:
        files = bugs.read_patch(bug)[1]
    except bugs.BugsError as e:
        check(name + "/patch-readable", False, str(e))
        return
    before = objects(scratch)
    status, out = make("BUILD=" + scratch, "bug-kernel", "BUG=" + bug["id"])
    elf = os.path.join(scratch, "bugs", bug["id"], "canary.elf")
    if not check(name + "/variant-builds", status == 0 and os.path.exists(elf), brief(out, 2000)):
        return
    own = os.path.join(scratch, "bugs", bug["id"])
    want = sorted([os.path.join(own, "obj", os.path.splitext(f)[0] + ".o") for f in files]
                  + [os.path.join(own, "obj", "ksyms.o")])
    after = objects(scratch)
    got = changed(before, after)
    check(name + "/only-patched-objects-compiled", got == want,
          "compiled %s; expected %s" % ([os.path.relpath(p, scratch) for p in got],
                                        [os.path.relpath(p, scratch) for p in want]))
    elf_time = os.stat(elf).st_mtime_ns
    status, out = make("BUILD=" + scratch, "bug-kernel", "BUG=" + bug["id"])
    check(name + "/rebuild-does-nothing",
          status == 0 and not changed(after, objects(scratch))
          and os.stat(elf).st_mtime_ns == elf_time, brief(out, 1000))
    test_same_commands(bug, files, scratch)


def dry_run_commands(scratch, changed_files, target):
    """The commands `make -n` would run for target if changed_files had changed."""
    what_if = [arg for f in changed_files for arg in ("-W", f)]
    status, out = make("-n", "BUILD=" + scratch, *what_if, target)
    out = re.sub(r"\\\n\s*", "", out)  # a recipe's continuation lines, joined
    return status, [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def test_same_commands(bug, files, scratch):
    """The variant's recipes run the main build's commands, up to its own paths.

    The variant rules in the Makefile repeat the main rules; this catches a
    main-rule change (a per-file flag, a link step) not made there too."""
    name = "bugs/%s/same-commands-as-main-build" % bug["id"]
    src = os.path.join(scratch, "bugs", bug["id"], "src") + "/"
    status1, main_cmds = dry_run_commands(scratch, files, os.path.join(scratch, "canary.elf"))
    status2, bug_cmds = dry_run_commands(scratch, [src + f for f in files],
                                         os.path.join(scratch, "bugs", bug["id"], "canary.elf"))
    normal = [re.sub(r" -iquote \S+| -fmacro-prefix-map=\S+", "",
                     line.replace(src, "").replace("bugs/%s/" % bug["id"], ""))
              for line in bug_cmds]
    diff = [(a, b) for a, b in zip(main_cmds, normal) if a != b]
    check(name, status1 == 0 and status2 == 0 and main_cmds and normal == main_cmds,
          "keep the variant rules in the Makefile in step with the main rules; "
          "first difference (main build, variant): %s"
          % (diff[:1] or "%d and %d commands" % (len(main_cmds), len(normal))))


def trigger_rejected(bug, out):
    """Kernel command-line warnings about the trigger's own words."""
    words = bug["trigger"].split()
    keys = [w.split("=", 1)[0] for w in words]
    return [line for line in out.splitlines() if "cmdline:" in line
            and any("'%s'" % k in line for k in words + keys)]


def test_boots(bug, kernel):
    """The variant reports the bug; the corrected kernel does not."""
    name = "bugs/%s" % bug["id"]
    r = harness.run_kboot(["--bug", bug["id"], "--timeout", str(TRIGGER_TIMEOUT)],
                          limit=TRIGGER_TIMEOUT + 120)
    check(name + "/buggy-report", r.status not in (126, 127) and bugs.expect_found(bug, r.out),
          "status %s; /%s/ not found in:\n%s%s" % (r.status, bug["expect"], r.out[-3000:],
                                                   brief(r.err, 1500)))
    check(name + "/trigger-understood", not trigger_rejected(bug, r.out),
          "\n".join(trigger_rejected(bug, r.out)))
    r = harness.run_kboot(["--kernel", kernel, "--cmdline", bug["trigger"],
                           "--timeout", str(TRIGGER_TIMEOUT)], limit=TRIGGER_TIMEOUT + 60)
    reports = [line for line in r.out.splitlines() if any(w in line for w in REPORT_WORDS)]
    check(name + "/corrected-no-report", not reports and not bugs.expect_found(bug, r.out),
          "the corrected kernel reported:\n" + "\n".join(reports[:20]))
    check(name + "/corrected-exit-0", r.status == 0,
          "status %s (the trigger must end with a power-off); stderr: %s\n%s"
          % (r.status, brief(r.err), r.out[-1500:]))


def test_san_off_uaf(catalogue):
    """One bug's san_off, proved in the SAN=0 build, and what slub_debug=-
    changes: with the allocator's fills (the default) the dangling read of
    alloc-uaf returns the free poison 0x6b6b6b6b = 1802201963, as its san_off
    says; with slub_debug=- (a production kernel) it returns the freed
    filter's old class, 10, and nothing anywhere notices."""
    name = "bugs/alloc-uaf/san-off"
    bug = next((b for b in catalogue if b.get("id") == "alloc-uaf"), None)
    if not check(name + "/in-catalogue", bug is not None, "labs/bugs.json has no alloc-uaf"):
        return
    check(name + "/documented", "classified to 1802201963" in bug["san_off"], bug["san_off"])
    status, out = make("-s", "SAN=0", "bug-kernel", "BUG=alloc-uaf")
    path_status, path = make("-s", "SAN=0", "bug-elf-path", "BUG=alloc-uaf")
    kernel = os.path.join(ROOT, path.split()[-1]) if path_status == 0 and path.split() else ""
    if not check(name + "/builds", status == 0 and os.path.exists(kernel), brief(out, 2000)):
        return
    for cmdline, want in ((bug["trigger"], "classified to 1802201963\n"),
                          (bug["trigger"] + " slub_debug=-", "classified to 10\n")):
        r = harness.run_kboot(["--kernel", kernel, "--no-initrd", "--cmdline", cmdline,
                               "--timeout", str(TRIGGER_TIMEOUT)], limit=TRIGGER_TIMEOUT + 60)
        label = "poison" if "slub_debug" not in cmdline else "slub_debug-off-stale-data"
        check("%s/%s" % (name, label), r.status == 0 and want in r.out and "KASAN" not in r.out,
              "status %s, want %r in:\n%s" % (r.status, want, r.out[-1500:]))


def main():
    try:
        catalogue = bugs.load()
    except bugs.BugsError as e:
        check("bugs/catalogue-loads", False, str(e))
        catalogue = None
    test_tools(catalogue)
    if catalogue is None:
        return harness.main()
    check("bugs/catalogue-not-empty", catalogue,
          "%s has no bugs, so nothing is proved" % bugs.CATALOGUE)
    entries = [b for b in catalogue if isinstance(b, dict) and
               all(isinstance(b.get(f), str) for f in bugs.FIELDS)]
    if not entries:
        return harness.main()
    build = build_dir()
    status, out = make("-s", "kernel")
    kernel = os.path.join(build, "canary.elf")
    if not check("bugs/corrected-kernel-builds", status == 0 and os.path.exists(kernel),
                 brief(out, 2000)):
        return harness.main()
    # Variants built from scratch in a scratch build directory show which
    # objects each one compiles, without touching the real build.
    scratch = tempfile.mkdtemp(prefix="canary-bugs-")
    try:
        status, out = make("-s", "-j%d" % (os.cpu_count() or 1), "BUILD=" + scratch, "kernel")
        if check("bugs/scratch-kernel-builds", status == 0, brief(out, 2000)):
            for bug in entries:
                test_variant_build(bug, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for bug in entries:
        test_boots(bug, kernel)
    test_san_off_uaf(entries)
    return harness.main()


if __name__ == "__main__":
    sys.exit(main())
