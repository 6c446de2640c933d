"""What lstm_book.forecasting promises: windows that never contain their target, splits in time order, scaling
from the training part only, and baselines that are what their names say."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lstm_book.forecasting import (Standardizer, chronological_split, mae, make_windows, persistence, ridge_fit,
                                   ridge_predict, seasonal_naive)


@settings(max_examples=60, deadline=None)
@given(length=st.integers(2, 80), n_steps=st.integers(1, 30), horizon=st.integers(1, 30), features=st.integers(1, 4),
       target=st.integers(0, 3))
def test_windows_shapes_and_no_look_ahead(length, n_steps, horizon, features, target):
    target = target % features
    # every value is its own time index, so we can read off which time a number came from
    series = np.repeat(np.arange(length)[:, None], features, axis=1) + np.arange(features) * 1000
    if length < n_steps + horizon:
        with pytest.raises(ValueError, match="at least n_steps \\+ horizon"):
            make_windows(series, n_steps, horizon, target)
        return
    x, y = make_windows(series, n_steps, horizon, target)
    n = length - n_steps - horizon + 1
    assert x.shape == (n, n_steps, features) and y.shape == (n,)
    times_in = x[..., target] - target * 1000
    times_y = y - target * 1000
    assert (times_in.max(axis=1) < times_y).all()  # the target lies strictly after its window
    assert (times_y - times_in[:, -1] == horizon).all()
    assert (np.diff(times_in, axis=1) == 1).all() and (times_in[:, 0] == np.arange(n)).all()
    assert ([set(w) & {t} for w, t in zip(times_in.tolist(), times_y.tolist())] == [set()] * n)


def test_windows_of_a_1d_series_and_bad_input():
    x, y = make_windows([5.0, 6.0, 7.0, 8.0], n_steps=2, horizon=1)
    assert x.tolist() == [[[5.0], [6.0]], [[6.0], [7.0]]] and y.tolist() == [7.0, 8.0]
    with pytest.raises(ValueError, match="n_steps and horizon must be integers >= 1; got n_steps=0"):
        make_windows(np.arange(9), 0, 1)
    with pytest.raises(ValueError, match="horizon=0"):
        make_windows(np.arange(9), 2, 0)
    with pytest.raises(ValueError, match="target must index one of the 2 feature columns; got 2"):
        make_windows(np.zeros((9, 2)), 2, 1, target=2)
    with pytest.raises(ValueError, match="\\(time,\\) or \\(time, features\\); got \\(\\)"):
        make_windows(3.0, 1, 1)


@given(n=st.integers(20, 100_000))
def test_chronological_split_is_ordered_and_complete(n):
    a, b, c = chronological_split(n)
    assert (a.start, a.stop == b.start, b.stop == c.start, c.stop) == (0, True, True, n)
    assert 0 < a.stop < b.stop < n
    assert abs(a.stop - 0.7 * n) <= 1 and abs(c.stop - c.start - 0.15 * n) <= 2


def test_chronological_split_rejects_bad_fractions():
    for bad in [(0.7, 0.3), (0.5, 0.5, 0.5), (1.0, 0.0, 0.0), (-0.1, 0.6, 0.5)]:
        with pytest.raises(ValueError, match="3 positive numbers summing to 1"):
            chronological_split(100, bad)


def test_standardizer_uses_only_what_it_was_fitted_on():
    train = np.array([[0.0, 10.0], [2.0, 10.0]])
    later = np.array([[100.0, -50.0]])
    sc = Standardizer.fit(train)
    assert sc.transform(train).tolist() == [[-1.0, 0.0], [1.0, 0.0]]  # constant column: std taken as 1
    assert sc.transform(later).tolist() == [[99.0, -60.0]]
    np.testing.assert_allclose(sc.inverse(sc.transform(later)), later)


def test_baselines():
    x, y = make_windows(np.arange(100.0), n_steps=30, horizon=3)
    assert (persistence(x) == y - 3).all()
    assert (seasonal_naive(x, horizon=3) == y - 24).all()
    assert (seasonal_naive(x, horizon=7, season=7) == persistence(x)).all()
    with pytest.raises(ValueError, match="horizon <= season"):
        seasonal_naive(x, horizon=25)
    with pytest.raises(ValueError, match="window of 30 steps"):
        seasonal_naive(x, horizon=1, season=40)


def test_ridge_recovers_a_linear_rule_and_shrinks_with_alpha():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 5, 2))
    w = rng.normal(size=10)
    y = x.reshape(300, -1) @ w - 3.0
    np.testing.assert_allclose(ridge_predict(x, ridge_fit(x, y, alpha=1e-10)), y, atol=1e-8)
    big = ridge_fit(x, y, alpha=1e6)
    assert np.abs(big[:-1]).max() < 0.05 and big[-1] == pytest.approx(y.mean(), abs=0.05)  # intercept not shrunk


def test_mae():
    assert mae([0, 0], [1, -3]) == 2.0
    with pytest.raises(ValueError, match="same shape"):
        mae([1], [1, 2])
