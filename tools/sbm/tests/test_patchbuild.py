# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import patchbuild as bisect

TOUCHED = ["arch/x86/kernel/sbm/core.c", "kernel/sbm.c"]


class TargetsTest(unittest.TestCase):
    def test_every_touched_object_is_a_target(self):
        self.assertEqual(bisect.targets(["include/linux/sbm.h"], TOUCHED,
                                        False),
                         ["arch/x86/kernel/sbm/core.o", "kernel/sbm.o"])

    def test_rust_once_there_is_some(self):
        got = bisect.targets(["kernel/sbm.c"], TOUCHED, True)
        self.assertIn("rust/", got)
        self.assertIn("samples/rust/", got)

    def test_linker_scripts_only_when_changed(self):
        self.assertEqual(bisect.targets(
            ["include/asm-generic/vmlinux.lds.h"], [], False),
            ["arch/x86/kernel/vmlinux.lds"])
        self.assertEqual(bisect.targets(["kernel/sbm.c"], [], False),
                         ["prepare"])

    def test_sources_leave_out_tools_scripts_and_docs(self):
        self.assertEqual(bisect.sources(["tools/sbm/x.c", "scripts/m.c",
                                         "Documentation/a.rst",
                                         "scripts/module.lds.S",
                                         "lib/lz4/a.c", "arch/x/e.S"]),
                         ["lib/lz4/a.c", "arch/x/e.S"])


if __name__ == "__main__":
    unittest.main()
