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


# What a user may hand these functions by mistake: each gets a clear error instead of a raw one or a wrong result


@pytest.mark.parametrize("bad", [None, "3", True, 2.5, -1, float("nan")])
def test_windows_want_whole_step_counts(bad):
    with pytest.raises(ValueError, match=f"n_steps and horizon must be integers >= 1; got n_steps={bad!r}"):
        make_windows(np.arange(9.0), bad, 1)


@pytest.mark.parametrize("bad", [0.5, "a", True, None])
def test_windows_want_a_column_index_as_target(bad):
    with pytest.raises(ValueError, match=f"target must index one of the 2 feature columns; got {bad!r}"):
        make_windows(np.zeros((9, 2)), 2, 1, target=bad)


@pytest.mark.parametrize("gap", [np.nan, np.inf, -np.inf])
def test_windows_refuse_gaps_in_the_series(gap):
    series = np.arange(20.0).reshape(10, 2)
    series[6, 1] = gap
    with pytest.raises(ValueError, match="series holds 1 NaN or infinite value\\(s\\), the first at index \\[6, 1\\]"):
        make_windows(series, 3, 1)


@pytest.mark.parametrize("series", [list("abcdef"), [1, None, 3, 4, 5], np.arange("2020-01-01", "2020-01-07",
                                                                                     dtype="datetime64[D]")])
def test_windows_want_numbers(series):
    with pytest.raises(TypeError, match="series must hold numbers; got an array of dtype"):
        make_windows(series, 2, 1)


def test_chronological_split_wants_a_count_of_rows():
    for bad, shown in [(100.5, "100.5"), ("100", "'100'"), (-5, "-5"), (True, "True"), (np.arange(100), "a ndarray")]:
        with pytest.raises(ValueError, match=f"n \\(the number of rows\\) must be an integer >= 0; got {shown}"):
            chronological_split(bad)
    with pytest.raises(ValueError, match="fractions must be 3 positive numbers summing to 1; got 'abc'"):
        chronological_split(100, "abc")


def test_standardizer_refuses_what_has_no_statistics():
    for empty in ([], np.zeros((0, 2)), 5.0, np.ones((4, 3, 2))):
        with pytest.raises(ValueError, match="x must have shape \\(time,\\) or \\(time, features\\) with at least one row"):
            Standardizer.fit(empty)
    with pytest.raises(ValueError, match="x holds 1 NaN or infinite value\\(s\\), the first at index \\[1, 0\\]"):
        Standardizer.fit([[1.0, 2.0], [np.nan, 3.0]])
    with pytest.raises(TypeError, match="x must hold numbers"):
        Standardizer.fit(["a", "b"])


def test_standardizer_refuses_other_columns_than_it_was_fitted_on():
    sc = Standardizer.fit(np.array([[0.0, 1.0], [2.0, 5.0]]))
    for x in (np.zeros((3, 1)), np.zeros((3, 3))):  # one column would silently be broadcast to both before
        with pytest.raises(ValueError, match=f"x must have 2 features in its last axis, .* got shape \\(3, {x.shape[1]}\\)"):
            sc.transform(x)
        with pytest.raises(ValueError, match="z must have 2 features in its last axis"):
            sc.inverse(x)
    assert sc.transform(np.zeros((4, 5, 2))).shape == (4, 5, 2)  # windows (batch, time, features) are fine
    assert np.isnan(sc.transform([[np.nan, 1.0]])[0, 0])  # a missing value stays missing


def test_baselines_refuse_what_is_not_a_window_or_a_step_count():
    x, _ = make_windows(np.arange(100.0), n_steps=30, horizon=3)
    for f in (persistence, lambda a: seasonal_naive(a, 3)):
        with pytest.raises(ValueError, match="x must be windows of shape \\(batch, time, features\\); got \\(68, 30\\)"):
            f(x[..., 0])
    with pytest.raises(ValueError, match="target must index one of the 1 feature columns; got 1"):
        persistence(x, target=1)
    for bad in (0, -3, 2.5):  # horizon 0 and -3 gave values from inside the window before
        with pytest.raises(ValueError, match=f"horizon must be an integer >= 1; got {bad}"):
            seasonal_naive(x, bad)
    with pytest.raises(ValueError, match="season must be an integer >= 1; got 0"):
        seasonal_naive(x, 3, season=0)


def test_ridge_refuses_mismatched_or_missing_data():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(20, 4, 2)), rng.normal(size=20)
    with pytest.raises(ValueError, match="y hold one target per row of x; got shapes \\(20, 4, 2\\) and \\(10,\\)"):
        ridge_fit(x, y[:10])
    with pytest.raises(ValueError, match="x must be a non-empty batch"):
        ridge_fit(x[:0], y[:0])
    with pytest.raises(ValueError, match="y holds 1 NaN or infinite value\\(s\\), the first at index \\[0\\]"):
        ridge_fit(x, np.r_[np.nan, y[1:]])
    for alpha in (-1, "1", None):
        with pytest.raises(ValueError, match=f"alpha must be a number >= 0; got {alpha!r}"):
            ridge_fit(x, y, alpha=alpha)
    with pytest.raises(ValueError, match="no unique solution with alpha=0 .*use alpha > 0"):
        ridge_fit(np.ones((20, 3)), y, alpha=0)
    w = ridge_fit(x, y)
    with pytest.raises(ValueError, match="x must have 8 numbers per window, one per weight of w .* got shape \\(20, 3, 2\\)"):
        ridge_predict(x[:, :3], w)
    np.testing.assert_allclose(ridge_fit(np.arange(5.0), 2 * np.arange(5.0) + 1, alpha=0), [2, 1], atol=1e-12)


def test_mae_refuses_empty_and_missing_values():
    with pytest.raises(ValueError, match="y and y_hat must hold at least one value; got none"):
        mae([], [])
    with pytest.raises(ValueError, match="y holds 1 NaN or infinite value\\(s\\), the first at index \\[1\\]"):
        mae([1, np.nan], [1, 2])
    with pytest.raises(ValueError, match="y_hat holds 1 NaN or infinite value"):
        mae([1, 2], [1, np.inf])
    with pytest.raises(TypeError, match="y must hold numbers"):
        mae(["a"], ["b"])
