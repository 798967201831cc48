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
# Poison consumed (sbm_test_injected_poison_consumed): a data load that
# needs action (SRAR: valid, uncorrected, enabled, MISCV, ADDRV, signalled,
# action required, MCACOD 0x134), its physical address valid to the page
# (MISC: address mode physical, LSB 12); MCG_STATUS: RIPV | EIPV | MCIP.
POISON_STATUS = 0xbd80000000000134
POISON_MCG_STATUS = 0x7
POISON_MISC = 0x8c
# What the test's sandbox holds in RDX while it reads the page whose
# physical address is in RBX ("SBMpoisn").
POISON_MARK = 0x53424d706f69736e
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


def poison_command(cpu: int, addr: int) -> str:
    return (f"mce -b {cpu} {BANK} {POISON_STATUS:#x} "
            f"{POISON_MCG_STATUS:#x} {addr:#x} {POISON_MISC:#x}")


_CPU = re.compile(r"^CPU#(\d+)", re.M)
_REG = re.compile(r"\b([A-Z0-9]+)\s*=([0-9a-fA-F]+)")


def poisoned_reader(info_registers: str):
    """(cpu, physical address) if `info registers -a`, taken with the
    guest stopped, shows CPU in the test's poison-reading sandbox: at
    CPL 3 with POISON_MARK in RDX. None otherwise. Only CPU: command()'s
    broadcast leaves a bare uncorrected error in bank BANK of the other
    CPUs, which their handler does not clear, and poison injected over it
    would be graded an overflow and panic the kernel."""
    starts = [(m.start(), int(m.group(1)))
              for m in _CPU.finditer(info_registers)]
    for i, (start, cpu) in enumerate(starts):
        if cpu != CPU:
            continue
        end = starts[i + 1][0] if i + 1 < len(starts) else None
        regs = dict(_REG.findall(info_registers[start:end]))
        if regs.get("CPL") == "3" and \
                int(regs.get("RDX", "0"), 16) == POISON_MARK:
            return cpu, int(regs.get("RBX", "0"), 16)
    return None


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
    MCIP even on a slow host. Each time, the guest is stopped and its
    registers read: a CPU found in the poison-reading sandbox gets poison
    consumed, once (the kernel panics if such an error hits code that
    cannot recover, so it is injected only where the registers show the
    sandbox); otherwise the error that needs no action goes as before."""

    def __init__(self, cpus: int = 2, period: float = 3.0):
        # A directory of its own: a socket path must be short.
        self._dir = tempfile.mkdtemp(prefix="sbm-mce-")
        self.path = f"{self._dir}/monitor"
        self.cpus = cpus
        self.period = period
        self.injected = 0
        self.poisoned = 0
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
                self._ask(sock, "stop")
                try:
                    target = poisoned_reader(
                        self._ask(sock, "info registers -a"))
                    line = command()
                    if target and not self.poisoned:
                        line = poison_command(*target)
                    why = refusal(self._ask(sock, line))
                    if not why:
                        self.injected += 1
                        self.poisoned += line != command()
                finally:
                    # Never leave the guest stopped, even if asking failed.
                    self._ask(sock, "cont")
                if why:
                    self.error = f"QEMU did not inject: {why}"
                    return
        except OSError as e:
            # Once injecting, the monitor goes when the guest powers off.
            if not self.injected:
                self.error = f"monitor: {e}"
        except Exception as e:      # noqa: BLE001 - reported, not lost
            self.error = f"injector: {e!r}"
        finally:
            sock.close()
