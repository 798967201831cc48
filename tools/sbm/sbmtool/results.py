# SPDX-License-Identifier: GPL-2.0-only
"""KUnit verdicts from kunit.py's JSON, and the summary we print."""
import json
from dataclasses import dataclass, field


@dataclass
class Verdicts:
    """Results of one configuration, case by case."""
    config: str
    cases: list = field(default_factory=list)  # (suite, case, status)
    missing: list = field(default_factory=list)
    # User-space checks run in the guest: (name, passed)
    userspace: list = field(default_factory=list)
    # What the failed checks found, printed under the summary.
    notes: list = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for _, _, s in self.cases if s == status)

    @property
    def passed(self) -> int:
        return self.count("PASS")

    @property
    def skipped(self) -> int:
        return self.count("SKIP")

    @property
    def failed(self) -> int:
        """Failures, crashes and suites that reported nothing."""
        return len(self.cases) - self.passed - self.skipped + \
            len(self.missing)

    def suites(self) -> list:
        seen = []
        for suite, _, _ in self.cases:
            if suite not in seen:
                seen.append(suite)
        return seen


def _walk(group: dict, suite: str, out: list) -> None:
    for case in group.get("test_cases", []):
        out.append((suite, case["name"], case["status"]))
    for sub in group.get("sub_groups", []):
        _walk(sub, sub["name"], out)


def from_json(config: str, text: str, expected_suites,
              expected_cases=()) -> Verdicts:
    """Verdicts of a kunit.py JSON; expected_cases are name prefixes of
    which at least one case each must be present."""
    v = Verdicts(config)
    _walk(json.loads(text), "", v.cases)
    v.missing = [s for s in expected_suites if s not in v.suites()]
    v.missing += [f"{p}*" for p in expected_cases
                  if not any(name.startswith(p) for _, name, _ in v.cases)]
    return v


def userspace_checks(log_text: str, expected) -> list:
    """(name, passed) for each "USERSPACE ok|not ok NAME" line; an
    expected check that printed nothing counts as failed."""
    found = {}
    for line in log_text.splitlines():
        words = line.split()
        if words[:2] == ["USERSPACE", "ok"] and len(words) > 2:
            found[words[2]] = True
        elif words[:3] == ["USERSPACE", "not", "ok"] and len(words) > 3:
            found[words[3].rstrip(":")] = False
    for name in expected:
        found.setdefault(name, False)
    return sorted(found.items())


def summary_lines(v: Verdicts) -> list:
    lines = [f"{v.config}: {v.passed} passed, {v.failed} failed, "
             f"{v.skipped} skipped"]
    for suite in v.suites():
        cases = [c for c in v.cases if c[0] == suite]
        ok = sum(1 for c in cases if c[2] == "PASS")
        lines.append(f"  {suite or '(top level)'}: {ok}/{len(cases)} "
                     "passed")
        lines += [f"    {s}: {name}" for _, name, s in cases
                  if s not in ("PASS", "SKIP")]
    lines += [f"  {s}: MISSING (no results)" for s in v.missing]
    if v.userspace:
        ok = sum(1 for _, passed in v.userspace if passed)
        lines.append(f"  user space checks: {ok}/{len(v.userspace)} passed")
        lines += [f"    FAIL: {name}" for name, passed in v.userspace
                  if not passed]
    lines += [f"    {note}" for note in v.notes]
    return lines


def total_line(all_verdicts) -> str:
    passed = sum(v.passed for v in all_verdicts)
    failed = sum(v.failed for v in all_verdicts)
    return f"{passed} passed, {failed} failed"
