"""Two fixes to mkdocs-material's search for Chinese.

* ``jieba_dict_user`` is read relative to the working directory: anchor it to the folder of
  mkdocs.yml, so a build started elsewhere (a test's temporary copy) finds the dictionary.
* The theme's search worker (9.8) splits a Chinese query into words it finds in the
  index, but its loop never tries the whole query (``o<t.length``): 三区计划 becomes
  三* 区* 计* as soon as 三 is a word somewhere, and the page about 三区计划 is lost. Let the
  loop reach the end of the query, so a whole word in the index stays whole.
"""

from __future__ import annotations

from pathlib import Path

SEGMENT_LOOP_OLD = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
SEGMENT_LOOP_NEW = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


class ThemeChanged(Exception):
    pass


def anchor_jieba_dict(config, root: Path) -> None:
    for plugin in config.plugins.values():
        cfg = getattr(plugin, "config", None)
        user_dict = cfg.get("jieba_dict_user") if hasattr(cfg, "get") else None
        if user_dict and not Path(user_dict).is_absolute():
            cfg["jieba_dict_user"] = str(root / user_dict)


def patch_search_worker(site_dir: Path) -> None:
    for worker in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")):
        text = worker.read_text(encoding="utf-8")
        if SEGMENT_LOOP_NEW in text:
            continue
        if text.count(SEGMENT_LOOP_OLD) != 1:
            raise ThemeChanged(
                f"{worker.name} 中找不到要修正的中文查询分词循环;"
                "主题升级后请检查 sitebuild/search_fix.py 里的 SEGMENT_LOOP_OLD"
            )
        worker.write_text(text.replace(SEGMENT_LOOP_OLD, SEGMENT_LOOP_NEW), encoding="utf-8")
