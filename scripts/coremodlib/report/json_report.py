"""certification.json: the certification record itself, the machine-readable report."""
import json

FILE_NAME = "certification.json"


def render(certification):
    return json.dumps(certification, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
