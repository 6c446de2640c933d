"""`make bench`: time the numpy LSTM (forward, forward+backward) against keras.layers.LSTM in TensorFlow.

Every contender runs once per round, in turn, for `--repeats` rounds in this one process; the table gives medians in
milliseconds, for wall time and for the process's CPU time, and the ratios numpy / TensorFlow (below 1: numpy faster).
The timing code is `lstm_book.speed` (chapter 09_speed), which shows the same table.
"""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pandas as pd
from lstm_book.speed import BENCH_SHAPES, benchmark, machine_note


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21, help="rounds per shape (default 21)")
    args = parser.parse_args()
    print(machine_note())
    table = benchmark(BENCH_SHAPES, repeats=args.repeats)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.2f}".format):
        print(table)
    wall = table.xs("wall", level="clock")
    for shape, row in wall.iterrows():
        print(f"{shape}: forward {row['fwd ratio']:.2f}x, forward+backward {row['fwd+bwd ratio']:.2f}x TensorFlow's "
              f"wall time; forward = {row['fwd / products']:.2f}x its bare matrix products")


if __name__ == "__main__":
    main()
