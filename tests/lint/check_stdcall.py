#!/usr/bin/env python3
"""Every COM method and callback of the given C sources is declared stdcall.

  check_stdcall.py DIR_OR_FILE...

On 32-bit Windows, COM calls every interface method with the stdcall convention
(STDMETHODCALLTYPE); a method defined without it still builds through a cast and then
corrupts the stack on the first call. x86_64 has one convention, so only a 32-bit run
would crash. The i686 build catches a missing one in a typed vtable initializer at compile
time (-Werror=incompatible-pointer-types, top-level CMakeLists.txt); this check reads the
sources, so it also catches a cast and runs on every build:

- every function named in a `...Vtbl NAME = { ... };` initializer (positional or
  `.Member = function`) is declared, wherever it is declared or defined in the given
  sources, with STDMETHODCALLTYPE, WINAPI, CALLBACK, STDMETHODIMP or __stdcall;
- so is every thread procedure handed to CreateThread.

Prints one line per function that is not, and exits 1; also exits 1 when it finds no vtable
at all (a check that reads nothing proves nothing). Python 3 standard library only.
"""
import os
import re
import sys

STDCALL = re.compile(r"\b(STDMETHODCALLTYPE|WINAPI|CALLBACK|STDMETHODIMP(_)?|__stdcall|APIENTRY)\b")
VTABLE = re.compile(r"\b(\w+Vtbl)\s+(\w+)\s*=\s*\{(.*?)\}\s*;", re.S)
THREAD = re.compile(r"\bCreateThread\s*\([^,]*,[^,]*,\s*(\w+)\s*,")
IDENT = re.compile(r"^(?:\.\s*\w+\s*=\s*)?\(?\s*(?:\([^)]*\)\s*)?&?\s*([A-Za-z_]\w*)\s*\)?$")


def strip_comments(text):
    # keeps newlines so that line numbers stay right
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def sources(args):
    for arg in args:
        if os.path.isdir(arg):
            for root, _, files in os.walk(arg):
                for f in sorted(files):
                    if f.endswith((".c", ".h")):
                        yield os.path.join(root, f)
        else:
            yield arg


DECLARATOR = re.compile(r"(?m)^((?:[A-Za-z_][^;{}()=\n]*?)?)\b([A-Za-z_]\w*)\s*\(")


def declarations(text):
    """name -> [(line number, text before the name)] for every line that declares or
    defines a function: at the start of a line, the name then '(' (its parameter list)."""
    found = {}
    for m in DECLARATOR.finditer(text):
        head = m.group(1)
        if re.search(r"\breturn\b|=", head):
            continue
        # the return type may stand on the line above (`static HRESULT STDMETHODCALLTYPE\nf(`)
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if not head.strip() and before and not before.rstrip().endswith((";", "}", ")")):
            head = before + " " + head
        found.setdefault(m.group(2), []).append((text.count("\n", 0, m.start()) + 1, head))
    return found


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    texts = {path: strip_comments(open(path, encoding="utf-8", errors="replace").read())
             for path in sources(argv[1:])}
    wanted = {}  # function name -> where it is used
    for path, text in texts.items():
        for m in VTABLE.finditer(text):
            for entry in m.group(3).split(","):
                entry = entry.strip()
                ident = IDENT.match(entry)
                if not entry or not ident or ident.group(1) in ("NULL", "0"):
                    continue
                wanted.setdefault(ident.group(1), f"{m.group(2)} ({m.group(1)}) in {path}")
        for m in THREAD.finditer(text):
            wanted.setdefault(m.group(1), f"CreateThread in {path}")
    if not wanted:
        print("check_stdcall: no vtable and no thread procedure found in " + " ".join(argv[1:]))
        return 1
    declared = {path: declarations(text) for path, text in texts.items()}
    bad = 0
    for name, used in sorted(wanted.items()):
        decls = [(path, line, head) for path, names in declared.items()
                 for line, head in names.get(name, ())]
        if not decls:
            print(f"check_stdcall: {name}, used by {used}, is declared nowhere in the sources given")
            bad += 1
        for path, line, head in decls:
            if not STDCALL.search(head):
                print(f"{path}:{line}: {name} is not declared stdcall (STDMETHODCALLTYPE, WINAPI) (used by {used})")
                bad += 1
    print(f"check_stdcall: {len(wanted)} COM methods and callbacks, {bad} without stdcall")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
