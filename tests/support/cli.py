"""The command line's own entry point (shegong.cli.main), run in this process on a request's
bytes: the same code path as `python -m shegong`, without starting a Python for each of
hundreds of requests. tests/test_rule_cases.py runs the real `python -m shegong` too."""

from __future__ import annotations

import io
import json

from shegong.cli import main


def run(text: str | bytes) -> tuple[int, str]:
    """(exit status, stdout) for ``text`` on stdin; lone surrogates pass through as bytes."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout = io.StringIO()
    return main([], stdin, stdout), stdout.getvalue()


def answer(request) -> dict | None:
    """The CLI's JSON answer to a request (object or text); None where it printed no JSON."""
    code, out = run(request if isinstance(request, (str, bytes)) else json.dumps(request, ensure_ascii=False))
    try:
        return json.loads(out)
    except ValueError:
        return None
