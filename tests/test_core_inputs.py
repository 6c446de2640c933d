"""The numpy core refuses bad data at the door, in the style of its shape messages, and says what it accepts instead.

Each case here is one a user met: NaN or inf in the inputs, lists for arrays, a dtype that is not float32 or
float64, sizes that are not integers, an empty batch, a Keras layer that is not an LSTM, a `repr` that printed every
weight, and `speed` without TensorFlow or pandas."""
import sys

import numpy as np
import pytest

from lstm_book.activations import as_float_array, sigmoid
from lstm_book.lstm import LSTMParams, RecurrentParams, lstm_forward, lstm_forward_loop

FORWARDS = [lstm_forward, lstm_forward_loop]
ids = lambda f: f.__name__
P = LSTMParams.init(8, 4, seed=0, dtype=np.float64)
X = np.random.default_rng(0).standard_normal((3, 5, 8))
H0 = C0 = np.zeros((3, 4))


def raises(fn, exc, message):
    with pytest.raises(exc) as info: fn()
    assert message in str(info.value), f"{message!r} not in {str(info.value)!r}"


@pytest.mark.parametrize("forward", FORWARDS, ids=ids)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_x_is_refused(forward, bad):
    x = X.copy()
    x[1, 2, 3] = bad
    nan, inf = (1, 0) if np.isnan(bad) else (0, 1)
    raises(lambda: forward(x, P), ValueError,
           f"x must hold finite numbers; got {nan} NaN and {inf} inf among its 120 entries")


@pytest.mark.parametrize("forward", FORWARDS, ids=ids)
def test_non_finite_initial_state_is_refused(forward):
    h0, c0 = H0.copy(), C0.copy()
    h0[0, 0] = np.nan
    raises(lambda: forward(X, P, (h0, C0)), ValueError, "h0 must hold finite numbers; got 1 NaN")
    c0[2, 1] = np.inf
    raises(lambda: forward(X, P, (H0, c0)), ValueError, "c0 must hold finite numbers; got 0 NaN and 1 inf")


@pytest.mark.parametrize("forward", FORWARDS, ids=ids)
def test_lists_are_converted_like_arrays(forward):
    hs, (h, c) = forward(X, P, (H0, C0))
    hs_l, (h_l, c_l) = forward(X.tolist(), P, [H0.tolist(), C0.tolist()])
    for a, b in ((hs, hs_l), (h, h_l), (c, c_l)):
        assert b.dtype == np.float64
        np.testing.assert_array_equal(a, b)
    q = LSTMParams(P.kernel.tolist(), P.recurrent_kernel.tolist(), P.bias.tolist())
    np.testing.assert_array_equal(forward(X, q)[0], forward(X, P)[0])
    g = {k: v.tolist() for k, v in P.to_gates().items()}
    np.testing.assert_array_equal(LSTMParams.from_gates(**g).kernel, P.kernel)


@pytest.mark.parametrize("cls", [LSTMParams, RecurrentParams], ids=ids)
@pytest.mark.parametrize("dtype, shown", [(int, "int64"), (np.float16, "float16"), (bool, "bool"),
                                          ("complex64", "complex64"), ("nonsense", "'nonsense'")])
def test_init_refuses_a_dtype_that_is_not_float32_or_float64(cls, dtype, shown):
    raises(lambda: cls.init(8, 4, dtype=dtype), TypeError, f"dtype must be float32 or float64; got {shown}")


def test_float16_is_refused_everywhere_it_comes_in():
    half = np.ones((3, 5, 8), np.float16)
    raises(lambda: lstm_forward(half, P), TypeError, "x must be a numeric array (float32 or float64); got dtype float16")
    raises(lambda: sigmoid(np.float16(1)), TypeError, "z must be a numeric array (float32 or float64); got dtype float16")
    raises(lambda: P.astype(np.float16), TypeError, "kernel must be a numeric array (float32 or float64); got dtype float16")
    raises(lambda: as_float_array([1.0], "h0", np.float16), TypeError, "h0 must be a numeric array")


@pytest.mark.parametrize("args, exc, message", [
    ((8, 2.5), TypeError, "input_dim and units must be positive integers; got input_dim=8, units=2.5"),
    ((8, "16"), TypeError, "got input_dim=8, units='16'"),
    ((8.0, 4), TypeError, "got input_dim=8.0, units=4"),
    ((True, 4), TypeError, "got input_dim=True, units=4"),
    ((8, -1), ValueError, "got input_dim=8, units=-1"),
])
def test_init_sizes_must_be_positive_integers(args, exc, message):
    raises(lambda: LSTMParams.init(*args), exc, message)


def test_init_accepts_numpy_integers():
    p = LSTMParams.init(np.int64(8), np.int32(4), seed=np.int64(0), dtype=np.float64)
    assert (p.input_dim, p.units) == (8, 4) and type(p.units) is int
    np.testing.assert_array_equal(p.kernel, P.kernel)


@pytest.mark.parametrize("forward", FORWARDS, ids=ids)
@pytest.mark.parametrize("time", [5, 0])
def test_an_empty_batch_gives_empty_outputs(forward, time):
    x = np.zeros((0, time, 8), np.float32)
    hs, (h, c) = forward(x, P)
    assert hs.shape == (0, time, 4) and h.shape == c.shape == (0, 4)
    assert hs.dtype == h.dtype == c.dtype == np.float32


def test_an_empty_batch_with_a_cache():
    hs, (h, c), cache = lstm_forward(np.zeros((0, 5, 8)), P, return_cache=True)
    assert hs.shape == (0, 5, 4) and cache["f"].shape == (0, 5, 4)


def test_repr_shows_shapes_and_dtype_not_values():
    p = LSTMParams.init(8, 16)
    assert repr(p) == "LSTMParams(kernel=(8, 64), recurrent_kernel=(16, 64), bias=(64,), dtype=float32)"
    assert repr(RecurrentParams.init(3, 2, dtype=np.float64)) == (
        "RecurrentParams(kernel=(3, 2), recurrent_kernel=(2, 2), bias=(2,), dtype=float64)")


def test_methods_are_defined_in_their_classes():
    "What IDEs and the API pages read: the methods in the class body, not attached later."
    for cls, names in ((RecurrentParams, ["init", "astype"]),
                       (LSTMParams, ["init", "to_gates", "from_gates", "stacked", "from_keras", "to_keras"])):
        for name in names:
            assert name in vars(cls), f"{cls.__name__}.{name}"
            f = getattr(vars(cls)[name], "__func__", vars(cls)[name])
            assert f.__qualname__ == f"{cls.__name__}.{name}"


def test_all_holds_the_packages_own_names_only():
    import importlib
    for m in ("activations", "gates", "cell", "lstm", "diagram", "speed"):
        mod = importlib.import_module(f"lstm_book.{m}")
        foreign = [n for n in mod.__all__ if getattr(getattr(mod, n), "__module__", mod.__name__) != mod.__name__
                   and not isinstance(getattr(mod, n), (tuple, list, dict, str))]
        assert foreign == [], f"lstm_book.{m}.__all__ holds {foreign}"


# --- Keras layers that are not one LSTM ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras", reason="needs Keras (the keras extra)")


def built(keras, layer):
    layer(np.zeros((1, 3, 8), np.float32))
    return layer


@pytest.mark.parametrize("kind", ["GRU", "SimpleRNN"])
def test_from_keras_names_the_layer_that_is_not_an_lstm(keras, kind):
    layer = built(keras, getattr(keras.layers, kind)(4))
    raises(lambda: LSTMParams.from_keras(layer), TypeError, f"this is a {kind}, not an LSTM")
    raises(lambda: P.to_keras(layer), TypeError, f"this is a {kind}, not an LSTM")


def test_from_keras_asks_for_one_half_of_a_bidirectional(keras):
    layer = built(keras, keras.layers.Bidirectional(keras.layers.LSTM(4)))
    raises(lambda: LSTMParams.from_keras(layer), TypeError,
           "this is a Bidirectional layer, which holds two LSTMs: pass its .forward_layer or .backward_layer")
    forward = LSTMParams.from_keras(layer.forward_layer)
    assert (forward.input_dim, forward.units) == (8, 4)


# --- speed without its extras ------------------------------------------------------------------------------------

def test_speed_imports_without_tensorflow_and_pandas_and_benchmark_names_the_extra():
    import subprocess
    code = ("import sys; sys.modules['tensorflow'] = sys.modules['pandas'] = None\n"
            "import lstm_book.speed as s\n"
            "try: s.benchmark([(1, 2, 3, 4)], repeats=1)\n"
            "except ImportError as e: print(e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert 'lstm_book.speed needs TensorFlow: pip install "lstm_book[keras]"' in r.stdout, r.stdout


def test_speed_names_the_keras_extra_without_tensorflow(monkeypatch):
    import lstm_book.speed as speed
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    args = speed.bench_inputs(1, 2, 3, 4)
    raises(lambda: speed.tensorflow_contenders(*args), ImportError,
           'lstm_book.speed needs TensorFlow: pip install "lstm_book[keras]"')


def test_speed_names_the_extra_that_brings_pandas(monkeypatch):
    "`benchmark` needs TensorFlow and pandas; the keras extra brings both, so that is the one it names."
    import lstm_book.speed as speed
    monkeypatch.setitem(sys.modules, "pandas", None)
    raises(lambda: speed.benchmark([(1, 2, 3, 4)], repeats=1), ImportError,
           'lstm_book.speed needs pandas: pip install "lstm_book[keras]"')
