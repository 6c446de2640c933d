"Property-based tests of the invariants the book's first chapters prove by hand."
import warnings

import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays, array_shapes

from lstm_book.activations import dsigmoid, dtanh, sigmoid, tanh
from lstm_book.cell import cell_state, hidden_state, lstm_cell
from lstm_book.gates import candidate, forget_gate, input_gate, output_gate

settings.register_profile("book", max_examples=60, deadline=None)
settings.load_profile("book")

floats64 = st.floats(-1e6, 1e6, allow_nan=False)
any_floats = st.one_of(arrays(np.float64, array_shapes(max_dims=3, max_side=6), elements=floats64),
                       arrays(np.float32, array_shapes(max_dims=3, max_side=6), elements=st.floats(-1e6, 1e6, width=32)))


@given(any_floats)
def test_sigmoid_is_bounded_silent_symmetric_and_keeps_dtype(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
    assert s.dtype == z.dtype and s.shape == z.shape
    assert ((s >= 0) & (s <= 1)).all()
    # Both sides come from one e = exp(-|z|), so exp's accuracy (which differs between CPUs) cancels: what is left is
    # the correctly rounded 1 + e, 1 / (1 + e) and e / (1 + e), at most (1/2 + 1/4 + 1/8) ulp of 1 = 0.875 eps
    # together (1 - s itself is exact). The bound is one eps of the dtype.
    np.testing.assert_allclose(sigmoid(-z), 1 - s, atol=np.finfo(z.dtype).eps, rtol=0)


@given(any_floats)
def test_sigmoid_is_monotone(z):
    z = np.sort(z.ravel())
    assert (np.diff(sigmoid(z)) >= 0).all()


@given(any_floats)
def test_tanh_and_derivatives_are_bounded(z):
    t = tanh(z)
    assert t.dtype == z.dtype and ((t >= -1) & (t <= 1)).all()
    assert ((dsigmoid(z) >= 0) & (dsigmoid(z) <= 0.25)).all()
    assert ((dtanh(z) >= 0) & (dtanh(z) <= 1)).all()


small = st.floats(-5, 5, allow_nan=False)


@st.composite
def cell_inputs(draw):
    batch, units, input_dim = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    arr = lambda shape: draw(arrays(np.float64, shape, elements=small))
    return (arr((batch, input_dim)), arr((batch, units)), arr((batch, units)),
            arr((4 * units, units + input_dim)), arr((4 * units,)))


@given(cell_inputs())
def test_gates_lie_in_their_ranges(args):
    x, h, c, W, b = args
    u = h.shape[1]
    z = np.concatenate([h, x], axis=1) @ W.T + b
    moderate = np.abs(z) < 15  # beyond this float64 rounds sigma and tanh to their end points
    for gate, k in ((forget_gate, 0), (input_gate, 1), (output_gate, 3)):
        g = gate(x, h, W[k * u:(k + 1) * u], b[k * u:(k + 1) * u])
        m = moderate[:, k * u:(k + 1) * u]
        assert ((g >= 0) & (g <= 1)).all() and ((g[m] > 0) & (g[m] < 1)).all()
    c_tilde, m = candidate(x, h, W[2 * u:3 * u], b[2 * u:3 * u]), moderate[:, 2 * u:3 * u]
    assert ((c_tilde >= -1) & (c_tilde <= 1)).all() and ((c_tilde[m] > -1) & (c_tilde[m] < 1)).all()


@given(cell_inputs())
def test_hidden_state_is_bounded_and_cell_state_moves_at_most_one(args):
    x, h, c, W, b = args
    h_t, c_t = lstm_cell(x, h, c, W, b)
    u = h.shape[1]
    z_o = (np.concatenate([h, x], axis=1) @ W.T + b)[:, 3 * u:]
    assert (np.abs(h_t) <= 1).all() and (np.abs(h_t[np.abs(z_o) < 15]) < 1).all()
    # f in (0, 1) shrinks |C| and i * C~ adds less than 1 in magnitude
    assert (np.abs(c_t) <= np.abs(c) + 1).all()


@given(arrays(np.float64, (3, 4), elements=floats64), arrays(np.float64, (3, 4), elements=small))
def test_keep_gate_passes_memory_exactly(c_prev, c_tilde):
    ones, zeros = np.ones_like(c_prev), np.zeros_like(c_prev)
    np.testing.assert_array_equal(cell_state(ones, c_prev, zeros, c_tilde), c_prev)
    np.testing.assert_array_equal(cell_state(zeros, c_prev, zeros, c_tilde), zeros)
    np.testing.assert_array_equal(hidden_state(zeros, c_prev), zeros)
