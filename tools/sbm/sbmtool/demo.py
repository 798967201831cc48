# SPDX-License-Identifier: GPL-2.0-only
"""`sbm demo`: SandBox Mode at work, from an external module."""
import shutil

from . import build, deps, paths, vm
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
    out = vm.boot(config, " && ".join(f"insmod {m}" for m in mods) +
                  " && dmesg | grep -E 'sbm(_demo|_rust_demo)?:'")
    print(out, end="")
    return 0 if "sbm_demo: parse" in out and \
        "sbm_rust_demo: record 00 03" in out else 1
