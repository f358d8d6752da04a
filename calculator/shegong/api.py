"""The one boundary: ``evaluate(request) -> response``, shared by the CLI and the browser.

A request is a JSON object (or its text) with a ``tool``; the response is a JSON-ready
dict with ``ok`` and ``explanation``, plus either the tool's fields or ``errors``.
Nothing here raises: bad input becomes ``errors``, and an unexpected failure becomes a
Chinese message rather than a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable

from . import certificate, registration, titles, training
from .inputs import InputError, describe
from .policy import Policy, load

TOOLS: dict[str, Callable[[dict[str, Any], Policy, dt.date], dict[str, Any]]] = {
    "registration": registration.evaluate,
    "training": training.evaluate,
    "title": titles.evaluate,
    "certificate": certificate.evaluate,
}
TOOL_ZH = {"registration": "登记期限", "training": "继续教育学时", "title": "职称对应", "certificate": "证书领取时间"}
MAX_REQUEST_CHARS = 200_000


def _failure(errors: list[dict[str, str]], tool: str | None = None) -> dict[str, Any]:
    return {"ok": False, "tool": tool, "errors": errors, "explanation": []}


def evaluate(request: Any, today: dt.date | None = None, policy: Policy | None = None) -> dict[str, Any]:
    """Answer one request.  ``today`` is used when the request gives none."""
    if isinstance(request, (bytes, bytearray)):
        try:
            request = request.decode("utf-8")
        except UnicodeDecodeError:
            return _failure([{"field": "request", "message": "请求不是 UTF-8 编码的文本。请以 UTF-8 JSON 对象提交。"}])
    if isinstance(request, str):
        if len(request) > MAX_REQUEST_CHARS:
            return _failure([{"field": "request", "message": f"请求过长(超过 {MAX_REQUEST_CHARS} 个字符)。"}])
        try:
            request = json.loads(request)
        except ValueError as e:
            return _failure([{"field": "request", "message": f"请求不是有效的 JSON:{e}。应为一个 JSON 对象,例如 {{\"tool\": \"registration\", …}}。"}])
    if not isinstance(request, dict):
        return _failure([{"field": "request", "message": f"请求应为 JSON 对象,收到:{describe(request)}。"}])
    tool = request.get("tool")
    accepted = "、".join(f"{k}({v})" for k, v in TOOL_ZH.items())
    if tool is None:
        return _failure([{"field": "tool", "message": f"缺少「计算器类型」(tool)。可填:{accepted}。"}])
    if not isinstance(tool, str) or tool not in TOOLS:
        return _failure([{"field": "tool", "message": f"「计算器类型」(tool)无法识别:{describe(tool)}。可填:{accepted}。"}])
    try:
        return TOOLS[tool](request, policy or load(), today or dt.date.today())
    except InputError as e:
        return _failure(e.errors, tool)
    except Exception as e:  # the safety net: a bug must still answer in Chinese
        return _failure(
            [{"field": "request", "message": f"计算时出现内部错误({type(e).__name__}),这是本站的问题,请把输入反馈给维护者。"}],
            tool,
        )


def evaluate_json(text: str, today: dt.date | None = None) -> str:
    """The browser's entry point: JSON text in, JSON text out."""
    return json.dumps(evaluate(text, today), ensure_ascii=False)
