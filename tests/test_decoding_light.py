"""Decoding needs numpy alone: `lstm_book.translation` loads without Keras, TensorFlow, sacreBLEU or pandas, its
greedy decoding and beam search run on a toy decoder, and what does need Keras says which extra to install."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = textwrap.dedent("""
    import sys
    for m in ("keras", "tensorflow", "sacrebleu", "pandas"):
        sys.modules[m] = None  # as if not installed
    import numpy as np
    from lstm_book.translation import (beam_search, decode, detokenize,
                                       greedy_decode, standardize)

    class Toy:
        "Two steps: word 4 (p 0.6) then [end] = 3; a trap for greedy."
        def encode(self, source_ids):
            n = len(source_ids)
            return np.zeros((n, 1)), np.zeros((n, 1)), None
        def step(self, words, h, c, memory):
            p = np.full((len(words), 6), 0.01)
            first = words == 2
            p[first, 4], p[first, 5] = 0.5, 0.45
            p[words == 4, 3], p[words == 4, 1] = 0.3, 0.6
            p[words == 5, 3] = 0.9
            p /= p.sum(1, keepdims=True)
            return np.log(p), h, c, None

    src = np.array([[7, 8, 0], [9, 0, 0]])
    greedy, _ = greedy_decode(Toy(), src, 2, 3, 4)
    assert greedy[:, 0].tolist() == [4, 4], greedy
    beam = beam_search(Toy(), src, 2, 3, 4, width=2)
    assert beam.tolist() == [[5, 3], [5, 3]], beam
    assert [g.tolist() for g in decode(Toy(), src, 2, 3, 4, width=2)] == [[5, 3], [5, 3]]
    assert detokenize("¿ dónde está ?") == "¿Dónde está?", detokenize("¿ dónde está ?")
    assert standardize("¿Dónde  está?") == "¿ dónde está ?"
    heavy = [m for m in ("keras", "tensorflow", "sacrebleu", "pandas") if sys.modules.get(m)]
    assert not heavy, heavy
    from lstm_book.translation import build_seq2seq, score
    for call in (lambda: build_seq2seq(10, 10), lambda: score(["a"], [["a"]])):
        try:
            call()
        except ImportError as e:
            assert 'pip install "lstm_book[keras]"' in str(e), e
        else:
            raise AssertionError("no ImportError without Keras/sacreBLEU")
    print("ok")
""")


def test_decoding_runs_without_keras_sacrebleu_or_pandas():
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr[-3000:]
