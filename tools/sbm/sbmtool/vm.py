# SPDX-License-Identifier: GPL-2.0-only
"""Booting a built configuration in virtme-ng (QEMU TCG: no working KVM)."""
import os
import signal
import subprocess
import time

from . import deps, paths
from .progress import Failure, phase

BOOT_TIMEOUT = 600


def vng_cmd(config: str, command: str, append=(), qemu_opts=(),
            cpus: int = 2) -> list:
    kernel = paths.build_dir(config) / "arch" / "x86" / "boot" / "bzImage"
    if not kernel.exists():
        raise Failure(f"no kernel for {config}: run `sbm build --config "
                      f"{config}` first")
    cmd = ["vng", "--run", str(kernel), "--disable-kvm", "--cpus", str(cpus),
           "--memory", "1G", "--user", "root",
           # virtiofsd is not installed; skip vng's wait for it.
           "--force-9p"]
    # Room for every KUnit result: the guest reads them back with dmesg,
    # and a failing run would otherwise push the boot messages out.
    for a in ("log_buf_len=8M", *append):
        cmd += ["--append", a]
    for opt in qemu_opts:
        cmd.append(f"--qemu-opts={opt}")
    return cmd + ["--exec", command]


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


def boot(config: str, command: str, log=None, append=(),
         qemu_opts=(), cpus: int = 2) -> str:
    """Boot config, run command in the guest, return (and log) its output."""
    params = f" with {' '.join((*qemu_opts, *append))}" \
        if append or qemu_opts else ""
    if cpus != 2:
        params += f" on {cpus} vCPUs"
    phase(f"vm {config}{params}: booting in virtme-ng (TCG) to run: "
          f"{command}")
    start = time.monotonic()
    # A session of its own, so that a hung guest's QEMU dies with vng.
    proc = subprocess.Popen(vng_cmd(config, command, append, qemu_opts,
                                    cpus),
                            env=deps.build_env(), text=True,
                            errors="backslashreplace",
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    # SIGTERM (timeout(1), CI) must not leave the guest running on.
    old_term = signal.signal(signal.SIGTERM, _terminated)
    try:
        output, _ = proc.communicate(timeout=BOOT_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise Failure(f"vm {config}: no result in {BOOT_TIMEOUT} s "
                      "(guest hung?)") from e
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    finally:
        signal.signal(signal.SIGTERM, old_term)
    if log:
        log.write_text(output)
    phase(f"vm {config}: guest done in {time.monotonic() - start:.0f} s "
          f"(exit {proc.returncode})")
    return output


def cmd_vng(args) -> int:
    cmd = " ".join(args.command) or "bash"
    if args.command:
        print(boot(args.config, cmd, append=args.append), end="")
        return 0
    return subprocess.call(vng_cmd(args.config, cmd, args.append),
                           env=deps.build_env())
