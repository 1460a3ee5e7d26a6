#!/usr/bin/env python3
"""trace2chrome.py - turn a scheduler trace dump from the serial console into
Chrome Trace Event JSON (for ui.perfetto.dev or chrome://tracing) and an SVG
timeline.

The kernel prints the dump (kernel/sched/trace.c) as:

    trace: begin tsc_khz=2995200 seed=0
    trace: 123456789 switch prev=worker1/3 prev_state=R next=worker2/4
    trace: 123460000 wakeup tid=3 comm=worker1 by=2/main      (by=- : no thread)
    trace: 123470000 block tid=3 comm=worker1
    trace: 123480000 preempt tid=3 comm=worker1
    trace: end events=4 dropped=0

The numbers are raw TSC values; tsc_khz turns them into microseconds from
the first event.  Other console lines and printk's "[    1.234567] "
timestamps are ignored, so a whole boot log can be given.  A malformed
trace line inside a dump is skipped and counted; a dump cut short (no end
line, or fewer events than the end line says) is an error unless --partial.

Output: per thread, one "X" (complete) event for each interval it ran, on
a "CPU 0" track and again on the thread's own track, and "i" (instant)
events for its wake-ups, blocks and preemptions.  The SVG has one row per
thread under a "CPU 0" row: a bar per running interval, marks for
wake-ups, blocks and preemptions, and a time axis.

Python 3 standard library only.
"""
import argparse
import json
import math
import re
import sys
from xml.sax.saxutils import escape, quoteattr

PROG = "trace2chrome"
PRINTK_TIME = re.compile(r"^\[\s*\d+\.\d+\]\s?")
TRACE_LINE = re.compile(r"^trace: (.*)$")
EVENT_TYPES = ("switch", "wakeup", "block", "preempt")


class InputError(Exception):
    """The input cannot be converted; the message is one line."""


class Dump:
    """One begin..end stretch of the serial output."""

    def __init__(self, line_no, tsc_khz, seed):
        self.line_no = line_no      # of the begin line, 1-based
        self.tsc_khz = tsc_khz
        self.seed = seed
        self.events = []            # dicts, in dump order
        self.malformed = 0          # trace lines skipped inside this dump
        self.end_events = None      # from the end line; None: no end line
        self.dropped = None


def parse_fields(tokens):
    """{key: value} from key=value tokens; ValueError on anything else."""
    fields = {}
    for tok in tokens:
        key, eq, value = tok.partition("=")
        if not eq or not key or key in fields:
            raise ValueError(tok)
        fields[key] = value
    return fields


def name_tid(text):
    """"worker1/3" -> ("worker1", 3); the name may itself hold '/'."""
    name, slash, tid = text.rpartition("/")
    if not slash or not name:
        raise ValueError(text)
    return name, int(tid)


def tid_name(text):
    """"2/main" -> (2, "main"), the order of wakeup's by=."""
    tid, slash, name = text.partition("/")
    if not slash or not name:
        raise ValueError(text)
    return int(tid), name


def parse_event(rest):
    """An event dict from what follows "trace: ", or ValueError."""
    tokens = rest.split()
    if len(tokens) < 2 or tokens[1] not in EVENT_TYPES:
        raise ValueError(rest)
    tsc = int(tokens[0])
    kind = tokens[1]
    f = parse_fields(tokens[2:])
    ev = {"tsc": tsc, "type": kind}
    if kind == "switch":
        ev["prev_name"], ev["prev"] = name_tid(f["prev"])
        ev["next_name"], ev["next"] = name_tid(f["next"])
        ev["prev_state"] = f["prev_state"]
        if len(ev["prev_state"]) != 1:
            raise ValueError(rest)
    else:
        ev["tid"] = int(f["tid"])
        ev["name"] = f["comm"]
        if kind == "wakeup":
            by = f["by"]
            ev["by"], ev["by_name"] = (None, None) if by == "-" else tid_name(by)
    return ev


def read_dumps(lines):
    """Every dump in the text, in order; and the count of trace lines found
    outside any dump (ignored)."""
    dumps, current, stray = [], None, 0
    for no, raw in enumerate(lines, 1):
        line = PRINTK_TIME.sub("", raw.rstrip("\r\n").replace("\r", ""))
        m = TRACE_LINE.match(line)
        if not m:
            continue
        rest = m.group(1).strip()
        if rest.startswith("begin"):
            try:
                f = parse_fields(rest.split()[1:])
                khz, seed = int(f["tsc_khz"]), int(f.get("seed", "0"))
                if khz <= 0:
                    raise ValueError(rest)
            except (KeyError, ValueError):
                raise InputError("line %d: malformed begin line: %r" % (no, line[:80]))
            current = Dump(no, khz, seed)
            dumps.append(current)
        elif rest.startswith("end"):
            if current is None:
                stray += 1
                continue
            try:
                f = parse_fields(rest.split()[1:])
                current.end_events, current.dropped = int(f["events"]), int(f["dropped"])
            except (KeyError, ValueError):
                current.malformed += 1
                continue
            current = None
        elif current is None:
            stray += 1
        else:
            try:
                ev = parse_event(rest)
            except (KeyError, ValueError):
                current.malformed += 1
                continue
            # One CPU's TSC never runs backwards: such a number is garbage.
            if current.events and ev["tsc"] < current.events[-1]["tsc"]:
                current.malformed += 1
                continue
            ev["line"] = no
            current.events.append(ev)
    return dumps, stray


def choose_dump(dumps, which, partial):
    """The dump to convert: the last complete one, or number `which`."""
    if not dumps:
        raise InputError("no trace dump in the input (no 'trace: begin' line)")
    if which is not None:
        if not 1 <= which <= len(dumps):
            raise InputError("--dump %d: the input has %d dump(s)" % (which, len(dumps)))
        d = dumps[which - 1]
    else:
        complete = [d for d in dumps if d.end_events is not None]
        d = complete[-1] if complete else dumps[-1]
    if d.end_events is None and not partial:
        raise InputError("trace dump truncated: the begin at line %d has no 'trace: end' line "
                         "(%d events read); --partial converts what is there"
                         % (d.line_no, len(d.events)))
    if d.end_events is not None and len(d.events) + d.malformed != d.end_events and not partial:
        raise InputError("trace dump incomplete: its end line says %d events, %d were read "
                         "(lines lost on the console?); --partial converts what is there"
                         % (d.end_events, len(d.events) + d.malformed))
    return d


class Timeline:
    """Who ran when, from a dump's events; times in microseconds from the
    first event."""

    def __init__(self, dump):
        self.dump = dump
        self.names = {}         # tid -> latest name seen
        self.intervals = []     # (tid, start_us, end_us, state it left in or None)
        self.instants = []      # (tid, us, kind, detail)
        self.inconsistent = 0   # switches whose prev was not the running thread
        ev = dump.events
        if not ev:
            self.span = 0.0
            return
        t0 = ev[0]["tsc"]
        us = lambda tsc: (tsc - t0) * 1000.0 / dump.tsc_khz  # noqa: E731
        running, since = None, 0.0
        for e in ev:
            t = us(e["tsc"])
            if e["type"] == "switch":
                self.names[e["prev"]] = e["prev_name"]
                self.names[e["next"]] = e["next_name"]
                if running is None:
                    # Before the first switch its prev had the CPU, at
                    # least since the first event: it recorded them all.
                    running = e["prev"]
                elif running != e["prev"]:
                    self.inconsistent += 1     # events lost: close what we had
                self.intervals.append((running, since, t,
                                       e["prev_state"] if running == e["prev"] else None))
                running, since = e["next"], t
            else:
                self.names[e["tid"]] = e["name"]
                if e["type"] == "wakeup":
                    detail = "-" if e["by"] is None else "%s/%d" % (e["by_name"], e["by"])
                    if e["by"] is not None:
                        self.names.setdefault(e["by"], e["by_name"])
                else:
                    detail = ""
                self.instants.append((e["tid"], t, e["type"], detail))
        self.span = us(ev[-1]["tsc"])
        # Still running at the end of the dump: up to the last event.
        if running is not None:
            self.intervals.append((running, since, self.span, None))
        # A switch at the very first or last event leaves an empty
        # interval at that edge; it says nothing.
        self.intervals = [iv for iv in self.intervals if iv[2] > iv[1]]

    def label(self, tid):
        return "%s/%d" % (self.names.get(tid, "?"), tid)


def chrome_json(tl):
    """The Chrome Trace Event Format document, as a dict."""
    CPU_PID, THREADS_PID = 0, 1
    evs = [
        {"name": "process_name", "ph": "M", "pid": CPU_PID, "tid": 0, "args": {"name": "CPU 0"}},
        {"name": "thread_name", "ph": "M", "pid": CPU_PID, "tid": 0, "args": {"name": "CPU 0"}},
        {"name": "process_name", "ph": "M", "pid": THREADS_PID, "tid": 0,
         "args": {"name": "Threads"}},
    ]
    for tid in sorted(tl.names):
        evs.append({"name": "thread_name", "ph": "M", "pid": THREADS_PID, "tid": tid,
                    "args": {"name": tl.label(tid)}})
        evs.append({"name": "thread_sort_index", "ph": "M", "pid": THREADS_PID, "tid": tid,
                    "args": {"sort_index": tid}})
    for tid, start, end, state in tl.intervals:
        args = {"tid": tid, "name": tl.names.get(tid, "?")}
        if state is not None:
            args["left_in_state"] = state
        ts, dur = round(start, 3), round(end - start, 3)
        evs.append({"name": tl.label(tid), "cat": "sched", "ph": "X", "ts": ts, "dur": dur,
                    "pid": CPU_PID, "tid": 0, "args": args})
        evs.append({"name": "running", "cat": "sched", "ph": "X", "ts": ts, "dur": dur,
                    "pid": THREADS_PID, "tid": tid, "args": args})
    for tid, t, kind, detail in tl.instants:
        name = "wakeup by %s" % detail if kind == "wakeup" else kind
        evs.append({"name": name, "cat": "sched", "ph": "i", "s": "t", "ts": round(t, 3),
                    "pid": THREADS_PID, "tid": tid, "args": {"tid": tid}})
    d = tl.dump
    return {"traceEvents": evs, "displayTimeUnit": "ns",
            "otherData": {"source": "Canary sched trace", "tsc_khz": d.tsc_khz,
                          "seed": d.seed, "events": len(d.events),
                          "dropped": d.dropped if d.dropped is not None else "unknown"}}


def json_text(doc):
    """doc as JSON with one trace event a line: diffable, and small."""
    head = {k: v for k, v in doc.items() if k != "traceEvents"}
    lines = ",\n".join(json.dumps(e, separators=(",", ":")) for e in doc["traceEvents"])
    return '{"traceEvents":[\n%s\n],\n%s\n}\n' % (lines, json.dumps(head)[1:-1])


def nice_step(span, ticks=8):
    """A 1-2-5 step giving about `ticks` axis ticks over span."""
    raw = max(span / ticks, 1e-3)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def fmt_us(v, step):
    if step >= 1000:
        return "%g ms" % round(v / 1000, 6)
    return "%g us" % round(v, 6)


class SvgPlot:
    """Geometry of the SVG timeline: a label column, then the plot, with
    row 0 for the CPU (every interval, in its thread's colour) and one row
    per thread below it, then the time axis."""
    LEFT, RIGHT, TOP, ROW, BAR = 170, 20, 50, 26, 16

    def __init__(self, tl, width):
        self.tl = tl
        self.width = width
        self.tids = sorted(tl.names)
        self.plot_w = width - self.LEFT - self.RIGHT
        self.span = tl.span if tl.span > 0 else 1.0
        self.axis_y = self.TOP + self.ROW * (len(self.tids) + 1) + 8
        self.height = self.axis_y + 42
        self.colors = {tid: "#999999" if tl.names[tid] == "idle" else
                       "hsl(%d,55%%,50%%)" % ((i * 137) % 360) for i, tid in enumerate(self.tids)}

    def x(self, us):
        return self.LEFT + us * self.plot_w / self.span

    def bar(self, start, end, y, color, tip, cls=None):
        return ('<rect%s x="%.2f" y="%.1f" width="%.2f" height="%d" fill="%s"><title>%s</title></rect>'
                % (' class="%s"' % cls if cls else "", self.x(start), y + (self.ROW - self.BAR) / 2,
                   max(self.x(end) - self.x(start), 0.5), self.BAR, color, escape(tip)))

    def head(self):
        w, h = self.width, self.height
        return ['<?xml version="1.0" encoding="UTF-8"?>',
                '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
                'font-family="monospace" font-size="12">' % (w, h, w, h),
                '<rect width="100%" height="100%" fill="white"/>',
                '<text x="10" y="18" font-size="14">Canary scheduler trace: %d events, %s, seed %d'
                '</text>' % (len(self.tl.dump.events), escape(fmt_us(self.span, self.span)),
                             self.tl.dump.seed),
                '<g class="legend" transform="translate(%d,32)">' % self.LEFT,
                '<rect x="0" y="-9" width="14" height="10" fill="#4e79a7"/>'
                '<text x="18" y="0">running</text>',
                '<path d="M90,-9 l10,0 l-5,8 z" fill="#2ca02c"/><text x="104" y="0">wake-up</text>',
                '<line x1="180" y1="-10" x2="180" y2="1" stroke="#d62728" stroke-width="2"/>'
                '<text x="186" y="0">preemption</text>',
                '<line x1="280" y1="-10" x2="280" y2="1" stroke="#555" stroke-dasharray="2,1"/>'
                '<text x="286" y="0">block</text>',
                '</g>']

    def cpu_row(self):
        y = self.TOP
        out = ['<g class="cpu">',
               '<rect x="%d" y="%d" width="%d" height="%d" fill="#e8eef6"/>'
               % (self.LEFT, y, self.plot_w, self.ROW),
               '<text x="%d" y="%d" text-anchor="end" font-weight="bold">CPU 0</text>'
               % (self.LEFT - 8, y + self.ROW / 2 + 4)]
        for tid, start, end, _ in self.tl.intervals:
            out.append(self.bar(start, end, y, self.colors[tid], self.tl.label(tid)))
        return out + ['</g>']

    def thread_row(self, i, tid, intervals, instants):
        tl, y = self.tl, self.TOP + (i + 1) * self.ROW
        out = ['<g class="thread" data-tid="%d" data-name=%s>' % (tid, quoteattr(tl.names[tid])),
               '<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
               % (self.LEFT, y, self.plot_w, self.ROW, "#f4f4f4" if i % 2 == 0 else "#ffffff"),
               '<text x="%d" y="%d" text-anchor="end">%s</text>'
               % (self.LEFT - 8, y + self.ROW / 2 + 4, escape(tl.label(tid)))]
        for _, start, end, state in intervals:
            tip = "%s ran %s from %s%s" % (tl.label(tid), fmt_us(end - start, 0), fmt_us(start, 0),
                                            "" if state is None else ", left in state " + state)
            out.append(self.bar(start, end, y, self.colors[tid], tip, "run"))
        for _, t, kind, detail in instants:
            px = self.x(t)
            tip = escape("%s %s%s at %s" % (tl.label(tid), kind, " by " + detail if detail else "",
                                            fmt_us(t, 0)))
            if kind == "wakeup":
                out.append('<path class="wakeup" d="M%.2f,%.1f l-4,-6 l8,0 z" fill="#2ca02c">'
                           '<title>%s</title></path>' % (px, y + (self.ROW - self.BAR) / 2, tip))
            else:
                style = ('stroke="#d62728" stroke-width="2"' if kind == "preempt" else
                         'stroke="#555" stroke-dasharray="2,1"')
                out.append('<line class="%s" x1="%.2f" y1="%d" x2="%.2f" y2="%d" %s><title>%s</title>'
                           '</line>' % (kind, px, y + 2, px, y + self.ROW - 2, style, tip))
        return out + ['</g>']

    def axis(self):
        y, step = self.axis_y, nice_step(self.span)
        out = ['<g class="axis">',
               '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
               % (self.LEFT, y, self.LEFT + self.plot_w, y)]
        k = 0
        while k * step <= self.span * (1 + 1e-9):
            px = self.x(k * step)
            out += ['<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="black"/>' % (px, y, px, y + 5),
                    '<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="#dddddd"/>'
                    % (px, self.TOP, px, y),
                    '<text x="%.2f" y="%d" text-anchor="middle">%s</text>'
                    % (px, y + 18, escape(fmt_us(k * step, step)))]
            k += 1
        return out + ['</g>']


def svg_timeline(tl, width=1200):
    """The SVG document, as a string."""
    plot = SvgPlot(tl, width)
    by_tid = {tid: ([], []) for tid in plot.tids}
    for iv in tl.intervals:
        by_tid[iv[0]][0].append(iv)
    for inst in tl.instants:
        by_tid[inst[0]][1].append(inst)
    out = plot.head() + plot.cpu_row()
    for i, tid in enumerate(plot.tids):
        out += plot.thread_row(i, tid, *by_tid[tid])
    out += plot.axis() + ['</svg>']
    return "\n".join(out) + "\n"


def write_text(path, text):
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="trace2chrome.py",
        description="Convert a Canary scheduler trace dump (serial console text) into Chrome "
                    "Trace Event JSON and/or an SVG timeline.",
        epilog="Without -o or --svg the JSON goes to standard output.  Open the JSON in "
               "https://ui.perfetto.dev or chrome://tracing.  Exit status: 0 done, 1 the "
               "input could not be converted, 2 usage error.")
    ap.add_argument("log", nargs="?", default="-",
                    help="serial output holding the dump (default: standard input)")
    ap.add_argument("-o", "--output", metavar="OUT.json", help="write the JSON here ('-': stdout)")
    ap.add_argument("--svg", metavar="OUT.svg", help="write an SVG timeline here")
    ap.add_argument("--width", type=int, default=1200, metavar="PX",
                    help="SVG width in pixels (default 1200)")
    ap.add_argument("--dump", type=int, metavar="N",
                    help="convert the N-th dump in the log (default: the last complete one)")
    ap.add_argument("--partial", action="store_true",
                    help="accept a dump that was cut short")
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    args = ap.parse_args(argv)
    if args.width < 300:
        ap.error("--width must be at least 300")

    try:
        if args.log == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.log, "rb") as f:
                data = f.read()
    except OSError as e:
        print("%s: error: cannot read %s: %s" % (PROG, args.log, e.strerror), file=sys.stderr)
        return 1
    try:
        dumps, stray = read_dumps(data.decode("utf-8", errors="replace").splitlines())
        dump = choose_dump(dumps, args.dump, args.partial)
    except InputError as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        return 1

    tl = Timeline(dump)
    try:
        if args.output or not args.svg:
            write_text(args.output or "-", json_text(chrome_json(tl)))
        if args.svg:
            write_text(args.svg, svg_timeline(tl, args.width))
    except OSError as e:
        print("%s: error: cannot write %s: %s" % (PROG, e.filename, e.strerror), file=sys.stderr)
        return 1

    if not args.quiet:
        notes = []
        if dump.malformed:
            notes.append("%d malformed trace line(s) skipped" % dump.malformed)
        if stray:
            notes.append("%d trace line(s) outside a dump ignored" % stray)
        if dump.dropped:
            notes.append("the kernel dropped %d older event(s)" % dump.dropped)
        if dump.end_events is None:
            notes.append("truncated dump")
        if tl.inconsistent:
            notes.append("%d switch(es) from a thread not running" % tl.inconsistent)
        if not dump.events:
            notes.append("no events")
        print("%s: dump %d of %d: %d events, %d threads, %d running intervals, %.3f ms%s"
              % (PROG, dumps.index(dump) + 1, len(dumps), len(dump.events), len(tl.names),
                 len(tl.intervals), tl.span / 1000, "; " + "; ".join(notes) if notes else ""),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
