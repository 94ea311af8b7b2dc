#!/usr/bin/env bash
# 安装并运行全部测试 / Install everything and run the whole test suite.
# Creates .venv (if missing), installs checker with its test and OCR extras, installs the
# headless browser used by the dashboard test when it can (Debian, as root), then runs
# ruff, mypy and pytest. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[test,ocr]'
if [ -f scripts/system-deps.sh ]; then
  bash scripts/system-deps.sh
fi
.venv/bin/ruff check checker tests
.venv/bin/mypy
.venv/bin/pytest "$@"
