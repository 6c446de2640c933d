"""What lstm_book.modern promises: minGRU and minLSTM as loops and as log-space scans that agree within the bound
the chapter derives (float32 and float64, up to 100,000 steps), an sLSTM whose stabiliser changes nothing but
overflow, an mLSTM whose recurrent and parallel forms agree, Keras layers equal to the numpy functions with
gradients that match finite differences, and the associative-recall task. The Keras layers are
tested in test_modern_keras.py; this module needs numpy alone."""
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_book.modern import (KINDS, MLSTMParams, MinGRUParams, MinLSTMParams, SLSTMParams, chunked_log_scan, g,
                              log_g, log_scan, min_gru_log_ab, min_gru_loop, min_gru_scan, min_lstm_log_ab,
                              min_lstm_loop, min_lstm_scan, mlstm_parallel, mlstm_recurrent, mlstm_tolerance,
                              mqar_task, n_params, scan_distance, scan_tolerance, slstm_forward, slstm_tolerance,
                              units_for)

ROOT = Path(__file__).resolve().parents[1]

MIN = [(MinGRUParams, min_gru_loop, min_gru_scan, min_gru_log_ab),
       (MinLSTMParams, min_lstm_loop, min_lstm_scan, min_lstm_log_ab)]


def inputs(batch, time, input_dim, seed=0, dtype=np.float64, scale=1.0):
    return (scale * np.random.default_rng(seed).standard_normal((batch, time, input_dim))).astype(dtype)


def test_g_is_positive_continuous_and_its_log_is_right():
    x = np.linspace(-40, 40, 8001)
    assert (g(x) > 0).all() and np.all(np.diff(g(x)) >= 0)
    assert g(np.array([0.0]))[0] == 0.5 == g(np.array([-1e-300]))[0]
    # exp of a logarithm of size |y| carries a relative rounding of about eps·|y|
    eps = np.finfo(np.float64).eps
    np.testing.assert_allclose(np.exp(log_g(x)), g(x), rtol=eps * (np.abs(log_g(x)).max() + 2))


def test_log_scan_solves_the_recurrence_by_hand():
    a, b = np.array([[[0.5], [0.25], [1.0]]]), np.array([[[2.0], [4.0], [1.0]]])
    # h1 = 2, h2 = 0.25·2 + 4 = 4.5, h3 = 4.5 + 1 = 5.5
    np.testing.assert_allclose(np.exp(log_scan(np.log(a), np.log(b)))[0, :, 0], [2, 4.5, 5.5], rtol=1e-15)


@pytest.mark.parametrize("P, loop, scan, log_ab", MIN, ids=["minGRU", "minLSTM"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("time", [1, 2, 37, 1000])
def test_scan_equals_loop_within_the_derived_bound(P, loop, scan, log_ab, dtype, time):
    x, p = inputs(3, time, 5, seed=time, dtype=dtype), P.init(5, 4, seed=1, dtype=dtype)
    dist, bound = scan_distance(x, p)
    assert bound < 1, "the bound must say something for the test to mean anything"
    assert dist <= bound
    hs = scan(x, p)
    assert hs.shape == (3, time, 4) and hs.dtype == dtype and (hs > 0).all()


@pytest.mark.parametrize("P, loop, scan, log_ab", MIN, ids=["minGRU", "minLSTM"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_scan_equals_loop_at_100_000_steps(P, loop, scan, log_ab, dtype):
    x = inputs(1, 100_000, 3, seed=5, dtype=dtype)
    dist, bound = scan_distance(x, P.init(3, 2, seed=2, dtype=dtype))
    # chunks of 64 steps keep the restarted sums small: the bound does not grow with T and stays informative
    assert dist <= bound < 1e-2 if dtype == np.float32 else dist <= bound < 1e-10
    # gates that keep almost everything (w_j close to 1): the errors add up over the chunks, and the bound says so
    p = P.init(3, 2, seed=2, dtype=dtype)
    p.kernel *= 0.01
    if P is MinGRUParams: p.bias[:2] = -12.0        # z ≈ 6e-6
    else: p.bias[:4] = [12.0, 12.0, -12.0, -12.0]   # f ≈ 1, i ≈ 6e-6
    dist, bound = scan_distance(x, p)
    assert dist <= bound < (1 if dtype == np.float32 else 1e-8)


def test_the_one_pass_scan_loses_float32_digits_that_the_chunked_one_keeps():
    x, p = inputs(1, 100_000, 3, seed=5, dtype=np.float32), MinGRUParams.init(3, 2, seed=2)
    loop, log_ab = min_gru_loop(x, p), min_gru_log_ab(x, p)
    one_pass = (np.abs(np.exp(log_scan(*log_ab)) - loop) / loop).max()
    assert one_pass > scan_tolerance(*log_ab) >= scan_distance(x, p)[0]


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 1000])
def test_chunked_scan_is_the_recurrence_whatever_the_chunk(chunk):
    rng = np.random.default_rng(chunk)
    log_a, log_b = np.log(rng.uniform(0.05, 1, (2, 300, 3))), rng.standard_normal((2, 300, 3))
    h, a, b = np.zeros((2, 3)), np.exp(log_a), np.exp(log_b)
    expect = np.empty_like(a)
    for t in range(300):
        h = expect[:, t] = a[:, t] * h + b[:, t]
    got = np.exp(chunked_log_scan(log_a, log_b, chunk))
    assert got.shape == expect.shape
    assert (np.abs(got - expect) / expect).max() <= scan_tolerance(log_a, log_b, chunk)


def test_a_shifted_scan_would_fail_the_bound():
    x, p = inputs(2, 50, 5), MinGRUParams.init(5, 4, dtype=np.float64)
    loop, log_ab = min_gru_loop(x, p), min_gru_log_ab(x, p)
    wrong = np.exp(log_scan(*log_ab))[:, np.r_[0, 0:49]]
    assert (np.abs(wrong - loop) / loop).max() > scan_tolerance(*log_ab)


def test_min_gru_limit_cases():
    x, p = inputs(2, 9, 5), MinGRUParams.init(5, 3, dtype=np.float64)
    p.bias[:3] = 1e3                         # z = 1: h is the candidate alone
    k_h = p.project(x)[1]
    # log a = -1000 makes |a*| large: the derived bound, not a fixed rtol
    rel = np.abs(min_gru_scan(x, p) / g(k_h) - 1).max()
    assert rel <= scan_tolerance(*min_gru_log_ab(x, p)) < 1e-8
    np.testing.assert_allclose(min_gru_loop(x, p), g(k_h), rtol=1e-15)


def test_min_lstm_with_a_constant_candidate_fills_towards_it():
    # f' + i' = 1, so with h̃ = c the state is c·(1 − Π f'): a weighted average of 0 and c
    x, p = inputs(2, 12, 5), MinLSTMParams.init(5, 3, dtype=np.float64)
    p.kernel[:, 6:], p.bias[6:] = 0, 1.5     # h̃ = g(1.5) = 2
    k_f, k_i, _ = p.project(x)
    f, i = 1 / (1 + np.exp(-k_f)), 1 / (1 + np.exp(-k_i))
    expect = 2 * (1 - np.cumprod(f / (f + i), axis=1))
    np.testing.assert_allclose(min_lstm_scan(x, p), expect, rtol=1e-13)
    np.testing.assert_allclose(min_lstm_loop(x, p), expect, rtol=1e-13)


@pytest.mark.parametrize("fn", [min_gru_loop, min_gru_scan])
def test_bad_input_is_refused_with_the_shape_expected(fn):
    p = MinGRUParams.init(5, 3)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, input_dim\) = \(batch, time, 5\); "
                                         r"got \(10, 8\)"):
        fn(np.ones((10, 8)), p)
    with pytest.raises(ValueError, match=r"kernel must have shape \(input_dim, 3·units\)"):
        MinLSTMParams(np.ones((5, 4)), np.ones(4))
    with pytest.raises(ValueError, match="input_dim=0"):
        MinGRUParams.init(0, 3)


def test_params_are_seeded_pickle_and_have_a_short_repr():
    p = MinLSTMParams.init(4, 3, seed=7)
    np.testing.assert_array_equal(p.kernel, MinLSTMParams.init(4, 3, seed=7).kernel)
    assert not np.array_equal(p.kernel, MinLSTMParams.init(4, 3, seed=8).kernel)
    q = pickle.loads(pickle.dumps(p))
    np.testing.assert_array_equal(q.kernel, p.kernel)
    assert repr(p) == "MinLSTMParams(input_dim=4, units=3, dtype=float32)"
    assert MLSTMParams.init(4, 3).bias[-1] == 3.0


def test_slstm_stabiliser_changes_nothing_but_overflow():
    x, p = inputs(3, 25, 5, seed=3), SLSTMParams.init(5, 4, seed=1, dtype=np.float64)
    p.bias[:4] = 60.0                                  # large, but finite in float64 without the stabiliser
    stable, raw = slstm_forward(x, p), slstm_forward(x, p, stabilized=False)
    assert np.abs(stable - raw).max() <= slstm_tolerance(x, p)
    assert (np.abs(stable) < 1).all()
    p.bias[:4] = 90.0                                  # e^90 overflows float32
    p32, x32 = p.astype(np.float32), x.astype(np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(slstm_forward(x32, p32, stabilized=False)).all()
    stable32 = slstm_forward(x32, p32)
    assert stable32.dtype == np.float32
    assert np.abs(stable32 - slstm_forward(x, p)).max() <= slstm_tolerance(x32, p32)
    with pytest.raises(TypeError, match="params must be a SLSTMParams; got MinGRUParams"):
        slstm_forward(x, MinGRUParams.init(5, 4))


def test_mlstm_one_step_by_hand():
    x, p = inputs(2, 1, 5, seed=2), MLSTMParams.init(5, 3, seed=1, dtype=np.float64)
    p.bias[:] = np.random.default_rng(0).standard_normal(p.bias.shape)
    q, k, v, o, gates = p.project(x)
    k = k / np.sqrt(3)
    kq = (k * q).sum(-1, keepdims=True)
    # one step: m = ĩ, i' = 1, C = v kᵀ, n = k
    h = 1 / (1 + np.exp(-o)) * v * kq / np.maximum(np.abs(kq), np.exp(-gates[..., :1]))
    np.testing.assert_allclose(mlstm_recurrent(x, p), h, rtol=1e-14)
    np.testing.assert_allclose(mlstm_parallel(x, p), h, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("time", [1, 3, 64, 300])
def test_mlstm_recurrent_equals_parallel_within_the_derived_bound(dtype, time):
    x, p = inputs(2, time, 6, seed=time, dtype=dtype), MLSTMParams.init(6, 5, seed=2, dtype=dtype)
    p.bias[-2] = 2.0                                  # a larger input gate: exponents that matter
    rec, par = mlstm_recurrent(x, p), mlstm_parallel(x, p)
    assert rec.dtype == par.dtype == dtype
    assert (np.abs(rec - par) <= mlstm_tolerance(x, p)).all()


def test_mlstm_parallel_is_causal():
    x, p = inputs(1, 20, 4), MLSTMParams.init(4, 3, dtype=np.float64)
    y = x.copy()
    y[:, 12:] += 5
    np.testing.assert_array_equal(mlstm_parallel(x, p)[:, :12], mlstm_parallel(y, p)[:, :12])


def test_mqar_task_answers_each_query_with_its_pair():
    x, y, w = mqar_task(20, 5, n_keys=8, n_values=6, seed=3)
    assert x.shape == (20, 10, 14) and x.dtype == np.float32 and y.dtype == np.int64
    for b in range(20):
        keys, values = x[b, :5, :8].argmax(-1), x[b, :5, 8:].argmax(-1)
        assert len(set(keys)) == 5
        table = dict(zip(keys, values))
        queries = x[b, 5:, :8].argmax(-1)
        assert sorted(queries) == sorted(keys)
        np.testing.assert_array_equal([table[k] for k in queries], y[b, 5:])
        assert x[b, 5:, 8:].sum() == 0
    np.testing.assert_array_equal(w[:, :5], 0)
    np.testing.assert_array_equal(w[:, 5:], 1)
    np.testing.assert_array_equal(mqar_task(20, 5, 8, 6, seed=3)[0], x)
    with pytest.raises(ValueError, match="n_pairs=9"):
        mqar_task(3, 9, n_keys=8)


def test_the_numpy_half_imports_with_keras_and_tensorflow_blocked():
    "lstm_book.modern needs numpy alone; lstm_book.modern_keras names the extra it needs."
    code = ("import sys; sys.modules['keras'] = sys.modules['tensorflow'] = None\n"
            "import numpy as np, lstm_book.modern as m\n"
            "p = m.MinGRUParams.init(3, 2)\n"
            "assert m.min_gru_scan(np.ones((1, 5, 3), np.float32), p).shape == (1, 5, 2)\n"
            "assert m.units_for('minGRU', 8, 4, m.n_params('LSTM', 8, 16, 4)) == 76\n"
            "try:\n    import lstm_book.modern_keras\nexcept ImportError as e:\n    print(e)\n"
            "else:\n    raise AssertionError('modern_keras imported without keras')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert 'pip install "lstm_book[keras]"' in r.stdout
