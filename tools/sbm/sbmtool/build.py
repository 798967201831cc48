# SPDX-License-Identifier: GPL-2.0-only
"""`sbm build`: configure and build one kernel per configuration."""
import hashlib
import os

from . import deps, kconfig, paths, tree
from .progress import Failure, phase, run


def fragments(config: str) -> list:
    try:
        return [paths.CONFIG_DIR / f for f in paths.CONFIGS[config]]
    except KeyError:
        raise Failure(f"unknown configuration {config!r}; known: "
                      f"{', '.join(paths.CONFIGS)}") from None


def _configure(config: str, out) -> None:
    frags = fragments(config)
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in frags))
    stamp = out / ".sbm-fragments"
    if (out / ".config").exists() and stamp.exists() and \
            stamp.read_text() == digest.hexdigest():
        return
    phase(f"build {config}: configuring from "
          f"{', '.join(f.name for f in frags)}")
    # virtme-configkernel adds what virtme-ng needs to boot, then appends
    # its own generic options after our fragments (e.g. DWARF debug info).
    # It runs in a scratch directory: its intermediate configuration must
    # not reach the build's include/config, where every option it flips
    # back and forth would make Kbuild rebuild what depends on it.
    scratch = out.parent / f".{config}-virtme"
    cmd = ["virtme-configkernel", "--allnoconfig"]
    for f in frags:
        cmd += ["--custom", str(f)]
    cmd += [f"O={scratch}", *deps.make_vars()]
    run(cmd, cwd=paths.tree_dir(), env=deps.build_env(),
        log=out.parent / f"{config}.config.log")
    # Ours again on top, with Kbuild's merge_config.sh, into the build
    # directory; Kconfig settles the rest.
    src = paths.tree_dir()
    run([str(src / "scripts" / "kconfig" / "merge_config.sh"), "-m",
         "-O", str(out), str(scratch / ".config"), *map(str, frags)],
        cwd=src, env=deps.build_env(),
        log=out.parent / f"{config}.merge.log")
    run(["make", "-C", str(src), f"O={out}", *deps.make_vars(),
         "olddefconfig"], env=deps.build_env(),
        log=out.parent / f"{config}.olddefconfig.log")
    bad = kconfig.mismatches(kconfig.merge(frags),
                             kconfig.parse((out / ".config").read_text()))
    if bad:
        lines = "\n".join(f"  {s}: wanted {w}, got {g}" for s, w, g in bad)
        raise Failure(f"configuration {config} did not take:\n{lines}\n"
                      "Fix the fragments in tools/sbm/configs.")
    stamp.write_text(digest.hexdigest())


def _seed(out) -> None:
    """Start a new configuration from a copy of a built one: they differ
    in a few options, so Kbuild then rebuilds only what those affect."""
    built = [d for d in out.parent.iterdir()
             if d != out and (d / "vmlinux").exists()] \
        if out.parent.exists() else []
    if built:
        phase(f"build: seeding {out.name} from the {built[0].name} build")
        run(["cp", "-a", "--reflink=auto", str(built[0]), str(out)])


def build(config: str) -> None:
    tree.ensure()
    out = paths.build_dir(config)
    if not out.exists():
        _seed(out)
    out.mkdir(parents=True, exist_ok=True)
    _configure(config, out)
    phase(f"build {config}: make (from scratch ~8 min on 2 cores, "
          "seeded or incremental 1-2 min)")
    run(["make", "-C", str(paths.tree_dir()), f"O={out}",
         f"-j{os.cpu_count()}", *deps.make_vars()],
        env=deps.build_env(), log=out.parent / f"{config}.build.log")
    phase(f"build {config}: done, {out / 'arch/x86/boot/bzImage'}")


def cmd_build(args) -> int:
    deps.ensure()
    for config in args.config or list(paths.CONFIGS):
        build(config)
    return 0


def cmd_env(args) -> int:
    """What an external module needs to build against a configuration."""
    out = paths.build_dir(args.config)
    env = deps.build_env()
    print(f"export PATH={env['PATH']}")
    print(f"KDIR={paths.tree_dir()}")
    print(f"O={out}")
    print(" ".join(deps.make_vars()))
    print(f"# make -C $KDIR O={out} {' '.join(deps.make_vars())} "
          "M=$PWD modules")
    return 0
