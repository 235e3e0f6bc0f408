#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (as root): system packages
# and a virtualenv in .venv with the pinned Python dependencies. Idempotent and quick
# when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES="fonts-noto-cjk fonts-arphic-ukai fonts-hanazono libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils gettext"
if [ "${1:-}" = "--test" ]; then
  SYSTEM_PACKAGES="$SYSTEM_PACKAGES postgresql redis-server chromium"
fi

missing=""
for p in $SYSTEM_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "==> installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.deps-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> installing Python dependencies"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  # The pinned direct dependencies of pyproject.toml (the project itself is not a package).
  .venv/bin/python - <<'PYEOF' > .venv/requirements.txt
import tomllib
p = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"]))
PYEOF
  .venv/bin/pip install -q --disable-pip-version-check -r .venv/requirements.txt >.venv/pip.log 2>&1 \
    || { cat .venv/pip.log; exit 1; }
  rm -f .venv/.deps-*
  touch "$stamp"
fi

if [ "${1:-}" = "--test" ]; then
  # axe-core for the browser journeys' accessibility check, pinned in tests/e2e/package-lock.json
  if ! command -v npm >/dev/null; then
    echo "==> installing nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  npm_stamp=tests/e2e/node_modules/.lock-$(sha256sum tests/e2e/package-lock.json | cut -c1-16)
  if [ ! -f "$npm_stamp" ]; then
    echo "==> installing axe-core (npm ci in tests/e2e)"
    npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
fi
