"""Valid markup where the theme's is not and the mend is free (sitebuild/theme_markup.py)."""

from __future__ import annotations

from sitebuild import theme_markup


def on_post_page(output, page, config):
    return theme_markup.mend(output)
