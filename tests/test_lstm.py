"What lstm_book.lstm promises: Keras' numbers, Keras' layout, and clear errors."
import numpy as np
import pytest

from lstm_book.cell import lstm_cell
from lstm_book.lstm import LSTMParams, lstm_forward
from cases import (CHAOS_FACTOR, CHAOS_FLOOR, H_ATOL, chaotic_case, distance, in_float64, keras_like_case,
                   one_step_each, random_params)

keras_lstm = pytest.importorskip("lstm_book.keras_lstm")


# (batch, time, input_dim, units, with initial state): edge sizes first, then random draws
EDGE = [(1, 1, 1, 1, False), (1, 1, 1, 1, True), (1, 200, 1, 1, True), (3, 1, 7, 1, True),
        (1, 13, 1, 9, False), (2, 200, 3, 4, False), (5, 17, 12, 32, True)]
RANDOM = [tuple(int(v) for v in np.random.default_rng(i).integers([1, 1, 1, 1], [9, 121, 17, 65])) + (bool(i % 2),)
          for i in range(18)]


# Two claims, each testable on any machine; tests/cases.py derives their tolerances from float32 rounding.
@pytest.mark.parametrize("batch,time,input_dim,units,with_state", EDGE + RANDOM)
def test_matches_keras_with_keras_initialisers(batch, time, input_dim, units, with_state):
    rng = np.random.default_rng(batch * 1000 + time * 10 + units)
    params, x, state = keras_like_case(rng, batch, time, input_dim, units, with_state)
    hs, (h, c) = lstm_forward(x, params, state)
    khs, (kh, kc) = keras_lstm.keras_forward(x, params, state)
    assert hs.shape == khs.shape == (batch, time, units)
    for ours, theirs in ((hs, khs), (h, kh)):
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours, theirs, atol=H_ATOL, rtol=0)
    assert c.dtype == np.float32
    np.testing.assert_allclose(c, kc, atol=H_ATOL * max(1.0, np.abs(kc).max()), rtol=0)


@pytest.mark.parametrize("batch,time,input_dim,units,with_state", EDGE + RANDOM)
def test_every_step_as_exact_as_keras_with_chaotic_weights(batch, time, input_dim, units, with_state):
    rng = np.random.default_rng(batch * 1000 + time * 10 + units)
    params, x, state = chaotic_case(rng, batch, time, input_dim, units, with_state)
    hs, (h, c), cache = lstm_forward(x, params, state, return_cache=True)
    cs = cache["c"]
    np.testing.assert_array_equal(h, hs[:, -1])  # so the steps cover the final state
    np.testing.assert_array_equal(c, cs[:, -1])
    steps = one_step_each(x, params, hs, cs, state)  # every step of our run, from our own h_{t-1}, C_{t-1}
    exact_h, (_, exact_c) = keras_lstm.keras_forward(*in_float64(*steps))
    keras_h, (_, keras_c) = keras_lstm.keras_forward(*steps)
    ours, keras = distance(hs.reshape(exact_h.shape), exact_h), distance(keras_h, exact_h)
    assert ours <= CHAOS_FACTOR * keras + CHAOS_FLOOR, f"h: ours {ours:.1e} from float64, Keras {keras:.1e}"
    scale = max(1.0, np.abs(exact_c).max())  # C is unbounded: its distances count relative to its size
    ours, keras = distance(cs.reshape(exact_c.shape), exact_c) / scale, distance(keras_c, exact_c) / scale
    assert ours <= CHAOS_FACTOR * keras + CHAOS_FLOOR, f"C: ours {ours:.1e} from float64 (relative), Keras {keras:.1e}"


def test_the_cell_loop_on_blas_threads_agrees():
    """lstm_forward makes its products on one BLAS thread; chapter 3's cell, called step by step, makes them on as
    many threads as numpy's OpenBLAS is given (OPENBLAS_NUM_THREADS): products this large (256 x 192 x 128 per gate)
    are split between threads. Keras' initialisers, so the bound of test_matches_keras_with_keras_initialisers holds."""
    rng = np.random.default_rng(11)
    params, x, (h, c) = keras_like_case(rng, 256, 10, 64, 128, True)
    hs, (h_T, c_T) = lstm_forward(x, params, (h, c))
    W, b = params.stacked()
    for t in range(x.shape[1]):
        h, c = lstm_cell(x[:, t], h, c, W, b)
        np.testing.assert_allclose(hs[:, t], h, atol=H_ATOL, rtol=0)
    np.testing.assert_allclose(c_T, c, atol=H_ATOL * max(1.0, np.abs(c).max()), rtol=0)


def test_keras_round_trip_is_exact():
    params = LSTMParams.init(input_dim=6, units=5, seed=3)
    back = LSTMParams.from_keras(keras_lstm.keras_lstm_layer(params))
    for a, b in zip((back.kernel, back.recurrent_kernel, back.bias), (params.kernel, params.recurrent_kernel, params.bias)):
        np.testing.assert_array_equal(a, b)


def test_init_matches_keras_conventions():
    import keras
    p = LSTMParams.init(input_dim=4, units=3, seed=0)
    layer = keras.layers.LSTM(3)
    layer(keras.Input((None, 4)))
    kp = LSTMParams.from_keras(layer)
    assert [a.shape for a in (p.kernel, p.recurrent_kernel, p.bias)] == [a.shape for a in (kp.kernel, kp.recurrent_kernel, kp.bias)]
    np.testing.assert_array_equal(p.bias, kp.bias)  # zeros, forget block 1.0: unit_forget_bias
    r = p.recurrent_kernel.astype(np.float64)  # the product in float64 sees only the float32 rounding of r: ~1e-7
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_and_float64_is_exact(dtype):
    rng = np.random.default_rng(0)
    params = random_params(rng, 3, 4, np.float64)
    x = rng.standard_normal((2, 9, 3)).astype(dtype)
    hs, (h, c) = lstm_forward(x, params)
    assert hs.dtype == h.dtype == c.dtype == dtype
    if dtype == np.float64:  # float64 rounding, 1e-16, grows by far less than 1e4 over 9 steps
        khs, _ = keras_lstm.keras_forward(x, params)
        np.testing.assert_allclose(hs, khs, atol=1e-12, rtol=0)


def test_layer_equals_the_cell_step_by_step():
    rng = np.random.default_rng(5)
    params = random_params(rng, 3, 2, np.float64)
    x = rng.standard_normal((4, 6, 3))
    h, c = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    hs, (h_T, c_T) = lstm_forward(x, params, (h, c))
    W, b = params.stacked()
    for t in range(6):
        h, c = lstm_cell(x[:, t], h, c, W, b)
        np.testing.assert_allclose(hs[:, t], h, atol=1e-13)
    np.testing.assert_allclose(c_T, c, atol=1e-13)


def test_standard_notation_round_trip():
    p = random_params(np.random.default_rng(1), 5, 3)
    q = LSTMParams.from_gates(**p.to_gates())
    for a, b in zip((q.kernel, q.recurrent_kernel, q.bias), (p.kernel, p.recurrent_kernel, p.bias)):
        np.testing.assert_array_equal(a, b)


P = LSTMParams.init(input_dim=5, units=3)
X = np.zeros((4, 7, 5), np.float32)


@pytest.mark.parametrize("call,error,message", [
    (lambda: lstm_forward(X[0], P), ValueError, "x must have shape (batch, time, input_dim) = (batch, time, 5); got (7, 5)"),
    (lambda: lstm_forward(X[None], P), ValueError, "got (1, 4, 7, 5)"),
    (lambda: lstm_forward(X[..., :2], P), ValueError, "= (batch, time, 5); got (4, 7, 2)"),
    (lambda: lstm_forward(X, P, (np.zeros((4, 3)), np.zeros((4, 2)))), ValueError,
     "initial_state must be (h0, c0), each of shape (batch, units) = (4, 3); got (4, 3) and (4, 2)"),
    (lambda: lstm_forward(X, P, (np.zeros((2, 3)), np.zeros((2, 3)))), ValueError, "= (4, 3); got (2, 3) and (2, 3)"),
    (lambda: lstm_forward(X, P, np.zeros((4, 3))), ValueError, "initial_state must be a pair (h0, c0)"),
    (lambda: LSTMParams(P.kernel, P.recurrent_kernel[:, :8], P.bias), ValueError,
     "recurrent_kernel must have shape (units, 4·units) = (3, 12) to match kernel (5, 12); got (3, 8)"),
    (lambda: LSTMParams(P.kernel, P.recurrent_kernel, P.bias[:-1]), ValueError, "bias must have shape (4·units,) = (12,)"),
    (lambda: LSTMParams(P.kernel[:, :-1], P.recurrent_kernel, P.bias), ValueError, "kernel must have shape (input_dim, 4·units); got (5, 11)"),
    (lambda: lstm_forward(X.astype(str), P), TypeError, "x must be a numeric array"),
    (lambda: lstm_forward([["a"]], P), TypeError, "x must be a numeric array"),
    (lambda: lstm_forward(X, P, (np.zeros((4, 3)), np.full((4, 3), "c"))), TypeError, "c0 must be a numeric array"),
    (lambda: lstm_forward(X, "params"), TypeError, "params must be an LSTMParams; got str"),
    (lambda: LSTMParams(P.kernel, P.recurrent_kernel, [None] * 12), TypeError, "bias must be a numeric array"),
    (lambda: lstm_cell(X[:, 0], np.zeros((4, 3)), np.zeros((4, 2)), *P.stacked()), ValueError,
     "h_prev and c_prev must have one shape ([batch,] units); got (4, 3) and (4, 2)"),
    (lambda: lstm_cell(X[:, 0, :4], np.zeros((4, 3)), np.zeros((4, 3)), *P.stacked()), ValueError,
     "W_f must have shape (n, units + input_dim) = (n, 7); got (3, 8)"),
    (lambda: lstm_cell(X[:, 0], np.zeros((4, 3)), np.zeros((4, 3)), P.stacked()[0][:, :-1], P.stacked()[1]), ValueError,
     "got (3, 7)"),
    (lambda: lstm_cell(X[:, 0], np.zeros((4, 3)), np.zeros((4, 3)), P.stacked()[0], P.stacked()[1][:4]), ValueError,
     "b must have shape (12,) to match W (12, 8); got (4,)"),
    (lambda: lstm_cell("x", np.zeros(3), np.zeros(3), *P.stacked()), TypeError, "x_t must be a numeric array"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error) as e:
        call()
    assert message in str(e.value)
