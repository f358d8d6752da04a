"""``schema.json``'s request part, generated from the tools' declarations (``QUESTIONS``).

    python -m shegong.schema          # rewrite schema.json's "request" definition
    python -m shegong.schema --check  # exit 1 when the committed file is stale

Only ``$defs.request`` is generated; the responses and the shared definitions stay as
written, byte for byte, so the file can still be read and reviewed as one contract.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from .policy import Policy, load
from .questions import Questions

PATH = Path(__file__).with_name("schema.json")
WIDTH = 120  # the committed file's style: a value that fits on one line stays on it
_BLOCK = re.compile(r'^    "request": \{\n.*?^    \},?\n', re.M | re.S)


def request_schema(tools: Iterable[Questions], policy: Policy) -> dict[str, Any]:
    """One branch per tool: its fields, what it requires, and nothing else."""
    branches = []
    for q in tools:
        branch: dict[str, Any] = {
            "properties": {"tool": {"const": q.tool}} | {f.name: f.json_schema(policy) for f in q.fields},
        }
        required = [f.name for f in q.fields if f.required]
        if required:
            branch["required"] = required
        if q.one_of:
            branch["oneOf"] = [{"required": [name]} for name in q.one_of]
        if q.any_of:
            branch["anyOf"] = [{"required": [name]} for name in q.any_of]
        branch["additionalProperties"] = False
        branches.append(branch)
    return {"type": "object", "required": ["tool"], "oneOf": branches}


def _dump(value: Any, indent: int, lead: int = 0) -> str:
    """``value`` at ``indent`` spaces, after ``lead`` characters of its line (a key)."""
    inline = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if indent + lead + len(inline) <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return inline
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        keys = {k: json.dumps(k, ensure_ascii=False) + ": " for k in value}
        items = [pad + keys[k] + _dump(v, indent + 2, len(keys[k])) for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + _dump(v, indent + 2) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def render(text: str, tools: Iterable[Questions], policy: Policy) -> str:
    """``text`` (schema.json) with its request definition generated from ``tools``."""
    found = _BLOCK.search(text)
    if found is None:
        raise ValueError('schema.json 中找不到 "request" 定义')
    comma = "," if found.group(0).rstrip("\n").endswith(",") else ""
    lead = '    "request": '
    block = lead + _dump(request_schema(tools, policy), 4, len(lead) - 4) + comma + "\n"
    return text[: found.start()] + block + text[found.end():]


def main(argv: Sequence[str] | None = None) -> int:
    from .api import QUESTIONS

    argv = sys.argv[1:] if argv is None else argv
    current = PATH.read_text(encoding="utf-8")
    wanted = render(current, QUESTIONS.values(), load())
    if "--check" in argv:
        if wanted != current:
            sys.stderr.write("calculator/shegong/schema.json 已过时：请运行 python -m shegong.schema 重新生成。\n")
            return 1
        return 0
    PATH.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover - the tests call main()
    sys.exit(main())
