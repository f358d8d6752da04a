"""社工证书指南的规则包：登记期限、继续教育学时、职称对应和证书领取时间。

``shegong.evaluate(request)`` is the one entry point; see ``shegong.api``.
"""

from .api import evaluate, evaluate_json

__all__ = ["evaluate", "evaluate_json"]
__version__ = "0.1.0"
