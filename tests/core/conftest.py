"""Fixtures for the engine tests: one fixed Hypothesis profile, torch on a single thread.

The profile is derandomized so CI runs the same thousands of cases every time, and it keeps no
example database, so nothing is written to the working directory. Tests apply it with
``core_torch_reference.examples(n)``; it is not loaded globally, so other test folders keep
their own Hypothesis settings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch
from core_torch_reference import PROFILE
from hypothesis import HealthCheck, settings

settings.register_profile(
    PROFILE,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def one_torch_thread() -> Iterator[None]:
    """Thousands of tiny torch calls run fastest on one thread, and leave the other core to
    the parallel test worker."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
