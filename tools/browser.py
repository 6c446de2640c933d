"""The rendered site in headless Chromium, written once for the checks that need a browser (tools/site_overflow.py,
tools/site_offline.py): serve `_docs` on 127.0.0.1, open pages with every other host blocked, and record what a page
asked of other hosts and which JavaScript errors it raised.

Badge images (Colab, Binder, shields.io) are links to other services, not part of the site: they are answered with a
blank image here, so no check ever reaches the network. Needs Playwright (`pip install playwright`) and a Chromium:
`$CHROMIUM`, `chromium` or `chromium-browser` on PATH, or Playwright's own download.
"""
import functools
import http.server
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

HEIGHT = 900
# Badges (tools/badges.py and the home page's CI badges), as host: path pattern. They are links to other services;
# any other request off the site is a fault.
BADGES = {"colab.research.google.com": re.compile(r"/assets/colab-badge\.svg$"),
          "mybinder.org": re.compile(r"/badge_logo\.svg$"),
          "img.shields.io": re.compile(r"/badge/"),
          "github.com": re.compile(r"^/[^/]+/[^/]+/actions/workflows/[^/]+/badge\.svg$")}
BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def find_chromium():
    "The path of a Chromium to drive, or None."
    for cand in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if cand and shutil.which(cand): return shutil.which(cand)
    return None


def unavailable(what="the browser check"):
    "Why a check in Chromium cannot run here (a sentence starting with `what`), or None when it can."
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (f"{what} needs Playwright: pip install playwright (it drives the system's chromium, "
                "or run `playwright install chromium`)")
    if find_chromium() is None and not _playwright_has_chromium():
        return f"{what} needs Chromium: apt-get install chromium (or `playwright install chromium`)"
    return None


def _playwright_has_chromium():
    from playwright.sync_api import sync_playwright
    try:
        with sync_playwright() as p:
            return Path(p.chromium.executable_path).exists()
    except Exception:
        return False


class _Quiet(http.server.SimpleHTTPRequestHandler):
    # ES modules must come with a JavaScript type; Python's table has no .mjs before 3.12 and may miss .js on some hosts
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                      ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml"}

    def log_message(self, *args): pass


@contextmanager
def serve(site):
    "Serve the folder `site` on 127.0.0.1 (a free port); yields its base URL."
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def classify(url, base, resource_type="other"):
    """Where a request goes: "local" (the site as served at `base`, or no host at all: data:, blob:, about:),
    "badge" (an image that BADGES names), or "other" (any other host: a fault)."""
    parts, site = urlsplit(url), urlsplit(base)
    if parts.scheme in ("data", "blob", "about", "javascript"): return "local"
    if (parts.scheme, parts.netloc) == (site.scheme, site.netloc): return "local"
    badge = BADGES.get(parts.hostname or "")
    if resource_type == "image" and parts.scheme == "https" and badge and badge.search(parts.path): return "badge"
    return "other"


def is_blocked_load_message(text, location_url, base):
    "Chromium's console line for a request this module aborted; it is reported as a request, not as a JS error."
    return text.startswith("Failed to load resource") and classify(location_url or "", base) == "other"


def pages_of(site):
    "Every page of the site (paths relative to it), not Quarto's site_libs nor vendored files."
    site = Path(site)
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not {"site_libs", "vendor"} & set(p.relative_to(site).parts))


class Visit:
    """What happened while pages were open: `outside` = [(page, host, url)] requests to other hosts (aborted),
    `errors` = [(page, message)] uncaught exceptions and console errors. `page` is the path being looked at."""

    def __init__(self, base):
        self.base, self.page, self.outside, self.errors = base, "", [], []

    def route(self, route):
        req = route.request
        kind = classify(req.url, self.base, req.resource_type)
        if kind == "local": return route.continue_()
        if kind == "badge": return route.fulfill(status=200, content_type="image/svg+xml", body=BLANK_SVG)
        self.outside.append((self.page, urlsplit(req.url).hostname or req.url, req.url))
        return route.abort("blockedbyclient")

    def on_console(self, msg):
        if msg.type != "error": return
        where = (msg.location or {}).get("url", "")
        if is_blocked_load_message(msg.text, where, self.base): return
        self.errors.append((self.page, f"console error: {msg.text[:300]}" + (f" ({where})" if where else "")))

    def on_pageerror(self, exc):
        self.errors.append((self.page, f"uncaught {str(exc)[:300]}"))


@contextmanager
def browse(site, width=1280):
    """Serve `site`, start Chromium with a window `width` px wide and every other host blocked; yields
    (open_page, visit): `open_page(path, timeout_ms)` loads one page and returns the Playwright page, `visit` is the
    `Visit` that records outside requests and JavaScript errors."""
    from playwright.sync_api import sync_playwright
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            ctx = browser.new_context(viewport={"width": width, "height": HEIGHT}, device_scale_factor=1,
                                      service_workers="block")
            visit = Visit(base)
            ctx.route("**/*", visit.route)
            page = ctx.new_page()
            page.on("console", visit.on_console)
            page.on("pageerror", visit.on_pageerror)

            def open_page(path, timeout_ms=60_000):
                visit.page = path
                page.goto(base + path, wait_until="load", timeout=timeout_ms)
                return page

            yield open_page, visit
            ctx.close()
        finally:
            browser.close()


# MathJax 3 typesets after the page's load event: wait for its startup promise when the page has math.
WAIT_MATH_JS = ("() => !document.querySelector('span.math') || "
                "!!(window.MathJax && MathJax.startup && MathJax.startup.promise)")


def wait_for_math(page, timeout_ms):
    "True when the page has no math or MathJax has finished typesetting it within `timeout_ms`."
    try:
        page.wait_for_function(WAIT_MATH_JS, timeout=timeout_ms)
        # on a page without math, window.MathJax may be only the configuration (_quarto.yml), with no promise
        page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise ? "
                      "MathJax.startup.promise.then(() => true) : true")
        return True
    except Exception:
        return False
