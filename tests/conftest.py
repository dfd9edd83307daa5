"""Suite-wide setup: the parse cache of every run in the suite goes to a temporary directory.

The CLI caches parsed files under the user's cache directory by default; `DDBLINT_CACHE_DIR` (read by
`ddblint.parse_cache.default_cache_dir`, and inherited by subprocesses) keeps the suite out of the real one.
"""

import atexit
import os
import shutil
import tempfile

_cache_dir = tempfile.mkdtemp(prefix="ddblint-test-cache-")
os.environ["DDBLINT_CACHE_DIR"] = _cache_dir
atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
