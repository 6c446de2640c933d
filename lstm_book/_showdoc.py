"""How the book's website shows a function: nbdev's `show_doc`, fitted to the page.

Only the site's render uses this module (settings.ini names it as nbdev's `renderer`), and it needs nbdev. It wraps
signatures to the page's code column of about 75 characters (nbdev wraps at 110), writes a function without
arguments as `f()` and an argument that defaults to None as `x=None` (not `x:NoneType=None`), and gives the source
link its line number (nbdev's lookup writes `#LNone`)."""
import inspect

from nbdev.showdoc import BasicMarkdownRenderer

WIDTH = 66  # the arguments on one line, after a 4-space indent and before a trailing comma


class ColumnRenderer(BasicMarkdownRenderer):
    "`show_doc`'s markdown for a function or class, with the signature wrapped to the code column."

    def __init__(self, sym, name=None, title_level=3):
        super().__init__(sym, name=name, title_level=title_level, maxline=WIDTH)
        for nm, p in self.dm.dm.items():  # the annotation fastcore guesses from a default of None
            if p.get("anno") is type(None) and p.get("default") is None: p["anno"] = inspect.Parameter.empty

    def _repr_markdown_(self):
        md = super()._repr_markdown_().replace("(\n    \n)", "()")
        try:
            line = inspect.getsourcelines(inspect.unwrap(self.sym))[1]
        except (TypeError, OSError):
            return md
        return md.replace("#LNone)", f"#L{line})")
