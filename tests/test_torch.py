"""LSTMParams and GRUParams speak PyTorch: the same numbers as torch.nn.LSTM and torch.nn.GRU (tolerances:
tests/cases.py). PyTorch is optional; without it this file is skipped (`make test-torch` installs the CPU build)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason='PyTorch is optional: pip install "lstm_book[torch]" or make test-torch')

from lstm_book.lstm import LSTMParams, lstm_forward  # noqa: E402
from lstm_book.variants import GRUParams, gru_forward, stacked_forward  # noqa: E402
from cases import H_ATOL  # noqa: E402

KINDS = {"LSTM": LSTMParams, "GRU": GRUParams}


def torch_module(kind, input_dim, units, num_layers, batch_first, seed, dtype=torch.float32):
    torch.manual_seed(seed)
    m = getattr(torch.nn, kind)(input_dim, units, num_layers=num_layers, batch_first=batch_first, dtype=dtype)
    with torch.no_grad():
        for name, w in m.named_parameters():
            if "bias" in name: w.normal_(0, 0.5)  # PyTorch's small uniform biases would hide a wrong layout
    return m


def run_torch(m, x, batch_first, h0=None):
    xt = torch.from_numpy(np.ascontiguousarray(x if batch_first else x.transpose(1, 0, 2)))
    with torch.no_grad():
        out, state = m(xt) if h0 is None else m(xt, h0)
    out = out.numpy()
    return out if batch_first else out.transpose(1, 0, 2), state


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("num_layers,batch_first", [(1, True), (1, False), (3, True), (2, False)])
@pytest.mark.parametrize("batch,time,input_dim,units", [(1, 1, 1, 1), (4, 60, 5, 16), (2, 150, 3, 7)])
def test_matches_pytorch(kind, num_layers, batch_first, batch, time, input_dim, units):
    m = torch_module(kind, input_dim, units, num_layers, batch_first, seed=batch + time + units)
    params = [KINDS[kind].from_torch(m, n) for n in range(num_layers)]
    assert all(p.dtype == np.float32 for p in params)
    if kind == "GRU": assert all(p.reset_after for p in params)
    x = np.random.default_rng(time).standard_normal((batch, time, input_dim)).astype(np.float32)
    theirs, state = run_torch(m, x, batch_first)
    ours, finals = stacked_forward(x, params)
    np.testing.assert_allclose(ours, theirs, atol=H_ATOL, rtol=0)
    h_n = (state[0] if kind == "LSTM" else state).numpy()
    for n, final in enumerate(finals):
        h = final[0] if kind == "LSTM" else final
        np.testing.assert_allclose(h, h_n[n], atol=H_ATOL, rtol=0)


@pytest.mark.parametrize("kind", KINDS)
def test_with_an_initial_state(kind):
    m = torch_module(kind, 3, 8, 1, True, seed=1)
    p = KINDS[kind].from_torch(m)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 40, 3)).astype(np.float32)
    h0 = np.tanh(rng.standard_normal((4, 8))).astype(np.float32)
    c0 = rng.standard_normal((4, 8)).astype(np.float32)
    if kind == "LSTM":
        theirs, _ = run_torch(m, x, True, (torch.from_numpy(h0[None]), torch.from_numpy(c0[None])))
        ours = lstm_forward(x, p, (h0, c0))[0]
    else:
        theirs, _ = run_torch(m, x, True, torch.from_numpy(h0[None]))
        ours = gru_forward(x, p, h0)[0]
    np.testing.assert_allclose(ours, theirs, atol=H_ATOL, rtol=0)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("batch_first", [True, False])
def test_to_torch_gives_pytorch_our_numbers(kind, batch_first):
    rng = np.random.default_rng(2)
    p = KINDS[kind].init(3, 7, seed=2)
    p.bias += rng.normal(0, 0.5, p.bias.shape).astype(np.float32)
    m = p.to_torch(batch_first=batch_first)
    assert isinstance(m, getattr(torch.nn, kind)) and m.batch_first == batch_first
    x = rng.standard_normal((4, 30, 3)).astype(np.float32)
    forward = lstm_forward if kind == "LSTM" else gru_forward
    np.testing.assert_allclose(forward(x, p)[0], run_torch(m, x, batch_first)[0], atol=H_ATOL, rtol=0)
    back = KINDS[kind].from_torch(m)
    for a, b in ((back.kernel, p.kernel), (back.recurrent_kernel, p.recurrent_kernel), (back.bias, p.bias)):
        np.testing.assert_array_equal(a, b)


def test_to_torch_writes_one_layer_of_a_stack_and_keeps_float64():
    m = torch_module("GRU", 3, 5, 2, True, seed=3, dtype=torch.float64)
    p = GRUParams.init(5, 5, seed=4, dtype=np.float64)
    p.bias += 0.3
    assert p.to_torch(m, layer=1) is m
    back = GRUParams.from_torch(m, 1)
    assert back.dtype == np.float64
    np.testing.assert_array_equal(back.bias, p.bias)


def test_the_two_lstm_biases_are_added():
    m = torch_module("LSTM", 2, 3, 1, True, seed=5)
    p = LSTMParams.from_torch(m)
    np.testing.assert_allclose(p.bias, (m.bias_ih_l0 + m.bias_hh_l0).detach().numpy(), rtol=0, atol=0)


def test_errors_say_what_was_expected():
    lstm = torch_module("LSTM", 2, 3, 2, True, seed=6)
    with pytest.raises(TypeError, match="expected a torch.nn.GRU; got LSTM"):
        GRUParams.from_torch(lstm)
    with pytest.raises(ValueError, match=r"layer must be in 0..1"):
        LSTMParams.from_torch(lstm, layer=2)
    with pytest.raises(ValueError, match="bidirectional or projected"):
        LSTMParams.from_torch(torch.nn.LSTM(2, 3, bidirectional=True))
    with pytest.raises(ValueError, match="PyTorch's GRU has Keras' reset_after=True form"):
        GRUParams.init(2, 3, reset_after=False).to_torch()
    with pytest.raises(ValueError, match=r"the module's layer 0 has weights of shapes"):
        LSTMParams.init(2, 4).to_torch(lstm)


def test_speed_times_the_same_computation_in_pytorch():
    "Appendix A's PyTorch contenders compute our forward pass and our gradients of x, h0 and c0."
    from lstm_book.speed import bench_inputs, numpy_contenders, torch_available, torch_contenders
    assert torch_available()
    params, x, state, dhs = bench_inputs(3, 5, 4, 6)
    ours, theirs = numpy_contenders(params, x, state, dhs), torch_contenders(params, x, state, dhs)
    hs, (h, c) = ours["numpy forward"]()
    for a, b in zip((hs, h, c), theirs["PyTorch forward"]()):
        np.testing.assert_allclose(a, b, atol=1e-5)  # chapter 5's float32 bound for Keras-initialised weights
    dx, _, (dh0, dc0) = ours["numpy forward+backward"]()
    for a, b in zip((dx, dh0, dc0), theirs["PyTorch forward+backward"]()):
        np.testing.assert_allclose(a, np.reshape(b, a.shape), atol=1e-4)  # chapter 6's bound on gradients
