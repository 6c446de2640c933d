#!/usr/bin/env python3
"""Write the API reference: one page per public module of `lstm_book`, made from the package's own source.

Each page lists every public name the module exports (its `__all__`, less the modules it imports): the signature,
wrapped to the page's code column, the docstring, a link to the line of source on GitHub, and a link to the chapter
that explains it. The source is read with `ast`, not imported, so writing the pages needs neither TensorFlow nor
the notebooks' data.

    python tools/api_pages.py            # check: list the pages that are missing or out of date (exit 1 if any)
    python tools/api_pages.py --write    # write nbs/api/*.md and the API part of nbs/sidebar.yml
"""
import argparse
import ast
import json
import re
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from badges import settings  # noqa: E402
from site_check import MAX_LINE as WIDTH  # noqa: E402  the page's code column

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lstm_book"
API = ROOT / "nbs" / "api"
SIDEBAR = ROOT / "nbs" / "sidebar.yml"
# What a user installs for a module beyond the light core (see setup.py's extras).
EXTRA = {"keras_lstm": "keras", "sentiment": "keras", "translation": "keras", "diagram": "book"}
SIDEBAR_START = '      - section: "API reference"'


def chapter_of(module):
    "The notebook a module is exported from, e.g. 'lstm' -> '04_lstm.ipynb' (from the file's own header)."
    head = (PACKAGE / f"{module}.py").read_text(encoding="utf-8").splitlines()[:5]
    for line in head:
        m = re.search(r"File to edit: \.\./nbs/(\S+\.ipynb)", line)
        if m: return m.group(1)
    raise ValueError(f"lstm_book/{module}.py has no 'File to edit: ../nbs/...' header; was it written by nbdev_export?")


def chapter_title(nb):
    "The title and one-line summary of a chapter: its first heading and the quote under it."
    cells = json.loads((ROOT / "nbs" / nb).read_text(encoding="utf-8"))["cells"]
    text = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
    title = re.search(r"^#\s+(.+)$", text, re.M).group(1).strip()
    quote = re.search(r"^>\s*(.+)$", text, re.M)
    return title, quote.group(1).strip() if quote else ""


def modules():
    "The public modules, in the order of the chapters they come from."
    names = [p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")]
    return sorted(names, key=lambda m: (chapter_of(m), m))


def public_names(tree):
    """The module's `__all__` without the modules and classes it takes from elsewhere (nbdev lists those too):
    imported names, `name = require(...)` and names unpacked from another module's attributes."""
    imported = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                getattr(node.value.func, "id", None) == "require":
            imported |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            imported |= {e.id for e in node.targets[0].elts if isinstance(e, ast.Name)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return [n for n in ast.literal_eval(node.value) if n not in imported]
    return []


def signature(name, args, prefix="def "):
    "`def name(args)` on one line when it fits the column, else one argument a line."
    params = [a.strip() for a in _split_args(args)]
    one = f"{prefix}{name}({', '.join(params)})"
    if len(one) <= WIDTH or not params: return one
    return f"{prefix}{name}(\n" + "".join(f"    {p},\n" for p in params) + ")"


def _split_args(args):
    "Split an argument list at its top-level commas."
    parts, depth, cur = [], 0, ""
    for ch in args:
        if ch in "([{": depth += 1
        if ch in ")]}": depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur); cur = ""
        else:
            cur += ch
    return parts + ([cur] if cur.strip() else [])


def _args(fn, drop_self=False):
    args = ast.unparse(fn.args)
    if drop_self: args = re.sub(r"^(self|cls)(, )?", "", args)
    return args


def _doc(node):
    doc = ast.get_docstring(node)
    return textwrap.dedent(doc).strip() if doc else ""


def _source_link(cfg, module, line):
    return f"{cfg['git_url']}/blob/{cfg['branch']}/lstm_book/{module}.py#L{line}"


def _comment_above(lines, lineno):
    "The comment lines right above line `lineno` (1-based) of a source file, without their '#'."
    out, i = [], lineno - 2
    while i >= 0 and lines[i].lstrip().startswith("#") and not lines[i].startswith("# %%"):
        out.insert(0, lines[i].lstrip()[1:].strip()); i -= 1
    return " ".join(out)


def _heading(name):
    return f"### {name} {{#{name}}}"


def _entry(cfg, module, nb, node, lines):
    "The markdown of one public name: heading, signature, docstring, links; then a class's public methods."
    # Quarto gives the heading nbdev writes for a name the lower-cased name as its id.
    anchor = f"#{node.name.lower()}" if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ""
    links = (f"[Source]({_source_link(cfg, module, node.lineno)}) · explained in "
             f"[{chapter_title(nb)[0]}](../{nb}{anchor})")
    if isinstance(node, ast.FunctionDef):
        return [_heading(node.name), "", "```python", signature(node.name, _args(node)), "```", "",
                _doc(node), "", links, ""]
    if isinstance(node, ast.ClassDef):
        bases = ", ".join(ast.unparse(b) for b in node.bases)
        code = [f"class {node.name}" + (f"({bases})" if bases else "")]
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        body = ([textwrap.indent(signature("__init__", _args(init)), "    ")] if init is not None else [])
        body += ["    " + ast.unparse(f) for f in node.body if isinstance(f, ast.AnnAssign)]
        if body: code = [code[0] + ":"] + body
        out = [_heading(node.name), "", "```python", *code, "```", "", _doc(node), "", links, ""]
        methods = [m for m in node.body if isinstance(m, ast.FunctionDef) and not m.name.startswith("_")]
        props = [m.name for m in methods if "property" in [ast.unparse(d) for d in m.decorator_list]]
        if props: out += ["Properties: " + ", ".join(f"`{p}`" for p in props) + ".", ""]
        for meth in methods:
            if meth.name in props: continue
            out += [f"#### {node.name}.{meth.name}", "", "```python",
                    signature(f"{node.name}.{meth.name}", _args(meth, drop_self=True), prefix=""), "```", ""]
            if _doc(meth): out += [_doc(meth), ""]
        return out
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    name = ast.unparse(target)
    text = ast.get_source_segment("\n".join(lines), node)
    short = len(text.splitlines()) <= 3 and max(map(len, text.splitlines())) <= WIDTH
    kind = {ast.Dict: "dict", ast.DictComp: "dict", ast.List: "list", ast.ListComp: "list",
            ast.Tuple: "tuple", ast.Set: "set"}.get(type(node.value))
    if kind is None and isinstance(node.value, ast.Call): kind = f"{ast.unparse(node.value.func)}(...)"
    out = [_heading(name), "", "```python", text if short else f"{name} = ...  # a {kind}; see the source",
           "```", ""]
    comment = _comment_above(lines, node.lineno)
    return out + ([comment, ""] if comment else []) + [links, ""]


def page(module, cfg):
    "The markdown page of `lstm_book.<module>`."
    path = PACKAGE / f"{module}.py"
    src = path.read_text(encoding="utf-8")
    tree, lines = ast.parse(src), src.splitlines()
    nb = chapter_of(module)
    title, summary = chapter_title(nb)
    nodes = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)): nodes.setdefault(node.name, node)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name): nodes.setdefault(t.id, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            nodes.setdefault(node.target.id, node)
    names = public_names(tree)
    missing = [n for n in names if n not in nodes]
    if missing: raise ValueError(f"lstm_book.{module} exports {missing} but defines none of them at top level")
    install = f'pip install "lstm_book[{EXTRA[module]}]"' if module in EXTRA else "pip install lstm_book"
    out = ["---", f'title: "lstm_book.{module}"', f'description: "{summary.replace(chr(34), chr(39))}"', "---", "",
           f"The module of [{title}](../{nb}), where every name below is derived and tested. "
           f"It needs `{install}`.", ""]
    # Constants after functions and classes, each group in the order of the source.
    ordered = sorted(names, key=lambda n: (not isinstance(nodes[n], (ast.FunctionDef, ast.ClassDef)), nodes[n].lineno))
    seen = set()
    for n in ordered:
        node = nodes[n]
        if id(node) in seen: continue
        seen.add(id(node))
        out += _entry(cfg, module, nb, node, lines)
    return "\n".join(out).rstrip() + "\n"


def index_page(mods):
    "The overview: each module, the chapter behind it, and what it needs installed."
    rows = ["| module | explained in | install |", "|---|---|---|"]
    for m in mods:
        nb = chapter_of(m)
        extra = f"`lstm_book[{EXTRA[m]}]`" if m in EXTRA else "`lstm_book`"
        rows.append(f"| [lstm_book.{m}]({m}.md) | [{chapter_title(nb)[0]}](../{nb}) | {extra} |")
    return "\n".join(["---", 'title: "Overview of the package"',
                      'description: "Every public function and class of the package, one page per module."', "---", "",
                      "`pip install lstm_book` installs the numpy core, without TensorFlow. The modules that build "
                      "Keras models need `pip install \"lstm_book[keras]\"` and say so when Keras is missing; "
                      "`lstm_book[book]` adds what the notebooks use to draw and run.", "",
                      *rows, ""])


def sidebar_block(mods):
    lines = [SIDEBAR_START, "        contents:", "          - api/index.md"]
    return "\n".join(lines + [f"          - api/{m}.md" for m in mods]) + "\n"


def sidebar_text(current, mods):
    "The sidebar with its API part replaced (or appended)."
    head = current.split(SIDEBAR_START)[0]
    return head.rstrip("\n") + "\n" + sidebar_block(mods)


def expected(cfg=None):
    "{path: text} of every file this tool writes."
    cfg = cfg or settings()
    mods = modules()
    files = {API / f"{m}.md": page(m, cfg) for m in mods}
    files[API / "index.md"] = index_page(mods)
    files[SIDEBAR] = sidebar_text(SIDEBAR.read_text(encoding="utf-8"), mods)
    return files


def stale(files):
    "The paths whose content differs from what they should be, and the API pages nothing writes any more."
    out = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    out += [p for p in API.glob("*.md") if p not in files]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="write the pages and the sidebar's API part")
    args = ap.parse_args(argv)
    files = expected()
    todo = stale(files)
    if not args.write:
        for p in todo: print(f"out of date: {p.relative_to(ROOT)}")
        if todo: print("run: python tools/api_pages.py --write")
        return 1 if todo else 0
    API.mkdir(exist_ok=True)
    for p in todo:
        if p in files: p.write_text(files[p], encoding="utf-8")
        else: p.unlink()
        print(f"wrote {p.relative_to(ROOT)}" if p in files else f"removed {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
