"""Fixtures for the hub tests: a real redis-server and real stores (SQLite file, Redis)."""

from __future__ import annotations

import secrets

import pytest

from dash_notify.hub.stores import Stores, open_stores

from .servers import RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One redis-server on 127.0.0.1 for the session (tests use their own key prefix)."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """A URL on the session's Redis with a key prefix of this test's own."""
    return f"{redis_server.url}?prefix=test-{secrets.token_hex(4)}"


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request, tmp_path) -> str:
    """Each test that takes it runs against SQLite and against Redis."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("redis_url")


@pytest.fixture
def open_store(store_url):
    """Opens stores on ``store_url`` (several, as several processes would); closes them."""
    opened: list[Stores] = []

    def opener() -> Stores:
        store = open_stores(store_url)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()
