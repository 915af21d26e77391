"""The HTTP API fuzzed from its own OpenAPI document by schemathesis, against the test
app on 127.0.0.1, bounded in examples and time: no 5xx, every response as documented,
every invalid request rejected with a 4xx (settings in schemathesis.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dash_notify.hub.store import open_store

from .servers import AppProcess

HERE = Path(__file__).parent
SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is installed with dash_notify[test]")
def test_the_http_api_survives_fuzzing_from_its_openapi_document(sqlite_url, tmp_path):
    store = open_store(sqlite_url)
    _, secret = store.add_token("fuzz", ["*", "user:*", "group:*"])
    store.close()
    # a rate limit the fuzzer cannot reach, so that its requests test everything else
    app = AppProcess(sqlite_url, env={"DASH_NOTIFY_RATE": "1000000"}).start()
    try:
        result = subprocess.run(
            [
                SCHEMATHESIS, "--config-file", str(HERE / "schemathesis.toml"),
                "run", f"{app.url}_dash_notify/openapi.json",
                # the event stream never ends: tested in test_live.py instead
                "--exclude-path", "/_dash_notify/events",
                "--header", f"Authorization: Bearer {secret}",
                "--phases", "examples,coverage,fuzzing",
                "--max-examples", "40", "--max-time", "40", "--seed", "20261122",
                "--request-timeout", "10", "--workers", "2",
                "--generation-database", "none", "--no-color",
                "--report", "junit", "--report-dir", str(tmp_path),
            ],
            capture_output=True, text=True, timeout=240, cwd=tmp_path,
        )  # fmt: skip
    finally:
        app.stop()
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
