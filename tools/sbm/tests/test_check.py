# SPDX-License-Identifier: GPL-2.0-only
import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from sbmtool import check  # noqa: E402

LOG = """warning: unused variable: `x`
  --> /src/linux/rust/kernel/sbm.rs:10:5
   |
warning: something else
  --> /src/linux/rust/kernel/str.rs:3:1
error[E0308]: mismatched types
 --> /src/linux/rust/macros/sbm.rs:7:9
"""


class RustFindingsTest(unittest.TestCase):
    def test_only_our_files_count(self):
        ours = {"rust/kernel/sbm.rs": b"", "rust/macros/sbm.rs": b"",
                "kernel/sbm.c": b""}
        with mock.patch.object(check.series, "series_files_in_repo",
                               return_value=ours):
            found = check._rust_findings(LOG)
        self.assertEqual(len(found), 2)
        self.assertIn("unused variable", found[0])
        self.assertIn("mismatched types", found[1])



class RejectMessagesTest(unittest.TestCase):
    TEXT = (
        "error[E0277]: the trait bound `Raw: kernel::sbm::private::Sealed`\n"
        "  --> /tmp/x/own_plain.rs:10:22\n"
        "error: a sandboxed function returns `Result`\n"
        "  --> /tmp/x/bad_return.rs:6:17\n")

    def test_a_message_counts_only_for_its_own_file(self):
        self.assertTrue(any("Sealed" in b for b in
                            check.errors_of(self.TEXT, "own_plain.rs")))
        self.assertFalse(any("Sealed" in b for b in
                             check.errors_of(self.TEXT, "own_success.rs")))
        self.assertFalse(any("Sealed" in b for b in
                             check.errors_of(self.TEXT, "bad_return.rs")))


if __name__ == "__main__":
    unittest.main()


class CheckpatchFindingsTest(unittest.TestCase):
    def test_every_kind_counts(self):
        for line in ("ERROR: trailing whitespace",
                     "WARNING: line length of 101 exceeds 100 columns",
                     "CHECK: Alignment should match open parenthesis",
                     "CHECK: Avoid CamelCase: <myCamelName>"):
            self.assertTrue(check.is_finding(line), line)

    def test_zstd_names_do_not_count(self):
        for name in check.FOREIGN_CAMELCASE:
            self.assertFalse(check.is_finding(
                f"CHECK: Avoid CamelCase: <{name}>"), name)

    def test_other_lines_do_not_count(self):
        self.assertFalse(check.is_finding("total: 0 errors, 0 warnings"))
