# SPDX-License-Identifier: GPL-2.0-only
"""The two representations of the series: patches/ and the kernel-path
folders of the repository. `export` writes both from the tree; the check
proves they agree."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import paths, tree
from .progress import Failure, phase

_DIFF = re.compile(r"^diff --git a/(\S+) b/(\S+)$")
_SHORTLOG = re.compile(r"^\S.* \(\d+\):$")


def touched_files(patch_text: str) -> set:
    """Files a patch creates or changes."""
    return {m.group(2) for m in map(_DIFF.match, patch_text.splitlines())
            if m}


def added_files(patch_text: str) -> list:
    """Files a patch creates."""
    added, current = [], None
    for line in patch_text.splitlines():
        m = _DIFF.match(line)
        if m:
            current = m.group(2)
        elif current and line.startswith("new file mode"):
            added.append(current)
            current = None
        elif line.startswith("@@") or line.startswith("---"):
            current = None
    return added


def _split_cover(text: str):
    """(header lines, blurb lines, rest lines) of a cover letter."""
    lines = text.split("\n")
    head_end = lines.index("")
    rest = next((i for i in range(head_end + 1, len(lines))
                 if _SHORTLOG.match(lines[i])), len(lines))
    return lines[:head_end], lines[head_end + 1:rest], lines[rest:]


def carry_cover(old: str, new: str) -> str:
    """Put the old cover letter's subject and blurb into a fresh one, whose
    shortlog, diffstat and base are current."""
    old_head, old_blurb, _ = _split_cover(old)
    new_head, _, new_rest = _split_cover(new)
    old_subject = next(h for h in old_head if h.startswith("Subject:"))
    old_date = next((h for h in old_head if h.startswith("Date:")), None)
    title = old_subject.split("] ", 1)[1]
    head = []
    for h in new_head:
        if h.startswith("Subject:"):
            h = h.split("] ", 1)[0] + "] " + title
        elif h.startswith("Date:") and old_date:
            h = old_date  # keeps export reproducible
        head.append(h)
    return "\n".join(head + [""] + old_blurb + new_rest)


def series_files_in_repo() -> dict:
    """Repository files that belong to the series: path -> bytes."""
    files = {}
    for top in paths.KERNEL_FOLDERS + paths.KERNEL_FILES:
        root = paths.REPO / top
        items = [root] if root.is_file() else \
            (p for p in root.rglob("*") if p.is_file()) if root.exists() \
            else []
        for p in items:
            rel = p.relative_to(paths.REPO).as_posix()
            if not rel.startswith(paths.NOT_IN_SERIES):
                files[rel] = p.read_bytes()
    return files


def series_files_in_patches(patches) -> dict:
    """Apply, in order, the parts of the patches that touch the files the
    series adds, to an empty directory: path -> bytes of the result."""
    texts = [p.read_text() for p in patches]
    new = sorted({f for t in texts for f in added_files(t)})
    with tempfile.TemporaryDirectory() as tmp:
        for p in patches:
            proc = subprocess.run(
                ["git", "apply", *[f"--include={f}" for f in new], str(p)],
                cwd=tmp, capture_output=True, text=True)
            if proc.returncode:
                raise Failure(f"{p.name}: {proc.stderr.strip()}")
        return {f: Path(tmp, f).read_bytes() for f in new
                if Path(tmp, f).exists()}


def disagreements(in_repo: dict, in_patches: dict) -> list:
    problems = []
    for f in sorted(set(in_repo) | set(in_patches)):
        if f not in in_patches:
            problems.append(f"{f}: in the repository, not added by patches/")
        elif f not in in_repo:
            problems.append(f"{f}: added by patches/, missing from the "
                            "repository")
        elif in_repo[f] != in_patches[f]:
            problems.append(f"{f}: differs from what patches/ produce")
    return problems


def export() -> None:
    t = paths.tree_dir()
    if not (t / ".git").exists():
        raise Failure("no tree to export from: run `sbm tree` first")
    # The cover letter is "from" whoever runs format-patch: make that the
    # series' author, not this machine's git identity.
    name, email = tree.git("log", "-1", "--format=%an%n%ae",
                           "HEAD").stdout.splitlines()
    env = dict(os.environ, GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    with tempfile.TemporaryDirectory() as tmp:
        tree.git("format-patch", "-q", "--cover-letter", "--zero-commit",
                 "--no-signature", f"--base={tree.BASE_TAG}", "-o", tmp,
                 f"{tree.BASE_TAG}..HEAD", env=env)
        fresh = sorted(Path(tmp).glob("*.patch"))
        if len(fresh) < 2:
            raise Failure("the tree has no commits on top of the base")
        old_cover = next(paths.PATCH_DIR.glob("0000-*.patch"), None)
        if old_cover:
            fresh[0].write_text(carry_cover(old_cover.read_text(),
                                            fresh[0].read_text()))
        paths.PATCH_DIR.mkdir(exist_ok=True)
        for p in paths.PATCH_DIR.glob("*.patch"):
            p.unlink()
        for p in fresh:
            shutil.copy(p, paths.PATCH_DIR / p.name)
    added = tree.git("diff", "--name-only", "--diff-filter=A",
                     tree.BASE_TAG, "HEAD").stdout.split()
    for rel in series_files_in_repo():
        if rel not in added:
            (paths.REPO / rel).unlink()
    for rel in added:
        dst = paths.REPO / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(t / rel, dst)
    tree.mark_exported()
    phase(f"export: {len(fresh) - 1} patches, {len(added)} added files")


def cmd_export(args) -> int:
    export()
    return 0
