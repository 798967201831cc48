# SPDX-License-Identifier: GPL-2.0-only
"""`sbm bench`: what a sandboxed call costs, measured in one boot per
kernel and clock.

Each configuration's kernel is booted; the guest loads the benchmark
module (kernel/sbm_bench.c), which times direct calls, memcpy() and warm
and cold sandboxed calls of one parser, and runs guest/bench-user.c for
the getppid() and user-mode-helper (pipe) rows. Both print
"sbm_bench: key=value ..." lines, parsed here into rows.

Clocks: "icount" boots QEMU with -icount shift=0, where a nanosecond of
guest time is one guest instruction: deterministic, the headline.
"tcg" is QEMU's normal time: supplementary, it varies with the host. On
KVM or real hardware the same module gives real time.
"""
import datetime
import json
import re
import subprocess
from pathlib import Path

from . import build, deps, paths, vm
from .progress import Failure, phase, run

CONFIGS = ("none", "weak", "strong")
CLOCKS = {"icount": ("-icount shift=0",), "tcg": ()}
USER_SOURCE = paths.TOOL_DIR / "guest" / "bench-user.c"
PLOT = paths.TOOL_DIR / "sbmtool" / "plot.py"
LINE = re.compile(r"sbm_bench: level=(\w+) row=(\w+) size=(\d+) (.*)")
SIZES = (64, 4096, 65536, 1048576)
KIB64 = 65536
# The test kernels carry kmemleak and lockdep for the tests' sake, which
# no distribution kernel does; off at boot, they cost what a branch does.
APPEND = ("kmemleak=off", "lockdep.prove_locking=0")


def parse(output: str, config: str, clock: str) -> list:
    """Rows of one boot: a dict per "sbm_bench:" line."""
    rows = []
    for m in LINE.finditer(output):
        row = {"config": config, "clock": clock, "level": m.group(1),
               "row": m.group(2), "size": int(m.group(3))}
        for item in m.group(4).split():
            if "=" in item:
                key, value = item.split("=", 1)
                row[key] = float(value) if "." in value else int(value)
            else:
                row[item] = True
        rows.append(row)
    return rows


def build_user() -> Path:
    out = paths.cache_dir() / "guest" / "bench-user"
    out.parent.mkdir(parents=True, exist_ok=True)
    run(["gcc", "-O2", "-Wall", "-o", str(out), str(USER_SOURCE)],
        log=paths.cache_dir() / "guest-programs.log")
    return out


def guest_command(config: str, user: Path) -> str:
    module = paths.build_dir(config) / "kernel" / "sbm_bench.ko"
    if not module.exists():
        raise Failure(f"{module} missing: CONFIG_SANDBOX_MODE_BENCH=m?")
    return (f"insmod {module} && dmesg | grep -o 'sbm_bench: .*'; "
            f"{user}")


def find(rows, config, clock, row, size=0):
    return next((r for r in rows if r["config"] == config and
                 r["clock"] == clock and r["row"] == row and
                 r["size"] == size), None)


# The real users' rows: the sandboxed decompressors, warm, next to the
# kernel's own on the same data (sizes are decompressed bytes).
USER_ROWS = ("lz4_direct", "lz4_warm", "zlib_direct", "zlib_warm",
             "zstd_direct", "zstd_warm")


def unit(clock: str) -> str:
    return "instructions" if clock == "icount" else "ns"


def table(rows: list) -> str:
    """One block per configuration and clock: rows by size."""
    out = []
    for clock in CLOCKS:
        for config in CONFIGS:
            mine = [r for r in rows if r["config"] == config and
                    r["clock"] == clock]
            if not mine:
                continue
            level = next((r["level"] for r in mine
                          if r["level"] != "user"), "?")
            out.append(f"{config} kernel ({level} isolation), clock {clock}"
                       f" (median per call, {unit(clock)}):")
            out.append(f"  {'row':10}" + "".join(f"{s:>12}" for s in SIZES))
            for name in ("direct", "memcpy", "warm", "cold",
                         "pipe") + USER_ROWS:
                cells = [find(rows, config, clock, name, s) for s in SIZES]
                if any(cells):
                    out.append(f"  {name:10}" + "".join(
                        f"{c['median_ns']:>12}" if c else f"{'-':>12}"
                        for c in cells))
            par = find(rows, config, clock, "parallel", 64)
            if judged_by_instructions(par, clock):
                out.append(f"  parallel: {system_per_call(par):.0f} "
                           f"instructions per call on all {par['cpus']} "
                           "vCPUs at once (all vCPUs' instructions / "
                           f"calls), {system_per_call(par, True):.0f} on "
                           "one alone")
            elif par and "solo_ns" in par:
                out.append(f"  parallel: {par['median_ns']} per call on "
                           f"all {par['cpus']} vCPUs at once (median "
                           f"over vCPUs), {system_per_call(par, True):.0f}"
                           " on one alone")
            getppid = find(rows, config, clock, "getppid")
            if getppid:
                out.append(f"  getppid() round trip: {getppid['median_ns']}")
            for c in (find(rows, config, clock, "counts", s) for s in SIZES):
                if c:
                    out.append(
                        f"  per warm call at {c['size']} B: "
                        f"{c['pages_per_call']} page allocations, "
                        f"{c['ipis_per_call']} TLB-flush/function-call "
                        "IPIs, "
                        f"{c['entries_per_call']} sandbox entries, "
                        f"{c['invlpg_per_call']} INVLPG")
            for w in (find(rows, config, clock, "writes", s) for s in SIZES):
                if w:
                    out.append(
                        f"  writes per warm call at {w['size']} B: "
                        f"{w['cr3_per_call']} CR3, {w['lidt_per_call']} LIDT, "
                        f"{w['msr_per_call']} WRMSR, "
                        f"{w['cr0_cr4_per_call']} CR0/CR4, "
                        f"{w['wrpkru_per_call']} WRPKRU")
    return "\n".join(out)


def system_per_call(par: dict, solo: bool = False) -> float:
    """What one call of the parallel row cost the whole guest: with solo,
    in the same loop on one CPU alone.

    Under -icount QEMU runs the vCPUs in turns on one thread, and every
    vCPU's instructions advance the one guest clock, so the time the loops
    took is the instructions all vCPUs executed, and elapsed / calls is a
    call's cost in instructions however many vCPUs shared the work. Work
    that grows with the number of CPUs (IPIs and their handlers, retries)
    shows here, deterministically. Contention does not: a vCPU runs
    hundreds of calls before the next takes its turn, and TCG models no
    caches; the tcg clock, where the vCPUs run at once, is the check for
    that, a noisy one. (Each vCPU's own time per call, the row's median,
    counts the others' instructions too under -icount.)
    """
    if solo:
        return par["solo_ns"] / max(par["solo_calls"], 1)
    return par["elapsed_ns"] / max(par["calls"], 1)


def judged_by_instructions(par, clock: str) -> bool:
    return bool(par) and clock == "icount" and "solo_ns" in par


def targets(rows: list, clock: str = "icount") -> list:
    """(target, figure, met) for the issue's targets, strong kernel."""
    res = []
    c = "strong"
    warm = find(rows, c, clock, "warm", 64)
    getppid = find(rows, c, clock, "getppid")
    pipe = find(rows, c, clock, "pipe", 64)
    if warm and getppid:
        r = warm["median_ns"] / max(getppid["median_ns"], 1)
        res.append(("warm 64 B call <= 2x getppid()", f"{r:.1f}x", r <= 2))
    if warm and pipe:
        r = pipe["median_ns"] / max(warm["median_ns"], 1)
        res.append(("warm call >= 10x cheaper than the pipe helper",
                    f"{r:.1f}x", r >= 10))
    for size in (KIB64, 1048576):
        w, d, m = (find(rows, c, clock, n, size)
                   for n in ("warm", "direct", "memcpy"))
        if w and d and m:
            r = (w["median_ns"] - d["median_ns"]) / max(m["median_ns"], 1)
            res.append((f"copy overhead at {size} B <= 1.2x memcpy",
                        f"{r:.1f}x", r <= 1.2))
    cold = find(rows, c, clock, "cold", 64)
    if cold and warm:
        r = cold["median_ns"] / max(warm["median_ns"], 1)
        res.append(("cold 64 B call <= 10x warm", f"{r:.1f}x", r <= 10))
    counts = find(rows, c, clock, "counts", 64)
    if counts:
        for key, want in (("entries_per_call", 1), ("invlpg_per_call", 0),
                          ("pages_per_call", 0), ("ipis_per_call", 0)):
            res.append((f"{key} = {want}", f"{counts[key]}",
                        counts[key] <= want))
    par = find(rows, c, clock, "parallel", 64)
    if judged_by_instructions(par, clock):
        r = system_per_call(par) / max(system_per_call(par, True), 1)
        res.append((f"warm 64 B calls on all {par['cpus']} vCPUs at once: "
                    "instructions per call <= 1.1x one CPU alone",
                    f"{r:.2f}x", r <= 1.1))
    par_tcg = find(rows, c, "tcg", "parallel", 64)
    if par_tcg and "solo_ns" in par_tcg:
        r = par_tcg["median_ns"] / max(system_per_call(par_tcg, True), 1)
        res.append((f"warm 64 B call on all {par_tcg['cpus']} vCPUs at "
                    "once <= 1.5x one CPU alone (tcg clock: vCPUs run "
                    "at once, on a busy host)", f"{r:.2f}x", r <= 1.5))
    if par:
        res.append(("IPIs per warm call on all vCPUs at once = 0",
                    f"{par['ipis_per_call']}", par["ipis_per_call"] == 0))
    for user in ("lz4", "zlib", "zstd"):
        w, d = (find(rows, c, clock, f"{user}_{n}", KIB64)
                for n in ("warm", "direct"))
        if w and d:
            r = w["median_ns"] / max(d["median_ns"], 1)
            res.append((f"sandboxed {user} at 64 KiB <= 1.1x direct",
                        f"{r:.2f}x", r <= 1.1))
    base = find(rows, "none", clock, "getppid")
    sbm = find(rows, c, clock, "getppid")
    if base and sbm:
        r = sbm["median_ns"] / max(base["median_ns"], 1) - 1
        res.append(("getppid() on the strong kernel within 1% of none",
                    f"{r * 100:+.1f}%", r <= 0.01))
    return res


def plot(data: dict, png: Path) -> None:
    python = paths.venv_dir() / "bin" / "python"
    src = png.with_suffix(".json")
    run([str(python), str(PLOT), str(src), str(png)], env=deps.build_env())


def cmd_bench(args) -> int:
    deps.ensure()
    configs = args.config or list(CONFIGS)
    clocks = list(CLOCKS) if args.clock == "both" else [args.clock]
    user = build_user()
    rows = []
    for config in configs:
        build.build(config)
        for clock in clocks:
            output = vm.boot(config, guest_command(config, user),
                             append=APPEND, qemu_opts=CLOCKS[clock],
                             cpus=args.cpus)
            got = parse(output, config, clock)
            if not any(r["row"] == "warm" for r in got) or \
                    any(r.get("error") for r in got):
                raise Failure(f"bench {config} ({clock}): no complete "
                              f"result; guest said:\n{output[-2000:]}")
            rows += got
    print(table(rows))
    goals = targets(rows)
    if goals:
        print("targets (strong kernel; icount clock unless said):")
        for name, figure, met in goals:
            print(f"  {'met   ' if met else 'MISSED'} {name}: {figure}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        head = subprocess.run(["git", "-C", str(paths.tree_dir()),
                               "describe", "--always", "--dirty"],
                              capture_output=True, text=True).stdout.strip()
        data = {"date": datetime.datetime.now(datetime.timezone.utc)
                .isoformat(timespec="seconds"),
                "kernel": head,
                "clocks": {"icount": "QEMU -icount shift=0: guest "
                           "instructions (1 ns of guest time each)",
                           "tcg": "QEMU TCG guest time, ns"},
                "rows": [dict(r, unit=unit(r["clock"])) for r in rows],
                "targets": [{"target": n, "figure": f, "met": m}
                            for n, f, m in goals]}
        (out / "bench.json").write_text(json.dumps(data, indent=1) + "\n")
        plot(data, out / "bench.png")
        phase(f"bench: wrote {out / 'bench.json'} and {out / 'bench.png'}")
    return 0
