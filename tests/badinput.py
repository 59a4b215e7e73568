#!/usr/bin/env python3
"""Bad input: feeds 10,000 random and mutated lines to cosh, each to its own
`cosh -s`, and fails on a crash (death by a signal the test did not send),
a sanitizer report, or an error without a `cosh:` message.

The lines are made deterministically (fixed seed) from the lines of
tests/scripts/*.cosh: characters deleted, inserted (shell punctuation or
any byte), repeated, lines cut and spliced, and wholly random bytes.  The
same seed and the same tests/scripts give the same lines.

Outcomes (counted and printed at the end):
  ok        exit status 0
  status    exit status 1..255 with the messages it needs: status 2 (syntax
            or usage error), 126 and 127 need a `cosh:` line on stderr
            (unless the line itself redirects stderr: 2>, &>, >&)
  timeout   still running after --timeout seconds (`while :` is legal): the
            test ends it (SIGTERM to cosh, then SIGKILL to its group)
  FAIL      killed by a signal the test did not send (a crash), a sanitizer
            report on stderr, or status 2/126/127 without a `cosh:` message

Safety: the random text never reaches anything harmful.  Each cosh runs in
a scratch directory with HOME there, PATH naming only a directory of
symbolic links to true, false, echo, cat and printf, file size and (unless
the binary uses AddressSanitizer) memory limited; as root it runs as user
nobody with a process limit.  Before a line is used, `/` becomes `_` (no
path outside the scratch directory can be named) and the words kill, exec,
trap, cd, ulimit, umask and source are defused.

Usage: badinput.py --cosh PATH --srcdir DIR [--count N] [--seed S]
                   [--jobs J] [--timeout SECS] [--keep DIR] [--outcomes FILE]
(--jobs defaults to $BADINPUT_JOBS, else 2.)
"""
import argparse
import concurrent.futures
import os
import pwd
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PUNCT = b"(){}[]$\"'`|&;<>#*?~!=\\\n\t -+%:@^,.0123456789"
DEFUSE = [b"kill", b"exec", b"trap", b"cd", b"ulimit", b"umask", b"source"]
REDIRECTS_STDERR = re.compile(rb"2>|&>|>&")  # the case may send its messages away
SANITIZER = re.compile(rb"AddressSanitizer|runtime error|LeakSanitizer|UndefinedBehaviorSanitizer")


def defuse(line):
    line = line.replace(b"/", b"_")
    for w in DEFUSE:
        line = re.sub(rb"(?<![A-Za-z0-9_])" + w + rb"(?![A-Za-z0-9_])", w[:-1] + b"_", line)
    return line


def make_cases(srcdir, count, seed):
    rng = random.Random(seed)
    corpus = []
    sdir = os.path.join(srcdir, "tests", "scripts")
    for name in sorted(os.listdir(sdir)):
        if name.endswith(".cosh"):
            with open(os.path.join(sdir, name), "rb") as f:
                corpus.extend(l for l in f.read().split(b"\n") if l.strip())
    cases = []
    for _ in range(count):
        kind = rng.random()
        line = bytearray(rng.choice(corpus))
        if kind < 0.08:  # wholly random bytes
            line = bytearray(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
        elif kind < 0.16:  # random shell punctuation and letters
            alphabet = PUNCT + b"abcdefghijklmnopqrstuvwxyz"
            line = bytearray(rng.choice(alphabet) for _ in range(rng.randrange(1, 60)))
        else:
            for _ in range(rng.randrange(1, 6)):
                op = rng.randrange(7)
                pos = rng.randrange(len(line) + 1)
                if op == 0 and line:  # delete a run
                    del line[pos:pos + rng.randrange(1, 4)]
                elif op == 1:  # insert punctuation
                    line[pos:pos] = bytes([rng.choice(PUNCT)])
                elif op == 2:  # insert any byte
                    line[pos:pos] = bytes([rng.randrange(256)])
                elif op == 3 and line:  # repeat a chunk
                    end = min(len(line), pos + rng.randrange(1, 12))
                    line[pos:pos] = line[pos:end] * rng.randrange(2, 20)
                elif op == 4:  # splice with another line
                    other = rng.choice(corpus)
                    line = line[:pos] + other[rng.randrange(len(other) + 1):]
                elif op == 5:  # cut short
                    line = line[:pos]
                else:  # flip one character to another of the same kind
                    if line:
                        p = min(pos, len(line) - 1)
                        line[p] = rng.choice(PUNCT)
        cases.append(defuse(bytes(line)) + b"\n")
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cosh", required=True)
    ap.add_argument("--srcdir", required=True)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("BADINPUT_JOBS", "2")))
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--keep", help="copy the failing cases into this directory")
    ap.add_argument("--outcomes", help="write each case's outcome to this file, one a line")
    args = ap.parse_args()

    cosh = os.path.abspath(args.cosh)
    cases = make_cases(args.srcdir, args.count, args.seed)
    with open(cosh, "rb") as f:
        asan = b"__asan_init" in f.read()
    scratch = tempfile.mkdtemp(prefix="cosh-badinput.")
    as_root = os.geteuid() == 0
    nobody = pwd.getpwnam("nobody") if as_root else None
    try:
        bindir = os.path.join(scratch, "bin")
        os.mkdir(bindir)
        for prog in ("true", "false", "echo", "cat", "printf"):
            path = shutil.which(prog, path="/usr/bin:/bin")
            os.symlink(path, os.path.join(bindir, prog))
        # the binary where user nobody can surely run it
        binary = os.path.join(scratch, "cosh")
        shutil.copy2(cosh, binary)
        os.chmod(scratch, 0o755)
        os.chmod(binary, 0o755)

        def limits():
            resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if not asan:  # ASan reserves terabytes of address space
                resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
            if nobody:
                resource.setrlimit(resource.RLIMIT_NPROC, (512, 512))
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)

        def run(i):
            work = os.path.join(scratch, "w%d" % i)
            os.mkdir(work)
            if nobody:
                os.chown(work, nobody.pw_uid, nobody.pw_gid)
            env = {"PATH": bindir, "HOME": work, "LC_ALL": "C", "TMPDIR": work,
                   "COSH_EXIT_GRACE": "0.2"}
            for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
                if k in os.environ:
                    env[k] = os.environ[k]
            p = subprocess.Popen([binary, "-s"], stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 cwd=work, env=env, preexec_fn=limits,
                                 start_new_session=True)
            timed_out = False
            try:
                _, err = p.communicate(cases[i], timeout=args.timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                p.send_signal(signal.SIGTERM)
                try:
                    _, err = p.communicate(timeout=3)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    _, err = p.communicate()
            # background jobs of the case (its coprocesses end with it)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            shutil.rmtree(work, ignore_errors=True)
            rc = p.returncode
            problem = None
            if SANITIZER.search(err):
                problem = "sanitizer report"
            elif timed_out:
                pass
            elif rc < 0:
                problem = "killed by signal %d" % -rc
            elif rc in (2, 126, 127) and b"cosh:" not in err and not REDIRECTS_STDERR.search(cases[i]):
                problem = "status %d without a cosh: message" % rc
            if problem:
                outcome = "FAIL"
            elif timed_out:
                outcome = "timeout"
            elif rc == 0:
                outcome = "ok"
            else:
                outcome = "status %d" % rc
            return i, outcome, problem, rc, err

        start = time.time()
        outcomes = {}
        failures = []
        each = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
            for i, outcome, problem, rc, err in ex.map(run, range(len(cases))):
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                each.append("%d %s" % (i, outcome))
                if problem:
                    failures.append((i, problem, rc, err))
        elapsed = time.time() - start
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if args.outcomes:
        with open(args.outcomes, "w") as f:
            f.write("\n".join(each) + "\n")
    for i, problem, rc, err in failures:
        print("FAIL: case %d: %s (status %d)" % (i, problem, rc))
        print("  input: %r" % cases[i])
        for l in err.decode("utf-8", "replace").splitlines()[:20]:
            print("  stderr: " + l)
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            with open(os.path.join(args.keep, "case%d" % i), "wb") as f:
                f.write(cases[i])
    summary = ", ".join("%s %d" % (k, outcomes[k]) for k in sorted(outcomes))
    print("badinput: %d lines (seed %d)%s%s in %.0f s: %s" % (
        len(cases), args.seed, ", AddressSanitizer build" if asan else "",
        ", as nobody" if nobody else "", elapsed, summary))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
