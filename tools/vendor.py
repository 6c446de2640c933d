#!/usr/bin/env python3
"""Copy what the website serves itself, from the npm packages that nbs/vendor/package-lock.json pins, into nbs/vendor/
(`make vendor` installs them with `npm ci` into a temporary folder and runs this on it).

- MathJax 3: es5/tex-chtml-full.js (every TeX extension in one file, so nothing is loaded on demand) and its CHTML
  fonts (es5/output/chtml/fonts/woff-v2), where MathJax looks for them next to the script; LICENSE.
- Source Sans Pro, the font of Quarto's cosmo theme, which cosmo otherwise imports from Google Fonts: the weights
  cosmo asks for (300, 400, 700) as woff2, every subset, with one stylesheet `source-sans-pro.css`; LICENSE (OFL).

    python tools/vendor.py NODE_MODULES [--dest nbs/vendor]
"""
import argparse
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = (300, 400, 700)  # cosmo's $web-font-path asks Google Fonts for these
FONT = "@fontsource/source-sans-pro"


def woff2_only(css):
    "Fontsource's @font-face rules with the woff fallback dropped (every browser that runs MathJax 3 reads woff2)."
    return re.sub(r",\s*url\([^)]*\.woff\)\s*format\('woff'\)", "", css)


def vendor(node_modules, dest):
    node_modules, dest = Path(node_modules), Path(dest)
    mathjax, font = node_modules / "mathjax", node_modules / FONT
    out = dest / "mathjax"
    shutil.rmtree(out, ignore_errors=True)
    (out / "es5" / "output" / "chtml" / "fonts").mkdir(parents=True)
    for name in ("LICENSE", "package.json"): shutil.copy(mathjax / name, out / name)
    shutil.copy(mathjax / "es5" / "tex-chtml-full.js", out / "es5")
    shutil.copytree(mathjax / "es5" / "output" / "chtml" / "fonts" / "woff-v2", out / "es5" / "output" / "chtml" /
                    "fonts" / "woff-v2")

    out = dest / "source-sans-pro"
    shutil.rmtree(out, ignore_errors=True)
    (out / "files").mkdir(parents=True)
    for name in ("LICENSE", "package.json"): shutil.copy(font / name, out / name)
    version = json.loads((font / "package.json").read_text())["version"]
    css = [f"/* Source Sans Pro {WEIGHTS} from {FONT}@{version} (SIL Open Font License 1.1): tools/vendor.py */"]
    for weight in WEIGHTS:
        rules = woff2_only((font / f"{weight}.css").read_text())
        for f in re.findall(r"url\(\./files/([^)]+\.woff2)\)", rules): shutil.copy(font / "files" / f, out / "files")
        css.append(rules.strip())
    (out / "source-sans-pro.css").write_text("\n\n".join(css) + "\n")
    return sum(f.stat().st_size for f in dest.rglob("*") if f.is_file())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("node_modules")
    ap.add_argument("--dest", default=str(ROOT / "nbs" / "vendor"))
    args = ap.parse_args(argv)
    size = vendor(args.node_modules, args.dest)
    print(f"{args.dest}: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
