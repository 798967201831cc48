# SPDX-License-Identifier: GPL-2.0-only
"""Progress output and running commands with a live status line."""
import subprocess
import sys
import time


class Failure(Exception):
    """A step failed; the message says what failed and what to do."""


_START = time.monotonic()


def elapsed() -> str:
    secs = int(time.monotonic() - _START)
    return f"{secs // 60:2d}:{secs % 60:02d}"


def phase(msg: str) -> None:
    print(f"[{elapsed()}] {msg}", flush=True)


def run(cmd, *, cwd=None, env=None, log=None, status_every=20.0,
        check=True, input_text=None):
    """Run cmd; with log, send its output there and print a status line
    (the latest output line, e.g. what make is compiling) now and then.

    Returns the CompletedProcess-like (returncode, output-if-not-logged).
    """
    if log is None:
        proc = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                              input=input_text, capture_output=True)
        if check and proc.returncode:
            raise Failure(f"{' '.join(map(str, cmd))} failed "
                          f"({proc.returncode}):\n{proc.stdout[-3000:]}"
                          f"{proc.stderr[-3000:]}")
        return proc
    last = time.monotonic()
    with open(log, "w", buffering=1) as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, text=True,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                errors="backslashreplace")
        for line in proc.stdout:
            out.write(line)
            if time.monotonic() - last >= status_every:
                last = time.monotonic()
                print(f"[{elapsed()}]   ... {line.strip()[:100]}",
                      flush=True)
        proc.wait()
    if check and proc.returncode:
        with open(log) as f:
            tail = f.readlines()[-25:]
        sys.stdout.write("".join(tail))
        raise Failure(f"{' '.join(map(str, cmd))} failed "
                      f"({proc.returncode}); full log: {log}")
    return proc
