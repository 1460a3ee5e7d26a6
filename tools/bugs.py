#!/usr/bin/env python3
# bugs.py: the deliberate-bug catalogue (labs/bugs.json) and its patches.
#
# Each deliberate bug is a small patch, labs/LAB/bugs/ID.patch, that puts one
# real-world bug back into the corrected kernel, and one object in the JSON
# array labs/bugs.json (the fields are in FIELDS below).  The catalogue is
# the single source of the variant kernels (Makefile, via `make-vars`), the
# ISO's GRUB menu (tools/mkgrubcfg.py imports this file), docs/bugs.md, the
# runner (`tools/kboot --bug ID`) and the tests (tests/bugs/test_bugs.py).
#
#   tools/bugs.py check               validate the catalogue and every patch
#   tools/bugs.py list                one line per bug
#   tools/bugs.py apply ID DEST       DEST/PATH: patched copies of the files
#   tools/bugs.py build ID [--san N]  build/bugs/ID/canary.elf (via make)
#
# Patches are applied to copies only, never to the work tree, with fuzz 0.
# Python 3 standard library only; needs GNU patch.  `--help` for the rest.

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
CATALOGUE = "labs/bugs.json"
DOCS = "docs/bugs.md"

# Every field of a catalogue entry (all required, all non-empty strings).
FIELDS = {
    "id": "short name, [a-z0-9-]: file names, make targets, GRUB paths",
    "lab": "directory under labs/, e.g. 01-alloc; the patch is labs/LAB/bugs/ID.patch",
    "subsystem": "where the bug lives, e.g. slab",
    "class": "kind of bug: one of the classes below",
    "title": "one line for menus and tables",
    "mirrors": "the real bug it models: CVE and/or commit",
    "trigger": "kernel command line (key=value words) that provokes it",
    "expect": "Python regex (re.M) the buggy kernel's serial output, printk "
              "timestamps removed, must contain: report class and faulting function",
    "san_off": "what the bug does in the SAN=0 build",
    "rust": "the Rust counterpart, or why Rust does not prevent it",
}

# Bug classes, as DESIGN.md names them.  A new class is added here.
CLASSES = (
    "use-after-free", "double free", "invalid free", "out-of-bounds",
    "NULL dereference", "uninitialized memory", "type confusion",
    "integer overflow", "stack overflow", "leak", "refcount",
    "DMA ownership", "data race", "lost wakeup", "deadlock",
)

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LAB_RE = re.compile(r"[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# Trigger words: plain key=value, safe to put unquoted on a GRUB line.
TRIGGER_WORD_RE = re.compile(r"[a-z_][a-z0-9_]*=[A-Za-z0-9_.,:+/-]+\Z")
SOURCE_SUFFIXES = (".c", ".S")
MAX_FILES = 2           # DESIGN.md: "one or two files"
MAX_TITLE = 64          # GRUB's menu is 76 columns, "Bug ID: " comes first


class BugsError(Exception):
    """A problem reported as `bugs.py: MESSAGE`, exit status 1."""


# ------------------------------------------------------------ catalogue

def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError("duplicate key %s in one object" % ", ".join(map(repr, dup)))
    return dict(pairs)


def load(root=ROOT):
    """The catalogue as a list of dicts (entries not checked; see problems())."""
    path = os.path.join(root, CATALOGUE)
    try:
        with open(path, encoding="utf-8") as f:
            bugs = json.load(f, object_pairs_hook=_no_duplicate_keys)
    except OSError as e:
        raise BugsError("%s: %s" % (CATALOGUE, e.strerror))
    except ValueError as e:  # json.JSONDecodeError is a ValueError
        raise BugsError("%s: not valid JSON: %s" % (CATALOGUE, e))
    if not isinstance(bugs, list):
        raise BugsError("%s: must be a JSON array of objects, one per bug" % CATALOGUE)
    return bugs


def label(bug, index):
    """How a bug is named in messages: `bug 'ID'`, or `bug #N` if it has no id."""
    if isinstance(bug, dict) and isinstance(bug.get("id"), str) and bug["id"]:
        return "bug %r" % bug["id"]
    return "bug #%d" % (index + 1)


def patch_path(bug):
    """The patch's path relative to the repo root."""
    return "labs/%s/bugs/%s.patch" % (bug["lab"], bug["id"])


def without_timestamps(serial):
    """Serial output without printk's "[    0.012345] " line prefixes."""
    return re.sub(r"^\[ *\d+\.\d+\] ", "", serial, flags=re.M)


def expect_found(bug, serial):
    """The match of the bug's expect in a kernel's serial output, or None."""
    return re.search(bug["expect"], without_timestamps(serial), re.M)


def find(bugs, bug_id):
    """The entry with this id, or None."""
    for bug in bugs:
        if isinstance(bug, dict) and bug.get("id") == bug_id:
            return bug
    return None


def known_ids(bugs):
    return [b["id"] for b in bugs if isinstance(b, dict) and isinstance(b.get("id"), str)]


# --------------------------------------------------------------- patches

HUNK_RE = re.compile(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def patch_files(text):
    """The paths a git-style unified diff changes, in order; raises ValueError.

    Only modifications of existing files are accepted: no new, deleted,
    renamed or binary files, and the paths must carry the a/ and b/ prefixes
    (`patch -p1`).  Hunk bodies are skipped by their line counts, so a
    changed line that looks like a header is not taken for one."""
    files = []
    hunks = {}
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        line = lines[n]
        n += 1
        if line.startswith(("new file mode", "deleted file mode", "rename from",
                            "copy from", "GIT binary patch", "Binary files ")):
            raise ValueError("line %d: %r: patches may only modify existing files"
                             % (n, line))
        if line.startswith("--- ") and n < len(lines) and lines[n].startswith("+++ "):
            old = line[4:].split("\t")[0]
            new = lines[n][4:].split("\t")[0]
            n += 1
            if old == "/dev/null" or new == "/dev/null":
                raise ValueError("line %d: patches may not create or delete files" % n)
            if old.startswith('"') or new.startswith('"'):
                raise ValueError("line %d: quoted path %s: use a plain file name" % (n, new))
            if not (old.startswith("a/") and new.startswith("b/")):
                raise ValueError("line %d: paths must start with a/ and b/ (git diff format)" % n)
            if old[2:] != new[2:]:
                raise ValueError("line %d: %s renamed to %s" % (n, old[2:], new[2:]))
            if new[2:] in files:
                raise ValueError("line %d: %s appears twice" % (n, new[2:]))
            files.append(new[2:])
            hunks[new[2:]] = 0
        elif line.startswith("@@ "):
            m = HUNK_RE.match(line)
            if not m or not files:
                raise ValueError("line %d: malformed hunk header %r" % (n, line))
            hunks[files[-1]] += 1
            old_left = int(m.group(1) or 1)
            new_left = int(m.group(2) or 1)
            while old_left > 0 or new_left > 0:
                if n >= len(lines):
                    raise ValueError("line %d: hunk ends early (truncated patch?)" % n)
                body = lines[n]
                n += 1
                if body.startswith("\\"):     # "\ No newline at end of file"
                    continue
                if body.startswith((" ", "-")) or body == "":
                    old_left -= 1
                if body.startswith((" ", "+")) or body == "":
                    new_left -= 1
                if not body.startswith((" ", "-", "+")) and body != "":
                    raise ValueError("line %d: unexpected line in a hunk: %r" % (n, body))
    if not files:
        raise ValueError("no file changes found (expected `git diff` output)")
    for path, count in hunks.items():
        if count == 0:
            raise ValueError("%s: no hunks" % path)
    return files


def path_problem(path, root=ROOT):
    """Why a patched path is not acceptable, or None."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or ".." in parts or "." in parts or "" in parts:
        return "%s: not a plain path inside the repository" % path
    if not path.endswith(SOURCE_SUFFIXES):
        return "%s: patches may touch only .c and .S files (a header change " \
               "would need every includer recompiled)" % path
    if not os.path.isfile(os.path.join(root, path)):
        return "%s: no such file" % path
    return None


def read_patch(bug, root=ROOT):
    """(patch text, list of touched paths) for a bug; raises BugsError."""
    rel = patch_path(bug)
    try:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise BugsError("%s: patch: %s: %s" % (label(bug, 0), rel, e.strerror))
    try:
        files = patch_files(text)
    except ValueError as e:
        raise BugsError("%s: patch: %s: %s" % (label(bug, 0), rel, e))
    return text, files


def apply_to(bug, dest, root=ROOT):
    """Copy the files the patch touches into the empty directory dest and patch them.

    GNU patch runs in dest with fuzz 0 (a hunk whose context has changed
    fails; a mere line offset is fine) and --forward (an already-applied
    or reversed patch fails).  Returns the touched paths; raises BugsError."""
    _, files = read_patch(bug, root)
    for path in files:
        problem = path_problem(path, root)
        if problem:
            raise BugsError("%s: patch: %s: %s" % (label(bug, 0), patch_path(bug), problem))
    for path in files:
        os.makedirs(os.path.dirname(os.path.join(dest, path)) or dest, exist_ok=True)
        shutil.copyfile(os.path.join(root, path), os.path.join(dest, path))
    cmd = ["patch", "-p1", "--no-backup-if-mismatch", "-F0", "--forward", "--batch",
           "-d", dest, "-i", os.path.join(root, patch_path(bug))]
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    except FileNotFoundError:
        raise BugsError("patch not found; install GNU patch (tools/deps.sh)")
    if done.returncode != 0:
        # patch's own words, less what only concerns the temporary copy.
        said = [re.sub(r" -- saving rejects to file .*", "", line)
                for line in done.stdout.decode(errors="replace").splitlines()
                if line.strip() and not line.startswith("patching file ")]
        raise BugsError("%s: patch: %s does not apply to the current tree with fuzz 0: %s"
                        % (label(bug, 0), patch_path(bug), " / ".join(said)))
    made = sorted(os.path.relpath(os.path.join(d, f), dest)
                  for d, _, names in os.walk(dest) for f in names)
    if made != sorted(files):
        raise BugsError("%s: patch: applying it produced %s, expected %s"
                        % (label(bug, 0), ", ".join(made), ", ".join(files)))
    return files


def apply(bug, dest, root=ROOT):
    """apply_to() into a fresh temporary directory, then rename it to dest.

    dest must not exist or be an empty directory, so that stale files never
    mix with new ones and a failed apply leaves nothing behind."""
    if os.path.isdir(dest) and os.listdir(dest):
        raise BugsError("%s: exists and is not empty" % dest)
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise BugsError("%s: exists and is not a directory" % dest)
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".apply-", dir=parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp made it private
        files = apply_to(bug, tmp, root)
        if os.path.isdir(dest):
            os.rmdir(dest)
        os.rename(tmp, dest)
        return files
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def dry_run(bug, root=ROOT):
    """Apply in a temporary directory that is then removed; raises BugsError."""
    with tempfile.TemporaryDirectory(prefix="bugs-") as tmp:
        return apply_to(bug, tmp, root)


# ------------------------------------------------------------ validation

def entry_problems(bug, index, seen, root=ROOT, structure_only=False):
    """One-line problems of one entry.  structure_only: just what the build needs."""
    name = label(bug, index)
    if not isinstance(bug, dict):
        return ["%s: must be a JSON object" % name]
    out = []
    failed = set()  # fields with a problem

    def bad(field, message):
        out.append("%s: %s: %s" % (name, field, message))
        failed.add(field)

    wanted = ("id", "lab") if structure_only else tuple(FIELDS)
    for field in wanted:
        value = bug.get(field)
        if field not in bug:
            bad(field, "missing (%s)" % FIELDS[field])
        elif not isinstance(value, str) or not value.strip():
            bad(field, "must be a non-empty string")
    if not structure_only:
        for field in sorted(set(bug) - set(FIELDS)):
            bad(field, "unknown field (known: %s)" % ", ".join(FIELDS))
    ok = {f for f in FIELDS if isinstance(bug.get(f), str) and bug[f].strip()}
    if not {"id", "lab"} <= ok:
        return out

    if not ID_RE.match(bug["id"]):
        bad("id", "%r: use lower-case letters, digits and single dashes" % bug["id"])
    elif bug["id"] in seen:
        bad("id", "duplicate of bug #%d" % (seen[bug["id"]] + 1))
    else:
        seen[bug["id"]] = index
    if not LAB_RE.match(bug["lab"]):
        bad("lab", "%r: expected NN-name, e.g. 01-alloc" % bug["lab"])
    elif not os.path.isdir(os.path.join(root, "labs", bug["lab"])):
        bad("lab", "labs/%s/ does not exist" % bug["lab"])
    if failed & {"id", "lab"}:
        return out

    rel = patch_path(bug)
    if not os.path.isfile(os.path.join(root, rel)):
        bad("patch", "%s does not exist" % rel)
    else:
        try:
            _, files = read_patch(bug, root)
        except BugsError as e:
            files = []
            out.append(str(e))
        for path in files:
            problem = path_problem(path, root)
            if problem:
                bad("patch", "%s: %s" % (rel, problem))
        if len(files) > MAX_FILES:
            bad("patch", "%s touches %d files; a bug patch touches one or two"
                % (rel, len(files)))
    if structure_only:
        return out

    if "class" in ok and bug["class"] not in CLASSES:
        bad("class", "%r is not one of: %s (add a new class to CLASSES in "
            "tools/bugs.py)" % (bug["class"], ", ".join(CLASSES)))
    if "title" in ok and ("\n" in bug["title"] or len(bug["title"]) > MAX_TITLE):
        bad("title", "must be one line of at most %d characters" % MAX_TITLE)
    words = bug["trigger"].split(" ") if "trigger" in ok else []
    wrong = [w for w in words if not TRIGGER_WORD_RE.match(w)]
    if wrong:
        bad("trigger", "%r: expected key=value words separated by single spaces "
            "(values of letters, digits and _.,:+/-)" % wrong[0])
    try:
        if "expect" in ok and re.compile(bug["expect"], re.M).search(""):
            bad("expect", "matches empty output, so it cannot fail")
    except re.error as e:
        bad("expect", "not a valid regular expression: %s" % e)
    return out


def problems(bugs, root=ROOT, structure_only=False, apply_patches=False):
    """All problems of a loaded catalogue, one line each, naming bug and field."""
    out = []
    seen = {}
    for i, bug in enumerate(bugs):
        found = entry_problems(bug, i, seen, root, structure_only)
        out += found
        if not found and apply_patches:
            try:
                dry_run(bug, root)
            except BugsError as e:
                out.append(str(e).replace("\n", " "))
    return out


def load_checked(root=ROOT, structure_only=False):
    """load() and stop at the first problem (for the generators)."""
    bugs = load(root)
    found = problems(bugs, root, structure_only)
    if found:
        raise BugsError("%s: %s (run tools/bugs.py check)" % (CATALOGUE, found[0]))
    return bugs


# ------------------------------------------------------------ generators

def grub_title(text):
    """A GRUB double-quoted string: \\, " and $ escaped."""
    return '"%s"' % re.sub(r'([\\"$])', r"\\\1", text)


INITRD = "/boot/initrd.cpio"


def grub_entry(title, elf, cmdline):
    """One grub.cfg menu entry booting elf (a path on the ISO) with cmdline,
    and the initrd as the first module (the kernel unpacks it for run=init)."""
    return "menuentry %s {\n\tmultiboot2 %s %s\n\tmodule2 %s initrd\n\tboot\n}\n" % (
        grub_title(title), elf, cmdline, INITRD)


def grub_entries(bugs):
    """grub.cfg menu entries, one per bug (ELFs in /boot/bugs/ on the ISO)."""
    return "".join(grub_entry("Bug %s: %s" % (bug["id"], bug["title"]),
                              "/boot/bugs/%s.elf" % bug["id"], bug["trigger"]) for bug in bugs)


def make_vars(bugs):
    """The Makefile fragment $(BUILD)/bugs.mk."""
    out = ["# Generated by tools/bugs.py make-vars from %s. Do not edit." % CATALOGUE,
           "BUG_IDS := %s" % " ".join(b["id"] for b in bugs)]
    for bug in bugs:
        _, files = read_patch(bug)
        out.append("BUG_PATCH_%s := %s" % (bug["id"], patch_path(bug)))
        out.append("BUG_SRCS_%s := %s" % (bug["id"], " ".join(files)))
    return "".join(line + "\n" for line in out)


def md_cell(text):
    """Text for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def docs(bugs):
    """docs/bugs.md."""
    out = [
        "<!-- Generated by tools/bugs.py gen-docs from %s. Do not edit: "
        "edit the catalogue and run `make docs`. -->" % CATALOGUE,
        "# Deliberate bugs",
        "",
        "*Generated from `%s`; do not edit.*" % CATALOGUE,
        "",
        "Each bug is a small patch, `labs/LAB/bugs/ID.patch`, that puts one real-world",
        "bug back into the corrected kernel. `make run BUG=ID` boots its variant with",
        "the trigger below; `tools/kboot --bug ID` does the same headlessly; the ISO's",
        "GRUB menu lists every variant. With sanitizers (the default build) the",
        "trigger produces a report; *SAN=0* says what happens without them.",
        "",
        "| id | lab | class | mirrors | trigger | SAN=0 | Rust |",
        "|---|---|---|---|---|---|---|",
    ]
    for bug in bugs:
        out.append("| `%s`: %s | %s | %s | %s | `%s` | %s | %s |" % (
            bug["id"], md_cell(bug["title"]), bug["lab"], md_cell(bug["class"]),
            md_cell(bug["mirrors"]), bug["trigger"], md_cell(bug["san_off"]),
            md_cell(bug["rust"])))
    if not bugs:
        out += ["", "The catalogue is empty: no deliberate bugs yet."]
    return "".join(line + "\n" for line in out)


def table(bugs):
    """`list` output: aligned columns."""
    rows = [("ID", "LAB", "CLASS", "FILES", "TRIGGER")]
    for bug in bugs:
        try:
            files = ",".join(read_patch(bug)[1])
        except (BugsError, KeyError):
            files = "?"
        rows.append((bug.get("id", "?"), bug.get("lab", "?"), bug.get("class", "?"),
                     files, bug.get("trigger", "?")))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + str(r[-1])
             for r in rows]
    return "\n".join(lines) + "\n" + "%d bug(s)\n" % len(bugs)


# -------------------------------------------------------------- commands

def cmd_check(args):
    bugs = load()
    found = problems(bugs, apply_patches=True)
    for line in found:
        print("%s: %s" % (CATALOGUE, line), file=sys.stderr)
    if found:
        return 1
    print("%s: %d bug(s), all fields valid, every patch applies with fuzz 0"
          % (CATALOGUE, len(bugs)))
    return 0


def cmd_list(args):
    sys.stdout.write(table(load()))
    return 0


def lookup(bug_id, structure_only=True):
    bugs = load_checked(structure_only=structure_only)
    bug = find(bugs, bug_id)
    if bug is None:
        raise BugsError("unknown bug %r; known: %s" % (
            bug_id, ", ".join(known_ids(bugs)) or "none (the catalogue is empty)"))
    return bug


def cmd_apply(args):
    bug = lookup(args.id)
    if args.dry_run:
        files = dry_run(bug)
        print("%s applies with fuzz 0 (%s)" % (patch_path(bug), ", ".join(files)))
        return 0
    if not args.dest:
        raise BugsError("apply: DEST is required unless --dry-run is given")
    files = apply(bug, args.dest)
    print("%s -> %s" % (patch_path(bug), ", ".join(os.path.join(args.dest, f) for f in files)))
    return 0


def cmd_files(args):
    for path in read_patch(lookup(args.id))[1]:
        print(path)
    return 0


def cmd_build(args):
    lookup(args.id)
    cmd = ["make", "--no-print-directory", "-C", ROOT, "bug-kernel", "BUG=" + args.id]
    if args.san is not None:
        cmd.append("SAN=%s" % args.san)
    return subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode


def cmd_gen_docs(args):
    text = docs(load_checked())
    out = args.output or os.path.join(ROOT, DOCS)
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(out + ".tmp", out)
    return 0


def cmd_grub_entries(args):
    sys.stdout.write(grub_entries(load_checked()))
    return 0


def cmd_make_vars(args):
    sys.stdout.write(make_vars(load_checked(structure_only=True)))
    return 0


def main(argv):
    p = argparse.ArgumentParser(
        prog="tools/bugs.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The deliberate-bug catalogue (%s) and its patches." % CATALOGUE,
        epilog="catalogue fields (all required, non-empty strings):\n" +
               "".join("  %-10s %s\n" % kv for kv in FIELDS.items()) +
               "\nclasses: " + ", ".join(CLASSES) +
               "\n\nexit status: 0 success, 1 a problem (one line each on stderr)\n")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("check", help="validate the catalogue and dry-run every patch")
    sub.add_parser("list", help="a table of the bugs")
    a = sub.add_parser("apply", help="DEST/PATH: patched copies of the files the patch "
                                     "touches (DEST must be empty or absent)")
    a.add_argument("--dry-run", action="store_true", help="apply in a temporary directory only")
    a.add_argument("id", metavar="ID")
    a.add_argument("dest", metavar="DEST", nargs="?")
    f = sub.add_parser("files", help="the files a bug's patch touches")
    f.add_argument("id", metavar="ID")
    b = sub.add_parser("build", help="build the variant: make bug-kernel BUG=ID")
    b.add_argument("id", metavar="ID")
    b.add_argument("--san", choices=["0", "1"], help="pass SAN=N to make")
    g = sub.add_parser("gen-docs", help="write %s from the catalogue" % DOCS)
    g.add_argument("-o", "--output", metavar="FILE", help="write FILE instead")
    sub.add_parser("grub-entries", help="print a GRUB menu entry per bug")
    sub.add_parser("make-vars", help="print the Makefile fragment (BUG_IDS, "
                                     "BUG_PATCH_ID, BUG_SRCS_ID)")
    args = p.parse_args(argv)
    handler = {"check": cmd_check, "list": cmd_list, "apply": cmd_apply,
               "files": cmd_files, "build": cmd_build, "gen-docs": cmd_gen_docs,
               "grub-entries": cmd_grub_entries, "make-vars": cmd_make_vars}
    return handler[args.command](args)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BugsError as e:
        print("bugs.py: %s" % e, file=sys.stderr)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(1)
