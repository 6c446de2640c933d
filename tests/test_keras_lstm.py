"What lstm_book.keras_lstm promises beyond chapter 5's agreement with our layer: the dtype rule of `lstm_forward`."
import numpy as np
import pytest

pytest.importorskip("keras")
from lstm_book.keras_lstm import keras_forward  # noqa: E402
from lstm_book.lstm import LSTMParams, lstm_forward  # noqa: E402


@pytest.mark.parametrize("x_dtype, p_dtype", [(np.float32, np.float64), (np.float64, np.float32), (np.int64, np.float32)])
def test_keras_forward_computes_in_x_dtype_like_lstm_forward(x_dtype, p_dtype):
    rng = np.random.default_rng(0)
    p = LSTMParams.init(3, 4, seed=0, dtype=p_dtype)
    x = (rng.standard_normal((2, 5, 3)) * 3).astype(x_dtype)
    hs, (h, c) = lstm_forward(x, p)
    khs, (kh, kc) = keras_forward(x, p)
    assert khs.dtype == kh.dtype == kc.dtype == hs.dtype == h.dtype == c.dtype
    tol = 1e-12 if hs.dtype == np.float64 else 1e-5
    np.testing.assert_allclose(khs, hs, atol=tol, rtol=0)


def test_keras_forward_refuses_a_bad_state():
    p = LSTMParams.init(3, 4, seed=0)
    with pytest.raises(TypeError, match="h0 must be a numeric array"):
        keras_forward(np.zeros((2, 5, 3)), p, (np.array([["a"] * 4] * 2), np.zeros((2, 4))))
