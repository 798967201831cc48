# SPDX-License-Identifier: GPL-2.0-only
import os
import signal
import subprocess
import sys
import textwrap
import time
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TerminatedBootTest(unittest.TestCase):
    """A SIGTERM to the tool while a guest runs takes the guest down too."""

    def test_sigterm_kills_guest(self):
        pidfile = os.path.join(os.environ.get("TMPDIR", "/tmp"),
                               f"sbm-vm-test-{os.getpid()}")
        script = textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {TOOLS!r})
            from sbmtool import vm, deps
            deps.build_env = lambda: None
            vm.vng_cmd = lambda *a, **k: [
                "sh", "-c", "echo $$ > {pidfile}; exec sleep 60"]
            vm.boot("none", "true")
        """)
        tool = subprocess.Popen([sys.executable, "-c", script],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(pidfile) and open(pidfile).read().strip():
                break
            time.sleep(0.05)
        guest = int(open(pidfile).read())
        os.unlink(pidfile)
        tool.send_signal(signal.SIGTERM)
        tool.wait(timeout=10)
        for _ in range(100):
            try:
                os.kill(guest, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.kill(guest, signal.SIGKILL)
        self.fail("the guest outlived the tool")


if __name__ == "__main__":
    unittest.main()
