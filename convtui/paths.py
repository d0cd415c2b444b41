"""Where convtui keeps user files: progress, runs, packs and downloaded data.

Always under the platform's user directories (never the working directory). The environment
variables let tests, and users who want their files elsewhere, move them.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "convtui"


def data_dir() -> Path:
    """Progress, training runs and the user's own puzzle packs (``CONVTUI_DATA_DIR``)."""
    return Path(os.environ.get("CONVTUI_DATA_DIR") or user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Re-downloadable things such as MNIST (``CONVTUI_CACHE_DIR``)."""
    return Path(os.environ.get("CONVTUI_CACHE_DIR") or user_cache_dir(APP_NAME))
