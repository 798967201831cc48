# SPDX-License-Identifier: GPL-2.0-only
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from sbmtool import tree  # noqa: E402


class SeriesActionTest(unittest.TestCase):
    def test_fresh_tree_applies(self):
        self.assertEqual(tree.series_action(None, None, "h", "x"), "reapply")

    def test_nothing_changed(self):
        self.assertEqual(tree.series_action("h", "c", "h", "c"), "up-to-date")

    def test_patches_changed(self):
        self.assertEqual(tree.series_action("h", "c", "h2", "c"), "reapply")

    def test_tree_has_own_commits(self):
        self.assertEqual(tree.series_action("h", "c", "h", "c2"), "local")

    def test_both_changed_is_a_conflict(self):
        self.assertEqual(tree.series_action("h", "c", "h2", "c2"),
                         "conflict")


if __name__ == "__main__":
    unittest.main()
