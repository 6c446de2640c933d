"What lstm_book.sentiment promises its users: the split, the padding helper, GloVe rows, and SentimentModel."
import hashlib
import json
import pickle
import random
import warnings
import zipfile

import numpy as np
import pytest
import keras
import lstm_book
from lstm_book import sentiment, textmodel
from lstm_book.sentiment import (SentimentModel, build_classifier, glove_matrix, pre_pad, stratified_split,
                                 train_binary_classifier)

TEXTS = ["a great film", "a wonderful, moving story", "great acting and a great script", "simply wonderful",
         "an awful mess", "boring and awful", "a dull, boring script", "simply dull"]
LABELS = [1, 1, 1, 1, 0, 0, 0, 0]
TINY = dict(units=4, embedding_dim=8, max_tokens=50)
QUIET = dict(verbose=0)


@pytest.fixture(scope="module")
def tiny_model():
    return SentimentModel(**TINY).fit(TEXTS, LABELS, validation_data=(TEXTS, LABELS), epochs=2, batch_size=4,
                                          **QUIET)


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


def test_predict_proba_gives_probabilities_and_predict_labels(tiny_model):
    texts = TEXTS + ["a word never seen before"]
    p = tiny_model.predict_proba(texts)
    assert p.shape == (len(texts), 2) and p.dtype == np.float32 and ((p > 0) & (p < 1)).all()
    np.testing.assert_allclose(p.sum(1), 1, atol=1e-6)
    labels = tiny_model.predict(texts)
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, (p[:, 1] > 0.5).astype(int))
    np.testing.assert_array_equal(tiny_model.predict(texts, threshold=0), np.ones(len(texts)))
    np.testing.assert_array_equal(tiny_model.predict(texts, threshold=1), np.zeros(len(texts)))
    for bad in (-0.1, 1.5, "0.5", None):
        with pytest.raises(ValueError, match=f"threshold must be a number from 0 to 1; got {bad!r}"):
            tiny_model.predict(TEXTS, threshold=bad)


def test_evaluate_and_score(tiny_model):
    got = tiny_model.predict(TEXTS)
    y = np.array(LABELS)
    tp, fp, fn = ((got == 1) & (y == 1)).sum(), ((got == 1) & (y == 0)).sum(), ((got == 0) & (y == 1)).sum()
    result = tiny_model.evaluate(TEXTS, LABELS)
    assert result == pytest.approx(dict(accuracy=(got == y).mean(), f1=2 * tp / (2 * tp + fp + fn)))
    assert tiny_model.score(TEXTS, LABELS) == result["accuracy"]
    assert tiny_model.evaluate(TEXTS, LABELS, threshold=1) == dict(accuracy=0.5, f1=0.0)  # nothing called fresh
    with pytest.raises(ValueError, match="labels must be 8 values, each 0 or 1"):
        tiny_model.evaluate(TEXTS, LABELS[:-1])


def test_save_load_gives_identical_predictions_history_and_time(tiny_model, tmp_path):
    file = tiny_model.save(str(tmp_path / "model.keras"))
    loaded = SentimentModel.load(file)
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), tiny_model.predict_proba(TEXTS))
    assert loaded.config == tiny_model.config and repr(loaded) == repr(tiny_model)
    # these used to come back as [] and 0
    assert loaded.history == tiny_model.history and len(loaded.history[0]["val_accuracy"]) == 2
    assert loaded.training_seconds == tiny_model.training_seconds > 0


def test_pickles_after_predict_without_warnings(tiny_model):
    tiny_model.predict(TEXTS)  # used to leave a local lambda behind that pickle could not take
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = pickle.loads(pickle.dumps(tiny_model))
    np.testing.assert_array_equal(again.predict_proba(TEXTS), tiny_model.predict_proba(TEXTS))
    assert again.history == tiny_model.history
    untrained = pickle.loads(pickle.dumps(SentimentModel(units=3)))
    assert repr(untrained) == "SentimentModel(units=3)" and untrained.network is None


def test_same_seed_same_model():
    again = [SentimentModel(**TINY, seed=5).fit(TEXTS, LABELS, epochs=1, batch_size=4, **QUIET).predict_proba(TEXTS)
             for _ in range(2)]
    np.testing.assert_array_equal(*again)


def test_frozen_glove_embeddings_stay_put():
    words = ["great", "awful", "boring", "wonderful"]
    vectors = np.random.default_rng(0).normal(size=(4, 8)).astype(np.float32)
    model = SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=2, batch_size=4, glove=(words, vectors),
                                       freeze_embeddings=True, **QUIET)
    expected = glove_matrix(model.vectorizer.get_vocabulary(), words, vectors)
    np.testing.assert_array_equal(model.network.get_layer("embedding").get_weights()[0], expected)
    model.fine_tune(TEXTS, LABELS, epochs=1, batch_size=4, **QUIET)
    assert not np.array_equal(model.network.get_layer("embedding").get_weights()[0], expected)
    with pytest.raises(ValueError, match="glove vectors must have embedding_dim = 8 dimensions; got 3"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=1, glove=(words[:3], np.eye(3)), **QUIET)


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
    with pytest.raises(IsADirectoryError, match="is a folder; SentimentModel.load reads the one .keras file"):
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
    return SentimentModel(**TINY).fit(*verdict_texts(240, 60), epochs=6, batch_size=16, learning_rate=1e-2, **QUIET)


def test_the_whole_text_is_read(verdict_model):
    p = {n: verdict_model.predict_proba(["the " * n + "awful", "the " * n + "wonderful"])[:, 1] for n in (39, 40, 100)}
    gap = {n: p[n][1] - p[n][0] for n in p}
    assert gap[39] > 0.3  # the model has learned that the last word decides
    # after dozens of "the" the LSTM's state has settled: a few more of them barely move it (about 1e-3 here)
    assert abs(gap[40] - gap[39]) < 0.05 and abs(gap[100] - gap[39]) < 0.05
    texts, labels = verdict_texts(200, 60, seed=1)
    long = np.array([len(t.split()) > 40 for t in texts])
    assert long.sum() > 50 and (verdict_model.predict(texts)[long] == labels[long]).mean() > 0.9


def test_each_prediction_is_independent_of_its_batch(verdict_model):
    texts = ["the film was wonderful", "a dull story", "the " * 300 + "great"]
    together = verdict_model.predict_proba(texts, batch_size=3)
    alone = np.concatenate([verdict_model.predict_proba([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-6)  # padding is masked; float32 sums may differ in order


def test_sequence_length_keeps_each_texts_last_tokens():
    model = SentimentModel(**TINY, sequence_length=3).fit(TEXTS, LABELS, epochs=1, batch_size=4, **QUIET)
    p = model.predict_proba(["boring and awful a great film", "a great film", "boring and awful"])
    assert p[0, 1] == p[1, 1] != p[2, 1]
    for bad in (0, 2.5, "40"):
        with pytest.raises(ValueError, match="sequence_length must be None \\(read whole texts\\) or an integer >= 1"):
            SentimentModel(sequence_length=bad)


@pytest.mark.parametrize("text", ["qwzxv", "这部电影很好看", "😀", "qwzxv" * 20_000, "qwzxv " * 16_667])
def test_text_without_a_known_word_warns(tiny_model, text):
    texts = ["a great film", text, "simply dull"]
    with pytest.warns(sentiment.UnknownTextWarning, match="^1 of 3 texts have no word in the vocabulary"):
        p = tiny_model.predict_proba(texts)
    assert p.shape == (3, 2)
    np.testing.assert_array_equal(tiny_model.unknown(texts), [False, True, False])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tiny_model.predict(["a great film", "qwzxv great"])  # one known word is enough: no warning


@pytest.mark.parametrize("text", ["!!!", "...", "", " "])
def test_text_empty_after_standardisation_is_an_error(tiny_model, text):
    with pytest.raises(ValueError, match=f"texts must not be empty; texts\\[1\\] is {text!r}"):
        tiny_model.predict(["a great film", text])
    with pytest.raises(ValueError, match=f"texts must not be empty; texts\\[1\\] is {text!r}"):
        SentimentModel(**TINY).fit(["a great film", text], [1, 0], **QUIET)


def test_save_writes_one_file_and_prints_no_warning(tiny_model, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tiny_model.save(tmp_path / "model.keras")
    assert [str(w.message) for w in caught] == []
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]
    with zipfile.ZipFile(tmp_path / "model.keras") as z:
        meta = json.loads(z.read("lstm_book.json"))
    assert meta["format"] == textmodel.SAVE_FORMAT and meta["lstm_book"] == lstm_book.__version__
    assert meta["model"] == "SentimentModel" and meta["config"] == tiny_model.get_config()
    assert meta["state"]["vocabulary"] == tiny_model.vectorizer.get_vocabulary()


def test_save_refuses_anything_but_a_keras_file(tiny_model, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    for bad in ("notes.txt", "model.h5", "model"):  # model.h5 used to become a folder
        with pytest.raises(ValueError, match=f"SentimentModel.save writes one .keras file; got '.*{bad}': give a path "
                                             "ending in .keras"):
            tiny_model.save(tmp_path / bad)
    (tmp_path / "folder.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="folder.keras is a folder"):
        tiny_model.save(tmp_path / "folder.keras")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.keras", "notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "keep me" and not any((tmp_path / "folder.keras").iterdir())


def file_hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip_byte(data, at):
    data = bytearray(data); data[at] ^= 0xFF
    return bytes(data)


def rewrite_meta(path, change):
    "A save file whose lstm_book.json is replaced by `change(text)` (None: left out), with valid checksums."
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    text = change(members.pop("lstm_book.json").decode())
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items(): z.writestr(n, data)
        if text is not None: z.writestr("lstm_book.json", text)


def change_meta(**changes):
    def change(text):
        meta = json.loads(text)
        for key, value in changes.items():
            part, _, field = key.partition("__")
            if field: meta[part] = {**meta[part], field: value}
            else: meta[part] = value
        return json.dumps(meta)
    return change


DAMAGES = {  # name: (change to the file's bytes, change to its lstm_book.json, what the error says)
    "truncated": (lambda b: b[: len(b) // 2], None, "not a complete zip archive"),
    "overwritten": (lambda b: b"not a model", None, "not a complete zip archive"),
    "flipped byte": (lambda b: flip_byte(b, len(b) // 2), None, "checksum of its member"),
    "lstm_book.json not JSON": (None, lambda t: t[:-3], "its lstm_book.json is not valid JSON"),
    "lstm_book.json missing": (None, lambda t: None, "holds no lstm_book.json: it was not written by SentimentModel.save"),
    "lstm_book.json without history": (None, lambda t: json.dumps({k: v for k, v in json.loads(t).items()
                                                                    if k != "history"}), "must hold the keys"),
    "a wrong key": (None, lambda t: t.replace('"units"', '"unit"'),
                    "unknown keys: \\['unit'\\], missing keys: \\['units'\\]"),
    "a bad setting": (None, change_meta(config__dropout=2.0), "does not accept: dropout must be a number"),
    "units disagree": (None, change_meta(config__units=999), "its weights do not fit the network its settings describe"),
    "vocabulary cut": (None, lambda t: change_meta(state__vocabulary=json.loads(t)["state"]["vocabulary"][:-3])(t),
                       "its weights do not fit the network"),
    "vocabulary not a list": (None, change_meta(state__vocabulary=3), "is damaged: TypeError"),
    "a newer format": (None, change_meta(format=99), "saved in format 99 by lstm_book .*reads formats up to 1: "
                                                     "upgrade lstm_book"),
    "another model": (None, change_meta(model="Translator"), "holds a Translator, not a SentimentModel: load it "
                                                              "with Translator.load"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_load_of_a_damaged_file_names_it_and_changes_nothing(tiny_model, tmp_path, damage):
    bytes_change, meta_change, says = DAMAGES[damage]
    file = tiny_model.save(tmp_path / "model.keras")
    if bytes_change: file.write_bytes(bytes_change(file.read_bytes()))
    if meta_change: rewrite_meta(file, meta_change)
    before = file_hash(file)
    with pytest.raises(ValueError, match=f"{file}.*{says}"):
        SentimentModel.load(file)
    assert file_hash(file) == before and [p.name for p in tmp_path.iterdir()] == ["model.keras"]


def test_load_of_a_folder_or_a_missing_file(tmp_path):
    (tmp_path / "old").mkdir(); (tmp_path / "old" / "config.json").write_text("{}")
    with pytest.raises(IsADirectoryError, match="old is a folder \\(written by an older lstm_book\\); "
                                                "SentimentModel.load reads the one .keras file"):
        SentimentModel.load(tmp_path / "old")
    with pytest.raises(FileNotFoundError, match="nowhere.keras does not exist"):
        SentimentModel.load(tmp_path / "nowhere.keras")


def test_batch_size_validation_data_and_glove_are_checked(tiny_model):
    for bad in (0, "a", 2.5):
        with pytest.raises(ValueError, match=f"batch_size must be an integer >= 1; got {bad!r}"):
            tiny_model.predict(TEXTS, batch_size=bad)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; got 0"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=1, batch_size=0, **QUIET)
    for bad in (TEXTS, (TEXTS,)):  # a list of texts alone used to be read as (texts[0], texts[1])
        with pytest.raises(TypeError, match="validation_data must be a pair \\(texts, labels\\); got"):
            SentimentModel(**TINY).fit(TEXTS, LABELS, validation_data=bad, epochs=1, **QUIET)
    with pytest.raises(TypeError, match="glove must be a pair \\(words, vectors\\), as load_glove returns; got tuple of length 1"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, glove=(["great"],), epochs=1, **QUIET)


def test_train_keeps_the_weights_of_the_best_validation_epoch():
    # a large learning rate on noisy labels makes validation accuracy go up and down between epochs
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 5)).astype(np.float32)
    y = ((x[:, 0] + rng.normal(scale=1.5, size=400)) > 0).astype(np.int64)
    x_val, y_val = x[300:], y[300:]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
    history, seconds = train_binary_classifier(model, x[:300], y[:300], (x_val, y_val), epochs=12, batch_size=8,
                                               learning_rate=0.5, patience=3, verbose=0)
    assert seconds > 0 and len(history["loss"]) == len(history["val_accuracy"]) <= 12
    curve = history["val_accuracy"]
    assert max(curve) > curve[-1]  # the last epoch was not the best, so the restore matters
    kept = float(((model.predict(x_val, verbose=0)[:, 0] > 0.5) == y_val).mean())
    assert kept == pytest.approx(max(curve), abs=0.5 / len(y_val))  # the same predictions: at most half a sentence off


# Keras' and scikit-learn's manners


@pytest.mark.parametrize("setting,bad,says", [
    ("units", 0, "units must be an integer >= 1; got 0 (int)"),
    ("units", "8", "units must be an integer >= 1; got '8' (str)"),
    ("units", 8.0, "units must be an integer >= 1; got 8.0 (float)"),
    ("units", True, "units must be an integer >= 1; got True (bool)"),
    ("embedding_dim", -2, "embedding_dim must be an integer >= 1"),
    ("dropout", 2.0, "dropout must be a number from 0 up to, not including, 1; got 2.0 (float)"),
    ("embedding_dropout", "0.1", "embedding_dropout must be a number from 0 up to, not including, 1; got '0.1'"),
    ("bidirectional", "yes", "bidirectional must be True or False; got 'yes' (str)"),
    ("max_tokens", 2, "max_tokens must be an integer >= 3; got 2"),
    ("seed", -1, "seed must be an integer >= 0; got -1"),
    ("seed", None, "seed must be an integer >= 0; got None"),
])
def test_bad_settings_fail_when_the_model_is_made(setting, bad, says):
    with pytest.raises(ValueError, match=f"^{says}".replace("(", "\\(").replace(")", "\\)")):
        SentimentModel(**{setting: bad})


def test_numpy_integers_are_integers():
    model = SentimentModel(units=np.int64(4), embedding_dim=np.int32(8), max_tokens=np.int64(50),
                           sequence_length=np.int64(5), seed=np.int64(1))
    assert model.get_config()["units"] == 4 and type(model.config.units) is int
    model.fit(TEXTS, LABELS, epochs=np.int64(1), batch_size=np.int64(4), verbose=0)
    assert model.predict_proba(TEXTS, batch_size=np.int64(3)).shape == (8, 2)


def test_repr_and_config_as_in_scikit_learn_and_keras():
    assert repr(SentimentModel()) == "SentimentModel()"
    assert repr(SentimentModel(units=32, bidirectional=False, seed=3)) == "SentimentModel(bidirectional=False, seed=3)"
    model = SentimentModel(units=16, dropout=0.1)
    assert SentimentModel.from_config(model.get_config()).get_config() == model.get_config()
    assert list(model.get_config()) == list(SentimentModel().get_config())  # the keyword arguments, in order
    with pytest.raises(ValueError, match="unknown keys: \\['unit'\\], missing keys: \\[\\]"):
        SentimentModel.from_config({**SentimentModel().get_config(), "unit": 3})


def test_fit_takes_keras_keywords_and_validation_split():
    model = SentimentModel(**TINY).fit(x=TEXTS, y=LABELS, validation_split=0.25, epochs=2, batch_size=4, verbose=0)
    assert len(model.history[0]["val_accuracy"]) == 2  # the last quarter of the texts validated each epoch
    for bad, says in ((1.5, "validation_split must be a number from 0 up to, not including, 1"),
                      (0.01, "validation_split=0.01 of 8 examples leaves 8 to train on and 0 to validate on")):
        with pytest.raises(ValueError, match=says):
            SentimentModel(**TINY).fit(TEXTS, LABELS, validation_split=bad, verbose=0)
    with pytest.raises(ValueError, match="give validation_data or validation_split, not both"):
        SentimentModel(**TINY).fit(TEXTS, LABELS, (TEXTS, LABELS), validation_split=0.25, verbose=0)
    with pytest.raises(ValueError, match='verbose must be "auto", 0, 1 or 2; got 3'):
        SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=1, verbose=3)


def test_fit_shows_progress_by_default(capsys):
    SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=2, batch_size=4)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "loss" in out
    SentimentModel(**TINY).fit(TEXTS, LABELS, epochs=1, batch_size=4, verbose=0)
    assert capsys.readouterr().out == ""


def draws_after(seed, fit):
    """Seed every global generator with `seed` as a program would, fit a model (or not), then draw from each."""
    import tensorflow as tf
    from keras.src.backend.common import global_state
    keras.utils.set_random_seed(seed)
    tf_generator = tf.random.get_global_generator().state.numpy().copy()
    if fit:
        SentimentModel(**TINY, seed=3).fit(TEXTS, LABELS, (TEXTS, LABELS), epochs=1, batch_size=4, verbose=0)
    assert np.array_equal(tf.random.get_global_generator().state.numpy(), tf_generator)
    return (np.random.rand(), random.random(), float(tf.random.uniform(())), float(keras.random.uniform(())),
            global_state.get_global_attribute("global_random_seed"))


def test_fit_leaves_the_callers_random_state_alone():
    # fit used to call keras.utils.set_random_seed: the draws after it were the same whatever the caller's seed
    after = {seed: draws_after(seed, fit=True) for seed in (12345, 999)}
    assert after[12345] != after[999]
    for seed in (12345, 999):
        assert after[seed] == draws_after(seed, fit=False)


def test_unknown_text_warning_is_the_text_models_one():
    assert sentiment.UnknownTextWarning is textmodel.UnknownTextWarning
    assert issubclass(textmodel.UnknownTextWarning, UserWarning)
