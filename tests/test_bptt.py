"What lstm_book.bptt promises: the exact gradients of lstm_forward, as finite differences and TensorFlow compute them."
import numpy as np
import pytest

from lstm_book.bptt import keras_gradients, lstm_backward, numerical_gradient, rel_error
from lstm_book.lstm import LSTMParams, lstm_forward


def random_case(rng, batch, time, input_dim, units, dtype):
    p = LSTMParams(*(rng.normal(0, 0.5, s).astype(dtype) for s in [(input_dim, 4 * units), (units, 4 * units), (4 * units,)]))
    x = rng.standard_normal((batch, time, input_dim)).astype(dtype)
    h0, c0 = rng.standard_normal((2, batch, units)).astype(dtype)
    return p, x, h0, c0


def gradient_pairs(grads):
    dx, dp, (dh0, dc0) = grads
    return {"kernel": dp.kernel, "recurrent_kernel": dp.recurrent_kernel, "bias": dp.bias, "x": dx, "h0": dh0, "c0": dc0}


# sizes of 1 in every dimension, a one-step sequence, and a few ordinary shapes (kept small: finite differences
# rerun the forward pass twice per entry)
FD_SHAPES = [(1, 1, 1, 1), (1, 8, 1, 1), (2, 1, 3, 2), (3, 4, 2, 3), (2, 6, 1, 4), (1, 3, 4, 5)]


@pytest.mark.parametrize("batch,time,input_dim,units", FD_SHAPES)
def test_matches_central_differences(batch, time, input_dim, units):
    rng = np.random.default_rng(batch * 100 + time * 10 + units)
    p, x, h0, c0 = random_case(rng, batch, time, input_dim, units, np.float64)
    hs, (h_T, c_T), cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    dhs, dh_T, dc_T = (rng.standard_normal(a.shape) for a in (hs, h_T, c_T))

    def loss():
        hs, (h_T, c_T) = lstm_forward(x, p, (h0, c0))
        return (hs * dhs).sum() + (h_T * dh_T).sum() + (c_T * dc_T).sum()

    ours = gradient_pairs(lstm_backward(dhs, cache, dh_T, dc_T))
    wrt = {"kernel": p.kernel, "recurrent_kernel": p.recurrent_kernel, "bias": p.bias, "x": x, "h0": h0, "c0": c0}
    for name, a in wrt.items():
        assert ours[name].dtype == np.float64
        assert rel_error(ours[name], numerical_gradient(loss, a)) < 1e-6, name


KERAS_SHAPES = [(1, 1, 1, 1), (1, 40, 1, 1), (4, 1, 6, 3), (3, 17, 5, 8), (8, 60, 16, 32)]


@pytest.mark.parametrize("batch,time,input_dim,units", KERAS_SHAPES)
def test_matches_tensorflow(batch, time, input_dim, units):
    pytest.importorskip("tensorflow")
    rng = np.random.default_rng(batch * 100 + time * 10 + units)
    p, x, h0, c0 = random_case(rng, batch, time, input_dim, units, np.float32)
    hs, (h_T, c_T), cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    dhs, dh_T, dc_T = (rng.standard_normal(a.shape).astype(np.float32) for a in (hs, h_T, c_T))
    ours = gradient_pairs(lstm_backward(dhs, cache, dh_T, dc_T))
    theirs = gradient_pairs(keras_gradients(x, p, (h0, c0), dhs, dh_T, dc_T))
    for name in ours:
        assert ours[name].dtype == np.float32
        assert rel_error(ours[name], theirs[name]) < 1e-4, name


def test_final_state_gradients_alone():
    rng = np.random.default_rng(0)
    p, x, h0, c0 = random_case(rng, 2, 5, 3, 4, np.float64)
    _, (h_T, c_T), cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    dh_T = rng.standard_normal(h_T.shape)
    dx, dp, (dh0, dc0) = lstm_backward(None, cache, dh_T=dh_T)
    dx2, dp2, (dh02, dc02) = lstm_backward(np.zeros((2, 5, 4)), cache, dh_T, np.zeros((2, 4)))
    np.testing.assert_array_equal(dx, dx2)
    np.testing.assert_array_equal(dh0, dh02)
    # only the last step's hidden state carries gradient here: the same as dhs with dh_T placed at t = T
    dhs = np.zeros((2, 5, 4)); dhs[:, -1] = dh_T
    np.testing.assert_allclose(lstm_backward(dhs, cache)[0], dx, rtol=0, atol=1e-14)


def test_backward_leaves_its_inputs_alone():
    rng = np.random.default_rng(1)
    p, x, h0, c0 = random_case(rng, 2, 4, 3, 2, np.float32)
    _, _, cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    dhs, dh_T = rng.standard_normal((2, 4, 2)).astype(np.float32), np.ones((2, 2), np.float32)
    before = {k: np.array(v, copy=True) for k, v in cache.items() if isinstance(v, np.ndarray)}
    first = lstm_backward(dhs, cache, dh_T)
    second = lstm_backward(dhs, cache, dh_T)
    np.testing.assert_array_equal(dh_T, np.ones((2, 2)))
    for k, v in before.items(): np.testing.assert_array_equal(cache[k], v, err_msg=k)
    for a, b in zip(gradient_pairs(first).values(), gradient_pairs(second).values()): np.testing.assert_array_equal(a, b)


def test_bad_input_is_refused():
    rng = np.random.default_rng(2)
    p, x, h0, c0 = random_case(rng, 2, 4, 3, 2, np.float32)
    hs, _, cache = lstm_forward(x, p, return_cache=True)
    with pytest.raises(ValueError, match=r"dhs must have shape \(2, 4, 2\) to match the cache; got \(4, 2\)"):
        lstm_backward(hs[0], cache)
    with pytest.raises(ValueError, match=r"dc_T must have shape \(2, 2\)"):
        lstm_backward(hs, cache, dc_T=np.zeros((2, 3)))
    with pytest.raises(TypeError, match="cache must be the dict returned by lstm_forward"):
        lstm_backward(hs, {"x": x})


def test_cache_contract():
    "What other chapters read from the cache: inputs, and every step's gates and cell state as (batch, time, units)."
    rng = np.random.default_rng(3)
    p, x, h0, c0 = random_case(rng, 3, 6, 2, 4, np.float64)
    hs, (h_T, c_T), cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    for k in ("i", "f", "c_tilde", "o", "c"):
        assert cache[k].shape == (3, 6, 4), k
    np.testing.assert_array_equal(cache["x"], x)
    np.testing.assert_array_equal(cache["h0"], h0)
    np.testing.assert_array_equal(cache["c0"], c0)
    assert cache["params"].units == 4
    c_prev = np.concatenate([c0[:, None], cache["c"][:, :-1]], axis=1)
    np.testing.assert_allclose(cache["c"], cache["f"] * c_prev + cache["i"] * cache["c_tilde"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(hs, cache["o"] * np.tanh(cache["c"]), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(cache["c"][:, -1], c_T)
    for k in ("i", "f", "o"):
        assert ((cache[k] > 0) & (cache[k] < 1)).all(), k
    # the same numbers as without a cache
    hs2, (h2, c2) = lstm_forward(x, p, (h0, c0))
    np.testing.assert_array_equal(hs2, hs)
    np.testing.assert_array_equal(c2, c_T)


def test_empty_sequence():
    rng = np.random.default_rng(4)
    p, _, h0, c0 = random_case(rng, 2, 1, 3, 2, np.float64)
    x = np.zeros((2, 0, 3))
    hs, (h_T, c_T), cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    assert hs.shape == (2, 0, 2)
    np.testing.assert_array_equal(h_T, h0)
    np.testing.assert_array_equal(c_T, c0)
    dh_T, dc_T = rng.standard_normal((2, 2)), rng.standard_normal((2, 2))
    dx, dp, (dh0, dc0) = lstm_backward(hs, cache, dh_T, dc_T)
    assert dx.shape == (2, 0, 3)
    np.testing.assert_array_equal(dh0, dh_T)
    np.testing.assert_array_equal(dc0, dc_T)
    for g in (dp.kernel, dp.recurrent_kernel, dp.bias): np.testing.assert_array_equal(g, 0)
