"""What lstm_book.modern_keras promises: minGRU, minLSTM and mLSTM as Keras layers whose forward passes equal the
numpy functions of lstm_book.modern and whose gradients match finite differences of those numpy functions, and
models whose weights are counted as n_params counts them."""
import numpy as np
import pytest

from lstm_book.bptt import numerical_gradient, rel_error
from lstm_book.modern import (KINDS, MLSTMParams, MinGRUParams, MinLSTMParams, SLSTMParams, min_gru_scan,
                              min_lstm_scan, mlstm_parallel, n_params, units_for)
from lstm_book.modern_keras import build_model, keras_layer, tf


def inputs(batch, time, input_dim, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal((batch, time, input_dim)).astype(dtype)


@pytest.mark.parametrize("P, forward", [(MinGRUParams, min_gru_scan), (MinLSTMParams, min_lstm_scan),
                                        (MLSTMParams, mlstm_parallel)], ids=["minGRU", "minLSTM", "mLSTM"])
def test_keras_layer_matches_numpy_forward_and_its_gradients(P, forward):
    x = inputs(2, 6, 4, seed=9)
    p = P.init(4, 3, seed=4, dtype=np.float64)
    p.bias[:] = np.random.default_rng(1).standard_normal(p.bias.shape)
    layer = keras_layer(p)
    assert rel_error(layer(x).numpy(), forward(x, p)) < 1e-13
    last = keras_layer(p, return_sequences=False)
    assert rel_error(last(x).numpy(), forward(x, p)[:, -1]) < 1e-13
    w = np.random.default_rng(2).standard_normal((2, 6, 3))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(tf.constant(x)) * w)
    dk, db = (a.numpy() for a in tape.gradient(loss, [layer.kernel, layer.bias]))
    def L(): return float((forward(x, p) * w).sum())
    # central differences: truncation ~δ² = 1e-12, rounding ~eps·|L|/δ ≈ 1e-10 relative
    assert rel_error(dk, numerical_gradient(L, p.kernel)) < 1e-6
    assert rel_error(db, numerical_gradient(L, p.bias)) < 1e-6
    p32 = P.init(4, 3, seed=4)
    assert rel_error(keras_layer(p32)(x.astype(np.float32)).numpy(), forward(x.astype(np.float32), p32)) < 1e-5


def test_keras_layer_refuses_other_params():
    with pytest.raises(TypeError, match="got SLSTMParams"):
        keras_layer(SLSTMParams.init(3, 2))


@pytest.mark.parametrize("kind", KINDS)
def test_n_params_is_what_keras_counts(kind):
    for input_dim, units, classes in ((8, 16, 4), (64, 7, 32)):
        model = build_model(kind, input_dim, units, classes, sequences=kind != "LSTM")
        assert model.count_params() == n_params(kind, input_dim, units, classes)
    u = units_for(kind, 8, 4, 1700)
    assert abs(n_params(kind, 8, u, 4) - 1700) <= abs(n_params(kind, 8, u + 1, 4) - 1700)
    with pytest.raises(ValueError, match="kind must be one of"):
        build_model("GRU", 8, 4, 2)
