#!/usr/bin/env bash
# 安装并检查内置的五份种子报告 / Install checker and check the bundled seed reports.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet .
exec .venv/bin/checker check seeds/ "$@"
