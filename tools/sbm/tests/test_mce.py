# SPDX-License-Identifier: GPL-2.0-only
"""The machine check injector's parsing of QEMU's monitor."""
import os
import socket
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from sbmtool import mce  # noqa: E402

REGS = """CPU#0
RAX=0000000000000000 RBX=0000000000000000
CR0=80050033 CR2=0000000000000000 CR3=0000000002a1c000 CR4=%s
CPU#1
RAX=0000000000000000 RBX=0000000000000000
CR0=80050033 CR2=0000000000000000 CR3=0000000002a1c000 CR4=%s
"""


class TestMceEnabled(unittest.TestCase):
    def test_all_cpus_set(self):
        self.assertTrue(mce.mce_enabled(REGS % ("00370ef0", "00370ef0"), 2))

    def test_one_cpu_clear(self):
        # CR4.MCE (bit 6) clear on CPU 1: it is still booting.
        self.assertFalse(mce.mce_enabled(REGS % ("00370ef0", "00370eb0"), 2))

    def test_cpu_missing(self):
        self.assertFalse(mce.mce_enabled(REGS.split("CPU#1")[0] % "00370ef0", 2))

    def test_refusal(self):
        echo = "mce -b 1 1 0xb1000000000000c0 0x5 0 0\x1b[K\r\n"
        self.assertIsNone(mce.refusal(echo + "(qemu) "))
        self.assertEqual(
            mce.refusal(echo + "CPU 1: Previous MCE still in progress, "
                        "raising triple fault\r\n(qemu) "),
            "CPU 1: Previous MCE still in progress, raising triple fault")

    def test_command(self):
        self.assertEqual(mce.command(),
                         "mce -b 1 1 0xb1000000000000c0 0x5 0 0")


class FakeMonitor(threading.Thread):
    """Answers like QEMU's HMP: banner, then each line echoed and answered."""

    def __init__(self, path, cr4_answers, regs=REGS):
        super().__init__(daemon=True)
        self.srv = socket.socket(socket.AF_UNIX)
        self.srv.bind(path)
        self.srv.listen(1)
        self.cr4 = list(cr4_answers)
        self.regs = regs
        self.lines = []

    def run(self):
        conn, _ = self.srv.accept()
        conn.sendall(b"QEMU monitor - type 'help'\r\n(qemu) ")
        buf = b""
        while True:
            data = conn.recv(4096)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode()
                self.lines.append(line)
                answer = ""
                if line == "info registers -a":
                    cr4 = self.cr4.pop(0) if len(self.cr4) > 1 else self.cr4[0]
                    answer = self.regs % (cr4, cr4)
                conn.sendall((line + "\r\n" + answer + "\r\n(qemu) ").encode())
                if len([x for x in self.lines if x.startswith("mce")]) == 2:
                    conn.close()
                    return


# As QEMU prints them: CPU 1 in the poison-reading sandbox.
IN_SANDBOX = """CPU#0
RAX=0000000000000000 RBX=0000000000000000 RCX=0000000000000000 RDX=0000000000000000
RIP=ffffffff81b2c3d4 RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1
CR0=80050033 CR2=0000000000000000 CR3=0000000002a1c000 CR4=%s
CPU#1
RAX=0000000000000000 RBX=0000000012345000 RCX=ffffffffffff0000 RDX=53424d706f69736e
RIP=ffffffff82a01234 RFL=00000206 [-----P-] CPL=3 II=0 A20=1 SMM=0 HLT=0
CR0=80050033 CR2=0000000000000000 CR3=0000000004321000 CR4=%s
"""


class TestPoisonedReader(unittest.TestCase):
    def test_finds_the_cpu_in_the_sandbox(self):
        regs = IN_SANDBOX % ("00370ef0", "00370ef0")
        self.assertEqual(mce.poisoned_reader(regs), (1, 0x12345000))
        self.assertEqual(mce.poison_command(1, 0x12345000),
                         "mce -b 1 1 0xbd80000000000134 0x7 0x12345000 0x8c")

    def test_needs_cpl3_and_the_mark(self):
        regs = IN_SANDBOX % ("00370ef0", "00370ef0")
        self.assertIsNone(mce.poisoned_reader(regs.replace("CPL=3", "CPL=0")))
        self.assertIsNone(mce.poisoned_reader(
            regs.replace("RDX=53424d706f69736e", "RDX=53424d706f69736f")))
        self.assertIsNone(mce.poisoned_reader(REGS % ("0", "0")))

    def test_only_the_cpu_the_test_runs_on(self):
        # CPU 0's bank holds the broadcast's leftover: poison there panics.
        regs = IN_SANDBOX % ("00370ef0", "00370ef0")
        cpu0 = regs.split("CPU#1")[0]
        cpu1 = "CPU#1" + regs.split("CPU#1")[1]
        swapped = cpu1.replace("CPU#1", "CPU#0") + \
            cpu0.replace("CPU#0", "CPU#1")
        self.assertIsNone(mce.poisoned_reader(swapped))


class TestInjector(unittest.TestCase):
    def run_injector(self, regs=REGS):
        inj = mce.Injector(period=0.01)
        mon = FakeMonitor(inj.path, ["00000020", "00370ef0"], regs)
        mon.start()
        inj.start()
        mon.join(10)
        inj.stop()
        return inj, mon

    def test_waits_for_cr4_mce_then_injects(self):
        inj, mon = self.run_injector()
        injects = [x for x in mon.lines if x.startswith("mce")]
        # Two polls until CR4.MCE, then each round: stop, registers, inject.
        self.assertEqual(mon.lines[:5], ["info registers -a"] * 2 + [
            "stop", "info registers -a", mce.command()])
        self.assertEqual(injects, [mce.command()] * 2)
        self.assertIn("cont", mon.lines)
        self.assertGreaterEqual(inj.injected, 2)
        self.assertEqual(inj.poisoned, 0)
        self.assertIsNone(inj.error)

    def test_poison_goes_where_the_sandbox_reads_it_once(self):
        inj, mon = self.run_injector(IN_SANDBOX)
        injects = [x for x in mon.lines if x.startswith("mce")]
        self.assertEqual(injects, [mce.poison_command(1, 0x12345000),
                                   mce.command()])
        self.assertEqual(inj.poisoned, 1)
        self.assertIsNone(inj.error)


if __name__ == "__main__":
    unittest.main()
