"""The one version (CMakeLists.txt's project() VERSION) as each build shows it.

`bitsht --version` prints it with the git revision the build was made from; on Windows
builds the same numbers are in bitsht.exe's VERSIONINFO resource (what Explorer shows
under Properties > Details), put there by windres from src/cli/bitsht.rc.in.
"""
import re
import struct
import subprocess

import pytest

from conftest import REPO


def project_version():
    text = (REPO / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"^project\(bitsht VERSION (\d+)\.(\d+)\.(\d+)", text, re.M).groups()


def git_revision():
    out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def test_version_prints_the_project_version_and_the_git_revision(run_bitsht):
    proc = run_bitsht("--version")
    assert proc.returncode == 0, proc.stderr
    m = re.fullmatch(r"bitsht (\d+\.\d+\.\d+) \(git ([0-9a-f]{12}(?:-dirty)?|unknown)\)\n",
                     proc.stdout)
    assert m, proc.stdout
    assert m.group(1) == ".".join(project_version())
    # The build may be older than HEAD; the revision must at least be a commit of this clone.
    rev = m.group(2).removesuffix("-dirty")
    if git_revision() is not None:
        assert rev != "unknown"
        check = subprocess.run(["git", "-C", str(REPO), "cat-file", "-t", rev],
                               capture_output=True, text=True)
        assert check.stdout.strip() == "commit", f"{rev} is not a commit of this clone"


def utf16_value(data, key):
    """The value after KEY in a VERSIONINFO String block: UTF-16LE, the value starting at
    the next 32-bit boundary after the key's terminator."""
    k = (key + "\0").encode("utf-16-le")
    at = data.find(k)
    assert at >= 0, f"no {key} in the resource"
    at = (at + len(k) + 3) & ~3
    chars = []
    while data[at:at + 2] != b"\0\0":
        chars.append(data[at:at + 2])
        at += 2
    return b"".join(chars).decode("utf-16-le")


@pytest.mark.builds("mingw64", "windows")
def test_exe_carries_versioninfo_with_the_project_version(build_dir):
    data = (build_dir / "bin" / "bitsht.exe").read_bytes()
    major, minor, patch = (int(x) for x in project_version())
    # VS_FIXEDFILEINFO: signature 0xFEEF04BD, struct version, then FileVersionMS/LS and
    # ProductVersionMS/LS.
    at = data.find(struct.pack("<I", 0xFEEF04BD))
    assert at >= 0, "no VS_FIXEDFILEINFO in bitsht.exe"
    _, _, fv_ms, fv_ls, pv_ms, pv_ls = struct.unpack_from("<6I", data, at)
    want_ms, want_ls = (major << 16) | minor, patch << 16
    assert (fv_ms, fv_ls, pv_ms, pv_ls) == (want_ms, want_ls, want_ms, want_ls)
    version = f"{major}.{minor}.{patch}"
    assert utf16_value(data, "FileVersion") == version
    assert utf16_value(data, "ProductVersion") == version
    assert utf16_value(data, "OriginalFilename") == "bitsht.exe"
