# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import selftests, testing


class SelftestsTest(unittest.TestCase):
    def test_strong_expects_every_selftest(self):
        expected = testing.userspace_expected("strong")
        for name in selftests.TESTS:
            self.assertIn(f"selftest-{name}", expected)

    def test_baseline_runs_them_too(self):
        self.assertIn(selftests.BASELINE, selftests.CONFIGS)
        self.assertEqual(testing.userspace_expected(selftests.BASELINE),
                         testing.userspace_expected("strong"))

    def test_weak_expects_only_the_cpio_checks(self):
        self.assertEqual(testing.userspace_expected("weak"),
                         testing.USERSPACE_CHECKS)

    def test_guest_command_names_every_test(self):
        command = selftests.guest_command()
        self.assertTrue(command.startswith("sh "))
        words = command.split()
        for name in selftests.TESTS:
            self.assertLess(words.index(name), words.index("--"))
        for name in selftests.SAME_AS_NONE:
            self.assertGreater(words.index(name), words.index("--"))


def guest(lines_by_test):
    return "\n".join(f"SELFTEST {name} | {line}"
                     for name, lines in lines_by_test.items()
                     for line in lines) + "\nUSERSPACE ok listing\n"


MOV_SS = ["[RUN]\tMOV SS; INT 1", "[RUN]\tMOV SS; SYSCALL", "exit 139"]
INT_SIGNAL = ["ok 1 int3", "not ok 2 ud2 with TF", "exit 1"]


class SameAsBaselineTest(unittest.TestCase):
    def check(self, here, baseline):
        return {name: (ok, details) for name, ok, details in
                selftests.same_as_baseline(guest(here), guest(baseline))}

    def test_outcomes_are_parsed_per_test(self):
        out = selftests.outcomes(guest({"mov_ss_trap_64": MOV_SS}))
        self.assertEqual(out, {"mov_ss_trap_64": MOV_SS})

    def test_identical_outcomes_pass(self):
        both = {"mov_ss_trap_64": MOV_SS, "int_signal_64": INT_SIGNAL}
        self.assertTrue(all(ok for ok, _ in self.check(both, both).values()))

    def test_a_different_verdict_fails(self):
        base = {"mov_ss_trap_64": MOV_SS, "int_signal_64": INT_SIGNAL}
        here = dict(base, int_signal_64=["ok 1 int3", "not ok 2 ud2 with TF",
                                         "exit 137"])
        res = self.check(here, base)
        self.assertTrue(res["selftest-mov_ss_trap_64-as-on-none"][0])
        ok, details = res["selftest-int_signal_64-as-on-none"]
        self.assertFalse(ok)
        self.assertIn("exit 137", details[0])

    def test_fewer_lines_fail(self):
        base = {"mov_ss_trap_64": MOV_SS, "int_signal_64": INT_SIGNAL}
        here = dict(base, mov_ss_trap_64=MOV_SS[:1])
        self.assertFalse(
            self.check(here, base)["selftest-mov_ss_trap_64-as-on-none"][0])

    def test_missing_output_fails(self):
        base = {"mov_ss_trap_64": MOV_SS, "int_signal_64": INT_SIGNAL}
        res = self.check({"mov_ss_trap_64": MOV_SS}, base)
        self.assertFalse(res["selftest-int_signal_64-as-on-none"][0])


if __name__ == "__main__":
    unittest.main()
