# SPDX-License-Identifier: GPL-2.0-only
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

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


class ApplyTest(unittest.TestCase):
    """git am of patches/ onto a base, in a throwaway repository."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.repo = Path(self.tmp.name, "linux")
        self.repo.mkdir()
        env = dict(os.environ, **tree.IDENTITY)
        subprocess.run(["git", "init", "-q", "-b", "sbm"], cwd=self.repo,
                       check=True)
        (self.repo / "file.c").write_text("one\n")
        subprocess.run(["git", "add", "file.c"], cwd=self.repo, check=True)
        subprocess.run(["git", "commit", "-q", "-m", "base"], cwd=self.repo,
                       check=True, env=env)
        subprocess.run(["git", "tag", tree.BASE_TAG], cwd=self.repo,
                       check=True)
        self.patch = mock.patch.object(tree.paths, "tree_dir",
                                       return_value=self.repo)
        self.patch.start()

    def tearDown(self):
        self.patch.stop()
        self.tmp.cleanup()

    def _patch_file(self, name, old, new):
        p = Path(self.tmp.name, name)
        p.write_text(f"""From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A <a@example.org>
Date: Sun, 22 Nov 2026 00:00:00 +0000
Subject: [PATCH] change

---
diff --git a/file.c b/file.c
--- a/file.c
+++ b/file.c
@@ -1 +1 @@
-{old}
+{new}
""")
        return p

    def test_applies_and_names_a_failing_patch(self):
        good = self._patch_file("0001-good.patch", "one", "two")
        bad = self._patch_file("0002-bad.patch", "nothing", "three")
        with self.assertRaises(tree.Failure) as ctx:
            tree._apply([good, bad])
        self.assertIn("0002-bad.patch", str(ctx.exception))
        tree._apply([good])
        self.assertEqual((self.repo / "file.c").read_text(), "two\n")
