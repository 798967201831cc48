# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import selftests, testing


class SelftestsTest(unittest.TestCase):
    def test_strong_expects_every_selftest(self):
        expected = testing.userspace_expected("strong")
        for name in selftests.TESTS:
            self.assertIn(f"selftest-{name}", expected)

    def test_other_configs_expect_only_the_cpio_checks(self):
        self.assertEqual(testing.userspace_expected("none"),
                         testing.USERSPACE_CHECKS)

    def test_guest_command_names_every_test(self):
        command = selftests.guest_command()
        self.assertTrue(command.startswith("sh "))
        for name in selftests.TESTS:
            self.assertIn(name, command.split())


if __name__ == "__main__":
    unittest.main()
