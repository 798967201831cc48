# SPDX-License-Identifier: GPL-2.0-only
"""Booting a built configuration in virtme-ng (QEMU TCG: no working KVM)."""
import subprocess
import time

from . import deps, paths
from .progress import Failure, phase

BOOT_TIMEOUT = 600


def vng_cmd(config: str, command: str, append=()) -> list:
    kernel = paths.build_dir(config) / "arch" / "x86" / "boot" / "bzImage"
    if not kernel.exists():
        raise Failure(f"no kernel for {config}: run `sbm build --config "
                      f"{config}` first")
    cmd = ["vng", "--run", str(kernel), "--disable-kvm", "--cpus", "2",
           "--memory", "1G", "--user", "root",
           # virtiofsd is not installed; skip vng's wait for it.
           "--force-9p"]
    for a in append:
        cmd += ["--append", a]
    return cmd + ["--exec", command]


def boot(config: str, command: str, log=None, append=()) -> str:
    """Boot config, run command in the guest, return (and log) its output."""
    phase(f"vm {config}: booting in virtme-ng (TCG) to run: {command}")
    start = time.monotonic()
    try:
        proc = subprocess.run(vng_cmd(config, command, append),
                              env=deps.build_env(), text=True,
                              errors="backslashreplace",
                              stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=BOOT_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        raise Failure(f"vm {config}: no result in {BOOT_TIMEOUT} s "
                      "(guest hung?)") from e
    output = proc.stdout + proc.stderr
    if log:
        log.write_text(output)
    phase(f"vm {config}: guest done in {time.monotonic() - start:.0f} s "
          f"(exit {proc.returncode})")
    return output


def cmd_vng(args) -> int:
    cmd = " ".join(args.command) or "bash"
    if args.command:
        print(boot(args.config, cmd), end="")
        return 0
    return subprocess.call(vng_cmd(args.config, cmd), env=deps.build_env())
