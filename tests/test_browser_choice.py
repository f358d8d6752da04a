"""The tests' browser on a machine without Debian's headless shell, as on GitHub's runners:
there the workflow names Google Chrome in SHEGONG_CHROMIUM, and `make chromium` must
install no browser (Ubuntu has no chromium-headless-shell) while the browser tests run
in the named browser's own headless mode.

Here the full Debian Chromium stands in for Chrome, and the shell's path points nowhere.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import devserver
from support.rulecases import ROOT

NOWHERE = "/nonexistent/chromium-headless-shell"


def runner_env(tmp_path: Path) -> dict:
    """A GitHub runner's view: no shell, a named full browser, and an apt-get that only
    records that it was called (and fails, as installing chromium on Ubuntu would)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/apt-calls\nexit 1\n')
    (fake / "apt-get").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_", "PYTEST_", "COVERAGE"))}
    env.update(PATH=f"{fake}:{env['PATH']}", SHEGONG_CHROMIUM_SHELL=NOWHERE, SHEGONG_CHROMIUM=devserver.CHROMIUM)
    return env


@pytest.fixture
def env(tmp_path):
    if not Path(devserver.CHROMIUM).exists():
        pytest.skip(f"no full browser at {devserver.CHROMIUM} to stand in for Chrome")
    return runner_env(tmp_path)


def test_make_chromium_installs_no_browser_where_one_is_named(env, tmp_path):
    proc = subprocess.run(["make", "--no-print-directory", "chromium"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (tmp_path / "apt-calls").exists(), (tmp_path / "apt-calls").read_text()


def test_without_a_named_browser_make_chromium_says_what_to_install(env, tmp_path):
    del env["SHEGONG_CHROMIUM"]
    proc = subprocess.run(["make", "--no-print-directory", "chromium"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "测试用的浏览器不存在" in proc.stderr and "SHEGONG_CHROMIUM" in proc.stderr
    assert "Traceback" not in proc.stderr


# One real calculator test, in a pytest of its own under the runner's environment: the
# browser it ran in is printed first, so the test knows which one answered.
CHILD = """
import sys, pytest
from sitebuild import devserver
print("BROWSER", devserver.test_browser(), flush=True)
sys.exit(pytest.main(["-q", "-n", "0", "-p", "no:cacheprovider", "-p", "no:cov", sys.argv[1]]))
"""


def test_a_calculator_browser_test_runs_in_the_named_browser(env, site_dir):
    env["SHEGONG_SITE_DIR"] = str(site_dir)
    node = "tests/test_calculator_boundary.py::test_a_number_too_large_for_javascript_is_named"
    proc = subprocess.run([sys.executable, "-c", CHILD, node], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert f"BROWSER {devserver.CHROMIUM}" in out
    assert proc.returncode == 0 and "1 passed" in out, out
