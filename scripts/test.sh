#!/usr/bin/env bash
# Installs everything the tests need and runs the whole suite:
#   Debian packages (Chromium, ChromeDriver, Xvfb, xdotool, redis-server, curl), npm
#   packages (npm ci),
#   Python packages (a .venv with dash_notify[test]); then rebuilds the bundle and the
#   generated Python classes and fails if the committed ones are stale; lints; runs the
#   JavaScript unit tests and the Python unit and browser tests (headed Chromium on Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

DEBIAN_PACKAGES=(chromium chromium-driver xvfb xauth xdotool x11-utils fonts-dejavu-core
                 redis-server curl)
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    step "Installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

step "Installing npm packages (npm ci)"
npm ci --no-audit --no-fund --loglevel=error

step "Installing Python packages into .venv"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
export PATH="$PWD/.venv/bin:$PATH"

step "Rebuilding the bundle and the generated component classes"
npm run --silent build >/dev/null
if git rev-parse --git-dir >/dev/null 2>&1; then
    if ! git diff --exit-code --stat -- dash_notify/; then
        echo "The committed bundle or generated files are stale: commit what 'npm run build' produced." >&2
        exit 1
    fi
fi

step "Linting (ruff, eslint)"
ruff check .
ruff format --check .
npx eslint .

step "JavaScript unit tests"
node --test tests/js/

step "Python unit and browser tests (headed Chromium on Xvfb)"
# Two processes (pytest-xdist), each with a virtual screen and ports of its own
# (tests/conftest.py); most of a browser test is waiting, so two share two cores well.
xvfb-run -a -s "-screen 0 1280x900x24" python -m pytest tests -n 2 --dist worksteal --durations=25 "$@"

# dash_notify supports Dash >= 3.0.4: what depends on Dash's version runs again on the
# oldest supported release (Flask only there), the tests marked oldest_dash: the unit
# tests, the hub's HTTP tests (routes put on a Dash 3 app), and the browser tests that
# cross a part of Dash that differs between releases (props in and events out through
# the renderer, set_props, dev tools errors and bar, Pages and dcc.Location, async
# chunks, the service worker's URL, the hub's routes and streams, background callbacks,
# the demo). The other browser tests exercise our own bundle the same way on any Dash;
# the store, channel, stream, ingest-format, CLI, fuzz and benchmark tests do not
# depend on Dash's version. They run once, above.
step "The tests marked oldest_dash again on Dash 3.0.4"
[ -x .venv-dash3/bin/python ] || python3 -m venv .venv-dash3
.venv-dash3/bin/python -m pip install --quiet --upgrade pip
.venv-dash3/bin/python -m pip install --quiet "dash[testing,diskcache]==3.0.4" "hypothesis==6.170.15" \
    "pillow==13.0.0" "pytest==9.2.0" \
    "pytest-timeout==2.4.0" "pytest-xdist==3.8.0" "redis==8.1.0" "gunicorn==27.0.1" "flask-login==0.6.3" \
    "pywebpush==2.5.0" "websocket-client==1.9.2" "standardwebhooks==1.1.0" "aiosmtpd==1.4.6"
.venv-dash3/bin/python -m pip install --quiet --no-deps -e .
xvfb-run -a -s "-screen 0 1280x900x24" .venv-dash3/bin/python -m pytest -n 2 --dist worksteal \
    tests/unit tests/browser tests/hub/test_http.py tests/hub/test_http_close.py \
    --ignore tests/browser/test_bench_runs.py -m oldest_dash -p no:cacheprovider "$@"
