#!/usr/bin/env python3
"""test_trace2chrome.py - tests of tools/trace2chrome.py, the scheduler trace
converter, run as `make test` runs it (the command line, as a user would).

A synthetic dump with known times (tsc_khz=1000000, so one TSC tick is one
nanosecond) must give the JSON's running intervals to the nanosecond and
an SVG with one row per thread; broken input must end with one clear line
and status 1, never a traceback.  Last, the dump of a real boot (the
`trace` ktest suite prints one) must convert too.

Output: PASS:/FAIL:/SKIP: lines through tests/boot/harness.py.  With
`--kernel ELF` the real dump comes from ELF instead of build/canary.elf.
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import harness  # noqa: E402

TOOL = os.path.join(ROOT, "tools", "trace2chrome.py")
ELF = os.path.join(ROOT, "build", "canary.elf")
SVG_NS = "{http://www.w3.org/2000/svg}"

# Threads main/1, idle/2, worker_a/3, worker_b/4.  Who runs when (us):
#   main [0,3]  a [3,10.5]  b [10.5,20]  a [20,35]  main [35,40]  idle [40,50]
# (idle still runs at the last event, so its interval ends there).
EVENTS = """\
trace: 1000000 wakeup tid=3 comm=worker_a by=1/main
trace: 1001000 wakeup tid=4 comm=worker_b by=1/main
trace: 1002000 block tid=1 comm=main
trace: 1003000 switch prev=main/1 prev_state=D next=worker_a/3
trace: 1010000 preempt tid=3 comm=worker_a
trace: 1010500 switch prev=worker_a/3 prev_state=R next=worker_b/4
trace: 1020000 switch prev=worker_b/4 prev_state=R next=worker_a/3
trace: 1030000 wakeup tid=1 comm=main by=-
trace: 1035000 switch prev=worker_a/3 prev_state=Z next=main/1
trace: 1040000 switch prev=main/1 prev_state=S next=idle/2
trace: 1050000 wakeup tid=1 comm=main by=2/idle
"""
INTERVALS = [("main/1", 0.0, 3.0), ("worker_a/3", 3.0, 7.5), ("worker_b/4", 10.5, 9.5),
             ("worker_a/3", 20.0, 15.0), ("main/1", 35.0, 5.0), ("idle/2", 40.0, 10.0)]


def stamped(text, start=1.0):
    """text as the serial console shows it: printk timestamps, CRLF."""
    return "".join("[%12.6f] %s\r\n" % (start + i * 1e-4, line)
                   for i, line in enumerate(text.splitlines()))


def dump(events=EVENTS, n=None, khz=1000000, seed=7, end=True):
    n = len(events.splitlines()) if n is None else n
    text = "trace: begin tsc_khz=%d seed=%d\n%s" % (khz, seed, events)
    return text + ("trace: end events=%d dropped=0\n" % n if end else "")


# A boot log around the dump: other output must be ignored.
LOG = ("Canary 0.1 (x86_64) booting\ncanary> trace\nCall Trace:\n" + dump() +
       "canary> poweroff\n")


def run(args, stdin_text=None, stdin_bytes=None):
    """Run the tool; (status, stdout, stderr)."""
    data = stdin_bytes if stdin_bytes is not None else (stdin_text or "").encode()
    p = subprocess.run([sys.executable, TOOL] + list(args), input=data,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def convert(tmp, log_text, extra=()):
    """Write log_text to a file, convert it to JSON and SVG; (status, json
    dict or None, svg root or None, stderr)."""
    log = os.path.join(tmp, "serial.log")
    out_json, out_svg = os.path.join(tmp, "out.json"), os.path.join(tmp, "out.svg")
    for f in (out_json, out_svg):
        if os.path.exists(f):
            os.unlink(f)
    with open(log, "w") as f:
        f.write(log_text)
    status, _, err = run([log, "-o", out_json, "--svg", out_svg] + list(extra))
    doc = svg = None
    if status == 0:
        with open(out_json) as f:
            doc = json.load(f)
        svg = ET.parse(out_svg).getroot()
    return status, doc, svg, err


def clean_error(name, result, *words):
    """Status 1, and stderr one line naming the problem, without a traceback."""
    status, _, err = result
    lines = err.strip().splitlines()
    harness.check(name, status == 1 and len(lines) == 1 and "Traceback" not in err and
                  all(w in err for w in words),
                  "status %s, stderr %r" % (status, err[-400:]))


def x_events(doc, pid):
    return [e for e in doc["traceEvents"] if e["ph"] == "X" and e["pid"] == pid]


def test_json(tmp):
    status, doc, _, err = convert(tmp, stamped(LOG))
    if not harness.check("json/converts", status == 0 and doc is not None, err):
        return
    cpu = x_events(doc, 0)
    got = [(e["name"], e["ts"], e["dur"]) for e in cpu]
    harness.check("json/cpu-track-intervals", got == INTERVALS, "got %s" % got)
    per_thread = x_events(doc, 1)
    harness.check("json/x-event-count", len(cpu) == 6 and len(per_thread) == 6,
                  "%d on CPU 0, %d on thread tracks" % (len(cpu), len(per_thread)))
    a = [(e["ts"], e["dur"]) for e in per_thread if e["tid"] == 3]
    harness.check("json/thread-track-intervals", a == [(3.0, 7.5), (20.0, 15.0)], "worker_a: %s" % a)
    harness.check("json/left-in-state",
                  [e["args"].get("left_in_state") for e in cpu] == ["D", "R", "R", "Z", "S", None],
                  str([e["args"] for e in cpu]))
    inst = [(e["tid"], e["name"], e["ts"]) for e in doc["traceEvents"] if e["ph"] == "i"]
    harness.check("json/instant-events",
                  inst == [(3, "wakeup by main/1", 0.0), (4, "wakeup by main/1", 1.0),
                           (1, "block", 2.0), (3, "preempt", 10.0), (1, "wakeup by -", 30.0),
                           (1, "wakeup by idle/2", 50.0)], str(inst))
    names = {e["tid"]: e["args"]["name"] for e in doc["traceEvents"]
             if e["ph"] == "M" and e["name"] == "thread_name" and e["pid"] == 1}
    harness.check("json/thread-names",
                  names == {1: "main/1", 2: "idle/2", 3: "worker_a/3", 4: "worker_b/4"}, str(names))
    harness.check("json/cpu-track-named",
                  any(e["ph"] == "M" and e["pid"] == 0 and e["args"]["name"] == "CPU 0"
                      for e in doc["traceEvents"]), "no CPU 0 metadata")
    od = doc.get("otherData", {})
    harness.check("json/other-data", od.get("tsc_khz") == 1000000 and od.get("seed") == 7 and
                  od.get("events") == 11 and od.get("dropped") == 0, str(od))
    # Every event has what the Trace Event Format requires of its phase.
    ok = all(isinstance(e.get("ts", 0), (int, float)) and "pid" in e and "tid" in e and
             (e["ph"] != "X" or e["dur"] >= 0) and (e["ph"] != "i" or e["s"] == "t")
             for e in doc["traceEvents"])
    harness.check("json/well-formed-events", ok, "an event lacks a required field")


def test_svg(tmp):
    status, _, svg, err = convert(tmp, stamped(LOG), ["--width", "800"])
    if not harness.check("svg/converts", status == 0 and svg is not None, err):
        return
    harness.check("svg/root", svg.tag == SVG_NS + "svg" and svg.get("width") == "800",
                  "%s width=%s" % (svg.tag, svg.get("width")))
    rows = [g for g in svg.iter(SVG_NS + "g") if g.get("class") == "thread"]
    tids = [int(g.get("data-tid")) for g in rows]
    harness.check("svg/one-row-per-thread", tids == [1, 2, 3, 4], "rows for tids %s" % tids)
    labels = ["".join(t.itertext()) for g in rows for t in g.findall(SVG_NS + "text")]
    harness.check("svg/thread-names", labels == ["main/1", "idle/2", "worker_a/3", "worker_b/4"],
                  str(labels))
    runs = {int(g.get("data-tid")): len([r for r in g.findall(SVG_NS + "rect")
                                         if r.get("class") == "run"]) for g in rows}
    harness.check("svg/bars-per-thread", runs == {1: 2, 2: 1, 3: 2, 4: 1}, str(runs))
    marks = [el.get("class") for g in rows for el in g if el.get("class") in
             ("wakeup", "preempt", "block")]
    harness.check("svg/marks", marks.count("wakeup") == 4 and marks.count("preempt") == 1 and
                  marks.count("block") == 1, str(marks))
    axis = [g for g in svg.iter(SVG_NS + "g") if g.get("class") == "axis"]
    ticks = ["".join(t.itertext()) for t in axis[0].iter(SVG_NS + "text")] if axis else []
    harness.check("svg/time-axis", len(ticks) >= 3 and ticks[0] == "0 us" and
                  all(t.endswith(" us") for t in ticks), str(ticks))


def test_cli(tmp):
    status, out, err = run(["--help"])
    harness.check("cli/help", status == 0 and "--svg" in out and "-o" in out, err)
    status, out, err = run([], stdin_text=LOG)
    try:
        n = len(x_events(json.loads(out), 0)) if status == 0 else -1
    except ValueError:
        n = -1
    harness.check("cli/stdin-to-stdout", n == 6, "status %s, %s" % (status, err.strip()))
    status, out, err = run(["-q", "-"], stdin_text=LOG)
    harness.check("cli/quiet", status == 0 and err == "", repr(err))
    # Two dumps: the last complete one by default, --dump N picks.
    second = dump("trace: 5000 switch prev=x/9 prev_state=R next=y/10\n", khz=1000)
    status, doc, _, err = convert(tmp, LOG + second)
    harness.check("cli/last-dump-by-default", status == 0 and len(x_events(doc, 0)) == 0 and
                  "dump 2 of 2" in err, err)
    status, doc, _, err = convert(tmp, LOG + second, ["--dump", "1"])
    harness.check("cli/dump-n", status == 0 and len(x_events(doc, 0)) == 6, err)
    clean_error("cli/dump-n-out-of-range", run(["--dump", "3", "-"], stdin_text=LOG + second),
                "--dump 3", "2 dump(s)")


def test_bad_input(tmp):
    clean_error("bad/no-dump", run(["-"], stdin_text="Canary 0.1 booting\ncanary> \n"),
                "no trace dump")
    clean_error("bad/binary-garbage", run(["-"], stdin_bytes=bytes(range(256)) * 40 + b"\xff\xfe\0"),
                "no trace dump")
    truncated = dump(end=False)[:-60]       # cut mid-line, no end line
    clean_error("bad/truncated", run(["-"], stdin_text=truncated), "truncated", "--partial")
    status, out, err = run(["--partial", "-"], stdin_text=truncated)
    harness.check("bad/truncated-with-partial", status == 0 and "truncated dump" in err and
                  json.loads(out)["traceEvents"], err)
    lost = dump(n=15)
    clean_error("bad/lines-lost", run(["-"], stdin_text=lost), "15 events", "11 were read")
    clean_error("bad/begin-line", run(["-"], stdin_text="trace: begin tsc_khz=fast seed=1\n"),
                "malformed begin line")
    clean_error("bad/zero-khz", run(["-"], stdin_text=dump(khz=0)), "malformed begin line")
    clean_error("bad/missing-file", run([os.path.join(tmp, "nope.log")]), "cannot read")
    clean_error("bad/unwritable-output",
                run(["-o", os.path.join(tmp, "no", "such", "dir.json"), "-"], stdin_text=LOG),
                "cannot write")
    # Garbled trace lines inside a dump are skipped and counted; the end
    # line counts them among its events, so the dump is still whole.
    garbage = ("trace: 1060000 switch prev=broken\n"
               "trace: 10x1 block tid=1 comm=main\n"
               "trace: 1070000 teleport tid=1\n"
               "trace: 900 block tid=1 comm=main\n")          # runs backwards
    status, doc, _, err = convert(tmp, dump(EVENTS + garbage))
    harness.check("bad/garbage-lines-skipped",
                  status == 0 and "4 malformed trace line(s) skipped" in err and
                  len(x_events(doc, 0)) == 6 and "Traceback" not in err, err)
    # Switches that do not chain (a lost event) still convert, with a note.
    broken = EVENTS.replace("prev=worker_b/4 prev_state=R next=worker_a/3",
                            "prev=worker_b/4 prev_state=R next=main/1")
    status, doc, _, err = convert(tmp, dump(broken))
    harness.check("bad/inconsistent-switch-noted", status == 0 and
                  "1 switch(es) from a thread not running" in err, err)
    status, doc, svg, err = convert(tmp, dump(""))
    harness.check("bad/empty-dump", status == 0 and "no events" in err and
                  not x_events(doc, 0) and svg is not None, err)


def test_real_dump(tmp):
    """The dump a real kernel prints (the trace suite's last test makes one)."""
    name = "kernel/real-dump-converts"
    if not harness.kernel_or_skip(ELF, [name]):
        return
    r = harness.run_kboot(["--kernel", ELF, "--timeout", "60", "--cmdline", "run=ktest:trace"],
                          limit=120)
    if "trace: begin" not in r.out:
        harness.skip(name, "the kernel printed no trace dump (status %s)" % r.status)
        return
    status, doc, svg, err = convert(tmp, r.out)
    harness.check(name, status == 0 and x_events(doc, 0) and svg is not None and
                  "malformed" not in err and "not running" not in err,
                  "status %s: %s" % (status, err.strip() or harness.brief(r.out)))


def main():
    global ELF
    # --kernel ELF: test the dump of another build than build/canary.elf.
    if len(sys.argv) == 3 and sys.argv[1] == "--kernel":
        ELF = os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="trace2chrome-") as tmp:
        for t in (test_json, test_svg, test_cli, test_bad_input, test_real_dump):
            t(tmp)
    return harness.main()


if __name__ == "__main__":
    sys.exit(main())
