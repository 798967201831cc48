# SPDX-License-Identifier: GPL-2.0-only
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from sbmtool import surface

# Sandboxed code that stays inside the surface, and code that does not.
SOURCE = r"""
#define SANDBOXED __attribute__((section(".sbm.text"), noinline))
#define SBM_RODATA __attribute__((section(".sbm.rodata")))
void *memcpy(void *d, const void *s, unsigned long n);
void kernel_function(void);
void rust_panic(void) __asm__("_RNvNtCs1_4core9panicking5panic");
void rust_panic_at(const void *where)
	__asm__("_RNvNtCs1_4core9panicking18panic_bounds_check");
static const char location[16] = "lib.rs:42";
extern int kernel_data;
static const int table[64] = { 1, 2, 3, 5, 7, 11, 13 };

SANDBOXED int helper(int x) { return x * 3; }
SANDBOXED int good(char *d, const char *s, int n)
{
	memcpy(d, s, n);
	if (n < 0)
		rust_panic();
	if (n > 4096)
		rust_panic_at(location);
	return helper(n);
}
__attribute__((noinline)) int not_sandboxed(int x) { return x + table[x & 7]; }
SANDBOXED int calls_text(int x) { return not_sandboxed(x); }
SANDBOXED int calls_kernel(void) { kernel_function(); return 0; }
SANDBOXED int reads_data(void) { return kernel_data; }
SANDBOXED int reads_rodata(int i) { return table[i & 63]; }
/* Constants of sandboxed code's own; one of them points out of the surface. */
static const int own_table[64] SBM_RODATA = { 2, 4, 8 };
static int (*const own_ops[2])(int) SBM_RODATA = { helper, not_sandboxed };
SANDBOXED int good_table(int i) { return own_table[i & 63]; }
SANDBOXED int good_ops(int i) { return own_ops[i & 1](i); }
/* A kernel data read on the normal path, right before a panic call. */
SANDBOXED int reads_data_near_panic(int n)
{
	if (n > 4096)
		rust_panic();
	return kernel_data;
}
/* static_cpu_has()'s shape: a jump to a slow path in .altinstr_aux. */
SANDBOXED int feature_check(void)
{
	asm goto("jmp 6f\n"
		 ".pushsection .altinstr_aux,\"ax\"\n"
		 "6: jmp %l[yes]\n"
		 ".popsection\n" : : : : yes);
	return 0;
yes:
	return 1;
}
/* A static branch: the kernel rewrites its site at run time. */
SANDBOXED int static_branch(void)
{
	asm goto("1: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
		 ".pushsection __jump_table, \"aw\"\n"
		 ".balign 8\n"
		 ".long 1b - ., %l[yes] - .\n"
		 ".quad 0\n"
		 ".popsection\n" : : : : yes);
	return 0;
yes:
	return 1;
}
/* An alternative whose replacement, patched into sandboxed code, calls out. */
SANDBOXED int patched_call(void)
{
	asm volatile("661: nop; nop; nop; nop; nop\n662:\n"
		     ".pushsection .altinstructions,\"a\"\n"
		     ".long 661b - ., 6631f - .\n"
		     ".long 0\n.byte 662b - 661b, 6632f - 6631f\n"
		     ".popsection\n"
		     ".pushsection .altinstr_replacement,\"ax\"\n"
		     "6631: call kernel_function\n6632:\n"
		     ".popsection\n");
	return 0;
}
"""


def compile_object(directory: Path, source: str) -> Path:
    src = directory / "sandboxed.c"
    src.write_text(source)
    obj = directory / "sandboxed.o"
    subprocess.run(["gcc", "-O2", "-fno-pic", "-mcmodel=kernel", "-c",
                    "-o", str(obj), str(src)], check=True)
    return obj


def problems_of(source: str) -> list:
    """What the proof says of one object compiled from source."""
    with tempfile.TemporaryDirectory() as d:
        compile_object(Path(d), source)
        return surface.check(Path(d))


class SurfaceTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        compile_object(self.dir, SOURCE)
        self.problems = surface.check(self.dir)

    def tearDown(self):
        self.tmp.cleanup()

    def named(self, symbol):
        return [p for p in self.problems if f"refers to {symbol}" in p]

    def test_a_call_to_text_is_named(self):
        self.assertTrue(self.named("not_sandboxed (in .text)"),
                        self.problems)

    def test_kernel_functions_and_data_are_named(self):
        self.assertTrue(self.named("kernel_function"), self.problems)
        self.assertTrue(self.named("kernel_data"), self.problems)

    def test_rodata_is_named(self):
        self.assertTrue([p for p in self.problems if "rodata" in p],
                        self.problems)

    def test_the_problem_says_where_in_sandboxed_code(self):
        self.assertTrue(all(p.startswith("sandboxed.o: calls_")
                            or p.startswith("sandboxed.o: reads_")
                            or p.startswith("sandboxed.o: own_ops")
                            or "alternative" in p
                            or p.startswith("sandboxed.o: static_branch")
                            for p in self.problems), self.problems)

    def test_own_constants_are_inside_but_not_what_they_point_to(self):
        self.assertFalse([p for p in self.problems if "own_table" in p],
                         self.problems)
        self.assertTrue([p for p in self.problems if "own_ops" in p and
                         "not_sandboxed" in p], self.problems)
        self.assertFalse([p for p in self.problems if "own_ops" in p and
                          "helper" in p], self.problems)

    def test_writable_own_constants_are_a_problem(self):
        problems = problems_of('__attribute__((section(".sbm.rodata")))'
                               ' int counter;\n'
                               '__attribute__((section(".sbm.text")))'
                               ' int g(int x) { return x + counter; }\n')
        self.assertTrue([p for p in problems
                         if "writable or executable" in p], problems)

    def test_string_addresses_stored_only_where_listed(self):
        source = r"""
#define SANDBOXED __attribute__((section(".sbm.text"), noinline))
struct stream { long pad[6]; const char *msg; };
SANDBOXED void set_msg(struct stream *s) { s->msg = "bad block"; }
"""
        self.assertTrue(problems_of(source))
        with mock.patch.object(surface, "STRING_ADDRESS_ONLY",
                               ("sandboxed.o",)):
            self.assertEqual(problems_of(source), [])

    def test_a_string_read_is_named_even_where_listed(self):
        source = r"""
#define SANDBOXED __attribute__((section(".sbm.text"), noinline))
SANDBOXED int first(int i) { return "letters in rodata"[i & 15]; }
"""
        with mock.patch.object(surface, "STRING_ADDRESS_ONLY",
                               ("sandboxed.o",)):
            self.assertTrue(problems_of(source))

    def test_static_cpu_has_slow_path_is_patched_away(self):
        self.assertFalse([p for p in self.problems if "feature_check" in p])

    def test_a_panic_nearby_excuses_nothing_but_its_argument(self):
        self.assertTrue([p for p in self.problems
                         if "reads_data_near_panic" in p and
                         "kernel_data" in p], self.problems)

    def test_alternatives_patched_into_sandboxed_code_are_checked(self):
        self.assertTrue([p for p in self.problems if "alternative" in p and
                         "kernel_function" in p], self.problems)

    def test_a_site_patched_at_run_time_is_a_problem(self):
        found = [p for p in self.problems if "__jump_table" in p]
        self.assertEqual(len(found), 1, self.problems)
        self.assertIn("static_branch", found[0])

    def test_an_unknown_sbm_section_is_a_problem(self):
        problems = problems_of('__attribute__((section(".sbm.text.x")))'
                               ' int f(int x) { return x; }\n'
                               '__attribute__((section(".sbm.text")))'
                               ' int g(int x) { return x; }\n')
        self.assertTrue([p for p in problems if ".sbm.text.x" in p], problems)

    def test_helpers_own_code_and_panics_are_inside(self):
        self.assertFalse([p for p in self.problems
                          if p.startswith("sandboxed.o: good")],
                         self.problems)
        self.assertEqual(len(self.problems), 9, self.problems)


class NothingSandboxedTest(unittest.TestCase):
    def test_a_build_without_sandboxed_code_proves_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            compile_object(Path(d), "int f(int x) { return x; }\n")
            self.assertEqual(len(surface.check(Path(d))), 1)


if __name__ == "__main__":
    unittest.main()


class CpuidTest(unittest.TestCase):
    DISASSEMBLY = """
0000000000000010 <ZSTD_initDCtx_internal>:
      10:\tendbr64
      14:\tpushq\t%rbx
      15:\tcpuid
      17:\tmovl\t%ebx, %eax
"""

    def test_a_cpuid_is_a_problem(self):
        found = surface.cpuid_problems(Path("x.o"),
                                       lambda _: self.DISASSEMBLY)
        self.assertEqual(len(found), 1)
        self.assertIn("1 CPUID", found[0])

    def test_none_is_fine(self):
        text = self.DISASSEMBLY.replace("\tcpuid", "\tnop")
        self.assertEqual(surface.cpuid_problems(Path("x.o"),
                                                lambda _: text), [])

    def test_a_failed_disassembly_is_a_problem(self):
        def fail(_):
            raise OSError("no such file")
        self.assertEqual(len(surface.cpuid_problems(Path("x.o"), fail)), 1)
