# SPDX-License-Identifier: GPL-2.0-only
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from sbmtool import series  # noqa: E402

PATCH1 = """From 0 Mon Sep 17 00:00:00 2001
Subject: [PATCH 1/2] add

---
diff --git a/new.c b/new.c
new file mode 100644
index 0000000..3b18e51
--- /dev/null
+++ b/new.c
@@ -0,0 +1,2 @@
+one
+two
diff --git a/old.c b/old.c
index 3b18e51..1191247 100644
--- a/old.c
+++ b/old.c
@@ -1 +1,2 @@
 x
+y
"""

PATCH2 = """From 0 Mon Sep 17 00:00:00 2001
Subject: [PATCH 2/2] change

---
diff --git a/new.c b/new.c
index 3b18e51..1191247 100644
--- a/new.c
+++ b/new.c
@@ -1,2 +1,2 @@
 one
-two
+three
"""

COVER_OLD = """From 0 Mon Sep 17 00:00:00 2001
From: A <a@b>
Date: Old
Subject: [PATCH 0/2] SandBox Mode

Our blurb,
two lines.

A (2):
  add
  change

 new.c | 2 ++

base-commit: 111
"""

COVER_NEW = """From 0 Mon Sep 17 00:00:00 2001
From: A <a@b>
Date: New
Subject: [PATCH 0/3] *** SUBJECT HERE ***

*** BLURB HERE ***

A (3):
  add
  change
  more

base-commit: 222
"""


class SeriesTest(unittest.TestCase):
    def test_added_files(self):
        self.assertEqual(series.added_files(PATCH1), ["new.c"])
        self.assertEqual(series.added_files(PATCH2), [])

    def test_files_follow_later_patches(self):
        with tempfile.TemporaryDirectory() as d:
            p1, p2 = Path(d, "0001.patch"), Path(d, "0002.patch")
            p1.write_text(PATCH1)
            p2.write_text(PATCH2)
            got = series.series_files_in_patches([p1, p2])
        self.assertEqual(got, {"new.c": b"one\nthree\n"})

    def test_disagreements(self):
        probs = series.disagreements({"a": b"1", "b": b"2", "c": b"3"},
                                     {"a": b"1", "b": b"x", "d": b"4"})
        self.assertEqual(len(probs), 3)
        self.assertTrue(probs[0].startswith("b: differs"))

    def test_cover_letter_keeps_subject_and_blurb(self):
        got = series.carry_cover(COVER_OLD, COVER_NEW)
        self.assertIn("Subject: [PATCH 0/3] SandBox Mode\n", got)
        self.assertIn("\nOur blurb,\ntwo lines.\n\nA (3):\n", got)
        self.assertIn("base-commit: 222", got)
        self.assertIn("Date: Old\n", got)
        self.assertNotIn("BLURB", got)


if __name__ == "__main__":
    unittest.main()
