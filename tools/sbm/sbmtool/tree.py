# SPDX-License-Identifier: GPL-2.0-only
"""`sbm tree`: the base tree in the cache, with patches/ applied by git am."""
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from . import paths
from .progress import Failure, phase, run

BASE_TAG = "sbm-base"
# Fixed identity and dates make the base commit, and every commit git am
# makes on it, the same on every machine: export is then reproducible.
IDENTITY = {
    "GIT_AUTHOR_NAME": "SBM base", "GIT_AUTHOR_EMAIL": "sbm@localhost",
    "GIT_COMMITTER_NAME": "SBM base", "GIT_COMMITTER_EMAIL": "sbm@localhost",
    "GIT_AUTHOR_DATE": "2026-11-15T22:30:00Z",
    "GIT_COMMITTER_DATE": "2026-11-15T22:30:00Z",
}
STATE_FILE = "sbm-series"


def series_patches(patch_dir: Path = paths.PATCH_DIR) -> list:
    """The series in order, without the cover letter."""
    return sorted(p for p in patch_dir.glob("*.patch")
                  if not p.name.startswith("0000-"))


def series_hash(patches) -> str:
    h = hashlib.sha256()
    for p in patches:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def series_action(recorded_hash, recorded_head, patches_hash, head) -> str:
    """Decide what to do with the tree's applied series.

    up-to-date: the tree holds exactly patches/.
    reapply:    patches/ changed, the tree has no work of its own.
    local:      the tree has commits not exported yet; keep them.
    conflict:   both changed; applying patches/ would lose the tree's work.
    """
    if recorded_head is None:
        return "reapply"
    if head == recorded_head:
        return "up-to-date" if recorded_hash == patches_hash else "reapply"
    return "local" if recorded_hash == patches_hash else "conflict"


def git(*args, cwd=None, check=True, env=None):
    return run(["git", *args], cwd=cwd or paths.tree_dir(), check=check,
               env=env)


def _fetch_deb() -> Path:
    dl = paths.cache_dir() / "dl"
    debs = sorted(dl.glob(f"{paths.BASE_PACKAGE}_*.deb"))
    pinned = [d for d in debs if paths.BASE_VERSION.replace("~", "%7e")
              in d.name or paths.BASE_VERSION in d.name]
    if pinned:
        return pinned[0]
    apt = paths.cache_dir() / "apt-bpo"
    for sub in ("lists/partial", "cache/archives/partial"):
        (apt / sub).mkdir(parents=True, exist_ok=True)
    (apt / "sources.list").write_text(paths.BASE_SUITE + "\n")
    # A private apt configuration: this one download comes from the newer
    # suite, nothing installed on the system does.
    opts = [f"-oDir::Etc::SourceList={apt / 'sources.list'}",
            "-oDir::Etc::SourceParts=/dev/null",
            f"-oDir::State::Lists={apt / 'lists'}",
            f"-oDir::Cache={apt / 'cache'}"]
    dl.mkdir(parents=True, exist_ok=True)
    phase(f"tree: downloading {paths.BASE_PACKAGE} {paths.BASE_VERSION}")
    run(["apt-get", *opts, "update", "-q"], cwd=dl)
    got = run(["apt-get", *opts, "download",
               f"{paths.BASE_PACKAGE}={paths.BASE_VERSION}"], cwd=dl,
              check=False)
    if got.returncode:
        phase(f"tree: {paths.BASE_VERSION} has left the archive; using "
              f"the newest {paths.BASE_PACKAGE} instead")
        run(["apt-get", *opts, "download", paths.BASE_PACKAGE], cwd=dl)
    debs = sorted(dl.glob(f"{paths.BASE_PACKAGE}_*.deb"))
    if not debs:
        raise Failure(f"no {paths.BASE_PACKAGE} package downloaded")
    return debs[-1]


def _unpack(deb: Path) -> None:
    tree = paths.tree_dir()
    phase(f"tree: unpacking {deb.name} (about a minute)")
    with tempfile.TemporaryDirectory(dir=paths.cache_dir()) as tmp:
        run(["dpkg-deb", "-x", str(deb), tmp])
        tarball = next(Path(tmp, "usr/src").glob("linux-source-*.tar.*"))
        run(["tar", "-xf", str(tarball), "-C", tmp])
        src = next(p for p in Path(tmp).iterdir()
                   if p.is_dir() and p.name.startswith("linux-source"))
        tree.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(src), str(tree))
    phase("tree: recording the base commit (about 2 minutes)")
    env = dict(os.environ, **IDENTITY)
    git("init", "-q", "-b", "sbm")
    # Debian's .gitignore ignores the whole top level: force.
    git("add", "-f", "-A", ".")
    version = deb.name.split("_")[1]
    git("commit", "-q", "-m", f"Linux {version.split('-')[0]} "
        f"(Debian {paths.BASE_PACKAGE} {version})", env=env)
    git("tag", BASE_TAG)


def _read_state():
    state = paths.tree_dir() / ".git" / STATE_FILE
    if not state.exists():
        return None, None
    h, head = state.read_text().split()
    return h, head


def _write_state(h: str) -> None:
    head = git("rev-parse", "HEAD").stdout.strip()
    (paths.tree_dir() / ".git" / STATE_FILE).write_text(f"{h} {head}\n")


def _apply(patches) -> None:
    git("reset", "-q", "--hard", BASE_TAG)
    env = dict(os.environ, **{k: v for k, v in IDENTITY.items()
                              if k.startswith("GIT_COMMITTER_N") or
                              k.startswith("GIT_COMMITTER_E")})
    for p in patches:
        out = git("am", "-q", "--committer-date-is-author-date", str(p),
                  check=False, env=env)
        if out.returncode:
            git("am", "--abort", check=False)
            raise Failure(f"patch {p.name} does not apply to the base "
                          f"tree:\n{out.stdout}{out.stderr}")
    phase(f"tree: applied {len(patches)} patches")


def ensure(force: bool = False) -> Path:
    tree = paths.tree_dir()
    if not (tree / ".git").exists():
        if tree.exists():
            shutil.rmtree(tree)
        _unpack(_fetch_deb())
    patches = series_patches()
    want = series_hash(patches)
    rec_hash, rec_head = _read_state()
    head = git("rev-parse", "HEAD").stdout.strip()
    action = series_action(rec_hash, rec_head, want, head)
    if action == "conflict" and not force:
        raise Failure(f"{tree} has commits that are not exported and "
                      "patches/ changed too: run `sbm export` to keep the "
                      "tree's work, or `sbm tree --force` to drop it")
    if action == "local":
        phase("tree: keeping the tree's own commits (not exported yet)")
    elif action == "up-to-date":
        phase("tree: series already applied")
    else:
        _apply(patches)
        _write_state(want)
    return tree


def mark_exported() -> None:
    """After export, the tree and patches/ agree again."""
    _write_state(series_hash(series_patches()))


def cmd_tree(args) -> int:
    print(ensure(force=args.force))
    return 0


def uapi_headers() -> Path:
    """`make headers` of the tree, once: the UAPI headers (for user-space
    tests) and scripts/unifdef, in the cache's headers directory."""
    headers = paths.cache_dir() / "headers"
    if not (headers / "usr" / "include" / "linux").exists() or \
            not (headers / "scripts" / "unifdef").exists():
        phase("tree: installing UAPI headers (~30 s)")
        run(["make", "-C", str(paths.tree_dir()), f"O={headers}", "headers"],
            log=paths.cache_dir() / "headers.log")
    return headers
