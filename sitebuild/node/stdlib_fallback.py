"""The standard library beyond the traced set (shipped as ``_shegong_stdlib`` in the site's
stdlib zip by build_stdlib.mjs, which fills in NAMES).

The site's zip holds only the modules a start and the tools' requests import, so a first
visit downloads less. Any other standard-library module still imports: this finder, last
on ``sys.meta_path``, fetches Pyodide's whole stdlib zip synchronously (a Web Worker may
block) the first time a module only that zip has is imported, and imports from it.
Installed by the calculator's worker (``install``) before the memory snapshot is made, so
a restored Python has it too; the fetched zip lives in the file system, not the heap, so
after a restore it is fetched again when needed.
"""

import os
import sys
import zipimport

# Modules and packages in Pyodide's own stdlib zip (dotted names).
NAMES = frozenset(__NAMES__)
PATH = "/lib/python_stdlib_full.zip"


class StdlibFallback:
    def __init__(self, url):
        self.url = url

    def _archive(self):
        if not os.path.exists(PATH):
            from js import Uint8Array, XMLHttpRequest

            req = XMLHttpRequest.new()
            req.open("GET", self.url, False)
            req.responseType = "arraybuffer"
            req.send()
            if req.status != 200:
                raise ImportError(f"standard library: HTTP {req.status} for {self.url}")
            data = Uint8Array.new(req.response).to_bytes()
            with open(PATH, "wb") as f:
                f.write(data)
        return PATH

    def find_spec(self, name, path=None, target=None):
        if name not in NAMES:
            return None
        parent = name.rpartition(".")[0]
        where = self._archive() + "/" + (parent.replace(".", "/") + "/" if parent else "")
        return zipimport.zipimporter(where).find_spec(name)

    def invalidate_caches(self):
        pass


def install(url):
    """Once: later imports of modules outside the shipped zip come from ``url``."""
    if not any(isinstance(f, StdlibFallback) for f in sys.meta_path):
        sys.meta_path.append(StdlibFallback(url))
