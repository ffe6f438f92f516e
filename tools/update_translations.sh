#!/usr/bin/env bash
# Gathers every self.tr()/translate() string into the .ts catalogue and compiles the .qm
# the app loads. Run after changing user-visible strings; translate the new entries in
# resources/translations/ollama_desk_zh_CN.ts (Qt Linguist or by hand), then run again.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find desktop/ui desktop/app.py -name '*.py' | sort)
pyside6-lupdate -no-obsolete "${sources[@]}" -ts resources/translations/ollama_desk_zh_CN.ts
pyside6-lrelease resources/translations/ollama_desk_zh_CN.ts -qm resources/translations/ollama_desk_zh_CN.qm
