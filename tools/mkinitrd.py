#!/usr/bin/env python3
"""mkinitrd.py - pack a directory tree into a "newc" cpio archive, the
initrd the kernel unpacks into its RAM file system (kernel/fs/cpio.c reads
it; Linux's initramfs uses the same format).

Usage: tools/mkinitrd.py OUT ROOTDIR

Every directory and regular file under ROOTDIR (not ROOTDIR itself) becomes
one entry, named by its path relative to ROOTDIR ("bin", "bin/sh"), in
sorted order with each directory before its contents.  Only the file type
and permission bits are taken from the file system: mtime, uid and gid are
0 and inode numbers count up from 1, so the same tree always gives the same
archive, byte for byte.  The archive ends with the "TRAILER!!!" entry and is
padded with NULs to a multiple of 512 bytes, as GNU cpio and Linux's
gen_init_cpio do.

Symbolic links, devices, FIFOs and sockets are refused (the kernel's file
system has no use for them yet), as are files of 4 GiB or more (newc sizes
are 32-bit).  Exit status: 0 done, 1 a file could not be archived, 2 usage
error or ROOTDIR missing.

Python 3 standard library only.
"""
import argparse
import os
import stat
import sys

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
BLOCK = 512


class ArchiveError(Exception):
    """A file under ROOTDIR that cannot go into a newc archive."""


def pad4(n):
    """NUL bytes that bring offset n to a multiple of four."""
    return b"\0" * (-n % 4)


def header(ino, mode, nlink, filesize, namesize):
    """The 110-byte newc header: magic and 13 fields of 8 hex digits."""
    fields = (ino, mode, 0, 0, nlink, 0, filesize,  # ino mode uid gid nlink mtime size
              0, 0, 0, 0, namesize, 0)              # dev, rdev, namesize, check
    return MAGIC + b"".join(b"%08X" % f for f in fields)


def entry(out, offset, ino, mode, nlink, name, data):
    """Append one entry to the list out; return the new offset."""
    bname = os.fsencode(name) + b"\0"
    head = header(ino, mode, nlink, len(data), len(bname)) + bname
    # Padding is counted from the start of the archive (buffer-format.rst).
    chunk = head + pad4(offset + len(head))
    chunk += data + pad4(offset + len(chunk) + len(data))
    out.append(chunk)
    return offset + len(chunk)


def walk(root, rel=""):
    """Yield (relative name, path, lstat) in archive order, parents first."""
    here = os.path.join(root, rel) if rel else root
    for name in sorted(os.listdir(here)):
        relname = rel + "/" + name if rel else name
        path = os.path.join(root, relname)
        st = os.lstat(path)
        yield relname, path, st
        if stat.S_ISDIR(st.st_mode):
            yield from walk(root, relname)


def build(root):
    """The archive of the tree at root, as bytes."""
    out, offset = [], 0
    for ino, (name, path, st) in enumerate(walk(root), start=1):
        kind = stat.S_IFMT(st.st_mode)
        perms = stat.S_IMODE(st.st_mode)
        if kind == stat.S_IFDIR:
            offset = entry(out, offset, ino, kind | perms, 2, name, b"")
        elif kind == stat.S_IFREG:
            if st.st_size > 0xFFFFFFFF:
                raise ArchiveError("%s: 4 GiB or larger (newc sizes are 32-bit)" % path)
            with open(path, "rb") as f:
                data = f.read()
            offset = entry(out, offset, ino, kind | perms, 1, name, data)
        else:
            raise ArchiveError("%s: not a regular file or directory" % path)
    offset = entry(out, offset, 0, 0, 1, TRAILER, b"")
    out.append(b"\0" * (-offset % BLOCK))
    return b"".join(out)


def main(argv):
    paras = __doc__.split("\n\n")
    ap = argparse.ArgumentParser(
        prog="tools/mkinitrd.py", description=paras[0].split(" - ", 1)[1],
        epilog="\n\n".join(paras[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", metavar="OUT", help="archive to write")
    ap.add_argument("root", metavar="ROOTDIR", help="directory whose contents to pack")
    args = ap.parse_args(argv)

    if not os.path.isdir(args.root):
        sys.stderr.write("mkinitrd.py: error: %s: no such directory\n" % args.root)
        return 2
    try:
        data = build(args.root)
    except (ArchiveError, OSError) as e:
        sys.stderr.write("mkinitrd.py: error: %s\n" % e)
        return 1
    # Written whole, then renamed: make never sees half an archive.
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
