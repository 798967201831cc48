# SPDX-License-Identifier: GPL-2.0-only
"""`sbm demo`: SandBox Mode at work, from an external module."""
import shutil

from . import bench, build, deps, paths, vm
from .progress import phase, run

DEMO_SRC = paths.TOOL_DIR / "demo"


def cmd_demo(args) -> int:
    deps.ensure()
    config = args.config
    build.build(config)
    # Sources are copied so that no build output lands in the repo.
    work = paths.cache_dir() / "demo" / config
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(DEMO_SRC, work)
    phase("demo: building the demo module against the kernel")
    run(["make", "-C", str(paths.tree_dir()), f"O={paths.build_dir(config)}",
         *deps.make_vars(), f"M={work}", "modules"], env=deps.build_env(),
        log=work / "build.log")
    mods = [work / "sbm_demo.ko", work / "sbm_rust_demo.ko"]
    # The built-in KUnit suites stay off: their own violation reports
    # would bury the demo's. Only the demo's lines are shown, and those
    # of the benchmark, for what a call costs.
    out = vm.boot(config, " && ".join(f"insmod {m}" for m in mods) +
                  " && dmesg | grep -E 'sbm_(rust_)?demo'; " +
                  bench.guest_command(config, bench.build_user()),
                  append=("kunit.enable=0", *bench.APPEND))
    demo_lines = [line for line in out.splitlines()
                  if "sbm_bench:" not in line]
    print("\n".join(demo_lines))
    rows = bench.parse(out, config, "tcg")
    print("What a call costs here (QEMU TCG guest time, not deterministic; "
          "`sbm bench` has the instruction counts):")
    print(bench.table(rows))
    return 0 if "sbm_demo: parse" in out and \
        "sbm_rust_demo: record 00 03" in out and rows else 1
