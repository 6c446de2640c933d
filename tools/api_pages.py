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
from number_titles import numbered  # noqa: E402
from site_check import MAX_LINE as WIDTH  # noqa: E402  the page's code column

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lstm_book"
API = ROOT / "nbs" / "api"
SIDEBAR = ROOT / "nbs" / "sidebar.yml"
# What a user installs for a module beyond the light core (see setup.py's extras).
EXTRA = {"keras_lstm": "keras", "sentiment": "keras", "translation": "keras", "speed": "keras", "diagram": "book",
         "data": "data", "textmodel": "keras", "modern_keras": "keras"}
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
    title = numbered(re.search(r"^#\s+(.+)$", text, re.M).group(1).strip(), nb)
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
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value] * len(node.targets[0].elts)
            imported |= {e.id for e, v in zip(node.targets[0].elts, values)
                         if isinstance(e, ast.Name) and isinstance(v, ast.Attribute)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return [n for n in ast.literal_eval(node.value) if n not in imported]
    return []


def signature(name, args, prefix="def ", returns=""):
    "`def name(args) -> returns` on one line when it fits the column, else one argument a line."
    params = [a.strip() for a in _split_args(args)]
    one = f"{prefix}{name}({', '.join(params)}){returns}"
    if len(one) <= WIDTH or not params: return one
    return f"{prefix}{name}(\n" + "".join(f"    {p},\n" for p in params) + ")" + returns


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
    """The argument list of `fn` as source text, with its annotations (`x: int = 1`, PEP 8's spacing); without its
    first argument (self or cls) if `drop_self`."""
    a = fn.args
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    one = lambda arg, default: (arg.arg + (f": {ast.unparse(arg.annotation)}" if arg.annotation else "")
                                + ("" if default is None else
                                   (" = " if arg.annotation else "=") + ast.unparse(default)))
    parts = [one(arg, d) for arg, d in zip(positional, defaults)]
    if a.posonlyargs: parts.insert(len(a.posonlyargs), "/")
    if drop_self and positional: parts.pop(0)
    if a.vararg: parts.append("*" + one(a.vararg, None))
    elif a.kwonlyargs: parts.append("*")
    parts += [one(arg, d) for arg, d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg: parts.append("**" + one(a.kwarg, None))
    return ", ".join(parts)


def _returns(fn):
    "` -> annotation` of `fn`, or ''."
    return f" -> {ast.unparse(fn.returns)}" if fn.returns is not None else ""


def _decorators(fn):
    "The decorators of `fn` as source text, e.g. ['classmethod', 'patch(cls_method=True)']."
    return [ast.unparse(d) for d in fn.decorator_list]


def _kind(fn):
    "'property', 'classmethod', 'staticmethod' or 'method', from a function's decorators."
    names = [re.sub(r"\(.*", "", d).split(".")[-1] for d in _decorators(fn)]
    for d in fn.decorator_list:
        if isinstance(d, ast.Call):
            kw = {k.arg: k.value for k in d.keywords}
            if isinstance(kw.get("cls_method"), ast.Constant) and kw["cls_method"].value: return "classmethod"
            if isinstance(kw.get("as_prop"), ast.Constant) and kw["as_prop"].value: return "property"
    for kind in ("property", "cached_property", "classmethod", "staticmethod"):
        if kind in names: return "property" if kind == "cached_property" else kind
    return "method"


def _class_names(node):
    "The class names an annotation or decorator argument names: `A`, `A | B`, `(A, B)`."
    if isinstance(node, ast.Name): return [node.id]
    if isinstance(node, ast.Attribute): return [node.attr]
    if isinstance(node, ast.Constant) and isinstance(node.value, str): return [node.value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _class_names(node.left) + _class_names(node.right)
    if isinstance(node, (ast.Tuple, ast.List)): return [n for e in node.elts for n in _class_names(e)]
    return []


def _attachers(tree):
    """Module-level decorator factories that attach a function to the class they are given, as fastcore's
    `patch_to` does: functions whose body calls `setattr(...)`, e.g.

        def _method_of(cls):
            def attach(f):
                setattr(cls, f.__name__, f)
                return f
            return attach"""
    out = {"patch_to"}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(n, ast.Call) and getattr(n.func, "id", None) == "setattr" for n in ast.walk(node)):
            out.add(node.name)
    return out


def attached_methods(tree):
    """{class name: [(method name, function node, kind)]} for the functions a module attaches to its classes
    outside the class body: with fastcore's `@patch` (the class is the first argument's annotation) or
    `@patch_to(cls)`, with a local decorator factory of the same kind (see `_attachers`), or by assignment
    (`LSTMParams.init = _init`, `A.f, B.g = _f, _g`). `kind` is 'method', 'classmethod', 'staticmethod' or
    'property'."""
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    attachers = _attachers(tree)
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                func = d.func if isinstance(d, ast.Call) else d
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name == "patch":
                    first = (node.args.posonlyargs + node.args.args)[:1]
                    classes = _class_names(first[0].annotation) if first and first[0].annotation else []
                elif name in attachers and isinstance(d, ast.Call) and d.args:
                    classes = _class_names(d.args[0])
                else:
                    continue
                for c in classes: out.setdefault(c, []).append((node.name, node, _kind(node)))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (zip(target.elts, node.value.elts) if isinstance(target, ast.Tuple)
                         and isinstance(node.value, ast.Tuple) else [(target, node.value)])
                for t, v in pairs:
                    kind = None
                    if isinstance(v, ast.Call) and getattr(v.func, "id", None) in (
                            "classmethod", "staticmethod", "property") and len(v.args) == 1:
                        kind, v = v.func.id, v.args[0]  # A.f = classmethod(_f)
                    if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                            and isinstance(v, ast.Name) and v.id in funcs):
                        fn = funcs[v.id]
                        out.setdefault(t.value.id, []).append((t.attr, fn, kind or _kind(fn)))
    return out


def class_methods(node, attached=()):
    """[(name, function node, kind)] of the public methods of class `node`: those in its body, then the ones
    attached to it from outside (`attached_methods`), each name once (the last definition wins, as at run time)."""
    found = {}
    for m in node.body:
        if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(d.endswith((".setter", ".deleter")) for d in _decorators(m)): continue
            found[m.name] = (m.name, m, _kind(m))
    for name, fn, kind in attached: found[name] = (name, fn, kind)
    return [v for k, v in found.items() if not k.startswith("_")]


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


def _method_entry(cls, name, meth, kind):
    "The markdown of method `name` of class `cls`: heading, kind, signature, docstring."
    sig = signature(f"{cls}.{name}", _args(meth, drop_self=kind != "staticmethod"), prefix="",
                    returns=_returns(meth))
    tag = [f"*{kind}*", ""] if kind in ("classmethod", "staticmethod") else []
    return [f"#### {cls}.{name}", "", *tag, "```python", sig, "```", ""] + ([_doc(meth), ""] if _doc(meth) else [])


def _entry(cfg, module, nb, node, lines, attached=(), name=None):
    "The markdown of one public name: heading, signature, docstring, links; then a class's public methods."
    # Quarto gives the heading nbdev writes for a name the lower-cased name as its id.
    anchor = f"#{node.name.lower()}" if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ""
    links = (f"[Source]({_source_link(cfg, module, node.lineno)}) · explained in "
             f"[{chapter_title(nb)[0]}](../{nb}{anchor})")
    if isinstance(node, ast.FunctionDef):
        sig = signature(node.name, _args(node), returns=_returns(node))
        return [_heading(node.name), "", "```python", sig, "```", "", _doc(node), "", links, ""]
    if isinstance(node, ast.ClassDef):
        bases = ", ".join(ast.unparse(b) for b in node.bases)
        code = [f"class {node.name}" + (f"({bases})" if bases else "")]
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        body = ([textwrap.indent(signature("__init__", _args(init)), "    ")] if init is not None else [])
        body += ["    " + ast.unparse(f) for f in node.body if isinstance(f, ast.AnnAssign)]
        if body: code = [code[0] + ":"] + body
        out = [_heading(node.name), "", "```python", *code, "```", "", _doc(node), "", links, ""]
        methods = class_methods(node, attached)
        props = [name for name, _, kind in methods if kind == "property"]
        if props: out += ["Properties: " + ", ".join(f"`{p}`" for p in props) + ".", ""]
        for name, meth, kind in methods:
            if kind != "property": out += _method_entry(node.name, name, meth, kind)
        return out
    name = name or ast.unparse(node.targets[0] if isinstance(node, ast.Assign) else node.target)
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
                for e in (t.elts if isinstance(t, ast.Tuple) else [t]):
                    if isinstance(e, ast.Name): nodes.setdefault(e.id, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            nodes.setdefault(node.target.id, node)
    names = public_names(tree)
    attached = attached_methods(tree)
    missing = [n for n in names if n not in nodes]
    if missing: raise ValueError(f"lstm_book.{module} exports {missing} but defines none of them at top level")
    install = f'pip install "lstm_book[{EXTRA[module]}]"' if module in EXTRA else "pip install lstm_book"
    out = ["---", f'title: "lstm_book.{module}"', f'description: "{summary.replace(chr(34), chr(39))}"', "---", "",
           f"The module of [{title}](../{nb}), where every name below is derived and tested. "
           f"It needs `{install}`.", ""]
    # Constants after functions and classes, each group in the order of the source.
    ordered = sorted(names, key=lambda n: (not isinstance(nodes[n], (ast.FunctionDef, ast.ClassDef)), nodes[n].lineno))
    for n in ordered:
        out += _entry(cfg, module, nb, nodes[n], lines, attached.get(n, ()), name=n)
    # methods this module adds to a class of another module (variants gives LSTMParams its PyTorch converters)
    for cls in sorted(set(attached) - set(nodes)):
        out += [f"### Added to `{cls}` {{#added-{cls.lower()}}}", "",
                f"This module adds these methods to `{cls}` when it is imported.", ""]
        for name, meth, kind in attached[cls]:
            out += _method_entry(cls, name, meth, kind)
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
                      "`pip install lstm_book` installs the numpy core, with numpy alone. `lstm_book.data` "
                      "needs pandas: `pip install \"lstm_book[data]\"`. The modules that build Keras models need "
                      "`pip install \"lstm_book[keras]\"` (the data extra included); each module says which extra "
                      "to install when it is missing. `lstm_book[book]` adds what the notebooks use to draw and run.", "",
                      *rows, ""])


def sidebar_block(mods):
    "The sidebar's API part: the overview, then each module by its short name (the full one is too wide there)."
    lines = [SIDEBAR_START, "        contents:", "          - api/index.md"]
    return "\n".join(lines + [f'          - text: "{m}"\n            href: api/{m}.md' for m in mods]) + "\n"


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
