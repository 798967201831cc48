# SPDX-License-Identifier: GPL-2.0-only
"""Command line of tools/sbm/sbm."""
import argparse

from . import (bench, build, check, demo, deps, paths, series, testing,
               tree, vm)
from .progress import Failure, phase


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sbm", description="Build, boot and test the SandBox Mode "
        f"series. Caches live in {paths.cache_dir()} (set SBM_CACHE).")
    sub = p.add_subparsers(dest="cmd", required=True)
    configs = list(paths.CONFIGS)

    sub.add_parser("deps", help="install the toolchain (idempotent)"
                   ).set_defaults(func=deps.cmd_deps)
    s = sub.add_parser("tree", help="base tree with patches/ applied")
    s.add_argument("--force", action="store_true",
                   help="drop tree commits that were not exported")
    s.set_defaults(func=tree.cmd_tree)
    s = sub.add_parser("build", help="build configurations")
    s.add_argument("--config", action="append", choices=configs)
    s.set_defaults(func=build.cmd_build)
    s = sub.add_parser("test", help="build, boot, run the KUnit suites")
    s.add_argument("--config", action="append", choices=configs)
    s.add_argument("--results", metavar="DIR",
                   help="write kunit.py JSON as DIR/<config>.json")
    s.set_defaults(func=testing.cmd_test)
    s = sub.add_parser("bench", help="what a sandboxed call costs")
    s.add_argument("--config", action="append", choices=bench.CONFIGS)
    s.add_argument("--cpus", type=int, default=2,
                   help="vCPUs of the guest (the parallel row runs on all)")
    s.add_argument("--clock", choices=("icount", "tcg", "both"),
                   default="both", help="icount: guest instructions "
                   "(deterministic); tcg: guest time")
    s.add_argument("--out", metavar="DIR",
                   help="write DIR/bench.json and DIR/bench.png")
    s.set_defaults(func=bench.cmd_bench)
    s = sub.add_parser("demo", help="show SandBox Mode at work")
    s.add_argument("--config", default=paths.DEMO_CONFIG, choices=configs)
    s.set_defaults(func=demo.cmd_demo)
    s = sub.add_parser("vng", help="boot a configuration, run a command")
    s.add_argument("--config", default=paths.DEMO_CONFIG, choices=configs)
    s.add_argument("--append", action="append", default=[],
                   metavar="PARAM", help="kernel parameter, e.g. "
                   "retbleed=force,unret (repeatable)")
    s.add_argument("command", nargs="*", help="after --; default: a shell")
    s.set_defaults(func=vm.cmd_vng)
    s = sub.add_parser("env", help="how to build an external module")
    s.add_argument("--config", default=paths.DEMO_CONFIG, choices=configs)
    s.set_defaults(func=build.cmd_env)
    sub.add_parser("export", help="write patches/ and the kernel-path "
                   "folders from the tree").set_defaults(
                       func=series.cmd_export)
    s = sub.add_parser("check", help="series consistency and style")
    s.add_argument("--quick", action="store_true",
                   help="only the checks that take seconds")
    s.add_argument("--bisect", action="store_true",
                   help="also build what each patch touches, patch by "
                   "patch (strong configuration)")
    s.set_defaults(func=check.cmd_check)
    return p


def main(argv) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except Failure as e:
        phase(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        return 130
