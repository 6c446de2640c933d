"""`make bench`: time the numpy LSTM (forward, forward+backward) against keras.layers.LSTM and torch.nn.LSTM.

Every contender runs once per round, in turn, for `--repeats` rounds in this one process; the table gives the median
and the middle half (25th to 75th percentile) over rounds, in milliseconds, for wall time and for the process's CPU
time, and the round-by-round ratios numpy / TensorFlow and numpy / PyTorch (below 1: numpy faster). CPU time is the
robust figure on a shared machine. PyTorch is optional: without it its columns are left out, and the first line says
so (`make test-torch` installs it).
The timing code is `lstm_book.speed` (appendix A, `nbs/90_speed.ipynb`), which shows the same table.
"""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pandas as pd
from lstm_book.speed import BENCH_SHAPES, benchmark, machine_note, torch_available, verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21, help="rounds per shape (default 21)")
    args = parser.parse_args()
    print(machine_note())
    if torch_available():
        import torch
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    else:
        print("PyTorch is not installed: only TensorFlow is timed (make test-torch installs PyTorch)")
    table = benchmark(BENCH_SHAPES, repeats=args.repeats)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.2f}".format):
        print(table)
    for shape in table.index.get_level_values(0).unique():
        for clock in ("cpu", "wall"):
            line = []
            figures = [f for f in ("fwd ratio", "fwd+bwd ratio", "fwd ratio PyTorch", "fwd+bwd ratio PyTorch",
                                   "fwd / products", "fwd+bwd / products")
                       if (shape, f) in table.index]
            for fig in figures:
                m, lo, hi = table.loc[(shape, fig), clock]
                rival = "PyTorch" if "PyTorch" in fig else "TensorFlow"
                judged = f", {verdict(lo, hi, b=rival)}" if "ratio" in fig else ""
                line.append(f"{fig} {m:.2f} ({lo:.2f} to {hi:.2f}{judged})")
            print(f"{shape} {clock}: " + ", ".join(line))


if __name__ == "__main__":
    main()
