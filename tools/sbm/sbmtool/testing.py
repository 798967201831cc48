# SPDX-License-Identifier: GPL-2.0-only
"""`sbm test`: build, boot and collect KUnit verdicts per configuration."""
import hashlib
import shutil
import sys
from pathlib import Path

from . import build, deps, logcheck, mce, paths, results, selftests, vm
from .progress import Failure, phase, run

GUEST_CHECKS = paths.TOOL_DIR / "guest" / "cpio-check.sh"
LEVEL_CHECK = paths.TOOL_DIR / "guest" / "level-check.sh"
LDT_GS_SOURCE = paths.TOOL_DIR / "guest" / "ldt-gs.c"
KMEMLEAK_SCAN = paths.TOOL_DIR / "guest" / "kmemleak-scan.sh"
# Written to the kernel log before the KUnit modules load: what follows is
# their KTAP, which kunit.py parses on its own.
MODULES_MARK = "SBM-KUNIT-MODULES"
# Squashfs images the guest mounts, one per sandboxed decompressor: the
# name in the checks' names, and mksquashfs's name for the compressor.
SQUASHFS_COMPRESSORS = (("lz4", "lz4"), ("zlib", "gzip"), ("zstd", "zstd"))
USERSPACE_CHECKS = ("listing", "empty-read", "small-reads", "truncated",
                    "ldt-gs", "level") + tuple(
    f"squashfs-{name}-{check}" for name, _ in SQUASHFS_COMPRESSORS
    for check in ("read", "sandboxed", "damaged"))
SQUASHFS_CHECK = paths.TOOL_DIR / "guest" / "squashfs-check.sh"
# Where a damaged image is overwritten (offset, length), per compressor:
# inside the first data block, which mksquashfs writes right after the
# 96-byte superblock. zstd frames from mksquashfs carry no checksum, and
# damaged literals decode without an error, in a sandbox or not: there
# the damage starts at the frame header's descriptor, after the magic
# number, so that the decoder takes it for a frame and must find it bad.
SQUASHFS_DAMAGE = {"lz4": (2048, 256), "zlib": (2048, 256),
                   "zstd": (100, 256)}


def build_guest_programs() -> Path:
    """The guest checks' own programs, built on the host (the guest sees
    the host's root file system)."""
    out = paths.cache_dir() / "guest" / "ldt-gs"
    out.parent.mkdir(parents=True, exist_ok=True)
    # Not position-independent: an LDT base has 32 bits (ldt-gs.c).
    run(["gcc", "-O2", "-Wall", "-no-pie", "-o", str(out),
         str(LDT_GS_SOURCE)],
        log=paths.cache_dir() / "guest-programs.log")
    return out


def build_squashfs_images() -> Path:
    """Squashfs images for the guest, per compressor in a directory of its
    own: a good one, its checksum, and one with a damaged data block."""
    out = paths.cache_dir() / "guest" / "squashfs"
    tree = out / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    (tree / "etc").mkdir(parents=True)
    words = [f"line {i}: sandboxed decompression of block {i // 100}\n"
             for i in range(6000)]
    (tree / "big.txt").write_text("".join(words))
    (tree / "etc" / "motd").write_text("hello from a squashfs image\n")
    (tree / "bytes.bin").write_bytes(bytes((i * 7919) % 251
                                           for i in range(70000)))
    digest = hashlib.md5()
    for f in sorted(p for p in tree.rglob("*") if p.is_file()):
        digest.update(f.read_bytes())
    for name, comp in SQUASHFS_COMPRESSORS:
        (out / name).mkdir(exist_ok=True)
        good, bad = out / name / "good.sqfs", out / name / "bad.sqfs"
        run(["mksquashfs", str(tree), str(good), "-comp", comp,
             "-noappend", "-quiet", "-no-progress", "-all-root"],
            log=paths.cache_dir() / "guest-programs.log")
        (out / name / "good.md5").write_text(digest.hexdigest() + "\n")
        data = bytearray(good.read_bytes())
        start, length = SQUASHFS_DAMAGE[name]
        data[start:start + length] = b"\xff" * length
        bad.write_bytes(bytes(data))
    return out


def squashfs_command() -> str:
    """The guest's mounts of the images, one check script per compressor."""
    images = build_squashfs_images()
    return "".join(f"sh {SQUASHFS_CHECK} {images / name} {name}; "
                   for name, _ in SQUASHFS_COMPRESSORS)


def kunit_parse(log: Path, json_out: Path) -> None:
    """The kernel's own parser turns the guest's log into JSON."""
    kunit = paths.tree_dir() / "tools" / "testing" / "kunit" / "kunit.py"
    if json_out.exists():
        json_out.unlink()
    run([sys.executable, str(kunit), "parse", str(log.resolve()),
         f"--json={json_out.resolve()}"], check=False,
        log=json_out.with_suffix(".parse.log"))
    if not json_out.exists():
        raise Failure(f"kunit.py parse wrote no JSON for {log}")


def userspace_expected(config: str, row=None) -> tuple:
    """The user-space checks a boot must report: the x86 selftests run in
    a configuration's own boot only, not in its mitigation-matrix rows;
    a row that checks sbm.strict reports that too."""
    if row is None and config in selftests.CONFIGS:
        return USERSPACE_CHECKS + selftests.check_names()
    if row is not None and row.strict:
        return USERSPACE_CHECKS + ("strict",)
    return USERSPACE_CHECKS


def level_command(config: str, row=None) -> str:
    """The guest's check of the level the boot runs at (and of sbm.strict):
    a configuration's own boot runs at the level it is named after."""
    level = config if row is None else row.level
    strict = " strict" if row is not None and row.strict else ""
    return f"sh {LEVEL_CHECK} {level}{strict}; "


def baseline_log(out_dir: Path):
    """The baseline configuration's guest output, if it came from the
    baseline kernel as it is now built."""
    log = out_dir / f"{selftests.BASELINE}.log"
    kernel = paths.build_dir(selftests.BASELINE) / "arch/x86/boot/bzImage"
    if log.exists() and kernel.exists() and \
            log.stat().st_mtime > kernel.stat().st_mtime:
        return log.read_text(errors="backslashreplace")
    return None


def modules_command(config: str) -> str:
    mods = paths.KUNIT_MODULES.get(config, {})
    if not mods:
        return ""
    build_dir = paths.build_dir(config)
    return f"echo {MODULES_MARK} > /dev/kmsg; " + "".join(
        f"insmod {build_dir / m}; " for m in mods)


def split_log(output: str) -> tuple:
    """The guest output up to the modules mark, and from it on."""
    lines = output.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.rstrip().endswith(MODULES_MARK) and "]" in line:
            return "".join(lines[:i]), "".join(lines[i:])
    return output, ""


def module_verdicts(config: str, text: str, out_dir: Path, name: str):
    """Verdicts of the KUnit modules, from their part of the log."""
    suites = [s for v in paths.KUNIT_MODULES.get(config, {}).values()
              for s in v]
    if not suites:
        return None
    log = out_dir / f"{name}-modules.log"
    log.write_text(text)
    json_out = out_dir / f"{name}-modules.json"
    if not text:
        return results.Verdicts(name, missing=suites)
    kunit_parse(log, json_out)
    return results.from_json(name, json_out.read_text(), suites)


def mitigation_checks(output: str, row) -> list:
    """(name, passed, details): the log shows each mitigation of the row in
    effect, or the kernel saying the CPU cannot do it (then not shown)."""
    details, ok = [], True
    for proof in row.proofs:
        if proof in output:
            continue
        refusal = dict(row.unavailable).get(proof)
        if refusal and refusal in output:
            details.append(f"not shown: {proof!r}: the kernel says "
                           f"{refusal!r} (QEMU TCG lacks the feature)")
        else:
            ok = False
            details.append(f"kernel log lacks {proof!r}: the mitigation did "
                           "not take effect, so this boot proves nothing")
    return [("mitigation-in-effect", ok, details)]


def test_boot(config: str, out_dir: Path, row=None) -> results.Verdicts:
    """Boot a built configuration, plain or with a mitigation-matrix row
    (name, kernel parameters, proofs), and collect every verdict."""
    name = config if row is None else f"{config}+{row.name}"
    append = () if row is None else row.params
    selftests_here = row is None and config in selftests.CONFIGS
    log = out_dir / f"{name}.log"
    # The suites are built in and run during boot; the log holds them.
    # The user-space checks run first, their lines precede the KTAP;
    # kmemleak scans last, when everything that could leak has run.
    command = f"sh {GUEST_CHECKS} {build_guest_programs()}; "
    command += squashfs_command()
    command += level_command(config, row)
    if selftests_here:
        selftests.build()
        command += selftests.guest_command() + "; "
    command += modules_command(config)
    command += f"sh {KMEMLEAK_SCAN}; "
    output = vm.boot(config, command + "dmesg", log=log, append=append,
                     qemu_opts=() if row is None else row.qemu_opts)
    boot_part, modules_part = split_log(output)
    boot_log = out_dir / f"{name}-boot.log"
    boot_log.write_text(boot_part)
    json_out = out_dir / f"{name}.json"
    kunit_parse(boot_log, json_out)
    v = results.from_json(name, json_out.read_text(),
                          paths.expected_suites(config), paths.EXPECTED_CASES)
    mv = module_verdicts(config, modules_part, out_dir, name)
    if mv:
        v.cases += mv.cases
        v.missing += mv.missing
    v.userspace = results.userspace_checks(
        output, userspace_expected(config, row))
    checks = logcheck.verdicts(
        output, () if row is None else tuple(r for _, r in row.unavailable))
    if row is not None:
        checks += mitigation_checks(output, row)
    if selftests_here and config != selftests.BASELINE:
        baseline = baseline_log(out_dir)
        if baseline is None:
            checks.append((f"selftests-as-on-{selftests.BASELINE}", False,
                           [f"no output of the current {selftests.BASELINE}"
                            " kernel to compare the selftests with: test "
                            f"{selftests.BASELINE} too"]))
        else:
            checks += selftests.same_as_baseline(output, baseline)
    for check, ok, details in checks:
        v.userspace.append((check, ok))
        v.notes += [f"{check}: {d}" for d in details]
    return v


def test_injected_mce(config: str, out_dir: Path, row) -> results.Verdicts:
    """Boot with the host injecting machine checks (sbmtool/mce.py); the
    one test the boot runs must pass, not skip."""
    name = f"{config}+{row.name}"
    injector = mce.Injector()
    injector.start()
    try:
        output = vm.boot(config, f"sh {KMEMLEAK_SCAN}; dmesg",
                         log=out_dir / f"{name}.log",
                         append=row.params + mce.KERNEL_PARAMS +
                         (f"hostile_kunit.inject_mce={mce.CPU}",),
                         qemu_opts=row.qemu_opts + injector.qemu_opts())
    finally:
        injector.stop()
    boot_log = out_dir / f"{name}-boot.log"
    boot_log.write_text(output)
    json_out = out_dir / f"{name}.json"
    kunit_parse(boot_log, json_out)
    v = results.from_json(name, json_out.read_text(), ("sbm_x86_hostile",))
    # A skip here means the guest saw no injection: that proves nothing.
    v.cases = [(s, c, "FAIL" if st == "SKIP" else st) for s, c, st in v.cases]
    ok = injector.injected > 0 and injector.error is None
    v.userspace.append(("machine-checks-injected", ok))
    v.notes.append(f"machine-checks-injected: {injector.injected} injected"
                   f" ({injector.poisoned} consumed poison in a sandbox)"
                   + (f"; {injector.error}" if injector.error else ""))
    # The kernel's handler ran for real: nothing may have warned.
    for check, passed, details in logcheck.verdicts(output, ()):
        v.userspace.append((check, passed))
        v.notes += [f"{check}: {d}" for d in details]
    return v


def failed_boot(name: str, config: str, row=None):
    """The verdicts of a boot that produced nothing: all of it failed."""
    return results.Verdicts(
        name, missing=list(paths.expected_suites(config)),
        userspace=[(n, False) for n in userspace_expected(config, row)]
        + [(logcheck.KERNEL_LOG, False), (logcheck.KMEMLEAK, False)])


def test_config(config: str, out_dir: Path) -> list:
    """The configuration's own boot, then its mitigation-matrix rows."""
    verdicts = []
    try:
        build.build(config)
    except Failure as e:
        phase(f"test {config}: {e}")
        return [failed_boot(config, config)]
    for row in (None,) + paths.MITIGATION_MATRIX.get(config, ()):
        name = config if row is None else f"{config}+{row.name}"
        try:
            verdicts.append(test_boot(config, out_dir, row))
        except Failure as e:
            phase(f"test {name}: {e}")
            verdicts.append(failed_boot(name, config, row))
    row = paths.MCE_INJECTION.get(config)
    if row is not None:
        try:
            verdicts.append(test_injected_mce(config, out_dir, row))
        except Failure as e:
            phase(f"test {config}+{row.name}: {e}")
            verdicts.append(results.Verdicts(f"{config}+{row.name}",
                                             missing=["sbm_x86_hostile"]))
    return verdicts


def cmd_test(args) -> int:
    deps.ensure()
    out_dir = Path(args.results) if args.results else \
        paths.cache_dir() / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    verdicts = []
    # In the order of paths.CONFIGS: the selftests' baseline comes first.
    for config in [c for c in paths.CONFIGS
                   if not args.config or c in args.config]:
        verdicts += test_config(config, out_dir)
    phase(f"test: results in {out_dir}")
    for v in verdicts:
        print("\n".join(results.summary_lines(v)))
    print(results.total_line(verdicts))
    bad_userspace = any(not ok for v in verdicts for _, ok in v.userspace)
    return 1 if bad_userspace or any(v.failed or not v.passed
                                     for v in verdicts) else 0
