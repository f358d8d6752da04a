"""Each tool's questions are declared once (``QUESTIONS`` beside its rules): the request
schema, the command line's options and the calculator form all come from that declaration,
and a hint's rule value follows policy.json."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json

import pytest

from shegong import api, cli, schema, training
from shegong.policy import Policy, load
from shegong.questions import Field, Questions, plain, rule_value
from sitebuild import calculator_forms
from support.build import ROOT
from support.rulecases import schema_errors

POLICY = load()
FIRST_WINDOW = "registration.first_window_years"


def test_the_committed_schema_is_generated_from_the_declarations():
    """Stale schema.json fails here: run `python -m shegong.schema` after changing a declaration."""
    assert schema.main(["--check"]) == 0, "schema.json 已过时:请运行 python -m shegong.schema"
    committed = json.loads(schema.PATH.read_text(encoding="utf-8"))["$defs"]["request"]
    branches = {b["properties"]["tool"]["const"]: b for b in committed["oneOf"]}
    assert list(branches) == list(api.TOOLS)
    for tool, q in api.QUESTIONS.items():
        assert tuple(branches[tool]["properties"]) == q.names


def test_a_stale_schema_is_found_and_rewritten(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "schema.json"
    text = schema.PATH.read_text(encoding="utf-8")
    stale.write_text(text.replace('"passed_on": {"$ref": "#/$defs/date_in"}', '"passed_on": {"type": "string"}'), encoding="utf-8")
    monkeypatch.setattr(schema, "PATH", stale)
    assert schema.main(["--check"]) == 1
    assert "schema.json 已过时" in capsys.readouterr().err
    assert schema.main([]) == 0
    # Only the request part is written: the responses stay byte for byte.
    assert stale.read_text(encoding="utf-8") == text


def test_the_schema_needs_its_request_definition():
    with pytest.raises(ValueError, match="request"):
        schema.render('{\n  "$defs": {}\n}\n', api.QUESTIONS.values(), POLICY)


def test_the_record_fields_are_the_schema_s():
    assert training.RECORD_FIELDS == tuple(training.record_schema(POLICY)["properties"])
    hours = training.record_schema(POLICY)["properties"]["hours"]
    assert hours["maximum"] == POLICY.value(training.MAX_HOURS)


@pytest.mark.parametrize("tool", list(api.QUESTIONS))
def test_every_example_is_a_request_the_rules_answer(tool):
    q = api.QUESTIONS[tool]
    assert q.examples, f"{tool} has no example for a first visit"
    for label, example in q.examples:
        response = api.evaluate({"tool": tool, **example})
        assert response["ok"], (label, response)
        assert schema_errors(response) == []


def test_a_hint_s_rule_value_comes_from_the_policy_data():
    years = POLICY.value(FIRST_WINDOW)
    hint = api.QUESTIONS["registration"].field("passed_on").hint
    assert "{{ pu:registration.first_window_years }}" in hint
    assert f"首次登记要在此后{years}年内办理" in plain(hint, POLICY)
    assert plain("先用[登记期限计算器](../registration/)算出来", POLICY) == "先用登记期限计算器算出来"


def _with_value(key: str, entry: dict) -> Policy:
    data = copy.deepcopy(POLICY.data)
    data["parameters"][key]["values"].append(entry)
    return Policy(data)


def test_a_hint_shows_the_value_in_force_and_a_future_one_only_from_its_date():
    today = dt.date.today()
    later = _with_value(FIRST_WINDOW, {"from": (today + dt.timedelta(days=30)).isoformat(), "value": 5})
    assert rule_value(later, FIRST_WINDOW, True) == f"{POLICY.value(FIRST_WINDOW)}年"
    assert rule_value(later, FIRST_WINDOW, True, on=today + dt.timedelta(days=30)) == "5年"
    now = _with_value(FIRST_WINDOW, {"from": today.isoformat(), "value": 2})
    assert rule_value(now, FIRST_WINDOW, False) == "2"
    # A parameter none of whose values has started yet: its first value, rather than nothing.
    data = copy.deepcopy(POLICY.data)
    first = POLICY.parameters[FIRST_WINDOW]["values"][0]
    data["parameters"][FIRST_WINDOW]["values"] = [{**first, "from": "2099-01-01", "value": 4}]
    assert rule_value(Policy(data), FIRST_WINDOW, True) == "4年"


def _help(argv: list[str], policy: Policy | None = None) -> str:
    """What `python -m shegong TOOL --help` prints, with argparse's line breaks undone."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.build_parser(policy).parse_args([*argv, "--help"])
    return "".join(out.getvalue().split())


def test_the_command_line_help_says_what_the_form_says():
    text = _help(["registration"])
    years = POLICY.value(FIRST_WINDOW)
    assert f"首次登记要在此后{years}年内办理" in text
    assert "通过考试的日期（YYYY-MM-DD）" in text and "--first-registered-on" in text
    assert "assistant,intermediate,senior" in text
    changed = _with_value(FIRST_WINDOW, {"from": dt.date.today().isoformat(), "value": 2})
    assert "首次登记要在此后2年内办理" in _help(["registration"], changed)
    training_help = _help(["training"])
    assert "与--first-registered-on二选一" in training_help and "--record" in training_help
    assert "与--annotation-requested-at至少填一项" in _help(["certificate"])
    assert "工程技术" in _help(["title"])


@pytest.mark.parametrize("tool", list(api.QUESTIONS))
def test_every_declared_question_is_a_command_line_option(tool):
    args = vars(cli.build_parser().parse_args([tool]))
    assert set(args) == {"tool", "json", *api.QUESTIONS[tool].names}


def test_a_question_without_a_hint_still_has_its_label_in_the_help():
    q = Questions("demo", "演示", "演示", (Field("day", "date", "某一天"),))
    assert cli._help(q, q.field("day"), POLICY) == "某一天（YYYY-MM-DD）（可选）"


# --- the calculator form, rendered at build time from the same declaration -------------------


@pytest.fixture(scope="module")
def tools():
    return calculator_forms.load(ROOT)


GUIDES = {"首次登记": "registration/first.md", "职称": "titles/index.md"}
DOCS = ROOT / "docs"


def test_the_form_is_the_declaration(tools):
    page = calculator_forms.render("# 标题\n\n{{ form:registration }}\n", tools, "calculator/registration.md",
                                   "calculator/registration/", {"guides": GUIDES}, DOCS)
    q = api.QUESTIONS["registration"]
    for f in q.fields:
        if f.form:
            assert f'<label for="sg-{f.name}">{f.label}' in page
            assert f'aria-describedby="sg-{f.name}-hint sg-{f.name}-error"' in page
            assert f'data-error-for="{f.name}" id="sg-{f.name}-error"' in page
        else:
            assert f'id="sg-{f.name}"' not in page
    # The hint keeps its marker for the guides hook (sitebuild.markers) to fill in.
    assert "{{ pu:registration.first_window_years }}" in page
    assert '<a href="../../registration/first/">首次登记</a>、<a href="../../titles/">职称</a>' in page
    assert page.count("data-example=") == len(q.examples)
    assert "data-aliases=" in page and "&quot;assistant&quot;: &quot;助理社会工作师&quot;" in page
    assert '<details class="sg-more">\n<summary>按另一天判断（可选）</summary>' in page
    spec = json.loads(page.split('data-form="')[1].split('"')[0].replace("&quot;", '"'))
    assert spec["required"] == ["level", "passed_on"] and spec["params"] == ["level", "passed_on", "first_registered_on"]


def test_the_title_choices_come_from_the_policy_data(tools):
    page = calculator_forms.render_form("title", tools, GUIDES, "calculator/title/")
    for start in api.QUESTIONS["title"].field("from").options(POLICY):
        assert f'<option value="{start}">' in page
    assert '<option value="">（不限或不清楚）</option>' + "".join(
        f'<option value="{s}">{s}</option>' for s in POLICY.titles["skill_series"]) in page


def test_form_mistakes_stop_the_build_with_the_page_named(tools):
    with pytest.raises(calculator_forms.FormError, match="没有计算器 “nope”"):
        calculator_forms.render("{{ form:nope }}", tools, "calculator/x.md", "calculator/x/", {"guides": GUIDES}, DOCS)
    with pytest.raises(calculator_forms.FormError, match="缺少 guides"):
        calculator_forms.render("{{ form:title }}", tools, "calculator/title.md", "calculator/title/", {}, DOCS)
    with pytest.raises(calculator_forms.FormError, match="只能有一个"):
        calculator_forms.render("{{ form:title }}{{ form:title }}", tools, "calculator/title.md", "calculator/title/", {}, DOCS)
    assert calculator_forms.render("没有表单", tools, "x.md", "x/", {}, DOCS) == "没有表单"


def test_every_kind_of_question_has_a_control(tools):
    q = Questions("demo", "演示", "演示", (
        Field("n", "integer", "天数", "提示"), Field("t", "text", "名称", "提示"),
        Field("at", "datetime", "时间", "提示", required=True), Field("flag", "boolean", "是否", "提示"),
    ))
    demo = calculator_forms.Tools({"demo": q}, POLICY, 1950, 2100)
    with pytest.raises(calculator_forms.FormError, match="boolean"):
        calculator_forms.render_form("demo", demo, GUIDES, "calculator/demo/")
    demo.questions["demo"] = Questions("demo", "演示", "演示", q.fields[:3])
    page = calculator_forms.render_form("demo", demo, GUIDES, "calculator/demo/")
    assert 'inputmode="numeric"' in page and '<input type="text" autocomplete="off" id="sg-t"' in page
    assert 'type="datetime-local" id="sg-at"' in page and 'max="2100-12-31T23:59"' in page
    assert "<summary>" not in page  # no optional group without optional questions


def test_the_overview_and_the_nav_list_every_declared_tool(tools, tmp_path):
    table = calculator_forms.render("{{ form:overview }}", tools, "calculator/index.md", "calculator/", {}, DOCS)
    assert [line.split("](")[1].split(")")[0] for line in table.splitlines()[2:]] == [f"{t}.md" for t in api.TOOLS]
    assert "| [登记期限](registration.md) | 首次登记的最后一天" in table
    nav = [{"首页": "index.md"}, {"计算器": ["calculator/index.md"]}]
    calculator_forms.fill_nav(nav, tools)
    assert nav[1]["计算器"] == ["calculator/index.md"] + [{q.title: f"calculator/{t}.md"} for t, q in api.QUESTIONS.items()]
    with pytest.raises(calculator_forms.FormError, match="nav 里没有"):
        calculator_forms.fill_nav([{"首页": "index.md"}, "faq.md"], tools)
    # A declared tool without its page stops the build with the page it needs.
    with pytest.raises(calculator_forms.FormError, match="calculator/registration.md"):
        calculator_forms.overview(tools, tmp_path)
