# SPDX-License-Identifier: GPL-2.0-only
"""Real machine checks for a guest: QEMU's monitor injects them.

QEMU's `mce` monitor command raises #MC in the guest as a CPU would, with
the bank and MCG_STATUS registers set, under TCG too. Injected before the
guest sets CR4.MCE, or while the previous one is still in progress
(MCG_STATUS.MCIP), it resets the guest: so wait for CR4.MCE on every CPU,
and leave a second between injections.
"""
import re
import shutil
import socket
import tempfile
import threading
import time

# Uncorrected, enabled, signalled, no action required (memory scrubbing):
# the kernel logs it and goes on, wherever it hits. On every CPU (-b), as
# Intel CPUs broadcast them: the kernel's handler waits for all CPUs.
STATUS = 0xb1000000000000c0
MCG_STATUS = 0x5            # MCIP | RIPV
BANK = 1
CPU = 1                     # the CPU that gets STATUS; the others a bare UC
CR4_MCE = 1 << 6
# The kernel's wait for all CPUs to enter its handler, in microseconds
# (mce=<number>): 1 s by default, which a vCPU starved by a busy host can
# miss; then it panics.
KERNEL_PARAMS = ("mce=30000000",)
# What QEMU answers when it did not inject, or reset the guest instead.
_REFUSALS = ("triple fault", "not supported", "disabled", "Error", "error")

_CR4 = re.compile(r"\bCR4=([0-9a-fA-F]+)")


def mce_enabled(info_registers: str, cpus: int) -> bool:
    """Whether `info registers -a` shows CR4.MCE set on all cpus CPUs."""
    cr4 = [int(v, 16) for v in _CR4.findall(info_registers)]
    return len(cr4) >= cpus and all(v & CR4_MCE for v in cr4)


def command() -> str:
    return f"mce -b {CPU} {BANK} {STATUS:#x} {MCG_STATUS:#x} 0 0"


def refusal(answer: str):
    """The line of QEMU's answer to command() that says it did not inject
    (or reset the guest), or None."""
    for line in answer.splitlines():
        if any(r in line for r in _REFUSALS):
            return line.strip()
    return None


class Injector:
    """Inject a machine check every `period` seconds through a monitor
    socket of QEMU's (qemu_opts()), from the time every CPU has CR4.MCE
    until stop(). The period leaves the kernel's handler time to clear
    MCIP even on a slow host."""

    def __init__(self, cpus: int = 2, period: float = 3.0):
        # A directory of its own: a socket path must be short.
        self._dir = tempfile.mkdtemp(prefix="sbm-mce-")
        self.path = f"{self._dir}/monitor"
        self.cpus = cpus
        self.period = period
        self.injected = 0
        self.error = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def qemu_opts(self) -> tuple:
        return (f"-monitor unix:{self.path},server=on,wait=off",)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()
        shutil.rmtree(self._dir, ignore_errors=True)

    @staticmethod
    def _prompt(sock) -> str:
        """Everything up to the monitor's next prompt."""
        out = b""
        while not out.rstrip().endswith(b"(qemu)"):
            chunk = sock.recv(65536)
            if not chunk:
                raise OSError("monitor closed")
            out += chunk
        return out.decode(errors="replace")

    def _ask(self, sock, line: str) -> str:
        # The monitor echoes the line, answers, then prompts again.
        sock.sendall(line.encode() + b"\n")
        return self._prompt(sock)

    def _connect(self):
        while not self._stop.is_set():
            sock = socket.socket(socket.AF_UNIX)
            try:
                sock.settimeout(10)
                sock.connect(self.path)
                return sock
            except OSError as e:
                sock.close()
                self.error = f"monitor: {e}"
                time.sleep(0.5)
        return None

    def _run(self):
        sock = self._connect()
        if sock is None:
            return
        self.error = None
        try:
            self._prompt(sock)      # the banner
            while not self._stop.is_set() and not mce_enabled(
                    self._ask(sock, "info registers -a"), self.cpus):
                time.sleep(0.5)
            while not self._stop.wait(self.period):
                why = refusal(self._ask(sock, command()))
                if why:
                    self.error = f"QEMU did not inject: {why}"
                    return
                self.injected += 1
        except OSError as e:
            # Once injecting, the monitor goes when the guest powers off.
            if not self.injected:
                self.error = f"monitor: {e}"
        except Exception as e:      # noqa: BLE001 - reported, not lost
            self.error = f"injector: {e!r}"
        finally:
            sock.close()
