# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import bisect

TOUCHED = ["kernel/sbm.c", "arch/x86/kernel/sbm/core.c", "lib/lz4/x.c"]


class TargetsTest(unittest.TestCase):
    def test_a_c_file_builds_its_object(self):
        self.assertEqual(bisect.targets(["kernel/sbm.c"], TOUCHED),
                         ["kernel/sbm.o"])

    def test_a_header_rebuilds_every_touched_object_and_rust(self):
        got = bisect.targets(["include/linux/sbm.h"], TOUCHED)
        self.assertEqual(got, sorted(["kernel/sbm.o",
                                      "arch/x86/kernel/sbm/core.o",
                                      "lib/lz4/x.o", "rust/",
                                      "security/sbm/"]))

    def test_kconfig_and_makefiles_count_as_global(self):
        for f in ("Kconfig.sbm", "lib/lz4/Makefile", "kernel/Kconfig"):
            self.assertIn("kernel/sbm.o", bisect.targets([f], TOUCHED), f)

    def test_rust_code_builds_the_crates(self):
        self.assertEqual(bisect.targets(["rust/kernel/sbm.rs"], TOUCHED),
                         ["rust/", "security/sbm/"])

    def test_linker_scripts_and_tools(self):
        self.assertEqual(bisect.targets(
            ["include/asm-generic/vmlinux.lds.h"], []),
            ["arch/x86/kernel/vmlinux.lds"])
        self.assertEqual(bisect.targets(["tools/sbm/x.c",
                                         "Documentation/a.rst"], TOUCHED),
                         [])


if __name__ == "__main__":
    unittest.main()
