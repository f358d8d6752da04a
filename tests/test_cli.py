"""The command line: JSON on stdin, and the readable subcommands."""

import io
import json

import pytest

from shegong import cli


class Stdin(io.StringIO):
    """A text stdin with a binary buffer, like sys.stdin."""

    def __init__(self, data: bytes):
        super().__init__()
        self.buffer = io.BytesIO(data)


def run(argv, data=b""):
    out = io.StringIO()
    code = cli.main(argv, stdin=Stdin(data), stdout=out)
    return code, out.getvalue()


def test_json_on_stdin():
    code, out = run([], '{"tool":"certificate","results_published_on":"2025-12-20"}'.encode())
    assert code == 0
    assert json.loads(out)["paper_expected"] == {"from": "2026-02-20", "to": "2026-03-20"}


def test_bad_json_on_stdin_exits_2_with_a_json_answer():
    code, out = run([], b"{oops")
    assert code == 2
    assert json.loads(out)["errors"][0]["field"] == "request"


def test_plain_text_stdin_is_read_too():
    out = io.StringIO()
    code = cli.main([], stdin=io.StringIO('{"tool":"title","from":"技师","today":"2024-07-01"}'), stdout=out)
    assert code == 0 and json.loads(out.getvalue())["outcomes"][0]["eligible"] is None


def test_registration_in_words():
    code, out = run(["registration", "--level", "社会工作师", "--passed-on", "2024-09-10",
                     "--first-registered-on", "2025-03-15", "--today", "2026-01-01"])
    assert code == 0
    assert "2028年3月15日" in out.splitlines()[0]
    assert "首次登记受理期限最后一天：2025-09-10" in out
    assert "依据：《社会工作者职业水平证书登记办法》（民发〔2009〕44号）第四条" in out


def test_training_in_words_with_records():
    code, out = run(["training", "--level", "assistant", "--period-start", "2022-03-15", "--today", "2024-12-01",
                     "--record", "kind=training,date=2022-06-01,hours=30,certified=是",
                     "--record", "kind=online,date=2023-01-01,hours=32,approved=false"])
    assert code == 0
    assert "已累计30小时，还差42小时" in out and "另有32小时待审核" in out
    assert "记录2：计 0 小时" in out


def test_title_and_certificate_in_words():
    code, out = run(["title", "--from", "技师", "--since", "2021-07-02", "--today", "2024-07-01", "--series", "工程技术"])
    assert code == 0 and "暂不符合" in out and "2024年7月2日" in out
    code, out = run(["title", "--from", "社会工作师", "--today", "2024-07-01"])
    assert code == 0 and "直接对应中级职称：符合" in out and "可直接申报评审或考试高一层级职称：有前提条件" in out
    code, out = run(["title", "--from", "中级", "--today", "2024-07-01"])
    assert code == 0 and "需补充信息" in out
    code, out = run(["title", "--from", "高级技师", "--since", "2018-01-01", "--today", "2024-07-01", "--series", "社会工作"])
    assert code == 0 and "暂不符合天津这份通知中的对应条件" in out
    code, out = run(["certificate", "--results-published-on", "2025-12-20", "--annotation-requested-at", "2026-01-05T10:30"])
    assert code == 0 and "2026年1月6日10:30" in out
    code, out = run(["certificate", "--results-published-on", "2021-06-01"])
    assert code == 0 and "以中国人事考试网查询结果为准" in out


def test_json_flag_on_a_subcommand():
    code, out = run(["certificate", "--results-published-on", "2025-11-30", "--json"])
    assert code == 0 and json.loads(out)["paper_expected"]["to"] == "2026-02-28"


def test_bad_input_in_words_names_the_field_and_exits_2():
    code, out = run(["registration", "--level", "社工", "--passed-on", "2024-02-30"])
    assert code == 2
    assert out.startswith("输入有误")
    assert "（字段 level）" in out and "（字段 passed_on）" in out


@pytest.mark.parametrize("argv", [["registration", "--nope"], ["training", "--record", "training 30h"], ["bogus"]])
def test_argument_errors_are_in_chinese(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv, stdin=Stdin(b""), stdout=io.StringIO())
    assert info.value.code == 2
    assert "参数错误" in capsys.readouterr().err


def test_a_bad_record_flag_reaches_the_rules_as_an_error():
    code, out = run(["training", "--level", "assistant", "--period-start", "2022-03-15",
                     "--record", "kind=training,date=2022-06-01,hours=3,certified=maybe"])
    assert code == 2 and "records[0].certified" in out


def test_module_entry_point(monkeypatch):
    import runpy
    import sys

    monkeypatch.setattr(sys, "argv", ["shegong", "certificate", "--results-published-on", "2025-12-20"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("shegong", run_name="__main__")
    assert info.value.code == 0


def test_new_options_reach_the_rules():
    code, out = run(["registration", "--level", "社会工作师", "--passed-on", "2019-03-01", "--first-registered-on", "2019-06-30",
                     "--reregistered-on", "2022-05-01", "--today", "2023-01-01", "--json"])
    assert code == 0 and json.loads(out)["periods"][0]["reregistered_on"] == "2022-05-01"
    code, out = run(["training", "--level", "社会工作师", "--first-registered-on", "2019-06-30", "--reregistered-on", "2022-05-01",
                     "--today", "2023-01-01", "--record", "kind=online,date=2022-07-01,hours=10", "--json"])
    assert code == 0 and json.loads(out)["period_index"] == 2
    code, out = run(["training", "--level", "社会工作师", "--period-start", "2022-03-15", "--first-period", "是",
                     "--record", "kind=online,date=2022-03-15,hours=10", "--json"])
    assert code == 0 and json.loads(out)["counted_hours"] == 10
    code, out = run(["certificate", "--annotation-requested-at", "2026-03-01T09:00", "--annotation-valid-days", "30",
                     "--earlier-annotation", "2026-01-05T10:30,7", "--earlier-annotation", "2026-02-10T14:00", "--json"])
    answer = json.loads(out)
    assert code == 0 and answer["annotation_valid_days"] == 30 and answer["annotation_limit"]["counted_earlier"] == 1
    # As the help shows it, typed with a Chinese input method: the full-width comma separates too.
    code, wide = run(["certificate", "--annotation-requested-at", "2026-03-01T09:00", "--annotation-valid-days", "30",
                      "--earlier-annotation", "2026-01-05T10:30，7", "--earlier-annotation", "2026-02-10T14:00", "--json"])
    assert code == 0 and json.loads(wide) == answer
    code, wide = run(["training", "--level", "社会工作师", "--period-start", "2022-03-15", "--first-period", "是",
                      "--record", "kind=online，date=2022-03-15，hours=10", "--json"])
    assert code == 0 and json.loads(wide)["counted_hours"] == 10


def test_too_many_errors_in_words_say_how_many_more():
    records = [f"--record=kind=online,date=x{i},hours=-1" for i in range(11)]
    code, out = run(["training", "--level", "社会工作师", "--period-start", "2022-03-15", *records])
    assert code == 2 and "另有2处错误未列出" in out


def test_an_internal_error_exits_3_with_a_chinese_message(monkeypatch):
    from shegong import api

    def broken(request, policy, today):
        raise ZeroDivisionError("bug")

    monkeypatch.setitem(api.TOOLS, "certificate", broken)
    code, out = run(["certificate", "--results-published-on", "2025-12-20"])
    assert code == cli.EXIT_INTERNAL == 3 and out.startswith("内部错误")
    code, out = run([], b'{"tool":"certificate","results_published_on":"2025-12-20"}')
    assert code == 3 and json.loads(out)["internal_error"] is True


def test_even_a_failure_to_write_is_not_a_traceback(capsys):
    class Closed(io.StringIO):
        def write(self, text):
            raise OSError("closed")

    code = cli.main(["certificate", "--results-published-on", "2025-12-20"], stdin=Stdin(b""), stdout=Closed())
    assert code == 3 and "内部错误（OSError）" in capsys.readouterr().err


def test_output_is_utf8_whatever_the_locale():
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    code = cli.main(["certificate", "--results-published-on", "2025-12-20"], stdin=Stdin(b""), stdout=out)
    assert code == 0 and "纸质证书" in raw.getvalue().decode("utf-8")
