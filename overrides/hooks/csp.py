"""The Content-Security-Policy <meta> of every built page (sitebuild/csp.py): GitHub Pages
cannot send the header."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import event_priority

from sitebuild import csp

log = logging.getLogger("mkdocs.hooks.csp")


@event_priority(-50)  # after the pages are written, before calculator.py fingerprints them
def on_post_build(config):
    log.info("csp: policy added to %d pages", csp.add_to_site(Path(config.site_dir)))
