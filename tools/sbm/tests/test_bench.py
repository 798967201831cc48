# SPDX-License-Identifier: GPL-2.0-only
import unittest

from sbmtool import bench

OUTPUT = """\
[    1.0] sbm_bench: level=strong row=direct size=64 calls=576 median_ns=280 min_ns=270 max_ns=300
sbm_bench: level=strong row=memcpy size=65536 calls=36 median_ns=24896 min_ns=24000 max_ns=25000
sbm_bench: level=strong row=direct size=65536 calls=36 median_ns=246066 min_ns=1 max_ns=2
sbm_bench: level=strong row=warm size=65536 calls=36 median_ns=283866 min_ns=1 max_ns=2
sbm_bench: level=strong row=warm size=64 calls=576 median_ns=7000 min_ns=6900 max_ns=9000
sbm_bench: level=strong row=cold size=64 calls=576 median_ns=80000 min_ns=1 max_ns=2 error
sbm_bench: level=strong row=counts size=64 calls=64 pages_per_call=0.00 ipis_per_call=0.00 entries_per_call=1.00 invlpg_per_call=11.00
sbm_bench: level=strong row=writes size=64 calls=64 cr3_per_call=2.00 lidt_per_call=2.00 msr_per_call=7.00 cr0_cr4_per_call=2.00 wrpkru_per_call=2.00
sbm_bench: level=user row=getppid size=0 calls=9000 median_ns=3550 min_ns=3500 max_ns=3600
sbm_bench: level=user row=pipe size=64 calls=576 median_ns=85498 min_ns=1 max_ns=2
sbm_bench: level=strong row=lz4_direct size=65536 calls=9 median_ns=100000 min_ns=1 max_ns=2
sbm_bench: level=strong row=lz4_warm size=65536 calls=9 median_ns=125000 min_ns=1 max_ns=2
sbm_bench: level=strong row=zlib_direct size=65536 calls=9 median_ns=900000 min_ns=1 max_ns=2
sbm_bench: level=strong row=zlib_warm size=65536 calls=9 median_ns=950000 min_ns=1 max_ns=2
"""


class BenchTest(unittest.TestCase):
    def setUp(self):
        self.rows = bench.parse(OUTPUT, "strong", "icount")

    def test_every_line_is_a_row_with_numbers(self):
        self.assertEqual(len(self.rows), 14)
        warm = bench.find(self.rows, "strong", "icount", "warm", 64)
        self.assertEqual(warm["median_ns"], 7000)
        self.assertEqual(warm["level"], "strong")
        counts = bench.find(self.rows, "strong", "icount", "counts", 64)
        self.assertEqual(counts["invlpg_per_call"], 11.0)
        self.assertTrue(bench.find(self.rows, "strong", "icount", "cold",
                                   64)["error"])

    def test_targets_say_met_or_missed(self):
        goals = {name: (figure, met) for name, figure, met
                 in bench.targets(self.rows)}
        self.assertEqual(goals["warm 64 B call <= 2x getppid()"],
                         ("2.0x", True))
        self.assertEqual(goals["cold 64 B call <= 10x warm"],
                         ("11.4x", False))
        self.assertEqual(goals["invlpg_per_call = 0"], ("11.0", False))
        self.assertEqual(goals["pages_per_call = 0"], ("0.0", True))
        overhead = goals["copy overhead at 65536 B <= 1.2x memcpy"]
        self.assertEqual(overhead, ("1.5x", False))
        self.assertEqual(goals["sandboxed lz4 at 64 KiB <= 1.1x direct"],
                         ("1.25x", False))
        self.assertEqual(goals["sandboxed zlib at 64 KiB <= 1.1x direct"],
                         ("1.06x", True))

    @staticmethod
    def parallel(elapsed, clock="icount", median=4100):
        return bench.parse(
            "sbm_bench: level=strong row=warm size=64 calls=9 median_ns=1000"
            " min_ns=1 max_ns=2\n"
            "sbm_bench: level=strong row=parallel size=64 cpus=4 calls=1024"
            f" median_ns={median} min_ns=1 max_ns=2 elapsed_ns={elapsed}"
            " solo_ns=256000 solo_calls=256 ipis_per_call=0.00\n",
            "strong", clock)

    def test_parallel_row_is_judged_by_all_vcpus_instructions(self):
        # 256 calls on each of 4 vCPUs in 1,064,960 guest instructions:
        # 1,040 per call against 1,000 on one CPU alone, although each
        # vCPU saw 4,100 per call of its own.
        rows = self.parallel(1064960)
        goals = {name: (figure, met) for name, figure, met
                 in bench.targets(rows)}
        name = ("warm 64 B calls on all 4 vCPUs at once: instructions per"
                " call <= 1.1x one CPU alone")
        self.assertEqual(goals[name], ("1.04x", True))
        self.assertEqual(goals["IPIs per warm call on all vCPUs at once = 0"],
                         ("0.0", True))
        text = bench.table(rows)
        self.assertIn("parallel: 1040 instructions per call on all 4 vCPUs",
                      text)
        self.assertIn("1000 on one alone", text)
        self.assertNotIn("4100", text)
        goals = {n: m for n, _, m in bench.targets(self.parallel(2048000))}
        self.assertFalse(goals[name])

    def test_parallel_row_on_the_tcg_clock_is_judged_by_each_vcpu(self):
        rows = self.parallel(1, "tcg", 1400) + self.parallel(1064960)
        goals = {name: (figure, met) for name, figure, met
                 in bench.targets(rows)}
        name = ("warm 64 B call on all 4 vCPUs at once <= 1.5x one CPU "
                "alone (tcg clock: vCPUs run at once, on a busy host)")
        self.assertEqual(goals[name], ("1.40x", True))

    def test_parallel_row_of_an_older_module_is_not_judged(self):
        rows = bench.parse(
            "sbm_bench: level=strong row=warm size=64 calls=9 median_ns=1000"
            " min_ns=1 max_ns=2\n"
            "sbm_bench: level=strong row=parallel size=64 cpus=2 calls=512"
            " median_ns=1300 min_ns=1 max_ns=2 ipis_per_call=0.00\n",
            "strong", "icount")
        names = [n for n, _, _ in bench.targets(rows)]
        self.assertFalse(any("one CPU alone" in n for n in names))
        self.assertIn("IPIs per warm call on all vCPUs at once = 0", names)
        self.assertNotIn("parallel", bench.table(rows))

    def test_table_has_a_block_per_kernel(self):
        text = bench.table(self.rows)
        self.assertIn("strong kernel (strong isolation), clock icount", text)
        self.assertIn("getppid() round trip: 3550", text)
        self.assertIn("11.0 INVLPG", text)
        self.assertIn("2.0 CR3, 2.0 LIDT, 7.0 WRMSR, 2.0 CR0/CR4, 2.0 WRPKRU",
                      text)
        self.assertIn("zlib_warm", text)


if __name__ == "__main__":
    unittest.main()
