"What lstm_book.sentiment promises its users: the split, the padding helper, GloVe rows, and SentimentModel."
import numpy as np
import pytest
import keras
from lstm_book.sentiment import SentimentModel, build_classifier, glove_matrix, pre_pad, stratified_split

TEXTS = ["a great film", "a wonderful, moving story", "great acting and a great script", "simply wonderful",
         "an awful mess", "boring and awful", "a dull, boring script", "simply dull"]
LABELS = [1, 1, 1, 1, 0, 0, 0, 0]
TINY = dict(units=4, embedding_dim=8, max_tokens=50, sequence_length=8)


@pytest.fixture(scope="module")
def tiny_model():
    return SentimentModel(**TINY).fit(TEXTS, LABELS, validation_data=(TEXTS, LABELS), epochs=2, batch_size=4)


def test_stratified_split_keeps_balance_and_loses_nothing():
    labels = np.random.default_rng(0).random(1000) < 0.3
    parts = stratified_split(labels, (0.6, 0.2, 0.2), seed=3)
    assert [len(p) for p in parts] == [600, 200, 200]
    np.testing.assert_array_equal(np.sort(np.concatenate(parts)), np.arange(1000))
    for p in parts: assert abs(labels[p].mean() - labels.mean()) < 0.01
    for a, b in zip(parts, stratified_split(labels, (0.6, 0.2, 0.2), seed=3)): np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="fractions must be three non-negative numbers summing to 1"):
        stratified_split(labels, (0.5, 0.2, 0.2))


def test_pre_pad_moves_zeros_to_the_front():
    ids = np.array([[3, 4, 0, 0], [7, 0, 0, 0], [1, 2, 3, 4]])
    np.testing.assert_array_equal(pre_pad(ids), [[0, 0, 3, 4], [0, 0, 0, 7], [1, 2, 3, 4]])
    with pytest.raises(ValueError, match=r"ids must have shape \(batch, time\); got \(4,\)"):
        pre_pad(ids[0])


def test_glove_matrix_rows():
    m = glove_matrix(["", "[UNK]", "b", "a"], ["a", "b", "c"], np.eye(3))
    np.testing.assert_array_equal(m, [[0, 0, 0], [0, 0, 0], [0, 1, 0], [1, 0, 0]])
    assert m.dtype == np.float32


def test_mask_makes_padding_irrelevant():
    keras.utils.set_random_seed(0)
    model = build_classifier(30, embedding_dim=4, units=3)
    short, padded = (keras.ops.convert_to_numpy(model(np.array(x))) for x in ([[4, 5, 6]], [[4, 5, 6, 0, 0, 0]]))
    np.testing.assert_allclose(short, padded, atol=1e-6)


def test_predict_gives_probabilities(tiny_model):
    p = tiny_model.predict(TEXTS + ["a word never seen before"])
    assert p.shape == (len(TEXTS) + 1,) and ((p > 0) & (p < 1)).all()


def test_save_load_gives_identical_predictions(tiny_model, tmp_path):
    tiny_model.save(tmp_path / "model")
    loaded = SentimentModel.load(tmp_path / "model")
    np.testing.assert_array_equal(loaded.predict(TEXTS), tiny_model.predict(TEXTS))
    assert loaded.config == tiny_model.config


def test_same_seed_same_model():
    again = [SentimentModel(**TINY, seed=5).fit(TEXTS, LABELS, epochs=1, batch_size=4).predict(TEXTS) for _ in range(2)]
    np.testing.assert_array_equal(*again)


def test_frozen_glove_embeddings_stay_put():
    words = ["great", "awful", "boring", "wonderful"]
    vectors = np.random.default_rng(0).normal(size=(4, 8)).astype(np.float32)
    model = SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=2, batch_size=4, glove=(words, vectors),
                                       freeze_embeddings=True)
    expected = glove_matrix(model.vectorizer.get_vocabulary(), words, vectors)
    np.testing.assert_array_equal(model.network.get_layer("embedding").get_weights()[0], expected)
    model.fine_tune(TEXTS, LABELS, epochs=1, batch_size=4)
    assert not np.array_equal(model.network.get_layer("embedding").get_weights()[0], expected)
    with pytest.raises(ValueError, match="glove vectors must have embedding_dim = 8 dimensions; got 3"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=1, glove=(words[:3], np.eye(3)))


def test_bad_input_gets_a_clear_error(tiny_model, tmp_path):
    with pytest.raises(TypeError, match="got a single str: wrap it in a list"):
        tiny_model.predict("a great film")
    with pytest.raises(ValueError, match=r"texts must not be empty; texts\[1\] is ''"):
        tiny_model.predict(["a great film", ""])
    with pytest.raises(ValueError, match=r"texts must not be empty; texts\[0\] is '  '"):
        tiny_model.predict(["  "])
    with pytest.raises(TypeError, match=r"texts must be strings; texts\[1\] is float: nan"):
        tiny_model.predict(["a great film", float("nan")])
    with pytest.raises(TypeError, match="texts must be a list of strings; got int"):
        tiny_model.predict(3)
    with pytest.raises(ValueError, match="texts must hold at least one string"):
        tiny_model.predict([])
    with pytest.raises(ValueError, match="labels must be 8 values, each 0 or 1"):
        SentimentModel(**TINY).fit(TEXTS, [2] * 8)
    with pytest.raises(RuntimeError, match="not trained yet"):
        SentimentModel().predict(["a great film"])
    with pytest.raises(FileNotFoundError, match="holds no saved SentimentModel"):
        SentimentModel.load(tmp_path)
