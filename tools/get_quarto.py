#!/usr/bin/env python3
"""Install the pinned Quarto release into a folder of the project (no sudo), and print its `bin` folder.

`make book` and `make docs` use it when Quarto is not on PATH. The archive comes from Quarto's releases on GitHub;
without a connection the script stops with a message saying what to do, and leaves nothing half-installed.

    python tools/get_quarto.py [--dest .quarto-bin] [--version 1.7.34]
"""
import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

VERSION = "1.7.34"
ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / ".quarto-bin"
RELEASES = "https://github.com/quarto-dev/quarto-cli/releases/download"


def archive_name(version, system=None, machine=None):
    "The release archive for this machine, e.g. `quarto-1.7.34-linux-amd64.tar.gz`."
    system, machine = system or platform.system(), (machine or platform.machine()).lower()
    if system == "Linux" and machine in ("x86_64", "amd64"): return f"quarto-{version}-linux-amd64.tar.gz"
    if system == "Linux" and machine in ("aarch64", "arm64"): return f"quarto-{version}-linux-arm64.tar.gz"
    if system == "Darwin": return f"quarto-{version}-macos.tar.gz"
    raise SystemExit(f"No Quarto {version} archive for {system} {machine}; install Quarto from "
                     "https://quarto.org/docs/get-started/ and put it on PATH.")


def installed_bin(dest, version):
    "The `bin` folder of an installed Quarto `version` under `dest`, or None."
    bin_dir = Path(dest) / f"quarto-{version}" / "bin"
    try:
        out = subprocess.run([bin_dir / "quarto", "--version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return bin_dir if out.returncode == 0 and out.stdout.strip() == version else None


def offline_message(version, url, reason):
    return (f"Could not download Quarto {version} from {url}\n  ({reason}).\n"
            "Quarto renders the book's website. Connect to the internet and run the command again, or install "
            "Quarto yourself\nfrom https://quarto.org/docs/get-started/ and put it on PATH; then `make docs` renders "
            "the stored notebooks\nwithout running them again.")


def install(dest=DEST, version=VERSION, url=None):
    "Download and unpack Quarto `version` into `dest`/quarto-`version`; return its `bin` folder."
    dest = Path(dest)
    if found := installed_bin(dest, version): return found
    url = url or f"{RELEASES}/v{version}/{archive_name(version)}"
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        archive = Path(tmp) / "quarto.tar.gz"
        print(f"downloading Quarto {version} from {url}", file=sys.stderr, flush=True)
        try:
            with urllib.request.urlopen(url, timeout=60) as r, open(archive, "wb") as f:
                shutil.copyfileobj(r, f)
        except OSError as e:  # URLError, timeouts and refused connections are all OSErrors
            raise SystemExit(offline_message(version, url, getattr(e, "reason", e)))
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(archive) as t:
            t.extractall(unpacked, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(unpacked)
        quartos = [p for p in unpacked.rglob("bin/quarto") if p.is_file()]
        if len(quartos) != 1:
            raise SystemExit(f"{url} does not hold one bin/quarto; found {[str(p) for p in quartos]}")
        target = dest / f"quarto-{version}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(quartos[0].parent.parent, target)
    if not (found := installed_bin(dest, version)):
        raise SystemExit(f"{target / 'bin' / 'quarto'} does not run or does not report version {version}")
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dest", type=Path, default=DEST, help="folder to install into (default: .quarto-bin)")
    ap.add_argument("--version", default=VERSION)
    ap.add_argument("--url", help="the archive to download (default: Quarto's GitHub release for this machine)")
    args = ap.parse_args(argv)
    print(install(args.dest, args.version, args.url))


if __name__ == "__main__":
    main()
