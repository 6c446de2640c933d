"What lstm_book.translation promises: a Translator that learns, keeps what it learned, and refuses bad input clearly."
import hashlib
import itertools
import json
import warnings

import numpy as np
import pytest

translation = pytest.importorskip("lstm_book.translation")
from lstm_book.translation import (Translator, KerasDecoder, NumpyDecoder, beam_search, decode, greedy_decode,
                                   score, split_by_source, standardize)

SUBJECTS = [("el gato", "the cat"), ("el perro", "the dog"), ("la niña", "the girl"), ("mi padre", "my father")]
VERBS = [("come", "eats"), ("duerme", "sleeps"), ("corre", "runs"), ("canta", "sings")]
WHEN = [("", ""), (" hoy", " today"), (" mucho", " a lot"), (" ahora", " now")]


def made_up_pairs():
    "64 sentence pairs of a tiny grammar: subject, verb, and an optional adverb."
    es, en = [], []
    for (s_es, s_en), (v_es, v_en), (w_es, w_en) in itertools.product(SUBJECTS, VERBS, WHEN):
        es.append(f"{s_es.capitalize()} {v_es}{w_es}.")
        en.append(f"{s_en.capitalize()} {v_en}{w_en}.")
    return es, en


@pytest.fixture(scope="module")
def translator():
    es, en = made_up_pairs()
    return Translator(units=32, embedding_dim=16, seed=0).fit(es * 4, en * 4, epochs=40, batch_size=32,
                                                              learning_rate=1e-2)


def folder_digest(path):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.iterdir())}


def test_it_learns_the_made_up_language(translator):
    es, en = made_up_pairs()
    losses = translator.history[0]["loss"]
    assert losses[-1] < 0.1 * losses[0]
    out = translator.translate(es)
    assert all(isinstance(t, str) for t in out) and len(out) == len(es)
    right = np.mean([o == standardize(e) for o, e in zip(out, en)])
    assert right >= 0.9, f"only {right:.0%} of the training sentences come out right: {out[:5]}"


def test_beam_of_one_is_greedy_and_numpy_agrees_with_keras(translator):
    es, _ = made_up_pairs()
    ids = translator.source_ids(es)
    keras_dec, numpy_dec = KerasDecoder(translator.network), NumpyDecoder(translator.network)
    greedy, _ = greedy_decode(keras_dec, ids, translator.start_id, translator.end_id, translator.max_length)
    beam = beam_search(keras_dec, ids, translator.start_id, translator.end_id, translator.max_length, width=1)
    for g, b in zip(greedy, beam):
        n = list(g).index(translator.end_id) + 1
        np.testing.assert_array_equal(g[:n], b[:n])
    with_numpy = decode(numpy_dec, ids, translator.start_id, translator.end_id, translator.max_length)
    for g, n_ in zip(greedy, with_numpy):
        n = list(g).index(translator.end_id) + 1
        np.testing.assert_array_equal(g[:n], n_[:n])


def test_save_and_load_translate_identically(translator, tmp_path):
    es, _ = made_up_pairs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a save prints nothing
        translator.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == sorted(Translator.FILES)
    loaded = Translator.load(tmp_path / "model")
    assert loaded.config == translator.config and loaded.target_vocab == translator.target_vocab
    assert loaded._source_vec.get_vocabulary() == translator.source_vocab
    assert loaded.translate(es) == translator.translate(es)
    assert loaded.translate(es[:8], beam_width=3) == translator.translate(es[:8], beam_width=3)


@pytest.mark.parametrize("bad,error,message", [
    ("El gato come.", TypeError, "wrap it in a list"),
    ([], ValueError, "at least one string"),
    (["El gato come.", 3], TypeError, "sentences[1] is int"),
    (["El gato come.", ""], ValueError, "sentences[1] is ''"),
    (["!!!"], ValueError, "has none after standardize"),
    (["..."], ValueError, "has none after standardize"),
    (["😀"], ValueError, "has none after standardize"),
    (None, TypeError, "got NoneType"),
])
def test_bad_sentences_get_clear_errors(translator, bad, error, message):
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")):
        translator.translate(bad)


@pytest.mark.parametrize("width", [0, 1.5, True, "4"])
def test_bad_beam_width(translator, width):
    with pytest.raises(ValueError, match="beam_width must be a whole number >= 1"):
        translator.translate(["El gato come."], beam_width=width)


def test_fit_refuses_unpaired_data():
    with pytest.raises(ValueError, match="got 2 sources and 1 targets"):
        Translator().fit(["uno", "dos"], ["one"])


def test_untrained_translator_says_so(tmp_path):
    with pytest.raises(RuntimeError, match="not trained yet"):
        Translator().translate(["hola"])
    with pytest.raises(RuntimeError, match="not trained yet"):
        Translator().save(tmp_path)


@pytest.mark.parametrize("text", ["qwzxv", "这部电影很好看", "x" * 100_000])
def test_text_without_known_words_is_translated_with_a_warning(translator, text):
    with pytest.warns(UserWarning, match="1 of 2 sentences have no word in the vocabulary"):
        out = translator.translate([text, "El perro duerme."])
    assert len(out) == 2 and out[1] == "the dog sleeps ."
    np.testing.assert_array_equal(translator.unknown([text, "El perro duerme."]), [True, False])


def test_save_refuses_a_file(translator, tmp_path):
    target = tmp_path / "model.keras"
    target.write_text("not a folder")
    with pytest.raises(FileExistsError, match="must be a folder"):
        translator.save(target)
    assert target.read_text() == "not a folder"


def test_load_of_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="holds no saved Translator: missing translator.json"):
        Translator.load(tmp_path / "nowhere")


def damage_json(folder):
    (folder / "translator.json").write_text("{not json")


def damage_units(folder):
    meta = json.loads((folder / "translator.json").read_text())
    meta["config"]["units"] = 999
    (folder / "translator.json").write_text(json.dumps(meta))


def damage_attention(folder):
    meta = json.loads((folder / "translator.json").read_text())
    meta["config"]["attention"] = False
    (folder / "translator.json").write_text(json.dumps(meta))


def damage_vocabulary(folder):
    meta = json.loads((folder / "translator.json").read_text())
    meta["source_vocab"] = meta["source_vocab"][:-3]
    (folder / "translator.json").write_text(json.dumps(meta))


def damage_key(folder):
    meta = json.loads((folder / "translator.json").read_text())
    del meta["target_vocab"]
    (folder / "translator.json").write_text(json.dumps(meta))


def truncate_weights(folder):
    w = folder / "model.weights.h5"
    w.write_bytes(w.read_bytes()[:1000])


def flip_weights(folder):
    w = folder / "model.weights.h5"
    data = bytearray(w.read_bytes())
    data[:8] = b"XXXXXXXX"  # the HDF5 signature
    w.write_bytes(bytes(data))


@pytest.mark.parametrize("damage,file,message", [
    (damage_json, "translator.json", "is damaged: JSONDecodeError"),
    (damage_key, "translator.json", "is damaged: KeyError"),
    (damage_units, "model.weights.h5", "does not hold the weights of the network"),
    (damage_attention, "model.weights.h5", "does not hold the weights of the network"),
    (damage_vocabulary, "model.weights.h5", "does not hold the weights of the network"),
    (truncate_weights, "model.weights.h5", "does not hold the weights of the network"),
    (flip_weights, "model.weights.h5", "does not hold the weights of the network"),
])
def test_damaged_saves_get_one_clear_error_and_stay_as_they_are(translator, tmp_path, damage, file, message):
    folder = translator.save(tmp_path / "model")
    damage(folder)
    before = folder_digest(folder)
    with pytest.raises(ValueError, match=message) as e:
        Translator.load(folder)
    assert str(folder / file) in str(e.value)
    assert folder_digest(folder) == before


def test_score_takes_any_number_of_references():
    s = score(["the cat sat .", "hello ."], [["the cat sat ."], ["hi .", "hello ."]])
    assert s["bleu"] == pytest.approx(100) and s["chrf"] == pytest.approx(100)
    assert "nrefs:var" in s["signature"]


def test_split_keeps_each_source_in_one_part():
    sources = np.random.default_rng(0).integers(0, 50, 400).astype(str)
    parts = split_by_source(sources, 5, 10, seed=1)
    seen = [set(sources[p]) for p in parts]
    assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])
    assert (len(seen[1]), len(seen[2])) == (5, 10)
    assert sorted(np.concatenate(parts)) == list(range(400))
