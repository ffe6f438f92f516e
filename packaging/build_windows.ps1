# Builds dist\ollama-desk\ollama-desk.exe on Windows (PowerShell); see BUILDING.md.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
python -m PyInstaller --version *> $null
if ($LASTEXITCODE -ne 0) { python -m pip install -q "pyinstaller>=6.6" }
python -m PyInstaller --noconfirm --clean --log-level WARN `
    --workpath build\pyinstaller --distpath dist packaging\ollama-desk.spec
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
Write-Host "built dist\ollama-desk\ollama-desk.exe"
