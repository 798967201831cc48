# SPDX-License-Identifier: GPL-2.0-only
"""What the guest's kernel log and kmemleak say: the "no warning, no leak"
checks of `sbm test`, as (name, passed, details) verdicts."""
import re

KMEMLEAK = "kmemleak"
KERNEL_LOG = "kernel-log"

# Lines the kernel prints when something went wrong: WARN*(), lockdep and
# RCU splats (WARNING:/INFO:), BUG*() and oopses, panics.
_PROBLEM = re.compile(r"\b(WARNING|INFO|BUG):|\bOops\b|Kernel panic|"
                      r"\bRIP:|Call Trace:")
# What the tests provoke on purpose: the violation report of strong
# isolation, and the oops of the weak guard tests' throwaway kthread
# ("sbm-guard", sbm_kunit.c), which must die on the guard page.
_EXPECTED_REPORT = re.compile(r"sbm: BUG: sandbox violation")
_EXPECTED_OOPS_TASK = re.compile(r"\bComm: sbm-guard\b")
_OOPS_START = re.compile(r"BUG: unable to handle page fault")
# The register dump is printed again after "end trace"; the oops is over
# at the dying task's exit note or at the next KTAP result.
_OOPS_END = re.compile(r"note: \S+ exited|\b(not )?ok \d+ ")
# A leak is ours when a frame of the allocation's backtrace is SBM code
# (C functions are sbm_*, Rust symbols carry the module path "3sbm").
_OUR_FRAME = re.compile(r"sbm", re.IGNORECASE)


def _oops_blocks(lines):
    """Index ranges of the oopses in lines: from the "unable to handle"
    line to its end (or the end of the log)."""
    blocks, start = [], None
    for i, line in enumerate(lines):
        if _OOPS_START.search(line) and start is None:
            start = i
        elif _OOPS_END.search(line) and start is not None:
            blocks.append((start, i))
            start = None
    if start is not None:
        blocks.append((start, len(lines) - 1))
    return blocks


def kernel_log_problems(log_text: str, expected_lines=()) -> list:
    """Lines of the log that tell of a warning, a splat or an oops the
    tests did not provoke on purpose. expected_lines: texts of lines that
    are expected in this boot (a mitigation the CPU refuses, say)."""
    lines = log_text.splitlines()
    expected = set()
    for start, end in _oops_blocks(lines):
        if any(_EXPECTED_OOPS_TASK.search(l) for l in lines[start:end + 1]):
            expected.update(range(start, end + 1))
    return [line for i, line in enumerate(lines)
            if i not in expected and _PROBLEM.search(line)
            and not _EXPECTED_REPORT.search(line)
            and not any(e in line for e in expected_lines)]


def kmemleak_reports(output: str):
    """The objects kmemleak reported, each a list of lines, or None when
    the guest printed no report."""
    lines = output.splitlines()
    try:
        begin = next(i for i, l in enumerate(lines)
                     if l.strip() == "SBM-KMEMLEAK begin")
        end = next(i for i in range(begin, len(lines))
                   if lines[i].strip() == "SBM-KMEMLEAK end")
    except StopIteration:
        return None
    reports = []
    for line in lines[begin + 1:end]:
        if line.lstrip().startswith("unreferenced object"):
            reports.append([line])
        elif reports:
            reports[-1].append(line)
    return reports


def ours(report) -> bool:
    """Whether SBM code allocated what leaked: one of its frames."""
    return any(_OUR_FRAME.search(l) for l in report if "[<" in l)


RUST_PANIC = "rust-panic-report"
# rust_sbm_strong's case whose sandboxed function panics, when it ran (a
# skipped case ends in "# SKIP"), and the line strong isolation must then
# print: the report says that the function panicked, not only where.
_PANIC_CASE = re.compile(r"\bok \d+ panic_aborts_the_sandbox\s*$")
_PANIC_REPORT = re.compile(r"sbm: the sandboxed Rust function panicked")


def panic_report(output: str) -> list:
    """(name, passed, details) of the Rust panic report check, if the case
    that provokes the panic ran in this boot."""
    lines = output.splitlines()
    if not any(_PANIC_CASE.search(line) for line in lines):
        return []
    ok = any(_PANIC_REPORT.search(line) for line in lines)
    return [(RUST_PANIC, ok,
             [] if ok else ["panic_aborts_the_sandbox ran, but no report "
                            "said that the sandboxed function panicked"])]


def verdicts(output: str, expected_lines=()) -> list:
    """(name, passed, details) of the kmemleak and kernel log checks, and
    of the Rust panic report where a panic was provoked."""
    problems = kernel_log_problems(output, expected_lines)
    result = [(KERNEL_LOG, not problems, problems[:20])] + panic_report(output)
    reports = kmemleak_reports(output)
    if reports is None:
        result.append((KMEMLEAK, False, ["no kmemleak report from the guest"]))
    else:
        leaks = [r for r in reports if ours(r)]
        details = [l for r in leaks for l in r][:40]
        if len(reports) > len(leaks):
            details.append(f"({len(reports) - len(leaks)} leaks elsewhere, "
                           "not allocated by SBM code: ignored)")
        result.append((KMEMLEAK, not leaks, details))
    return result
