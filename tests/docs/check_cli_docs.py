#!/usr/bin/env python3
"""The CLI's three descriptions must agree: `bitsht --help`, the man page, the completion.

  check_cli_docs.py --bitsht PROGRAM --man bitsht.1 --completion bitsht.bash [--emulator RUNNER]
  check_cli_docs.py --lint bitsht.1

First form: the set of --options and the set of commands must be the same in all three; the
values of the options that take a fixed set of them must be the same as the parser's own
list (its error message for a bad value), in the man page's paragraph for the option (its
bold words) and in the completion's case for it; and the man page's title line must carry
the version `bitsht --version` prints. Second form:
`man --warnings` over the page must print nothing. Each difference is one line on stderr;
exit status 1 when there is any, 0 when they agree. Python 3 standard library only.
"""
import argparse
import os
import re
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def help_text(cmd):
    out = subprocess.run(cmd + ["--help"], capture_output=True, text=True, check=True)
    return out.stdout


def help_sets(text):
    """Options anywhere in the text; commands from the usage lines ("bitsht CMD ... | CMD")."""
    options = set(OPTION.findall(text))
    commands = set()
    for line in text.splitlines():
        m = re.match(r"\s*(?:usage:)?\s*bitsht\s+(.*)", line)
        if not m:
            if commands and not line.strip():
                break  # the usage block ends at the first blank line
            continue
        for part in m.group(1).split("|"):
            word = part.split()[0] if part.split() else ""
            if re.fullmatch(r"[a-z][a-z-]+", word):
                commands.add(word)
    return options, commands


def man_sets(text):
    """Options in the page's text; commands are the tags of the COMMANDS section."""
    lines = [l.replace("\\-", "-") for l in text.splitlines() if not l.startswith('.\\"')]
    options = set(OPTION.findall("\n".join(lines)))
    commands, section, after_tp = set(), None, False
    for line in lines:
        if line.startswith(".SH "):
            section = line[4:].strip().strip('"')
            continue
        if section != "COMMANDS":
            continue
        if line.startswith(".TP"):
            after_tp = True
            continue
        if after_tp:
            after_tp = False
            m = re.match(r"\.B[IR]?\s+([a-z][a-z-]+)", line)
            if m:
                commands.add(m.group(1))
    return options, commands


def completion_sets(text):
    options = set(OPTION.findall(text))
    m = re.search(r'commands="([^"]*)"', text)
    commands = set(m.group(1).split()) - {"help"} if m else set()
    return options, commands


# Options with a fixed set of values, and the command line that makes the parser list them.
VALUE_OPTIONS = ("--logon-type", "--token-flags", "--priority")


def parser_values(cmd, option):
    """The values the parser accepts, from its error for a bad one ("takes a, b or c, got")."""
    run = subprocess.run(cmd + ["transfer", "--user", "CORP\\docs", option, "not-a-value",
                                "https://docs.example/a", "/docs-check-never-written"],
                         capture_output=True, text=True)
    m = re.search(re.escape(option) + r" takes (.*?), got", run.stderr)
    if not m:
        return None
    return set(w for part in m.group(1).split(", ") for w in part.split(" or ") if w)


def man_values(text, option):
    """The bold words of the option's .TP paragraph (up to the next .TP or section)."""
    lines = [l.replace("\\-", "-") for l in text.splitlines()]
    values, inside = set(), False
    for i, line in enumerate(lines):
        if line.startswith((".TP", ".SH", ".SS", ".PP")):
            inside = line.startswith(".TP") and i + 1 < len(lines) and \
                re.match(r"\.B[IR]?\s+" + re.escape(option) + r"\b", lines[i + 1]) is not None
            continue
        if inside and re.match(r"\.BR?\s", line):
            word = line.split()[1]
            if not word.startswith("-") and word != option:
                values.add(word)
    return values


def completion_values(text, option):
    m = re.search(r"^\s*" + re.escape(option) + r"\)(.*?);;", text, re.M | re.S)
    w = re.search(r'compgen -W "([^"]*)"', m.group(1)) if m else None
    return set(w.group(1).split()) if w else set()


def man_version(text):
    m = re.search(r'^\.TH\s+\S+\s+\S+\s+\S+\s+"bitsht ([^"]+)"', text, re.M)
    return m.group(1) if m else None


def compare(what, sets):
    problems = []
    names = list(sets)
    union = set().union(*sets.values())
    for item in sorted(union):
        missing = [n for n in names if item not in sets[n]]
        if missing:
            present = [n for n in names if item in sets[n]]
            problems.append("%s %s: in %s, missing from %s" % (
                what, item, " and ".join(present), " and ".join(missing)))
    return problems


def check_drift(args):
    cmd = ([args.emulator] if args.emulator else []) + [args.bitsht]
    help_out = help_text(cmd)
    version_out = subprocess.run(cmd + ["--version"], capture_output=True, text=True,
                                 check=True).stdout
    with open(args.man, encoding="utf-8") as f:
        man = f.read()
    with open(args.completion, encoding="utf-8") as f:
        completion = f.read()
    h_opt, h_cmd = help_sets(help_out)
    m_opt, m_cmd = man_sets(man)
    c_opt, c_cmd = completion_sets(completion)
    problems = compare("option", {"--help": h_opt, "the man page": m_opt,
                                  "the completion": c_opt})
    problems += compare("command", {"--help": h_cmd, "the man page": m_cmd,
                                    "the completion": c_cmd})
    for option in VALUE_OPTIONS:
        parsed = parser_values(cmd, option)
        if parsed is None:
            problems.append("%s: the parser did not list its values for a bad one" % option)
            continue
        problems += compare("%s value" % option, {
            "the parser": parsed, "the man page": man_values(man, option),
            "the completion": completion_values(completion, option)})
    if not h_opt or not h_cmd:
        problems.append("--help lists no options or no commands: the parser is out of date")
    m = re.match(r"bitsht (\S+)", version_out)
    if not m or man_version(man) != m.group(1):
        problems.append("man page title says version %r, bitsht --version says %r" % (
            man_version(man), version_out.strip()))
    for p in problems:
        print("check_cli_docs: " + p, file=sys.stderr)
    print("check_cli_docs: %d options, %d commands; %d difference(s)" % (
        len(h_opt), len(h_cmd), len(problems)))
    return 1 if problems else 0


def lint(page):
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    run = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0 or run.stderr.strip():
        sys.stderr.write(run.stderr)
        print("check_cli_docs: man --warnings: exit %d, %d warning line(s)" % (
            run.returncode, len(run.stderr.splitlines())), file=sys.stderr)
        return 1
    print("check_cli_docs: man --warnings: clean, %d lines rendered" % len(run.stdout.splitlines()))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bitsht")
    ap.add_argument("--emulator")
    ap.add_argument("--man")
    ap.add_argument("--completion")
    ap.add_argument("--lint", metavar="PAGE")
    args = ap.parse_args()
    if args.lint:
        return lint(args.lint)
    if not (args.bitsht and args.man and args.completion):
        ap.error("--bitsht, --man and --completion are needed (or --lint PAGE)")
    return check_drift(args)


if __name__ == "__main__":
    sys.exit(main())
