"""Writing result files so that a reader never sees half of one: the text goes to PATH.tmp, which
is then renamed over PATH (atomic on one file system). Reports, baselines, records and merged
benchmark results all go through here."""
import json
import os


def write_atomically(path, text):
    """Writes `text` to `path` through a temporary file and a rename; makes the directory."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_json(path, doc, compact=True):
    """`doc` as JSON and a final newline, atomically. compact: no spaces (large sample arrays);
    otherwise indented with sorted keys, for files people read and diff."""
    text = (
        json.dumps(doc, separators=(",", ":"))
        if compact
        else json.dumps(doc, indent=2, sort_keys=True)
    )
    write_atomically(path, text + "\n")
