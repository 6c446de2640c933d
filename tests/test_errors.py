"""Bad input is refused with a message naming what was expected and what was given.

These pin the messages of chapters 2, 3, 4 and 6; each chapter keeps one or two where the example teaches."""
import numpy as np
import pytest

from lstm_book.bptt import lstm_backward
from lstm_book.cell import cell_state, hidden_state, lstm_cell
from lstm_book.gates import candidate, forget_gate, input_gate, output_gate
from lstm_book.lstm import LSTMParams, lstm_forward

rng = np.random.default_rng(0)


def raises(fn, exc, message):
    with pytest.raises(exc) as info: fn()
    assert message in str(info.value), f"{message!r} not in {str(info.value)!r}"


# chapter 2: 3 units, 5 inputs, a batch of 4
xb, hb = rng.standard_normal((4, 5)), rng.standard_normal((4, 3))
Wr, br = rng.standard_normal((3, 8)), rng.standard_normal(3)


@pytest.mark.parametrize("fn, exc, message", [
    (lambda: forget_gate(xb, hb, Wr[:2], br), ValueError,
     "W_f must have shape (units, units + input_dim) with units = 3"),
    (lambda: input_gate(xb, hb, Wr[:, :-1], br), ValueError,
     "W_i must have shape (n, units + input_dim) = (n, 8); got (3, 7)"),
    (lambda: output_gate(xb, hb, Wr, br[:2]), ValueError, "b_o must have shape (3,)"),
    (lambda: candidate(xb, hb, Wr, ["a", "b", "c"]), TypeError, "b_C must be a numeric array"),
], ids=["forget rows", "input columns", "output bias", "candidate bias dtype"])
def test_gate_errors(fn, exc, message):
    raises(fn, exc, message)


# chapter 3: 3 units, 4 inputs, a batch of 5; stacked W (12, 7) and b (12,)
xc, hc, cc = rng.standard_normal((5, 4)), rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
Wc, bc = rng.standard_normal((12, 7)), rng.standard_normal(12)
ones, o = np.ones((4, 3)), rng.uniform(0.01, 0.99, (4, 3))


@pytest.mark.parametrize("fn, exc, message", [
    (lambda: cell_state(ones, ones, ones, ones[:, :2]), ValueError, "got (4, 3), (4, 3), (4, 3) and (4, 2)"),
    (lambda: hidden_state(o[:2], ones), ValueError, "o and c must have one shape; got (2, 3) and (4, 3)"),
    (lambda: lstm_cell(xc, hc, cc[:, :2], Wc, bc), ValueError, "got (5, 3) and (5, 2)"),
    (lambda: lstm_cell(xc, hc, cc, Wc[:-1], bc), ValueError,
     "W must have shape (4·units, units + input_dim); got (11, 7)"),
    (lambda: lstm_cell(xc, hc, cc, Wc[:8], bc[:8]), ValueError, "with units = 3"),
    (lambda: lstm_cell(xc[:, :2], hc, cc, Wc, bc), ValueError,
     "W_f must have shape (n, units + input_dim) = (n, 5); got (3, 7)"),
    (lambda: lstm_cell(xc, hc, cc, Wc, bc[:4]), ValueError, "b must have shape (12,)"),
    (lambda: lstm_cell("abc", hc, cc, Wc, bc), TypeError, "x_t must be a numeric array"),
], ids=["cell_state", "hidden_state", "c_prev", "W rows", "units", "input_dim", "b", "x dtype"])
def test_cell_errors(fn, exc, message):
    raises(fn, exc, message)


# chapter 4: 3 units, 5 inputs, a batch of 4 sequences of 7 steps
P = LSTMParams.init(5, 3, seed=0)
X = rng.standard_normal((4, 7, 5))
H0, C0 = np.zeros((4, 3)), np.zeros((4, 3))


@pytest.mark.parametrize("fn, exc, message", [
    (lambda: LSTMParams(P.kernel, P.recurrent_kernel[:2], P.bias), ValueError,
     "recurrent_kernel must have shape (units, 4·units) = (3, 12) to match kernel (5, 12); got (2, 12)"),
    (lambda: LSTMParams(P.kernel[:, :10], P.recurrent_kernel, P.bias), ValueError,
     "kernel must have shape (input_dim, 4·units); got (5, 10)"),
    (lambda: LSTMParams(P.kernel, P.recurrent_kernel, P.bias[:4]), ValueError,
     "bias must have shape (4·units,) = (12,)"),
    (lambda: LSTMParams.init(0, 3), ValueError, "must be positive integers"),
    (lambda: LSTMParams.from_gates(**{**P.to_gates(), "W_C": P.to_gates()["W_C"][:2]}), ValueError,
     "got W_C of shape (2, 8)"),
], ids=["recurrent_kernel", "kernel", "bias", "init", "from_gates"])
def test_params_errors(fn, exc, message):
    raises(fn, exc, message)


@pytest.mark.parametrize("forward", ["lstm_forward", "lstm_forward_loop"])
@pytest.mark.parametrize("args, exc, message", [
    ((X[0], P), ValueError, "x must have shape (batch, time, input_dim) = (batch, time, 5); got (7, 5)"),
    ((X[..., :4], P), ValueError, "got (4, 7, 4)"),
    ((X, P, (H0, C0[:, :2])), ValueError,
     "initial_state must be (h0, c0), each of shape (batch, units) = (4, 3); got (4, 3) and (4, 2)"),
    ((X, P, H0), ValueError, "initial_state must be a pair (h0, c0)"),
    ((X.astype(str), P), TypeError, "x must be a numeric array"),
    ((X, P.to_gates()), TypeError, "params must be an LSTMParams; got dict"),
], ids=["x 2-d", "input_dim", "c0 shape", "state not a pair", "x dtype", "params dict"])
def test_forward_errors(forward, args, exc, message):
    import lstm_book.lstm as lstm
    raises(lambda: getattr(lstm, forward)(*args), exc, message)


# chapter 6: batch 2, time 4, units 2
P6 = LSTMParams.init(3, 2, seed=0, dtype=np.float64)
HS, _, CACHE = lstm_forward(rng.standard_normal((2, 4, 3)), P6, return_cache=True)
DHS = rng.standard_normal(HS.shape)


@pytest.mark.parametrize("backward", ["lstm_backward", "lstm_backward_loop"])
@pytest.mark.parametrize("args, kwargs, exc, message", [
    ((DHS[:, :3], CACHE), {}, ValueError, "dhs must have shape (2, 4, 2) to match the cache; got (2, 3, 2)"),
    ((DHS, CACHE), {"dh_T": np.zeros((2, 3))}, ValueError,
     "dh_T must have shape (2, 2) to match the cache; got (2, 3)"),
    ((DHS, CACHE), {"dc_T": np.zeros(2)}, ValueError, "dc_T must have shape (2, 2)"),
    ((DHS, (HS, CACHE)), {}, TypeError,
     "cache must be the dict returned by lstm_forward(..., return_cache=True); got tuple"),
    ((DHS.astype(str), CACHE), {}, TypeError, "dhs must be a numeric array"),
], ids=["dhs", "dh_T", "dc_T", "cache", "dhs dtype"])
def test_backward_errors(backward, args, kwargs, exc, message):
    import lstm_book.bptt as bptt
    raises(lambda: getattr(bptt, backward)(*args, **kwargs), exc, message)


def test_draw_cell_names_the_paths_it_can_highlight():
    import matplotlib
    matplotlib.use("Agg")
    from lstm_book.diagram import draw_cell
    raises(lambda: draw_cell(highlight="memory"), ValueError,
           "highlight must be None or one of ['candidate', 'forget', 'input', 'output']; got 'memory'")
