#!/usr/bin/env python3
"""Chapter numbers in the page titles and the sidebar, as the prose says them: "chapter 7", "appendix A".

A notebook's number comes from its file name: `07_training.ipynb` is chapter 7, `12_x.ipynb` chapter 12, and the
appendices `90_...` to `93_...` are A to D. The notebooks keep their plain first heading; when nbdev renders the
site, `NumberTitles` (an nbdev processor, named in settings.ini's `procs`) puts the number in front of the title
nbdev took from that heading: "7. Training from scratch, ...". The sidebar (nbs/sidebar.yml) lists the notebooks
by file name, so Quarto writes each entry with its page's title, number included: one place for each title.

    python tools/number_titles.py     # check: the sidebar lists every numbered notebook (exit 1 if not)
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
SIDEBAR = NBS / "sidebar.yml"
APPENDIX_START = 90
NUMBERED = re.compile(r"^(\d+|[A-Z])\. ")


def chapter_number(name):
    """'7' for 07_training.ipynb, 'A' for 90_speed.ipynb (90, 91, ... are appendices A, B, ...), None for a file
    without a number (index.ipynb)."""
    m = re.match(r"^(\d+)_", Path(name).name)
    if not m: return None
    n = int(m.group(1))
    if n < APPENDIX_START: return str(n)
    if n - APPENDIX_START >= 26: raise ValueError(f"{name}: appendices run from 90 (A) to 115 (Z)")
    return chr(ord("A") + n - APPENDIX_START)


def numbered(title, name):
    "`title` with the chapter number of notebook `name` in front, once: '7. Training', whatever it had before."
    number = chapter_number(name)
    if number is None: return title
    return f"{number}. {NUMBERED.sub('', title.strip())}"


try:
    from nbdev.process import Processor
except ImportError:  # the functions above serve the tests without nbdev
    Processor = object


class NumberTitles(Processor):
    """nbdev processor: the chapter number in front of the page's title. Runs after nbdev's FrontmatterProc, which
    has turned the first heading into the front matter of the first (raw) cell."""

    def end(self):
        path = getattr(self.nb, "path_", None)
        fm = getattr(self.nb, "frontmatter_", None)
        if path is None or not fm or "title" not in fm or chapter_number(path) is None: return
        import yaml
        fm["title"] = numbered(str(fm["title"]), path)
        first = self.nb.cells[0]
        if first.cell_type == "raw" and first.source.startswith("---"):
            first.source = f"---\n{yaml.dump(fm)}\n---\n\n"


def unlisted(sidebar_text, nbs=NBS):
    "The numbered notebooks of `nbs` that the sidebar does not link to."
    return [nb.name for nb in sorted(nbs.glob("[0-9]*.ipynb"))
            if chapter_number(nb.name) is not None and nb.name not in sidebar_text]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.parse_args(argv)
    missing = unlisted(SIDEBAR.read_text(encoding="utf-8"))
    if missing:
        print(f"nbs/sidebar.yml lists no entry for {missing}: add each to its part, as `- {missing[0]}`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
