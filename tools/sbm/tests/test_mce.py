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

    def __init__(self, path, cr4_answers):
        super().__init__(daemon=True)
        self.srv = socket.socket(socket.AF_UNIX)
        self.srv.bind(path)
        self.srv.listen(1)
        self.cr4 = list(cr4_answers)
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
                    answer = REGS % (cr4, cr4)
                conn.sendall((line + "\r\n" + answer + "\r\n(qemu) ").encode())
                if len([x for x in self.lines if x.startswith("mce")]) == 2:
                    conn.close()
                    return


class TestInjector(unittest.TestCase):
    def test_waits_for_cr4_mce_then_injects(self):
        with tempfile.TemporaryDirectory() as d:
            inj = mce.Injector(period=0.01)
            mon = FakeMonitor(inj.path, ["00000020", "00370ef0"])
            mon.start()
            inj.start()
            mon.join(10)
            inj.stop()
            polls = [x for x in mon.lines if x == "info registers -a"]
            injects = [x for x in mon.lines if x.startswith("mce")]
            self.assertEqual(len(polls), 2)
            self.assertEqual(mon.lines.index(injects[0]), 2)
            self.assertEqual(injects, [mce.command()] * 2)
            self.assertGreaterEqual(inj.injected, 2)
            self.assertIsNone(inj.error)


if __name__ == "__main__":
    unittest.main()
