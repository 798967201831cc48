# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import isolation

TREE = "/src/linux"
CMD = (
    "savedcmd_arch/x86/kernel/traps.o := clang ...\n"
    "source_arch/x86/kernel/traps.o := /src/linux/arch/x86/kernel/traps.c\n"
    "deps_arch/x86/kernel/traps.o := \\\n"
    "  /src/linux/include/linux/kconfig.h \\\n"
    "    $(wildcard include/config/CPU_BIG_ENDIAN) \\\n"
    "  /src/linux/arch/x86/include/asm/traps.h \\\n"
)


class IsolationTest(unittest.TestCase):
    def test_inputs_are_files_and_options(self):
        files, configs = isolation.cmd_inputs(CMD, TREE)
        self.assertEqual(files, {"arch/x86/kernel/traps.c",
                                 "include/linux/kconfig.h",
                                 "arch/x86/include/asm/traps.h"})
        self.assertEqual(configs, {"CPU_BIG_ENDIAN"})

    def test_untouched_object_passes(self):
        self.assertEqual(isolation.object_problems(
            "traps.o", CMD, TREE, {"kernel/sbm.c"}, {"SANDBOX_MODE"}), [])

    def test_touched_input_is_reported(self):
        problems = isolation.object_problems(
            "traps.o", CMD, TREE, {"arch/x86/include/asm/traps.h"}, set())
        self.assertEqual(len(problems), 1)
        self.assertIn("asm/traps.h", problems[0])

    def test_series_option_is_reported(self):
        problems = isolation.object_problems(
            "traps.o", CMD, TREE, set(), {"CPU_BIG_ENDIAN"})
        self.assertEqual(len(problems), 1)
        self.assertIn("CONFIG_CPU_BIG_ENDIAN", problems[0])

    def test_symbols_come_from_kconfig(self):
        self.assertEqual(isolation.series_symbols(
            "config SANDBOX_MODE\n\tbool\nconfig SANDBOX_MODE_STRONG\n"),
            {"SANDBOX_MODE", "SANDBOX_MODE_STRONG"})


if __name__ == "__main__":
    unittest.main()
