"What lstm_book.bptt promises: the exact gradients of lstm_forward, as finite differences and TensorFlow compute them."
import numpy as np
import pytest

from lstm_book.bptt import keras_gradients, lstm_backward, numerical_gradient, rel_error
from lstm_book.lstm import LSTMParams, lstm_forward
from cases import CHAOS_FACTOR, GRAD_FLOOR, GRAD_RTOL, chaotic_case, in_float64, keras_like_case, one_step_each


def random_case(rng, batch, time, input_dim, units, dtype):
    p, x, (h0, c0) = chaotic_case(rng, batch, time, input_dim, units)
    return p.astype(dtype), x.astype(dtype), h0.astype(dtype), c0.astype(dtype)


def gradient_pairs(grads):
    dx, dp, (dh0, dc0) = grads
    return {"kernel": dp.kernel, "recurrent_kernel": dp.recurrent_kernel, "bias": dp.bias, "x": dx, "h0": dh0, "c0": dc0}


# sizes of 1 in every dimension, a one-step sequence, and a few ordinary shapes (kept small: finite differences
# rerun the forward pass twice per entry). Central differences in float64 with eps = 1e-6 err by eps**2 * |L'''| / 6
# ~ 1e-13 (truncation) plus 1e-16 * |L| / eps ~ 1e-10 * |L| (rounding): about 1e-9 relative to these gradients, against
# a bound of 1e-6. Float64 exp, tanh and sums differ between machines by an ulp, far below both.
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


def keras_and_float64_gradients(p, x, h0, c0, rng):
    "Our float32 gradients, TensorFlow's, and the exact ones (ours in float64), for random ∂L/∂hs, ∂L/∂h_T, ∂L/∂c_T."
    hs, (h_T, c_T), cache = lstm_forward(x, p, (h0, c0), return_cache=True)
    dhs, dh_T, dc_T = (rng.standard_normal(a.shape).astype(np.float32) for a in (hs, h_T, c_T))
    ours = gradient_pairs(lstm_backward(dhs, cache, dh_T, dc_T))
    theirs = gradient_pairs(keras_gradients(x, p, (h0, c0), dhs, dh_T, dc_T))
    x64, p64, state64 = in_float64(x, p, (h0, c0))
    _, _, cache64 = lstm_forward(x64, p64, state64, return_cache=True)
    exact = gradient_pairs(lstm_backward(dhs.astype(np.float64), cache64, dh_T.astype(np.float64),
                                         dc_T.astype(np.float64)))
    return ours, theirs, exact


# Tolerances: tests/cases.py. Over many steps with chaotic weights the float32 gradients of both drift far from the
# exact ones (1e-3 over the 250 steps of the last shape), by amounts that differ between machines; what is compared
# there is each backward step, taken from every state the run visits.
KERAS_SHAPES = [(1, 1, 1, 1), (1, 40, 1, 1), (4, 1, 6, 3), (3, 17, 5, 8), (8, 60, 16, 32)]


@pytest.mark.parametrize("batch,time,input_dim,units", KERAS_SHAPES)
def test_matches_tensorflow_with_keras_initialisers(batch, time, input_dim, units):
    pytest.importorskip("tensorflow")
    rng = np.random.default_rng(batch * 100 + time * 10 + units)
    p, x, (h0, c0) = keras_like_case(rng, batch, time, input_dim, units)
    ours, theirs, _ = keras_and_float64_gradients(p, x, h0, c0, rng)
    for name in ours:
        assert ours[name].dtype == np.float32
        assert rel_error(ours[name], theirs[name]) < GRAD_RTOL, name


@pytest.mark.parametrize("batch,time,input_dim,units", KERAS_SHAPES + [(7, 250, 2, 29)])
def test_every_backward_step_as_exact_as_tensorflow_with_chaotic_weights(batch, time, input_dim, units):
    pytest.importorskip("tensorflow")
    rng = np.random.default_rng(batch * 100 + time * 10 + units)
    p, x, state = chaotic_case(rng, batch, time, input_dim, units)
    hs, _, cache = lstm_forward(x, p, state, return_cache=True)
    x1, _, state1 = one_step_each(x, p, hs, cache["c"], state)  # every step of the run, from the state it met
    ours, theirs, exact = keras_and_float64_gradients(p, x1, *state1, rng)
    for name in ours:
        assert ours[name].dtype == np.float32
        mine, tf = rel_error(ours[name], exact[name]), rel_error(theirs[name], exact[name])
        assert mine <= CHAOS_FACTOR * tf + GRAD_FLOOR, f"{name}: ours {mine:.1e} from float64, TensorFlow {tf:.1e}"


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


def test_keras_gradients_with_no_initial_state_starts_from_zeros():
    pytest.importorskip("tensorflow")
    rng = np.random.default_rng(5)
    p = LSTMParams.init(3, 2, seed=5)
    x = rng.standard_normal((2, 4, 3)).astype(np.float32)
    dhs = rng.standard_normal((2, 4, 2)).astype(np.float32)
    zeros = np.zeros((2, 2), np.float32)
    none, given = keras_gradients(x, p, None, dhs), keras_gradients(x, p, (zeros, zeros), dhs)
    for a, b in zip(gradient_pairs(none).values(), gradient_pairs(given).values()):
        np.testing.assert_array_equal(a, b)


def test_keras_gradients_without_tensorflow_names_the_extra(monkeypatch):
    "A light install (numpy core only) is told which extra brings TensorFlow, not a bare ModuleNotFoundError."
    monkeypatch.setitem(__import__("sys").modules, "tensorflow", None)
    p = LSTMParams.init(3, 2)
    with pytest.raises(ImportError, match=r'lstm_book.bptt needs TensorFlow: pip install "lstm_book\[keras\]"'):
        keras_gradients(np.zeros((1, 2, 3)), p, None, np.zeros((1, 2, 2)))
