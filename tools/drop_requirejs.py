#!/usr/bin/env python3
"""Quarto's post-render step (nbs/_quarto.yml): take out the require.js and jQuery that Quarto loads from cdnjs.

Quarto 1.7 adds both, from cdnjs.cloudflare.com, to the page of any notebook with a `text/html` output, in case
the output is a Jupyter widget that needs them. The book's HTML outputs are pandas tables, which need neither, so
each page that makes no use of them loses the three tags Quarto added (the two scripts and the `define('jquery')`
line). A page with Jupyter widgets or its own require/define calls is left as it is, and tools/site_offline.py
reports its requests to cdnjs.

Quarto runs this from the project folder with QUARTO_PROJECT_OUTPUT_FILES set; `python tools/drop_requirejs.py
PAGE.html ...` does the same to the pages named.
"""
import os
import re
import sys
from pathlib import Path

CDN_SCRIPT = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/(?:require\.js|jquery)/[^"]*"'
                        r'[^>]*>\s*</script>\n?')
DEFINE_JQUERY = re.compile(r"<script type=\"application/javascript\">\s*define\('jquery', \[\],\s*function\(\) "
                           r"\{return window\.jQuery;\}\)\s*</script>\n?")
# What would need require.js or jQuery: Jupyter widgets, AMD calls, jQuery calls in the page's own scripts.
USES = re.compile(r"application/vnd\.jupyter\.widget|\brequire(?:js)?\s*\(|\bdefine\s*\(|\bjQuery\b|\$\s*\(")
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)


def drop(html):
    "The page without Quarto's require.js, jQuery and define('jquery') tags, unless something on it uses them."
    if not CDN_SCRIPT.search(html): return html
    rest = DEFINE_JQUERY.sub("", CDN_SCRIPT.sub("", html))
    widgets = "application/vnd.jupyter.widget" in rest
    if widgets or any(USES.search(body) for body in SCRIPT.findall(rest)): return html
    return rest


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        files = [Path(a) for a in argv]
    else:
        files = [Path(f) for f in os.environ.get("QUARTO_PROJECT_OUTPUT_FILES", "").splitlines() if f.strip()]
    changed = 0
    for f in files:
        if f.suffix != ".html" or not f.is_file(): continue
        html = f.read_text(encoding="utf-8")
        new = drop(html)
        if new != html:
            f.write_text(new, encoding="utf-8")
            changed += 1
    print(f"drop_requirejs: require.js and jQuery from cdnjs taken out of {changed} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
