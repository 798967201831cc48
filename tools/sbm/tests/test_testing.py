# SPDX-License-Identifier: GPL-2.0-only
import tempfile
import unittest
from pathlib import Path

from sbmtool import paths, testing

OUTPUT = """\
USERSPACE ok listing
[    1.000000] KTAP version 1
[    1.000001] 1..1
[    1.500000] ok 1 sbm_api
[   12.000000] SBM-KUNIT-MODULES
[   12.100000] KTAP version 1
[   12.100001] 1..1
[   12.200000] ok 1 sbm_x86_module
"""


class ModulesTest(unittest.TestCase):
    def test_log_is_split_at_the_kernel_log_mark(self):
        boot, modules = testing.split_log(OUTPUT)
        self.assertIn("ok 1 sbm_api", boot)
        self.assertNotIn("sbm_x86_module", boot)
        self.assertTrue(modules.splitlines()[0].endswith(
            testing.MODULES_MARK))
        self.assertIn("ok 1 sbm_x86_module", modules)

    def test_no_mark_means_no_module_output(self):
        text = "USERSPACE ok listing\n[ 1.0] KTAP version 1\n"
        self.assertEqual(testing.split_log(text), (text, ""))

    def test_the_command_echoing_the_mark_is_not_the_mark(self):
        text = f"echo {testing.MODULES_MARK} > /dev/kmsg\n"
        self.assertEqual(testing.split_log(text), (text, ""))

    def test_strong_loads_its_modules_after_the_mark(self):
        command = testing.modules_command("strong")
        mark = command.index(testing.MODULES_MARK)
        for module in paths.KUNIT_MODULES["strong"]:
            self.assertGreater(command.index("insmod "), mark)
            self.assertIn(module, command)

    def test_configs_without_modules_load_none(self):
        self.assertEqual(testing.modules_command("none"), "")

    def test_missing_module_output_reports_its_suites_missing(self):
        # module_verdicts writes the modules' log next to the results.
        with tempfile.TemporaryDirectory() as d:
            v = testing.module_verdicts("strong", "", Path(d), "strong")
        self.assertEqual(v.missing, ["sbm_x86_module"])
        self.assertGreater(v.failed, 0)


class MitigationMatrixTest(unittest.TestCase):
    ROW = paths.MitigationRow(
        "ibpb", ("retbleed=force,ibpb",), ("RETBleed: Mitigation: IBPB",),
        (("RETBleed: Mitigation: IBPB",
          "RETBleed: WARNING: CPU does not support IBPB."),))

    def test_a_row_whose_mitigation_took_effect_passes(self):
        log = "[ 0.1] RETBleed: Mitigation: IBPB\n"
        [(name, ok, details)] = testing.mitigation_checks(log, self.ROW)
        self.assertEqual(name, "mitigation-in-effect")
        self.assertTrue(ok)
        self.assertEqual(details, [])

    def test_a_mitigation_that_did_not_take_fails_and_says_why(self):
        log = "[ 0.1] RETBleed: Mitigation: untrained return thunk\n"
        [(_, ok, details)] = testing.mitigation_checks(log, self.ROW)
        self.assertFalse(ok)
        self.assertIn("did not take effect", details[0])

    def test_a_cpu_that_cannot_is_reported_as_not_shown(self):
        log = "[ 0.1] RETBleed: WARNING: CPU does not support IBPB.\n"
        [(_, ok, details)] = testing.mitigation_checks(log, self.ROW)
        self.assertTrue(ok)
        self.assertIn("not shown", details[0])

    def test_every_row_forces_something_and_proves_it(self):
        for config, rows in paths.MITIGATION_MATRIX.items():
            self.assertIn(config, paths.CONFIGS)
            for row in rows:
                self.assertTrue(row.params and row.proofs, row.name)
                for proof, _ in row.unavailable:
                    self.assertIn(proof, row.proofs)

    def test_every_squashfs_image_is_read_counted_and_damaged(self):
        for name, _ in testing.SQUASHFS_COMPRESSORS:
            for check in ("read", "sandboxed", "damaged"):
                self.assertIn(f"squashfs-{name}-{check}",
                              testing.USERSPACE_CHECKS)
        self.assertEqual(set(testing.SQUASHFS_DAMAGE),
                         {name for name, _ in testing.SQUASHFS_COMPRESSORS})
        script = testing.SQUASHFS_CHECK.read_text()
        for check in ("read", "sandboxed", "damaged"):
            self.assertIn(f"squashfs-$name-{check}", script)

    def test_matrix_rows_skip_the_selftests(self):
        self.assertEqual(testing.userspace_expected("strong", self.ROW),
                         testing.USERSPACE_CHECKS)

    def test_every_boot_checks_its_level(self):
        self.assertIn("level", testing.userspace_expected("none"))
        self.assertIn(" strong; ", testing.level_command("strong"))
        self.assertIn(" none; ", testing.level_command("none"))
        self.assertIn(" weak; ", testing.level_command("strong", paths.MitigationRow(
            "x", ("p",), ("q",), level="weak")))

    def test_a_fallback_row_checks_strict_too(self):
        row = paths.MitigationRow("x", ("p",), ("q",), level="weak",
                                  strict=True)
        self.assertIn("strict", testing.userspace_expected("strong", row))
        self.assertIn(" weak strict; ", testing.level_command("strong", row))


if __name__ == "__main__":
    unittest.main()
