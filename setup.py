import json
from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).parent
package = json.loads((here / "package.json").read_text(encoding="utf-8"))

setup(
    name="dash_notify",
    version=package["version"],
    description=package["description"],
    long_description=(here / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license=package["license"],
    packages=find_packages(include=["dash_notify", "dash_notify.*"]),
    package_data={"dash_notify": ["*.js", "*.json"]},
    include_package_data=True,
    python_requires=">=3.9",
    install_requires=["dash>=3.0.4"],
    extras_require={
        # Everything the test suite needs; dash is pinned so that the generated
        # component files are reproducible.
        "test": [
            "dash[dev,testing,diskcache]==4.4.1",
            "hypothesis==6.170.15",
            "pillow==13.0.0",
            "pytest==9.2.0",
            "pytest-timeout==2.4.0",
            # the suite runs in two processes, each with a screen of its own (conftest.py)
            "pytest-xdist==3.8.0",
            "ruff==0.17.6",
            # the peer the benchmarks compare against (a short run is part of the suite)
            "dash-mantine-components==2.8.1",
            # the stream memory benchmark's peer: an event stream of sse-starlette
            "sse-starlette==3.7.0",
            # the hub: Redis store, multi-worker deployment, OpenAPI fuzzing
            "redis==8.1.0",
            "gunicorn==27.0.1",
            "schemathesis==4.32.5",
            "flask-login==0.6.3",
            # the publish formats' own clients, run against the hub: apprise (its ntfy
            # plugin) and the JupyterLab notifications extension's jupyterlab-notify
            "apprise==2.2.0",
            "jupyterlab-notifications-extension==1.2.29",
            # the hub on Dash's FastAPI and Quart backends, served as in production
            "fastapi==0.165.0",
            # with its "standard" extras, as the README deploys it (the ones that change
            # how the hub is served are pinned; uvloop does not run on Windows)
            "uvicorn[standard]==0.54.0",
            "httptools==0.9.0",
            "uvloop==0.23.0; sys_platform != 'win32'",
            "websockets==17.4",
            "uvicorn-worker==0.4.0",
            "quart==0.22.0",
            "hypercorn==0.18.0",
            # the streams benchmark's smoke test: gunicorn's gevent worker
            "gevent==26.9.0",
            # Web Push: the sender, and what the test push service checks with
            # (http_ece decrypts as a browser does, PyJWT verifies the VAPID JWT)
            "pywebpush==2.5.0",
            "http-ece==1.2.1",
            "py-vapid==1.9.6",
            "pyjwt==2.15.1",
            # the browser push tests read DevTools Protocol events over a raw websocket
            "websocket-client==1.9.2",
            # verifies the hub's webhook signatures in the tests (the receiver's side)
            "standardwebhooks==1.1.0",
            # the email channel's templates, and the SMTP server the email tests run
            "jinja2==3.1.6",
            "aiosmtpd==1.4.6",
            # the subscribe API's clients: ntfpy (an ntfy client that subscribes, over
            # ntfy's JSON stream) and a websocket client (websocket-client, above)
            "ntfpy==0.0.12",
        ],
        # the hub's Redis store
        "redis": ["redis>=5"],
        # the hub on Dash(backend="fastapi") / Dash(backend="quart") (Dash >= 4.2)
        # (served as the README says: gunicorn with uvicorn workers, with uvicorn's
        # "standard" extras: the httptools parser and the uvloop event loop)
        "fastapi": ["dash[fastapi]>=4.2", "gunicorn", "uvicorn-worker", "uvicorn[standard]>=0.29"],
        "quart": ["dash[quart]>=4.2"],
        # Web Push (RFC 8291 encryption and RFC 8292 VAPID, by pywebpush)
        "push": ["pywebpush==2.5.0", "http-ece==1.2.1", "py-vapid==1.9.6"],
        # the email channel's templates (Jinja2, autoescaped HTML)
        "email": ["jinja2==3.1.6"],
    },
    entry_points={"console_scripts": ["dash-notify = dash_notify.cli:main"]},
    classifiers=[
        "Framework :: Dash",
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: MIT License",
    ],
)
