"""The review app's fixtures: a review workspace (a test module may define its own `workspace`), the app serving
it, and a client with cookies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.stages.review.app import ReviewServer
from pipeline.workspace import Workspace
from tests.review_workspace import build_review_workspace
from tests.stages.review.app_client import Client, start


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_review_workspace(tmp_path / "ws")


@pytest.fixture
def server(workspace: Workspace) -> Iterator[ReviewServer]:
    server = start(workspace)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(server: ReviewServer) -> Client:
    return Client(server)
