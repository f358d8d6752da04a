"""The in-browser calculator: the Pyodide bundle (sitebuild.pyodide_bundle), each tool's
form from its declared questions (sitebuild.calculator_forms), the calculator pages'
start-up scripts (sitebuild.calculator_pages), and after the build the runtime, manifest
and service worker (sitebuild.offline)."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from sitebuild import calculator_forms, calculator_pages, offline, pyodide_bundle

log = logging.getLogger("mkdocs.hooks.calculator")
_build: dict = {}  # this hook's own state, from on_config to on_post_build


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    bundle = pyodide_bundle.build(root)
    try:
        tools = calculator_forms.load(root)
        # The declared tools are the calculator pages: their nav entries come from them too.
        calculator_forms.fill_nav(config.nav, tools)
        calculator_pages.set_tools(tools.questions, bundle, Path(config.docs_dir))
    except (FileNotFoundError, ValueError, calculator_forms.FormError) as exc:
        raise PluginError(f"calculator 钩子:{exc}") from None
    _build.update(bundle=bundle, tools=tools)
    return config


def on_files(files, config):
    # The hooks live in the theme's custom_dir; they are not site files.
    for f in list(files):
        if f.src_uri.startswith("hooks/"):
            files.remove(f)
    return files


@event_priority(50)  # before the guides hook, which fills in the rule values the hints name
def on_page_markdown(markdown, page, config, files):
    try:
        return calculator_forms.render(markdown, _build["tools"], page.file.src_uri, page.url, page.meta,
                                       Path(config.docs_dir))
    except calculator_forms.FormError as exc:
        raise PluginError(str(exc)) from None


def on_post_page(output, page, config):
    if not calculator_pages.is_calculator_page(page.file.src_uri):
        return output
    return calculator_pages.add_scripts(output, page.file.src_uri, page.url)


@event_priority(-100)  # after every other hook has written its files: sw.js lists them all
def on_post_build(config):
    site, bundle = Path(config.site_dir), _build["bundle"]
    offline.copy_runtime(site, bundle)
    offline.write_manifest(site, config.site_name, config.get("site_description") or "")
    version, count = offline.write_service_worker(site, bundle)
    log.info("calculator: Pyodide %s, service worker %s (%d site files)", bundle.pyodide_version, version, count)
