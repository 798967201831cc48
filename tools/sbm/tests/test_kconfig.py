# SPDX-License-Identifier: GPL-2.0-only
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from sbmtool import kconfig  # noqa: E402


class KconfigTest(unittest.TestCase):
    def test_parse_set_and_unset(self):
        v = kconfig.parse("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=n\n"
                          "# a comment\nCONFIG_D=\"x\"\n")
        self.assertEqual(v, {"CONFIG_A": "y", "CONFIG_B": "n",
                             "CONFIG_C": "n", "CONFIG_D": '"x"'})

    def test_later_fragment_wins(self):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a"), os.path.join(d, "b")
            Path(a).write_text("CONFIG_X=y\nCONFIG_Y=y\n")
            Path(b).write_text("CONFIG_X=n\n")
            self.assertEqual(kconfig.merge([a, b]),
                             {"CONFIG_X": "n", "CONFIG_Y": "y"})

    def test_absent_symbol_is_n(self):
        bad = kconfig.mismatches({"CONFIG_GONE": "n", "CONFIG_ON": "y"},
                                 {"CONFIG_ON": "m"})
        self.assertEqual(bad, [("CONFIG_ON", "y", "m")])


if __name__ == "__main__":
    unittest.main()
