"""Helpers the test modules share: the browser contexts and the waits (``browser``), the
builds of temporary copies of the repository (``build``). The server and the request
log are sitebuild.devserver's, which the benchmark and scripts use too."""
