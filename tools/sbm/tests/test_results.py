# SPDX-License-Identifier: GPL-2.0-only
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from sbmtool import results  # noqa: E402


def kunit_json(suites):
    return json.dumps({"name": "KUnit Test Group", "test_cases": [],
                       "sub_groups": [{"name": s, "sub_groups": [],
                                       "test_cases": [
                                           {"name": n, "status": st}
                                           for n, st in cases]}
                                      for s, cases in suites.items()]})


class VerdictsTest(unittest.TestCase):
    def test_counts_pass_fail_skip_error(self):
        v = results.from_json("weak", kunit_json({
            "sbm_api": [("a", "PASS"), ("b", "FAIL")],
            "sbm_guard": [("c", "SKIP"), ("d", "ERROR")]}),
            ["sbm_api", "sbm_guard"])
        self.assertEqual((v.passed, v.failed, v.skipped), (1, 2, 1))
        self.assertEqual(v.missing, [])

    def test_missing_suite_is_a_failure(self):
        v = results.from_json("none", kunit_json({
            "sbm_api": [("a", "PASS")]}), ["sbm_api", "sbm_copy"])
        self.assertEqual(v.missing, ["sbm_copy"])
        self.assertEqual(v.failed, 1)

    def test_expected_case_prefix(self):
        text = kunit_json({"docs": [("rust_doctest_kernel_str_rs_0", "PASS")]})
        v = results.from_json("c", text, ["docs"],
                              ["rust_doctest_kernel_sbm_rs_"])
        self.assertEqual(v.missing, ["rust_doctest_kernel_sbm_rs_*"])
        self.assertEqual(v.failed, 1)

    def test_nested_groups_keep_their_suite(self):
        text = json.dumps({"name": "top", "test_cases": [], "sub_groups": [
            {"name": "outer", "test_cases": [], "sub_groups": [
                {"name": "inner", "sub_groups": [],
                 "test_cases": [{"name": "x", "status": "PASS"}]}]}]})
        v = results.from_json("c", text, ["inner"])
        self.assertEqual(v.cases, [("inner", "x", "PASS")])

    def test_total_line(self):
        a = results.Verdicts("a", [("s", "x", "PASS")] * 3)
        b = results.Verdicts("b", [("s", "y", "FAIL")], missing=["t"])
        self.assertEqual(results.total_line([a, b]), "3 passed, 2 failed")

    def test_summary_names_failures(self):
        v = results.Verdicts("w", [("s", "ok", "PASS"), ("s", "bad", "FAIL")],
                             missing=["gone"])
        text = "\n".join(results.summary_lines(v))
        self.assertIn("FAIL: bad", text)
        self.assertIn("gone: MISSING", text)
        self.assertNotIn("ok", text.split("\n", 2)[2])


class UserspaceTest(unittest.TestCase):
    def test_ok_not_ok_and_missing(self):
        log = ("noise\nUSERSPACE ok listing\n"
               "USERSPACE not ok truncated: got 'x', want 'y'\n")
        got = results.userspace_checks(log, ["listing", "truncated", "gone"])
        self.assertEqual(got, [("gone", False), ("listing", True),
                               ("truncated", False)])


if __name__ == "__main__":
    unittest.main()
