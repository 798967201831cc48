# SPDX-License-Identifier: GPL-2.0-only
"""`sbm test`: build, boot and collect KUnit verdicts per configuration."""
import sys
from pathlib import Path

from . import build, deps, paths, results, selftests, vm
from .progress import Failure, phase, run

GUEST_CHECKS = paths.TOOL_DIR / "guest" / "cpio-check.sh"
USERSPACE_CHECKS = ("listing", "truncated")


def kunit_parse(log: Path, json_out: Path) -> None:
    """The kernel's own parser turns the guest's log into JSON."""
    kunit = paths.tree_dir() / "tools" / "testing" / "kunit" / "kunit.py"
    run([sys.executable, str(kunit), "parse", str(log.resolve()),
         f"--json={json_out.resolve()}"], check=False,
        log=json_out.with_suffix(".parse.log"))
    if not json_out.exists():
        raise Failure(f"kunit.py parse wrote no JSON for {log}")


def userspace_expected(config: str) -> tuple:
    if config in selftests.CONFIGS:
        return USERSPACE_CHECKS + selftests.check_names()
    return USERSPACE_CHECKS


def test_config(config: str, out_dir: Path) -> results.Verdicts:
    build.build(config)
    log = out_dir / f"{config}.log"
    # The suites are built in and run during boot; the log holds them.
    # The user-space checks run first, their lines precede the KTAP.
    command = f"sh {GUEST_CHECKS}; "
    if config in selftests.CONFIGS:
        selftests.build()
        command += selftests.guest_command() + "; "
    output = vm.boot(config, command + "dmesg", log=log)
    json_out = out_dir / f"{config}.json"
    kunit_parse(log, json_out)
    v = results.from_json(config, json_out.read_text(),
                          paths.expected_suites(config), paths.EXPECTED_CASES)
    v.userspace = results.userspace_checks(output, userspace_expected(config))
    return v


def cmd_test(args) -> int:
    deps.ensure()
    out_dir = Path(args.results) if args.results else \
        paths.cache_dir() / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    verdicts = []
    for config in args.config or list(paths.CONFIGS):
        try:
            verdicts.append(test_config(config, out_dir))
        except Failure as e:
            phase(f"test {config}: {e}")
            verdicts.append(results.Verdicts(
                config, missing=list(paths.expected_suites(config)),
                userspace=[(n, False) for n in userspace_expected(config)]))
    phase(f"test: results in {out_dir}")
    for v in verdicts:
        print("\n".join(results.summary_lines(v)))
    print(results.total_line(verdicts))
    bad_userspace = any(not ok for v in verdicts for _, ok in v.userspace)
    return 1 if bad_userspace or any(v.failed or not v.passed
                                     for v in verdicts) else 0
