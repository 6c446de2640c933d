"""Run a chapter's exercise solutions without re-running the whole chapter, and store their outputs.

A chapter's exercises come after its `## Exercises` heading, and their solutions are self-contained: they use the
chapter's imports and the functions it defines and exports, never a variable the chapter computed (a trained model,
a loaded data set). So running, in a fresh kernel and in full mode, the chapter's setup (the cells before its first
`## ` heading other than `## Setup`), every cell that defines what the chapter exports (`#| export`, `#| exports`,
`#| exporti`) and every cell from `## Exercises` to the next `## ` heading gives the same outputs as a run of the whole notebook. The
outputs of the exercise cells are written back into the notebook; every other cell keeps its stored outputs.

A solution that reaches for something the chapter computed fails here with a NameError, which is the point.

Usage: python tools/run_exercises.py nbs/09_time_series.ipynb [...]   (then tools/strip_logs.py, nbdev_clean)
"""
import copy
import os
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HEADING = re.compile(r"^##\s+(.*)$", re.M)
EXPORT = re.compile(r"^#\|\s*export[is]?\b", re.M)


def _heading(cell):
    "The text of the first `## ` heading of a markdown cell, or None."
    if cell.cell_type != "markdown":
        return None
    m = HEADING.search(cell.source)
    return m.group(1).strip() if m else None


def selected(nb):
    """Indices of the cells to run: the setup, the exporting cells, and the exercises (the last part, as a set of
    indices). Raises ValueError when the notebook has no `## Exercises` heading."""
    headings = [(i, _heading(c)) for i, c in enumerate(nb.cells)]
    starts = [i for i, h in headings if h == "Exercises"]
    if not starts:
        raise ValueError("no '## Exercises' heading")
    first = next((i for i, h in headings if h and h != "Setup"), len(nb.cells))
    setup = [i for i in range(first) if nb.cells[i].cell_type == "code"]
    exports = [i for i, c in enumerate(nb.cells[: starts[0]])
               if c.cell_type == "code" and EXPORT.search(c.source) and i >= first]
    after = [i for i, h in headings if h and i > starts[0]]
    exercises = list(range(starts[0], after[0] if after else len(nb.cells)))
    return sorted(set(setup + exports + exercises)), set(exercises)


def run(path, timeout=3600):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    keep, exercises = selected(nb)
    small = copy.deepcopy(nb)
    small.cells = [copy.deepcopy(nb.cells[i]) for i in keep]
    os.environ["LSTM_BOOK_QUICK"] = ""  # full mode, in the kernel started below
    NotebookClient(small, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for i, cell in zip(keep, small.cells):
        if i in exercises and cell.cell_type == "code":
            nb.cells[i].outputs = cell.outputs
            nb.cells[i].execution_count = cell.execution_count
    nbformat.write(nb, path)
    n = sum(1 for i in exercises if nb.cells[i].cell_type == "code")
    print(f"{path}: ran {len(keep) - len(exercises)} setup and exporting cells, then {n} exercise cells")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        run(p)
