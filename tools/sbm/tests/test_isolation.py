# SPDX-License-Identifier: GPL-2.0-only
import shutil
import unittest
from pathlib import Path

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
            "traps.o", CMD, TREE, {"kernel/sbm.c"}, {"SANDBOX_MODE"},
            lambda f: False), [])

    def test_touched_input_is_reported(self):
        problems = isolation.object_problems(
            "traps.o", CMD, TREE, {"arch/x86/include/asm/traps.h"}, set(),
            lambda f: False)
        self.assertEqual(len(problems), 1)
        self.assertIn("asm/traps.h", problems[0])

    def test_touched_input_that_reduces_to_base_passes(self):
        self.assertEqual(isolation.object_problems(
            "traps.o", CMD, TREE, {"arch/x86/include/asm/traps.h"},
            {"CPU_BIG_ENDIAN"}, lambda f: True), [])

    def test_series_option_is_reported_with_a_changed_input(self):
        problems = isolation.object_problems(
            "traps.o", CMD, TREE, {"arch/x86/include/asm/traps.h"},
            {"CPU_BIG_ENDIAN"}, lambda f: False)
        self.assertEqual(len(problems), 2)
        self.assertIn("CONFIG_CPU_BIG_ENDIAN", problems[1])

    def test_options_resolve_as_the_build_has_them(self):
        self.assertEqual(isolation.unifdef_args(
            {"SANDBOX_MODE", "HAVE_ARCH_SBM"},
            {"CONFIG_HAVE_ARCH_SBM": "y", "CONFIG_SANDBOX_MODE": "n"}),
            ["-DCONFIG_HAVE_ARCH_SBM=1", "-UCONFIG_SANDBOX_MODE"])

    def test_symbols_come_from_kconfig(self):
        self.assertEqual(isolation.series_symbols(
            "config SANDBOX_MODE\n\tbool\nconfig SANDBOX_MODE_STRONG\n"),
            {"SANDBOX_MODE", "SANDBOX_MODE_STRONG"})


BASE = "struct module {\n\tint a;\n};\n"
GUARDED = ("struct module {\n\tint a;\n#ifdef CONFIG_SANDBOX_MODE_STRONG\n"
           "\tint sbm;\n#endif\n};\n")
UNGUARDED = "struct module {\n\tint a;\n\tint sbm;\n};\n"
UNIFDEF = Path.home() / ".cache" / "sbm" / "headers" / "scripts" / "unifdef"


@unittest.skipUnless(UNIFDEF.exists() or shutil.which("unifdef"),
                     "the kernel's unifdef is not built yet")
class UnifdefTest(unittest.TestCase):
    tool = UNIFDEF if UNIFDEF.exists() else Path(shutil.which("unifdef")
                                                  or "unifdef")

    def test_change_inside_an_off_option_reduces_to_base(self):
        self.assertTrue(isolation.reduces_to_base(
            self.tool, ["-UCONFIG_SANDBOX_MODE_STRONG"], GUARDED, BASE))

    def test_change_inside_an_on_option_does_not(self):
        self.assertFalse(isolation.reduces_to_base(
            self.tool, ["-DCONFIG_SANDBOX_MODE_STRONG=1"], GUARDED, BASE))

    def test_unguarded_change_does_not(self):
        self.assertFalse(isolation.reduces_to_base(
            self.tool, ["-UCONFIG_SANDBOX_MODE_STRONG"], UNGUARDED, BASE))


if __name__ == "__main__":
    unittest.main()
