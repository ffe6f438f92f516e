#!/usr/bin/env bash
# Builds "dist/Ollama Desk.app" (and the one-folder dist/ollama-desk/) on macOS; see BUILDING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m PyInstaller --version >/dev/null 2>&1 || python3 -m pip install -q "pyinstaller>=6.6"
python3 -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/ollama-desk.spec
# Ad-hoc signature so Gatekeeper on Apple silicon lets the unsigned build run locally;
# replace "-" with a Developer ID and notarize for distribution (BUILDING.md).
codesign --force --deep --sign - "dist/Ollama Desk.app"
echo "built dist/Ollama Desk.app ($(du -sh "dist/Ollama Desk.app" | cut -f1))"
