"""How the site is built around the rules package: one module per job, called by the thin
MkDocs hooks in overrides/hooks/ and importable by the tests, the benchmark and scripts.

* ``pyodide_bundle``  the rules wheel, its dependencies and a bytecode stdlib for Pyodide
* ``calculator_pages`` what the calculator pages get: worker start-up, config
* ``calculator_forms`` each tool's form, nav entry and overview row, from its declared questions
* ``offline``         runtime copied into the site, manifest, service worker
* ``markers``         ``{{ kind:arg }}`` rule values in the guides, from the policy data
* ``diagrams``        ```mermaid fences replaced by their pre-drawn SVG
* ``search_fix``      Chinese search fixes for mkdocs-material
* ``csp``             the Content-Security-Policy <meta> of every page, with its inline scripts' hashes
* ``devserver``       the built site on 127.0.0.1 and Debian's Chromium (tests, bench, scripts)
* ``publish_s3``      the built site uploaded to an S3-compatible bucket (``make publish-s3``)
* ``node/``           the Node scripts run with Pyodide's own Python, and the service-worker template
"""
