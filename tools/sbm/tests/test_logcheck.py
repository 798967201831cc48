# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import logcheck

GUARD_OOPS = """\
[    1.376384]     # sbm_test_guard_after_output: an oops of kthread sbm-guard is expected next
[    1.379897] BUG: unable to handle page fault for address: ffa000000023b000
[    1.383608] Oops: Oops: 0002 [#1] SMP
[    1.384432] CPU: 1 UID: 0 PID: 89 Comm: sbm-guard Tainted: G                 N  7.3.4+ #19
[    1.386371] RIP: 0010:__sbm_poke_out_thunk+0x15/0x20
[    1.392183] Call Trace:
[    1.396992] ---[ end trace 0000000000000000 ]---
[    1.397643] RIP: 0010:__sbm_poke_out_thunk+0x15/0x20
[    1.397953] note: sbm-guard[89] exited with irqs disabled
[    1.403652]     ok 1 sbm_test_guard_after_output
"""

OTHER_OOPS = GUARD_OOPS.replace("Comm: sbm-guard", "Comm: kworker/0:1")

VIOLATION = """\
[    1.177500] sbm: BUG: sandbox violation: #PF in __sbm_write_past_output_thunk
[    1.177600] sbm: invalid write at 0x100002000
"""

WARNING = """\
[    2.000000] ------------[ cut here ]------------
[    2.000001] WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:100 foo+0x1/0x2
"""

LOCKDEP = "[    2.1] INFO: possible circular locking dependency detected\n"
SLEEP = "[    2.2] BUG: sleeping function called from invalid context at x.c:1\n"


def kmemleak(body: str) -> str:
    return f"before\nSBM-KMEMLEAK begin\n{body}SBM-KMEMLEAK end\nafter\n"


LEAK_SBM = """\
unreferenced object 0xff11000003000000 (size 64):
  comm "kunit_try_catch", pid 90, jiffies 4294668000
  hex dump (first 32 bytes):
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
  backtrace (crc 0):
    [<ffffffff81000000>] __kmalloc_cache_noprof+0x100/0x200
    [<ffffffff81000100>] arch_sbm_init+0x20/0x100
    [<ffffffff81000200>] kunit_try_run_case+0x50/0x100
"""

LEAK_OTHER = """\
unreferenced object 0xff11000004000000 (size 32):
  comm "swapper/0", pid 1, jiffies 4294667000
  hex dump (first 32 bytes):
    73 62 6d 00 00 00 00 00 00 00 00 00 00 00 00 00  sbm.............
  backtrace (crc 0):
    [<ffffffff81000000>] __kmalloc_noprof+0x100/0x200
    [<ffffffff81000300>] some_driver_probe+0x20/0x100
"""


def verdict(output: str, name: str):
    return next(v for v in logcheck.verdicts(output) if v[0] == name)


class KernelLogTest(unittest.TestCase):
    def test_provoked_reports_and_guard_oops_are_fine(self):
        self.assertEqual(logcheck.kernel_log_problems(GUARD_OOPS + VIOLATION),
                         [])

    def test_oops_of_another_task_is_a_problem(self):
        problems = logcheck.kernel_log_problems(OTHER_OOPS)
        self.assertTrue(any("unable to handle" in p for p in problems))

    def test_second_oops_after_a_guard_oops_is_a_problem(self):
        problems = logcheck.kernel_log_problems(GUARD_OOPS + OTHER_OOPS)
        self.assertEqual(len([p for p in problems if "unable" in p]), 1)

    def test_warnings_and_splats_are_problems(self):
        for text in (WARNING, LOCKDEP, SLEEP):
            with self.subTest(text=text):
                self.assertEqual(len(logcheck.kernel_log_problems(text)), 1)

    def test_clean_log_passes(self):
        self.assertTrue(verdict(GUARD_OOPS + kmemleak(""),
                                logcheck.KERNEL_LOG)[1])


class KmemleakTest(unittest.TestCase):
    def test_no_report_from_the_guest_fails(self):
        self.assertFalse(verdict("nothing", logcheck.KMEMLEAK)[1])

    def test_unavailable_fails(self):
        self.assertFalse(verdict("SBM-KMEMLEAK unavailable\n",
                                 logcheck.KMEMLEAK)[1])

    def test_empty_report_passes(self):
        self.assertTrue(verdict(kmemleak(""), logcheck.KMEMLEAK)[1])

    def test_leak_from_sbm_code_fails(self):
        name, ok, details = verdict(kmemleak(LEAK_OTHER + LEAK_SBM),
                                    logcheck.KMEMLEAK)
        self.assertFalse(ok)
        self.assertTrue(any("arch_sbm_init" in d for d in details))
        self.assertTrue(any("1 leaks elsewhere" in d for d in details))

    def test_leak_elsewhere_is_ignored_even_if_its_data_says_sbm(self):
        self.assertTrue(verdict(kmemleak(LEAK_OTHER), logcheck.KMEMLEAK)[1])

    def test_reports_are_split_per_object(self):
        reports = logcheck.kmemleak_reports(kmemleak(LEAK_SBM + LEAK_OTHER))
        self.assertEqual(len(reports), 2)
        self.assertTrue(logcheck.ours(reports[0]))
        self.assertFalse(logcheck.ours(reports[1]))


class ExpectedLinesTest(unittest.TestCase):
    LINE = "[    0.01] RETBleed: WARNING: CPU does not support IBPB."

    def test_a_warning_is_a_problem(self):
        self.assertEqual(logcheck.kernel_log_problems(self.LINE), [self.LINE])

    def test_unless_the_boot_expects_it(self):
        self.assertEqual(logcheck.kernel_log_problems(
            self.LINE, ("CPU does not support IBPB",)), [])


if __name__ == "__main__":
    unittest.main()


PANIC_CASE = "[    3.0]     ok 7 panic_aborts_the_sandbox\n"
PANIC_SKIPPED = "[    3.0]     ok 7 panic_aborts_the_sandbox # SKIP not strong\n"
PANIC_LINE = ("[    2.9] sbm: the sandboxed Rust function panicked "
              "(_RNvNtCs1_4core9panicking18panic_bounds_check)\n")


class PanicReport(unittest.TestCase):
    def test_needs_the_line_when_the_case_ran(self):
        self.assertEqual(logcheck.panic_report(VIOLATION + PANIC_CASE),
                         [(logcheck.RUST_PANIC, False, [
                             "panic_aborts_the_sandbox ran, but no report "
                             "said that the sandboxed function panicked"])])

    def test_passes_with_the_line(self):
        self.assertEqual(
            logcheck.panic_report(VIOLATION + PANIC_LINE + PANIC_CASE),
            [(logcheck.RUST_PANIC, True, [])])

    def test_nothing_when_skipped_or_absent(self):
        self.assertEqual(logcheck.panic_report(PANIC_SKIPPED), [])
        self.assertEqual(logcheck.panic_report(VIOLATION), [])

    def test_part_of_the_verdicts(self):
        names = [n for n, _, _ in logcheck.verdicts(
            kmemleak("") + PANIC_LINE + PANIC_CASE)]
        self.assertIn(logcheck.RUST_PANIC, names)
