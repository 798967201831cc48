# SPDX-License-Identifier: GPL-2.0-only
"""bench.png from bench.json (run by `sbm bench` with the venv's Python,
where `sbm deps` installed matplotlib): cost per call versus buffer size,
one line per kernel and row, log scales, one panel per clock."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# (kernel, row, label, style): the references once, then each level.
LINES = (("none", "direct", "direct call", "k-"),
         ("none", "memcpy", "memcpy()", "k:"),
         ("strong", "pipe", "user-mode helper (pipe)", "m-"),
         ("weak", "warm", "weak, warm", "b-"),
         ("weak", "cold", "weak, cold", "b--"),
         ("strong", "warm", "strong, warm", "r-"),
         ("strong", "cold", "strong, cold", "r--"),
         ("none", "lz4_direct", "LZ4, kernel's", "g-"),
         ("strong", "lz4_warm", "LZ4, strong sandbox", "g--"),
         ("none", "zlib_direct", "zlib inflate, kernel's", "c-"),
         ("strong", "zlib_warm", "zlib inflate, strong sandbox", "c--"),
         ("none", "zstd_direct", "zstd, kernel's", "y-"),
         ("strong", "zstd_warm", "zstd, strong sandbox", "y--"))


def main(src: str, png: str) -> None:
    data = json.load(open(src))
    rows = data["rows"]
    clocks = [c for c in data["clocks"] if any(r["clock"] == c
                                               for r in rows)]
    fig, axes = plt.subplots(1, len(clocks), figsize=(7 * len(clocks), 5),
                             squeeze=False)
    for ax, clock in zip(axes[0], clocks):
        unit = next(r["unit"] for r in rows if r["clock"] == clock)
        for config, name, label, style in LINES:
            pts = sorted((r["size"], r["median_ns"]) for r in rows
                         if r["clock"] == clock and
                         r["config"] == config and r["row"] == name)
            if pts:
                ax.plot(*zip(*pts), style, marker="o", label=label)
        getppid = [r["median_ns"] for r in rows if r["clock"] == clock and
                   r["row"] == "getppid" and r["config"] == "strong"]
        if getppid:
            ax.axhline(getppid[0], linestyle="-.", color="grey",
                       label="getppid() round trip")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("buffer size (bytes)")
        ax.set_ylabel(f"per call ({unit})")
        ax.set_title(f"clock: {clock}")
        ax.legend(fontsize=7)
    fig.suptitle(f"SandBox Mode cost per call, {data['kernel']}, "
                 f"{data['date']}")
    fig.tight_layout()
    fig.savefig(png, dpi=100)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
