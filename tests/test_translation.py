"What lstm_book.translation promises: a Translator that learns, keeps what it learned, and refuses bad input clearly."
import hashlib
import itertools
import json
import pickle
import random
import re
import warnings
import zipfile

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
    return Translator(units=32, embedding_dim=16, seed=0).fit(es * 4, en * 4, epochs=40, batch_size=32, verbose=0,
                                                              learning_rate=1e-2)


def folder_digest(path):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.iterdir())}


def test_it_learns_the_made_up_language(translator):
    es, en = made_up_pairs()
    losses = translator.history[0]["loss"]
    assert losses[-1] < 0.1 * losses[0]
    out = translator.translate(es, tokenized=True)
    assert all(isinstance(t, str) for t in out) and len(out) == len(es)
    right = np.mean([o == standardize(e) for o, e in zip(out, en)])
    assert right >= 0.9, f"only {right:.0%} of the training sentences come out right: {out[:5]}"


def test_translations_are_readable_with_the_words_one_argument_away(translator):
    es, en = made_up_pairs()
    words = translator.translate(es, tokenized=True)
    readable = translator.translate(es)  # used to be lower-cased with the punctuation split off
    assert readable == [translation.detokenize(w) for w in words]
    right = np.mean([r == e for r, e in zip(readable, en)])
    assert right >= 0.9, f"only {right:.0%} come out as written: {readable[:5]}"


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
        translator.save(tmp_path / "translator.keras")
    assert [p.name for p in tmp_path.iterdir()] == ["translator.keras"]
    loaded = Translator.load(tmp_path / "translator.keras")
    assert loaded.config == translator.config and loaded.target_vocab == translator.target_vocab
    assert loaded._source_vec.get_vocabulary() == translator.source_vocab
    assert loaded.history == translator.history and loaded.training_seconds == translator.training_seconds
    assert loaded.translate(es) == translator.translate(es)
    assert loaded.translate(es[:8], beam_width=3) == translator.translate(es[:8], beam_width=3)


def test_pickles_without_warnings(translator):
    es, _ = made_up_pairs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # used to print 12 DeprecationWarnings
        again = pickle.loads(pickle.dumps(translator))
    assert again.translate(es[:8]) == translator.translate(es[:8]) and again.history == translator.history


def test_numpy_integers_are_integers(translator):
    es, _ = made_up_pairs()
    assert translator.translate(es[:4], beam_width=np.int64(2)) == translator.translate(es[:4], beam_width=2)
    assert Translator(units=np.int64(8)).config.units == 8


def test_settings_are_checked_and_shown_as_in_scikit_learn():
    assert repr(Translator(units=32, attention=False)) == "Translator(units=32, attention=False)"
    for setting, bad, says in (("units", 0, "units must be an integer >= 1; got 0"),
                               ("attention", "yes", "attention must be True or False; got 'yes'"),
                               ("source_tokens", "15000", "source_tokens must be an integer >= 3; got '15000'")):
        with pytest.raises(ValueError, match=says):
            Translator(**{setting: bad})


def test_fit_leaves_the_callers_random_state_alone():
    es, en = made_up_pairs()
    def draws(seed, fit):
        np.random.seed(seed); random.seed(seed)
        if fit: Translator(units=4, embedding_dim=4, seed=1).fit(es[:8], en[:8], epochs=1, verbose=0)
        return np.random.rand(), random.random()
    after = {seed: draws(seed, True) for seed in (12345, 999)}
    assert after[12345] != after[999] and all(after[s] == draws(s, False) for s in after)


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
    want = f"beam_width must be an integer >= 1; got {width!r} ({type(width).__name__})"
    with pytest.raises(ValueError, match=re.escape(want)):
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
    assert len(out) == 2 and out[1] == "The dog sleeps."
    np.testing.assert_array_equal(translator.unknown([text, "El perro duerme."]), [True, False])


def test_save_refuses_anything_but_a_keras_file(translator, tmp_path):
    target = tmp_path / "model.h5"
    target.write_text("not a model")
    with pytest.raises(ValueError, match="Translator.save writes one .keras file; got '.*model.h5'"):
        translator.save(target)
    assert target.read_text() == "not a model"
    with pytest.raises(ValueError, match="Translator.save writes one .keras file"):
        translator.save(tmp_path)  # used to write into the folder
    (tmp_path / "folder.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="folder.keras is a folder"):
        translator.save(tmp_path / "folder.keras")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.keras", "model.h5"]


def test_load_of_a_missing_file_or_an_old_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.keras does not exist; Translator.load reads"):
        Translator.load(tmp_path / "nowhere.keras")
    (tmp_path / "translator.json").write_text("{}")
    with pytest.raises(IsADirectoryError, match="is a folder \\(written by an older lstm_book\\)"):
        Translator.load(tmp_path)


def rewrite_meta(path, change):
    "The save file with its lstm_book.json replaced by `change(meta)` (a dict, or a str to write as it is)."
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    meta = change(json.loads(members.pop("lstm_book.json")))
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items(): z.writestr(n, data)
        z.writestr("lstm_book.json", meta if isinstance(meta, str) else json.dumps(meta))


def set_in(meta, part, key, value):
    meta[part][key] = value
    return meta


DAMAGES = [
    (lambda f: rewrite_meta(f, lambda m: "{not json"), "its lstm_book.json is not valid JSON"),
    (lambda f: rewrite_meta(f, lambda m: {**m, "state": {k: v for k, v in m["state"].items() if k != "target_vocab"}}),
     "is damaged: KeyError"),
    (lambda f: rewrite_meta(f, lambda m: set_in(m, "config", "units", 999)), "its weights do not fit the network"),
    (lambda f: rewrite_meta(f, lambda m: set_in(m, "config", "attention", False)), "its weights do not fit the network"),
    (lambda f: rewrite_meta(f, lambda m: set_in(m, "state", "source_vocab", m["state"]["source_vocab"][:-3])),
     "its weights do not fit the network"),
    (lambda f: f.write_bytes(f.read_bytes()[:1000]), "not a complete zip archive"),
    (lambda f: rewrite_meta(f, lambda m: {**m, "format": 2}), "saved in format 2 .* upgrade lstm_book"),
    (lambda f: rewrite_meta(f, lambda m: {**m, "model": "SentimentModel"}), "holds a SentimentModel, not a Translator"),
]


@pytest.mark.parametrize("damage,message", DAMAGES)
def test_damaged_saves_get_one_clear_error_and_stay_as_they_are(translator, tmp_path, damage, message):
    file = translator.save(tmp_path / "translator.keras")
    damage(file)
    before = hashlib.sha256(file.read_bytes()).hexdigest()
    with pytest.raises(ValueError, match=message) as e:
        Translator.load(file)
    assert str(file) in str(e.value)
    assert hashlib.sha256(file.read_bytes()).hexdigest() == before


def test_score_takes_any_number_of_references():
    s = score(["the cat sat .", "hello ."], [["the cat sat ."], ["hi .", "hello ."]])
    assert s["bleu"] == pytest.approx(100) and s["chrf"] == pytest.approx(100)
    assert "nrefs:var" in s["signature"]


HYPS = ["the cat is big .", "where 's the train station ?", "i like to read books ."]
REFS = [["The cat is big."], ["Where's the train station?", "Where is the station?"], ["I like reading books."]]


def test_score_standardises_the_references():
    standardised = [[standardize(r) for r in refs] for refs in REFS]
    # raw references used to score 66.9 against 100 for the same text standardised
    assert score(HYPS[:1], REFS[:1])["bleu"] == pytest.approx(100)
    assert score(HYPS, REFS) == score(HYPS, standardised)


def test_score_takes_sacrebleus_layout_too():
    streams = [[REFS[0][0], REFS[1][0], REFS[2][0]], [None, REFS[1][1], None]]
    assert score(HYPS, streams, layout="streams") == score(HYPS, REFS)
    with pytest.raises(ValueError, match="each reference stream must hold one item per hypothesis \\(3\\); "
                                         "got streams of \\[2\\]"):
        score(HYPS, [REFS[0] * 2], layout="streams")
    with pytest.raises(ValueError, match='layout must be "sentences" or "streams"; got \'rows\''):
        score(HYPS, REFS, layout="rows")


def test_score_refuses_a_flat_list_of_references():
    flat = [refs[0] for refs in REFS]  # used to give BLEU 6.4, each character a reference
    for layout in ("sentences", "streams"):
        with pytest.raises(TypeError, match="references must be lists of strings, not strings"):
            score(HYPS, flat, layout=layout)
    with pytest.raises(TypeError, match="hypotheses must be a list of strings; got str"):
        score("the cat is big .", [REFS[0]])
    with pytest.raises(ValueError, match="need one list of references per hypothesis; got 3 hypotheses and 2"):
        score(HYPS, REFS[:2])


def test_split_keeps_each_source_in_one_part():
    sources = np.random.default_rng(0).integers(0, 50, 400).astype(str)
    parts = split_by_source(sources, 5, 10, seed=1)
    seen = [set(sources[p]) for p in parts]
    assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])
    assert (len(seen[1]), len(seen[2])) == (5, 10)
    assert sorted(np.concatenate(parts)) == list(range(400))
