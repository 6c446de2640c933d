"""The readable loops of chapters 4 and 6 are the references: the fast `lstm_forward` and `lstm_backward` compute
the same numbers, to rounding, at every shape (sizes of 1, an empty sequence) and in both float dtypes.

Tolerances: both versions add the same terms in different orders. In float64 (unit roundoff 1.1e-16) a few hundred
operations per entry stay below 1e-12 relative; in float32 (6e-8) the same count stays below 1e-5 for the forward
pass, and the gradients, which also sum over batch and time, below 1e-4."""
import numpy as np
import pytest

from lstm_book.bptt import lstm_backward, lstm_backward_loop, rel_error
from lstm_book.lstm import LSTMParams, lstm_forward, lstm_forward_loop

SHAPES = [(1, 1, 1, 1), (1, 0, 2, 3), (3, 1, 2, 4), (2, 9, 3, 2), (4, 30, 5, 8), (8, 12, 1, 16)]
TOL = {np.float64: (1e-12, 1e-12), np.float32: (1e-5, 1e-4)}


def setup(shape, dtype, seed=0):
    batch, time, input_dim, units = shape
    rng = np.random.default_rng(seed)
    p = LSTMParams(*(rng.standard_normal(s) * 0.5 for s in
                     [(input_dim, 4 * units), (units, 4 * units), (4 * units,)])).astype(dtype)
    x = rng.standard_normal((batch, time, input_dim)).astype(dtype)
    h0, c0 = rng.standard_normal((2, batch, units)).astype(dtype)
    return p, x, (h0, c0), rng


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_forward_equals_the_loop(shape, dtype):
    p, x, state, _ = setup(shape, dtype)
    tol = TOL[dtype][0]
    for initial_state in (state, None):
        hs, (h, c) = lstm_forward(x, p, initial_state)
        hs_ref, (h_ref, c_ref) = lstm_forward_loop(x, p, initial_state)
        assert hs.dtype == hs_ref.dtype == dtype and hs.shape == hs_ref.shape
        for a, b in ((hs, hs_ref), (h, h_ref), (c, c_ref)):
            assert rel_error(a, b) < tol


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_equals_the_loop(shape, dtype):
    p, x, state, rng = setup(shape, dtype, seed=1)
    hs, (h_T, c_T), cache = lstm_forward(x, p, state, return_cache=True)
    dhs, dh_T, dc_T = (rng.standard_normal(a.shape).astype(dtype) for a in (hs, h_T, c_T))
    tol = TOL[dtype][1]
    for extra in ({}, {"dh_T": dh_T, "dc_T": dc_T}):
        fast, ref = lstm_backward(dhs, cache, **extra), lstm_backward_loop(dhs, cache, **extra)
        pairs = [(fast[0], ref[0]), (fast[2][0], ref[2][0]), (fast[2][1], ref[2][1]),
                 (fast[1].kernel, ref[1].kernel), (fast[1].recurrent_kernel, ref[1].recurrent_kernel),
                 (fast[1].bias, ref[1].bias)]
        for a, b in pairs:
            assert a.dtype == b.dtype == dtype and a.shape == b.shape
            assert rel_error(a, b) < tol


def test_the_loop_does_not_touch_its_inputs():
    p, x, state, rng = setup((2, 5, 3, 4), np.float64)
    before = [a.copy() for a in (x, *state, p.kernel, p.bias)]
    hs, _, cache = lstm_forward(x, p, state, return_cache=True)
    lstm_forward_loop(x, p, state)
    dhs = rng.standard_normal(hs.shape)
    dhs_before = dhs.copy()
    lstm_backward_loop(dhs, cache)
    for a, b in zip((x, *state, p.kernel, p.bias), before): np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(dhs, dhs_before)
