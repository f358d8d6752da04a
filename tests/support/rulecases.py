"""The named rule cases in cases.json, and the partial match they use."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]  # tests/, where cases.json lives
ROOT = HERE.parent


def load_cases() -> list[dict[str, Any]]:
    return json.loads((HERE / "cases.json").read_text(encoding="utf-8"))["cases"]


def load_crash_inputs() -> list[dict[str, Any]]:
    return json.loads((HERE / "cases.json").read_text(encoding="utf-8"))["crash_inputs"]


def crash_bytes(case: dict[str, Any]) -> bytes:
    """The request as the CLI reads it from stdin."""
    if "hex" in case:
        return bytes.fromhex(case["hex"])
    return crash_text(case).encode("utf-8")


def crash_text(case: dict[str, Any]) -> str:
    """The request as the browser's evaluate(text) gets it."""
    if "open" in case:
        return case["open"] * case["depth"] + case.get("inner", "") + case["close"] * case["depth"]
    return case["text"]


def mismatches(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where ``actual`` differs from the partial ``expected`` (dict keys and list prefixes)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        out: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += mismatches(value, actual[key], f"{path}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) < len(expected):
            return [f"{path}: expected at least {len(expected)} items, got {actual!r}"]
        if not expected and actual:
            return [f"{path}: expected an empty list, got {actual!r}"]
        out = []
        for i, value in enumerate(expected):
            out += mismatches(value, actual[i], f"{path}[{i}]")
        return out
    # 1 == True in Python: compare types too, so a bool never passes for a number.
    if expected != actual or isinstance(expected, bool) != isinstance(actual, bool):
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


@lru_cache(maxsize=1)
def validator():
    import jsonschema

    schema = json.loads((ROOT / "calculator" / "shegong" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(response: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(response)]
