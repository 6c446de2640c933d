"""What lstm_book.variants promises: each variant is the cell it names, its gradients are right, the GRU, the stacked and
the bidirectional layers compute Keras' numbers, and PyTorch stays optional. Tolerances: tests/cases.py."""
import sys

import numpy as np
import pytest

from lstm_book.bptt import numerical_gradient, rel_error
from lstm_book.lstm import LSTMParams, lstm_forward
from lstm_book.training import train_recall
from lstm_book.variants import (VARIANTS, GRUParams, VariantParams, bidirectional_forward, gru_backward, gru_cell,
                                gru_forward, gru_layer, n_params, stacked_forward, variant_backward, variant_cell,
                                variant_forward, variant_layer)
from cases import GRAD_RTOL, H_ATOL


def variant_case(rng, batch=3, time=9, input_dim=4, units=5, scale=0.5):
    shapes = [(input_dim, 4 * units), (units, 4 * units), (4 * units,), (3, units)]
    p = VariantParams(*(rng.normal(0, scale, s) for s in shapes))
    x = rng.standard_normal((batch, time, input_dim))
    state = tuple(rng.standard_normal((2, batch, units)))
    return p, x, state


def test_standard_and_zero_peepholes_are_the_lstm():
    rng = np.random.default_rng(0)
    p, x, state = variant_case(rng)
    lstm = LSTMParams(p.kernel, p.recurrent_kernel, p.bias)
    hs, (h, c) = variant_forward(x, p, "standard", state)
    np.testing.assert_allclose(hs, lstm_forward(x, lstm, state)[0], atol=1e-12, rtol=0)
    np.testing.assert_allclose(c, lstm_forward(x, lstm, state)[1][1], atol=1e-12, rtol=0)
    zero = VariantParams(p.kernel, p.recurrent_kernel, p.bias)  # peephole zeros
    np.testing.assert_array_equal(variant_forward(x, zero, "PH", state)[0], variant_forward(x, zero, "standard", state)[0])
    # peepholes matter only in PH
    np.testing.assert_array_equal(variant_forward(x, p, "standard", state)[0], variant_forward(x, zero, "standard", state)[0])
    assert np.abs(variant_forward(x, p, "PH", state)[0] - hs).max() > 1e-3


@pytest.mark.parametrize("variant,block", [("NIG", 0), ("NFG", 1), ("NOG", 3)])
def test_a_removed_gate_is_a_gate_held_open(variant, block):
    rng = np.random.default_rng(1)
    p, x, state = variant_case(rng)
    u = p.units
    opened = VariantParams(p.kernel, p.recurrent_kernel, p.bias.copy())
    opened.bias[block * u:(block + 1) * u] = 1e3  # sigmoid(1000) is exactly 1.0 in float64
    np.testing.assert_array_equal(variant_forward(x, p, variant, state)[0],
                                  variant_forward(x, opened, "standard", state)[0])


def test_the_other_variants_by_their_equations():
    rng = np.random.default_rng(2)
    p, x, (h0, c0) = variant_case(rng)
    z = x[:, 0] @ p.kernel + h0 @ p.recurrent_kernel + p.bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    sig = lambda a: 1 / (1 + np.exp(-a))
    h, c, (i, f, _, o) = variant_cell(x[:, 0], h0, c0, p, "CIFG")
    np.testing.assert_array_equal(f, 1 - i)
    h, c, _ = variant_cell(x[:, 0], h0, c0, p, "NIAF")
    np.testing.assert_allclose(c, sig(z_f) * c0 + sig(z_i) * z_c, atol=1e-12)
    h, c, _ = variant_cell(x[:, 0], h0, c0, p, "NOAF")
    np.testing.assert_allclose(h, sig(z_o) * c, atol=1e-12)
    p_i, p_f, p_o = p.peephole
    h, c, (i, f, _, o) = variant_cell(x[:, 0], h0, c0, p, "PH")
    np.testing.assert_allclose(i, sig(z_i + p_i * c0), atol=1e-12)
    np.testing.assert_allclose(f, sig(z_f + p_f * c0), atol=1e-12)
    np.testing.assert_allclose(o, sig(z_o + p_o * c), atol=1e-12)  # the output gate reads the new C_t


def test_the_1997_cell_keeps_everything():
    rng = np.random.default_rng(3)
    p, x, state = variant_case(rng)
    u = p.units
    p.bias[:u] = -1e3  # input gate shut: nothing is written
    for variant in ("NFG", "standard"):
        _, (_, c) = variant_forward(x, p, variant, state)
        if variant == "NFG": np.testing.assert_array_equal(c, state[1])
        else: assert np.abs(c - state[1]).max() > 1e-3


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (2, 5, 3, 2), (3, 8, 2, 4)])
def test_variant_gradients_match_finite_differences(variant, shape):
    batch, time, input_dim, units = shape
    rng = np.random.default_rng(sum(shape))
    p, x, (h0, c0) = variant_case(rng, batch, time, input_dim, units)
    hs, (h_T, c_T), cache = variant_forward(x, p, variant, (h0, c0), return_cache=True)
    dhs, dh_T, dc_T = (rng.standard_normal(a.shape) for a in (hs, h_T, c_T))

    def loss():
        hs, (h, c) = variant_forward(x, p, variant, (h0, c0))
        return (hs * dhs).sum() + (h * dh_T).sum() + (c * dc_T).sum()
    dx, dp, (dh0, dc0) = variant_backward(dhs, cache, dh_T, dc_T)
    for ours, a in ((dp.kernel, p.kernel), (dp.recurrent_kernel, p.recurrent_kernel), (dp.bias, p.bias),
                    (dp.peephole, p.peephole), (dx, x), (dh0, h0), (dc0, c0)):
        assert rel_error(ours, numerical_gradient(loss, a)) < 1e-6
    if variant != "PH":
        assert not dp.peephole.any()


def test_variant_errors_say_what_was_expected():
    rng = np.random.default_rng(4)
    p, x, state = variant_case(rng)
    with pytest.raises(ValueError, match="variant must be one of"):
        variant_forward(x, p, "FGR")
    with pytest.raises(TypeError, match="params must be a VariantParams; got LSTMParams"):
        variant_forward(x, LSTMParams(p.kernel, p.recurrent_kernel, p.bias))
    with pytest.raises(ValueError, match=r"x must have shape \(batch, time, input_dim\) = \(batch, time, 4\); got"):
        variant_forward(x[..., :2], p)
    with pytest.raises(ValueError, match=r"peephole must have shape \(3, units\) = \(3, 5\); got \(3, 4\)"):
        VariantParams(p.kernel, p.recurrent_kernel, p.bias, np.zeros((3, 4)))
    with pytest.raises(ValueError, match="initial_state must be"):
        variant_forward(x, p, "standard", (state[0][:, :2], state[1]))
    with pytest.raises(ValueError, match="variant must be one of"):
        variant_layer("GRU")


def test_astype_keeps_the_peepholes():
    p = VariantParams.init(3, 4, seed=0)
    p.peephole[:] = 0.5
    q = p.astype(np.float64)
    assert q.peephole.dtype == np.float64 and (q.peephole == 0.5).all() and isinstance(q, VariantParams)


def test_n_params_counts_the_weights_a_variant_uses():
    assert n_params("standard", 8, 16) == 4 * 16 * (8 + 16 + 1)
    assert n_params("CIFG", 8, 16) == n_params("NFG", 8, 16) == 3 * 16 * 25
    assert n_params("PH", 8, 16) == n_params("standard", 8, 16) + 48
    g = GRUParams.init(8, 16)
    assert n_params("GRU", 8, 16) == g.kernel.size + g.recurrent_kernel.size + g.bias.size


def test_cifg_starts_with_the_standard_forget_gate():
    layer = variant_layer("CIFG", forget_bias=2.0)
    p = layer.init(3, 4, seed=0)
    x = np.zeros((1, 1, 3), np.float32)
    _, _, (i, f, _, _) = variant_cell(x[:, 0], np.zeros((1, 4)), np.zeros((1, 4)), p, "CIFG")
    np.testing.assert_allclose(f, 1 / (1 + np.exp(-2.0)), rtol=1e-6)


@pytest.mark.parametrize("layer", [variant_layer("PH"), variant_layer("CIFG"), gru_layer()], ids=lambda l: l.name)
def test_variants_learn_the_recall_task(layer):
    _, losses = train_recall(layer, lag=5, steps=150)
    assert losses[-20:].mean() < 0.5 * losses[:20].mean()


# ---- the GRU
def gru_case(rng, reset_after, batch=3, time=8, input_dim=4, units=5, scale=0.5):
    g = GRUParams.init(input_dim, units, seed=int(rng.integers(2 ** 31)), dtype=np.float64, reset_after=reset_after)
    g = GRUParams(*(a + rng.normal(0, scale, a.shape) for a in (g.kernel, g.recurrent_kernel, g.bias)))
    return g, rng.standard_normal((batch, time, input_dim)), rng.standard_normal((batch, units))


def test_gru_by_hand():
    k, U = np.array([[0.0, 0.0, 1.0]]), np.array([[0.0, 0.0, 2.0]])
    x, h = np.array([[1.0]]), np.array([[0.5]])
    after = GRUParams(k, U, np.array([[0, 0, 0], [0, 0, 1.0]]))
    before = GRUParams(k, U, np.array([0, 0, 1.0]))
    np.testing.assert_allclose(gru_cell(x, h, after)[0], 0.25 + 0.5 * np.tanh(2.0), rtol=1e-15)
    np.testing.assert_allclose(gru_cell(x, h, before)[0], 0.25 + 0.5 * np.tanh(2.5), rtol=1e-15)
    np.testing.assert_array_equal(gru_cell(x, h, GRUParams(k, U, np.array([1e3, 0, 0])))[0], h)  # z = 1 keeps h


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (1, 7, 1, 1), (3, 1, 2, 4), (2, 6, 3, 3)])
def test_gru_gradients_match_finite_differences(reset_after, shape):
    batch, time, input_dim, units = shape
    rng = np.random.default_rng(sum(shape) + reset_after)
    g, x, h0 = gru_case(rng, reset_after, batch, time, input_dim, units)
    hs, h_T, cache = gru_forward(x, g, h0, return_cache=True)
    dhs, dh_T = rng.standard_normal(hs.shape), rng.standard_normal(h_T.shape)

    def loss():
        hs, h = gru_forward(x, g, h0)
        return (hs * dhs).sum() + (h * dh_T).sum()
    dx, dg, dh0 = gru_backward(dhs, cache, dh_T)
    assert dg.reset_after == reset_after
    for ours, a in ((dg.kernel, g.kernel), (dg.recurrent_kernel, g.recurrent_kernel), (dg.bias, g.bias),
                    (dx, x), (dh0, h0)):
        assert rel_error(ours, numerical_gradient(loss, a)) < 1e-6


def test_gru_params_check_their_form():
    g = GRUParams.init(3, 4)
    assert g.reset_after and g.bias.shape == (2, 12) and g.dtype == np.float32
    assert not GRUParams.init(3, 4, reset_after=False).reset_after
    with pytest.raises(ValueError, match=r"bias must have shape \(3·units,\) or \(2, 3·units\); got \(3, 12\)"):
        GRUParams(g.kernel, g.recurrent_kernel, np.zeros((3, 12)))
    with pytest.raises(ValueError, match=r"bias must have shape"):
        GRUParams(g.kernel, g.recurrent_kernel, np.zeros((2, 9)))
    with pytest.raises(TypeError, match="params must be a GRUParams; got LSTMParams"):
        gru_forward(np.zeros((1, 2, 3)), LSTMParams.init(3, 4))
    with pytest.raises(ValueError, match=r"initial_state must have shape \(batch, units\) = \(1, 4\)"):
        gru_forward(np.zeros((1, 2, 3)), g, np.zeros((1, 5)))
    assert g.astype(np.float64).bias.shape == (2, 12)


def test_torch_is_optional_and_names_its_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # as if PyTorch were not installed
    with pytest.raises(ImportError, match=r'lstm_book\[torch\]'):
        LSTMParams.init(2, 3).to_torch()
    with pytest.raises(ImportError, match=r'lstm_book\[torch\]'):
        GRUParams.from_torch(object())


def test_the_numpy_part_imports_without_keras_or_torch():
    import subprocess
    code = ("import sys; import lstm_book.variants; "
            "heavy = [m for m in ('tensorflow', 'keras', 'torch') if m in sys.modules]; assert not heavy, heavy")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# ---- against Keras
keras = pytest.importorskip("keras")


def keras_gru(units, input_dim, reset_after, rng, **kw):
    layer = keras.layers.GRU(units, reset_after=reset_after, **kw)
    layer(keras.Input((None, input_dim)))
    k, r, b = layer.get_weights()
    layer.set_weights([k, r, rng.normal(0, 0.5, b.shape).astype(np.float32)])
    return layer


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("batch,time,input_dim,units", [(1, 1, 1, 1), (1, 150, 1, 3), (4, 30, 7, 16), (2, 60, 3, 33)])
def test_gru_matches_keras(reset_after, batch, time, input_dim, units):
    rng = np.random.default_rng(batch * 100 + time + units)
    layer = keras_gru(units, input_dim, reset_after, rng, return_sequences=True, return_state=True)
    g = GRUParams.from_keras(layer)
    assert g.reset_after == reset_after and g.dtype == np.float32
    x = rng.standard_normal((batch, time, input_dim)).astype(np.float32)
    h0 = np.tanh(rng.standard_normal((batch, units))).astype(np.float32)
    for state in (None, h0):
        khs, kh = (keras.ops.convert_to_numpy(a) for a in layer(x, initial_state=None if state is None else [state]))
        hs, h = gru_forward(x, g, state)
        assert hs.dtype == np.float32
        np.testing.assert_allclose(hs, khs, atol=H_ATOL, rtol=0)
        np.testing.assert_allclose(h, kh, atol=H_ATOL, rtol=0)
    # and back: numpy's weights into a fresh Keras layer
    from lstm_book.variants import keras_gru_layer
    fresh = keras_gru_layer(g)
    for a, b in zip(GRUParams.from_keras(fresh).__dict__.values(), g.__dict__.values()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_gradients_match_tensorflow(reset_after):
    tf = pytest.importorskip("tensorflow")
    from lstm_book.variants import keras_gru_layer
    rng = np.random.default_rng(7)
    g = GRUParams.init(4, 16, seed=3, reset_after=reset_after)
    g.bias += rng.normal(0, 0.5, g.bias.shape).astype(np.float32)
    x = rng.standard_normal((8, 40, 4)).astype(np.float32)
    h0 = np.tanh(rng.standard_normal((8, 16))).astype(np.float32)
    hs, h_T, cache = gru_forward(x, g, h0, return_cache=True)
    dhs, dh_T = (rng.standard_normal(a.shape).astype(np.float32) for a in (hs, h_T))
    dx, dg, dh0 = gru_backward(dhs, cache, dh_T)
    layer = keras_gru_layer(g)
    xt, h0t = tf.constant(x), tf.constant(h0)
    with tf.GradientTape() as tape:
        tape.watch([xt, h0t])
        khs, kh = layer(xt, initial_state=[h0t])
        loss = tf.reduce_sum(khs * dhs) + tf.reduce_sum(kh * dh_T)
    theirs = [t.numpy() for t in tape.gradient(loss, [xt, h0t, *layer.cell.trainable_weights])]
    for ours, t in zip((dx, dh0, dg.kernel, dg.recurrent_kernel, dg.bias), theirs):
        assert rel_error(ours, t) < GRAD_RTOL


def test_gru_keras_errors():
    rng = np.random.default_rng(0)
    relu = keras.layers.GRU(4, activation="relu")
    relu(keras.Input((None, 2)))
    with pytest.raises(ValueError, match="this layer has activation='relu'"):
        GRUParams.from_keras(relu)
    with pytest.raises(TypeError, match="expected a built keras.layers.GRU"):
        GRUParams.from_keras(keras.layers.LSTM(3))
    with pytest.raises(ValueError, match=r"reset_after=True\); these params"):
        GRUParams.init(2, 4, reset_after=False).to_keras(keras_gru(4, 2, True, rng))


def randomised(layer, rng):
    w = layer.get_weights()
    layer.set_weights(w[:-1] + [rng.normal(0, 0.5, w[-1].shape).astype(np.float32)])


def test_stacked_layers_match_keras():
    rng = np.random.default_rng(8)
    keras.utils.set_random_seed(8)
    stack = [keras.layers.LSTM(9, return_sequences=True), keras.layers.GRU(6, return_sequences=True),
             keras.layers.LSTM(4, return_sequences=True)]
    model = keras.Sequential([keras.Input((None, 3)), *stack])
    for layer in stack: randomised(layer, rng)
    params = [LSTMParams.from_keras(stack[0]), GRUParams.from_keras(stack[1]), LSTMParams.from_keras(stack[2])]
    x = rng.standard_normal((5, 70, 3)).astype(np.float32)
    hs, finals = stacked_forward(x, params)
    np.testing.assert_allclose(hs, keras.ops.convert_to_numpy(model(x)), atol=H_ATOL, rtol=0)
    assert len(finals) == 3 and finals[1].shape == (5, 6) and finals[2][1].shape == (5, 4)


@pytest.mark.parametrize("inner", ["LSTM", "GRU"])
@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_matches_keras(inner, return_sequences):
    from lstm_book.variants import bidirectional_from_keras
    rng = np.random.default_rng(9)
    keras.utils.set_random_seed(9)
    bi = keras.layers.Bidirectional(getattr(keras.layers, inner)(12, return_sequences=return_sequences))
    bi(keras.Input((None, 5)))
    for layer in (bi.forward_layer, bi.backward_layer): randomised(layer, rng)
    fwd, bwd = bidirectional_from_keras(bi)
    assert type(fwd) is (GRUParams if inner == "GRU" else LSTMParams)
    x = rng.standard_normal((4, 33, 5)).astype(np.float32)
    ours = bidirectional_forward(x, fwd, bwd, return_sequences)
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(bi(x)), atol=H_ATOL, rtol=0)


def test_bidirectional_from_keras_refuses_what_it_cannot_compute():
    from lstm_book.variants import bidirectional_from_keras
    with pytest.raises(TypeError, match="expected a built keras.layers.Bidirectional"):
        bidirectional_from_keras(keras.layers.LSTM(3))
    summed = keras.layers.Bidirectional(keras.layers.LSTM(3), merge_mode="sum")
    summed(keras.Input((None, 2)))
    with pytest.raises(ValueError, match="merge_mode='sum'"):
        bidirectional_from_keras(summed)
