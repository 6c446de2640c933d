"""Remove TensorFlow's C++ start-up log lines from the stored stderr outputs of notebooks.

TensorFlow writes lines such as `I0000 00:00:... port.cc:153] oneDNN custom operations are on` straight to file
descriptor 2 before Python can silence them (TF_CPP_MIN_LOG_LEVEL does not reach them), so executed notebooks would
show them on the website. Python warnings and everything else on stderr are kept.

Usage: python tools/strip_logs.py nbs/*.ipynb
"""
import json
import re
import sys
from pathlib import Path

TF_LOG = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
                    r"|[IWEF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\] .*"
                    # the second line of cpu_feature_guard's message
                    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)$")


def strip_text(text):
    "`text` without TensorFlow's C++ log lines."
    return "".join(line for line in text.splitlines(keepends=True) if not TF_LOG.match(line.rstrip("\n")))


def strip_notebook(path):
    "Strip TF log lines from the stderr outputs of the notebook at `path`; True if it changed."
    path = Path(path)
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    changed = False
    for cell in nb.get("cells", []):
        outs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
                kept = strip_text(text)
                if kept != text:
                    changed = True
                    if not kept.strip(): continue
                    out["text"] = kept.splitlines(keepends=True)
            outs.append(out)
        if "outputs" in cell: cell["outputs"] = outs
    if changed:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    for p in sys.argv[1:]:
        if strip_notebook(p): print(f"stripped TensorFlow log lines from {p}")
