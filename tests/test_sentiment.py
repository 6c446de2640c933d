"What lstm_book.sentiment promises its users: the split, the padding helper, GloVe rows, and SentimentModel."
import hashlib
import json
import shutil
import warnings

import numpy as np
import pytest
import keras
from lstm_book import sentiment
from lstm_book.sentiment import SentimentModel, build_classifier, glove_matrix, pre_pad, stratified_split

TEXTS = ["a great film", "a wonderful, moving story", "great acting and a great script", "simply wonderful",
         "an awful mess", "boring and awful", "a dull, boring script", "simply dull"]
LABELS = [1, 1, 1, 1, 0, 0, 0, 0]
TINY = dict(units=4, embedding_dim=8, max_tokens=50)


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


# Long texts, unknown words, saving and loading: what a user meets


def verdict_texts(n, longest, seed=0):
    "Made-up sentences: 0 to `longest` filler words, then the verdict as the last word (label 1 for a positive one)."
    rng = np.random.default_rng(seed)
    filler, positive, negative = ["the", "film", "was", "a", "story", "and"], ["wonderful", "great"], ["awful", "dull"]
    labels = np.arange(n) % 2
    texts = [" ".join([*rng.choice(filler, rng.integers(0, longest + 1)), rng.choice(positive if y else negative)])
             for y in labels]
    return texts, labels


@pytest.fixture(scope="module")
def verdict_model():
    "Trained on sentences of up to 61 words whose last word decides: only a model that reads to the end can learn it."
    return SentimentModel(**TINY).fit(*verdict_texts(240, 60), epochs=6, batch_size=16, learning_rate=1e-2)


def test_the_whole_text_is_read(verdict_model):
    p = {n: verdict_model.predict(["the " * n + "awful", "the " * n + "wonderful"]) for n in (39, 40, 100)}
    gap = {n: p[n][1] - p[n][0] for n in p}
    assert gap[39] > 0.3  # the model has learned that the last word decides
    # after dozens of "the" the LSTM's state has settled: a few more of them barely move it (about 1e-3 here)
    assert abs(gap[40] - gap[39]) < 0.05 and abs(gap[100] - gap[39]) < 0.05
    texts, labels = verdict_texts(200, 60, seed=1)
    long = np.array([len(t.split()) > 40 for t in texts])
    assert long.sum() > 50 and ((verdict_model.predict(texts)[long] > 0.5) == labels[long]).mean() > 0.9


def test_each_prediction_is_independent_of_its_batch(verdict_model):
    texts = ["the film was wonderful", "a dull story", "the " * 300 + "great"]
    together = verdict_model.predict(texts, batch_size=3)
    alone = np.concatenate([verdict_model.predict([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-6)  # padding is masked; float32 sums may differ in order


def test_sequence_length_keeps_each_texts_last_tokens():
    model = SentimentModel(**TINY, sequence_length=3).fit(TEXTS, LABELS, epochs=1, batch_size=4)
    p = model.predict(["boring and awful a great film", "a great film", "boring and awful"])
    assert p[0] == p[1] != p[2]
    for bad in (0, 2.5, "40"):
        with pytest.raises(ValueError, match="sequence_length must be None \\(read whole texts\\) or an integer >= 1"):
            SentimentModel(sequence_length=bad)


@pytest.mark.parametrize("text", ["qwzxv", "这部电影很好看", "😀", "qwzxv" * 20_000, "qwzxv " * 16_667])
def test_text_without_a_known_word_warns(tiny_model, text):
    texts = ["a great film", text, "simply dull"]
    with pytest.warns(sentiment.UnknownTextWarning, match="^1 of 3 texts have no word in the vocabulary"):
        p = tiny_model.predict(texts)
    assert p.shape == (3,)
    np.testing.assert_array_equal(tiny_model.unknown(texts), [False, True, False])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny_model.predict(["a great film", "qwzxv great"])  # one known word is enough: no warning


@pytest.mark.parametrize("text", ["!!!", "...", "", " "])
def test_text_empty_after_standardisation_is_an_error(tiny_model, text):
    with pytest.raises(ValueError, match=f"texts must not be empty; texts\\[1\\] is {text!r}"):
        tiny_model.predict(["a great film", text])
    with pytest.raises(ValueError, match=f"texts must not be empty; texts\\[1\\] is {text!r}"):
        SentimentModel(**TINY).fit(["a great film", text], [1, 0])


def test_save_prints_no_warning(tiny_model, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tiny_model.save(tmp_path / "model")
    assert [str(w.message) for w in caught] == []
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["config.json", "model.keras"]


def test_save_needs_a_folder_path(tiny_model, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="save writes a folder .*notes.txt is a file"):
        tiny_model.save(tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    with pytest.raises(ValueError, match="got '.*model.keras', whose .keras suffix would make the folder look like"):
        tiny_model.save(tmp_path / "model.keras")
    assert not (tmp_path / "model.keras").exists()


def folder_hash(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def flip_byte(data, at):
    data = bytearray(data); data[at] ^= 0xFF
    return bytes(data)


DAMAGES = {  # name: (change to model.keras bytes, change to config.json text, file named, what the error says)
    "truncated model.keras": (lambda b: b[: len(b) // 2], None, "model.keras", "not a complete Keras zip archive"),
    "overwritten model.keras": (lambda b: b"not a model", None, "model.keras", "not a complete Keras zip archive"),
    "flipped byte in model.keras": (lambda b: flip_byte(b, len(b) // 2), None, "model.keras", "checksum of its member"),
    "config.json not JSON": (None, lambda c: c[:-3], "config.json", "is not valid JSON"),
    "config.json with a wrong key": (None, lambda c: c.replace('"units"', '"unit"'), "config.json",
                                     "unknown keys: \\['unit'\\], missing keys: \\['units'\\]"),
    "config.json units disagree": (None, lambda c: json.dumps({**json.loads(c), "units": 999}), "config.json",
                                   "does not describe the network stored in .*model.keras: units is 999 in "
                                   "config.json but 4 in model.keras"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_load_of_a_damaged_folder_names_the_file_and_changes_nothing(tiny_model, tmp_path, damage):
    model_change, config_change, file, says = DAMAGES[damage]
    folder = tiny_model.save(tmp_path / "model")
    if model_change: (folder / "model.keras").write_bytes(model_change((folder / "model.keras").read_bytes()))
    if config_change: (folder / "config.json").write_text(config_change((folder / "config.json").read_text()))
    before = folder_hash(folder)
    with pytest.raises(ValueError, match=f"{folder / file}.*{says}"):
        SentimentModel.load(folder)
    assert folder_hash(folder) == before


def test_batch_size_validation_data_and_glove_are_checked(tiny_model):
    for bad in (0, "a", 2.5):
        with pytest.raises(ValueError, match=f"batch_size must be an integer >= 1; got {bad!r}"):
            tiny_model.predict(TEXTS, batch_size=bad)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; got 0"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=1, batch_size=0)
    for bad in (TEXTS, (TEXTS,)):  # a list of texts alone used to be read as (texts[0], texts[1])
        with pytest.raises(TypeError, match="validation_data must be a pair \\(texts, labels\\); got"):
            SentimentModel(**TINY).fit(TEXTS, LABELS, validation_data=bad, epochs=1)
    with pytest.raises(TypeError, match="glove must be a pair \\(words, vectors\\), as load_glove returns; got tuple of length 1"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, glove=(["great"],), epochs=1)


def test_train_keeps_the_weights_of_the_best_validation_epoch():
    # a large learning rate on noisy labels makes validation accuracy go up and down between epochs
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 5)).astype(np.float32)
    y = ((x[:, 0] + rng.normal(scale=1.5, size=400)) > 0).astype(np.int64)
    x_val, y_val = x[300:], y[300:]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
    history, seconds = sentiment.train(model, x[:300], y[:300], (x_val, y_val), epochs=12, batch_size=8,
                                       learning_rate=0.5, patience=3)
    assert seconds > 0 and len(history["loss"]) == len(history["val_accuracy"]) <= 12
    curve = history["val_accuracy"]
    assert max(curve) > curve[-1]  # the last epoch was not the best, so the restore matters
    kept = float(((model.predict(x_val, verbose=0)[:, 0] > 0.5) == y_val).mean())
    assert kept == pytest.approx(max(curve), abs=0.5 / len(y_val))  # the same predictions: at most half a sentence off
