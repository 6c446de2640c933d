"""Time minGRU's readable loop against its log-space scan (`lstm_book.modern`, sums restarted every 64 steps) as the
sequence grows, at two widths.

Both contenders run once per round, in turn, for `--repeats` rounds in this one process, on one BLAS thread; the
table gives the median and the middle half (25th to 75th percentile) over rounds, in milliseconds, of wall time and
of the process's CPU time, and the round-by-round ratio loop / scan (above 1: the scan is faster). CPU time is the
robust figure on a shared machine. Chapter 13 (`nbs/13_modern.ipynb`) shows the same measurement for one width.
"""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd
from lstm_book.lstm import one_blas_thread
from lstm_book.modern import MinGRUParams, min_gru_loop, min_gru_scan
from lstm_book.speed import machine_note, spread, time_rounds

# (batch, units): one narrow sequence, where Python's per-step overhead is everything, and the chapter's 4 × 32
WIDTHS = ((1, 8), (4, 32))


def fmt(s, scale=1e3):
    return f"{scale * s[0]:.3g} [{scale * s[1]:.3g}, {scale * s[2]:.3g}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="rounds per shape (default 7)")
    parser.add_argument("--lengths", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000])
    args = parser.parse_args()
    print(machine_note())
    rows = []
    for batch, units in WIDTHS:
        p = MinGRUParams.init(16, units, seed=0)
        for T in args.lengths:
            x = np.random.default_rng(0).standard_normal((batch, T, 16)).astype(np.float32)
            with one_blas_thread():
                r = time_rounds({"loop": lambda: min_gru_loop(x, p), "scan": lambda: min_gru_scan(x, p)},
                                repeats=args.repeats)
            (lw, lc), (sw, sc) = r["loop"], r["scan"]
            rows.append({"batch × units": f"{batch} × {units}", "T": T,
                         "loop wall ms": fmt(spread(lw)), "loop CPU ms": fmt(spread(lc)),
                         "scan wall ms": fmt(spread(sw)), "scan CPU ms": fmt(spread(sc)),
                         "loop/scan CPU": fmt(spread(lc / sc), 1)})
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(pd.DataFrame(rows).set_index(["batch × units", "T"]))


if __name__ == "__main__":
    main()
