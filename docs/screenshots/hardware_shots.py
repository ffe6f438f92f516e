"""Screenshots of the hardware page (in the main window) and of the welcome dialog, for this
machine as probed, in light, dark and Chinese, at 800x600, 1280x800 and 1920x1080.

    python docs/screenshots/hardware_shots.py            # all, into docs/screenshots/hardware/
    python docs/screenshots/hardware_shots.py dark en     # one theme and language, all sizes

Offscreen Qt (widget.grab()), no server: the welcome is told the built-in engine runs with the
starter model, as on a fresh laptop without Ollama. Each variant runs in its own process, as
a translator is installed once per application.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots" / "hardware"
SIZES = ((800, 600), (1280, 800), (1920, 1080))
VARIANTS = (("light", "en"), ("dark", "en"), ("light", "zh_CN"))


def shoot(theme_name: str, language: str) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from desktop.core.catalog import load_catalog, set_machine
    from desktop.core.hardware.probe import probe
    from desktop.core.hardware.report import build_report
    from desktop.ui import i18n, theme
    from desktop.ui.main_window import MainWindow
    from desktop.ui.welcome import ServerSummary, WelcomeDialog
    from desktop.ui.widgets.hardware_panel import HardwarePanel

    i18n.install(app, language)
    theme.apply(app, theme_name)
    machine = probe()
    set_machine(machine)
    report = build_report(machine, load_catalog(), models_folder=Path(tempfile.gettempdir()))
    tag = f"{theme_name}-{language}"
    OUT.mkdir(parents=True, exist_ok=True)

    window = MainWindow()
    panel = HardwarePanel()
    window.add_page(panel, app.translate("Desk", "Hardware"))
    panel.set_report(report)
    window.show_page(panel)
    for width, height in SIZES:
        window.resize(width, height)
        window.show()
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(OUT / f"hardware-{tag}-{width}x{height}.png"))

    welcome = WelcomeDialog(
        None,
        server=ServerSummary(kind="engine", url="http://127.0.0.1:11434", models=("smollm2:135m",)),
        report=report,
        language=language,
    )
    welcome.show()
    for _ in range(10):
        app.processEvents()
    welcome.grab().save(str(OUT / f"welcome-{tag}.png"))
    print(tag, "welcome", welcome.width(), "x", welcome.height())
    # Offline: the download the welcome started failed.
    from desktop.core.pulls import PullSnapshot, PullState

    if welcome.recommended is not None:
        welcome.pull_button.click()
        failed = PullSnapshot(
            model=welcome.recommended[0], state=PullState.FAILED, status="pulling manifest", layers=(),
            completed=0, total=0, fraction=None, total_settled=False, speed=0.0, eta=None,
            error="pull model manifest: [Errno -2] Name or service not known", attempts=1, elapsed=0.4,
        )  # fmt: skip
        welcome.set_pull_snapshot(failed)
        welcome.adjustSize()
        for _ in range(10):
            app.processEvents()
        welcome.grab().save(str(OUT / f"welcome-offline-{tag}.png"))
    welcome.close()
    window.close()


def main() -> None:
    if len(sys.argv) == 3:
        shoot(sys.argv[1], sys.argv[2])
        return
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for theme_name, language in VARIANTS:
        subprocess.run([sys.executable, __file__, theme_name, language], env=env, check=True, timeout=120)


if __name__ == "__main__":
    main()
