# The README's commands: `make serve` and `make test`. Each sets itself up from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup venv node chromium java site serve test test-fast test-unit bench diagrams publish-s3 cli-example schema clean lock check-data policy-diff check-links

help:
	@echo "make serve   构建网站并在 http://$(HOST):$(PORT) 提供访问"
	@echo "make test    运行全部测试(规则单元测试、属性测试、浏览器测试)"
	@echo "make test-fast 跳过构建临时副本的测试(见 CONTRIBUTING.md)"
	@echo "make test-unit 只跑规则包的测试(不需要浏览器)"
	@echo "make site    构建网站到 site/"
	@echo "make bench   运行性能基准(不属于测试)"
	@echo "make diagrams 修改流程图后重新画 SVG(见 CONTRIBUTING.md)"
	@echo "make schema  改了计算器的问题声明后重新生成 schema.json 的请求部分"
	@echo "make publish-s3 构建网站并上传到兼容 S3 的对象存储(配置见 CONTRIBUTING.md)"
	@echo "make check-data 数据期限:节假日数据、指南的最后核对、已施行的新值(SHEGONG_TODAY=YYYY-MM-DD 模拟某一天)"
	@echo "make policy-diff BASE=<git 版本> 比较两版规则和数据的答案(Markdown 报告)"
	@echo "make check-links 检查指南用到的官方网址(linkinator)"

# Every Python package, pip and setuptools included, from requirements.lock with its
# hashes (`make lock` writes it from pyproject.toml); then this project, without
# dependencies or an isolated build, so nothing is resolved outside the lock.
$(VENV)/.stamp: pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { scripts/find-python; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Run after changing a version in pyproject.toml or requirements-tools.in; commit the result.
lock:
	$(PYTHON) -m venv .cache/uv
	.cache/uv/bin/pip install --quiet uv==0.13.9
	.cache/uv/bin/uv pip compile pyproject.toml requirements-tools.in --extra sheets --extra test --extra docs --extra publish \
	  --generate-hashes --universal --python-version 3.12 --no-header -o requirements.lock

venv: $(VENV)/.stamp

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

node: node_modules/.stamp

# The browsers: Playwright's own download is not reachable. The tests run Debian's
# headless shell; `make bench` and `make diagrams` the full browser. Where
# SHEGONG_CHROMIUM names a browser and there is no shell (GitHub's runners, with Google
# Chrome and no Debian packages), that browser serves the tests too, in its own
# headless mode. sitebuild/devserver.py makes the choice and names only what is missing.
chromium: venv
	@pkgs=$$($(PY) -m sitebuild.devserver --missing-packages); [ -z "$$pkgs" ] && exit 0; \
	SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	echo "apt-get install $$pkgs"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$pkgs >/dev/null
	@$(PY) -m sitebuild.devserver --check

# The Nu HTML Checker (npm's vnu-jar, tests/test_html_validity.py) runs on Java: Debian's
# headless runtime where the machine has none (GitHub's runners have one).
java:
	@command -v java >/dev/null && exit 0; \
	SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null

setup: venv node

site: setup
	$(VENV)/bin/mkdocs build --strict --quiet

serve: site
	@echo "网站已构建:http://$(HOST):$(PORT)/   (Ctrl-C 停止)"
	$(PY) -m http.server $(PORT) --bind $(HOST) --directory site

# Whole test modules on one process per core (pytest-xdist), in the order collected
# (tests/conftest.py): module fixtures, such as a context whose later pages restore from
# the snapshot, stay shared.
XDIST := -n auto --dist loadfile --no-loadscope-reorder
# The 100% coverage gate holds for a whole run; with PYTEST_ARGS naming some tests
# (`make test-unit PYTEST_ARGS=tests/test_dates.py`) coverage is reported, not gated.
COVERAGE_GATE = $(if $(PYTEST_ARGS),,--cov-fail-under=100)

test: setup chromium java site
	$(PY) -m pytest $(XDIST) --cov=shegong --cov-branch --cov-report=term-missing $(COVERAGE_GATE) $(PYTEST_ARGS)

# Everything but the tests that build temporary copies of the repository (marked slow).
test-fast: setup chromium java site
	$(PY) -m pytest $(XDIST) -m "not slow" $(PYTEST_ARGS)

# The request part of calculator/shegong/schema.json, from the tools' declared questions.
schema: venv
	$(PY) -m shegong.schema

# Only the rules package: quick, no browser and no site.
test-unit: venv node
	$(PY) -m pytest -m "not browser and not slow" --cov=shegong --cov-branch --cov-report=term-missing $(COVERAGE_GATE) $(PYTEST_ARGS)

bench: setup chromium site
	$(PY) bench/run.py

# Draws each ```mermaid fence under docs/ as SVG into docs/assets/diagrams/ (committed;
# the build puts it inline and stops if one is missing).
diagrams: venv node chromium
	$(PY) scripts/render_diagrams.py

# Uploads what changed in site/ to the bucket named by the SHEGONG_S3_* variables
# (CONTRIBUTING.md), checked before the build so a missing one fails at once.
# CI runs the same module on the site its tests passed, not a rebuild.
publish-s3: venv
	$(PY) -m sitebuild.publish_s3 --check-config
	$(MAKE) site
	$(PY) -m sitebuild.publish_s3 site

# The data's horizons (CONTRIBUTING.md, 每年要做的事); exits 1 when something needs a
# maintainer. Not part of `make test`: a deploy must not break because the calendar moved on.
# The commands are not echoed: the output is the Markdown report (CI appends it to the summary).
# BUILT_ON=YYYY-MM-DD: the day the published pages were built (default: site/, else the last commit).
check-data: venv
	@$(PY) scripts/check_data.py $(if $(BUILT_ON),--built-on $(BUILT_ON))

# What a change to the rules or their data does to the answers (Markdown): the named cases
# and 10,000 seeded requests, BASE's calculator/ against the working tree's (or HEAD=<ref>).
policy-diff: venv
	@test -n "$(BASE)" || { echo "用法:make policy-diff BASE=<git 版本>(例如 BASE=origin/main),可加 HEAD=<git 版本>"; exit 2; }
	@$(PY) scripts/policy_diff.py --base $(BASE) $(if $(HEAD),--head $(HEAD))

# The official addresses the guides send readers to (mkdocs.yml entries, links in docs/),
# checked with linkinator from npm; exits 1 on a dead one. Monthly in CI, not in `make test`.
check-links: venv node
	@$(PY) scripts/check_links.py

cli-example: venv
	echo '{"tool":"registration","level":"社会工作师","passed_on":"2024-09-10"}' | $(PY) -m shegong

clean:
	rm -rf site build dist .pytest_cache .coverage .hypothesis
