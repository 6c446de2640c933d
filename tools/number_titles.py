#!/usr/bin/env python3
"""Chapter numbers in the page titles and the sidebar, as the prose says them: "chapter 7", "appendix A".

A notebook's number comes from its file name: `07_training.ipynb` is chapter 7, `12_x.ipynb` chapter 12, and the
appendices `90_...` to `93_...` are A to D. The notebooks keep their plain first heading; when nbdev renders the
site, `NumberTitles` (an nbdev processor, named in settings.ini's `procs`) puts the number in front of the title
nbdev took from that heading: "7. Training from scratch, ...". The sidebar (nbs/sidebar.yml) carries the same text.

    python tools/number_titles.py            # check: the sidebar's chapter entries match the notebooks (exit 1 if not)
    python tools/number_titles.py --write    # write the chapters' `text:` into nbs/sidebar.yml
"""
import argparse
import json
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


def first_heading(nb):
    "The text of a notebook's first `# heading`, which nbdev makes its title."
    for cell in json.loads(Path(nb).read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown": continue
        m = re.search(r"^#\s+(\S.*?)\s*$", "".join(cell["source"]), re.M)
        if m: return m.group(1)
    raise ValueError(f"{nb} has no '# heading' for a title")


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


def sidebar_text(current, nbs=NBS):
    """The sidebar with each numbered chapter written as `- text: "7. Title"` and `href: 07_x.ipynb`: a bare
    `- 07_x.ipynb` entry, or a text/href pair written before, is replaced; other lines are kept."""
    out, lines, i = [], current.splitlines(), 0
    while i < len(lines):
        bare = re.match(r"^(\s*)- (\S+\.ipynb)\s*$", lines[i])
        pair = re.match(r"^(\s*)- text: .*$", lines[i])
        href = pair and i + 1 < len(lines) and re.match(r"^\s*href: (\S+\.ipynb)\s*$", lines[i + 1])
        indent, nb = (bare.group(1), bare.group(2)) if bare else (pair.group(1), href.group(1)) if href else (None, None)
        if nb is None or chapter_number(nb) is None:
            out.append(lines[i]); i += 1
            continue
        title = numbered(first_heading(nbs / nb), nb).replace('"', '\\"')
        out += [f'{indent}- text: "{title}"', f"{indent}  href: {nb}"]
        i += 2 if href else 1
    return "\n".join(out) + "\n"


def unlisted(sidebar_text, nbs=NBS):
    "The numbered notebooks of `nbs` that the sidebar does not link to."
    return [nb.name for nb in sorted(nbs.glob("[0-9]*.ipynb"))
            if chapter_number(nb.name) is not None and nb.name not in sidebar_text]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="write the chapter entries of nbs/sidebar.yml")
    args = ap.parse_args(argv)
    current = SIDEBAR.read_text(encoding="utf-8")
    missing = unlisted(current)
    if missing:
        print(f"nbs/sidebar.yml links to no page for {missing}: add them to their part, then run this with --write")
        return 1
    want = sidebar_text(current)
    if want == current: return 0
    if args.write:
        SIDEBAR.write_text(want, encoding="utf-8")
        print(f"wrote {SIDEBAR.relative_to(ROOT)}")
        return 0
    print("nbs/sidebar.yml: the chapter entries differ from the notebooks' numbered titles; "
          "run: python tools/number_titles.py --write")
    return 1


if __name__ == "__main__":
    sys.exit(main())
