#!/usr/bin/env python3
"""Give every chapter its "Open in Colab" and "Launch Binder" badges and a first cell that installs the package.

Both are built from settings.ini (`user`, `repo`, `branch`, `git_url`), so they are written in one place only. The
badges go in a markdown cell of their own right after the title cell (nbdev turns the title cell into the page's
front matter and drops whatever else it holds). The install cell comes right after the badges; it is hidden on the
website, does nothing when lstm_book is importable, and installs it (with the `book` extra) on Colab. Its
`eval: false` only keeps nbdev_docs from running it while it renders the site; Jupyter and nbval ignore it.

    python tools/badges.py                  # check: list the chapters whose cells are missing or stale
    python tools/badges.py --write          # add or refresh the cells in every chapter
    python tools/badges.py --write nbs/04_lstm.ipynb ...   # only these notebooks
"""
import argparse
import configparser
import json
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
COLAB_ALT, BINDER_ALT = "Open In Colab", "Launch Binder"
# binder/start turns quick mode on; the reader learns it, and how to turn it off, where the badge is.
QUICK_NOTE = ("On Binder the notebook runs in quick mode (less data, fewer epochs); "
              "run `%env LSTM_BOOK_QUICK=0` first for full mode.")
SPDX = {"apache2": "Apache-2.0", "mit": "MIT", "bsd3": "BSD-3-Clause", "gpl3": "GPL-3.0-only"}
INSTALL_MARK = "# Installs lstm_book when it is missing (Colab); silent otherwise."


def settings(root=ROOT):
    cfg = configparser.ConfigParser(delimiters=["="])
    cfg.read(Path(root) / "settings.ini", encoding="utf-8")
    return cfg["DEFAULT"]


def chapters(root=ROOT):
    "The numbered notebooks: every chapter and appendix (not the home page)."
    return sorted((Path(root) / "nbs").glob("[0-9][0-9]_*.ipynb"))


def badge_markdown(nb_name, cfg):
    "The badge line for notebook `nb_name` (a file name in nbs/)."
    user, repo, branch = cfg["user"], cfg["repo"], cfg["branch"]
    path = f"{cfg.get('nbs_path', 'nbs')}/{nb_name}"
    colab = f"https://colab.research.google.com/github/{user}/{repo}/blob/{branch}/{path}"
    binder = f"https://mybinder.org/v2/gh/{user}/{repo}/{branch}?labpath={quote(path, safe='')}"
    return (f"[![{COLAB_ALT}](https://colab.research.google.com/assets/colab-badge.svg)]({colab}) "
            f"[![{BINDER_ALT}](https://mybinder.org/badge_logo.svg)]({binder})\n\n"
            f"<small>{QUICK_NOTE}</small>")


def repo_badges(cfg):
    "The badges at the top of README.md and the home page: tests, documentation, licence."
    git, site = cfg["git_url"].rstrip("/"), cfg["doc_host"].rstrip("/") + cfg["doc_baseurl"]
    actions = f"{git}/actions/workflows"
    spdx = SPDX.get(cfg["license"], cfg["license"])
    return (f"[![tests]({actions}/test.yaml/badge.svg)]({actions}/test.yaml) "
            f"[![docs]({actions}/deploy.yaml/badge.svg)]({site}) "
            f"[![licence: {spdx}](https://img.shields.io/badge/licence-{spdx.replace('-', '--')}-blue.svg)]"
            f"({git}/blob/{cfg['branch']}/LICENSE)")


def install_source(cfg):
    "The hidden first code cell: install the package from the book's own repository when it is missing."
    url = f"git+{cfg['git_url'].rstrip('/')}@{cfg['branch']}"
    return "\n".join([
        "#| hide",
        "#| eval: false",
        INSTALL_MARK,
        "try:",
        f"    import {cfg['lib_name']}",
        "except ImportError:",
        "    import subprocess, sys",
        f'    url = "{url}"',
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q",',
        f'                    f"{cfg["lib_name"]}[book] @ {{url}}"], check=True)',
    ])


def _src(cell): return "".join(cell["source"])
def _is_badges(cell): return cell["cell_type"] == "markdown" and _src(cell).startswith(f"[![{COLAB_ALT}]")
def _is_install(cell): return cell["cell_type"] == "code" and INSTALL_MARK in _src(cell)


def _lines(text): return text.splitlines(True)


def title_index(nb, path):
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown" and _src(cell).lstrip().startswith("# "):
            return i
    raise ValueError(f"{path}: expected a markdown title cell ('# Title'); found none")


def expected_cells(nb_path, cfg):
    badges = {"cell_type": "markdown", "metadata": {}, "source": _lines(badge_markdown(Path(nb_path).name, cfg))}
    install = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": _lines(install_source(cfg))}
    return badges, install


def problems(nb_path, cfg):
    "What is wrong with the two cells after the title of `nb_path` (an empty list when nothing is)."
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    i = title_index(nb, nb_path)
    badges, install = expected_cells(nb_path, cfg)
    after = nb["cells"][i + 1:i + 3]
    found = []
    if not after or _src(after[0]) != _src(badges):
        found.append("the cell after the title is not the Colab/Binder badge cell")
    if len(after) < 2 or _src(after[1]) != _src(install):
        found.append("the cell after the badges is not the install cell")
    return found


def write(nb_path, cfg):
    "Put the badge and install cells right after the title, replacing older copies. True if the file changed."
    path = Path(nb_path)
    if not problems(path, cfg): return False
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    nb["cells"] = [c for c in nb["cells"] if not (_is_badges(c) or _is_install(c))]
    i = title_index(nb, path)
    nb["cells"][i + 1:i + 1] = list(expected_cells(path, cfg))
    new = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    if new == text: return False
    path.write_text(new, encoding="utf-8")
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="add or refresh the cells (default: only check)")
    ap.add_argument("notebooks", nargs="*", type=Path, help="default: every numbered notebook in nbs/")
    args = ap.parse_args(argv)
    cfg = settings()
    nbs = args.notebooks or chapters()
    bad = 0
    for nb in nbs:
        if args.write:
            if write(nb, cfg): print(f"updated {nb}")
        else:
            for p in problems(nb, cfg):
                bad += 1
                print(f"{nb}: {p}")
    if args.write and nbs:
        print("now run nbdev_clean; the new cells have no output, so nothing needs re-running")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
