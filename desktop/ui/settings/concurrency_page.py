"""Concurrency: parallel requests per model, models kept loaded and keep-alive for the server
the app starts (the built-in engine, or `ollama serve`), with what each costs in memory.

The values reach the server as Ollama's own variables (desktop.core.serve_limits) the next
time the app starts it; a server that is already running keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from desktop.core.serve_limits import KEEP_ALIVE_CHOICES, LOADED_CHOICES, PARALLEL_CHOICES, kv_cache_cost
from desktop.core.settings import AppSettings

# The shapes the memory figures are given for: a common 8B model (Llama 3 8B: 32 layers, 8 KV
# heads of 128) at Ollama's default 4,096-token context, and its Q4_K_M weights.
EXAMPLE_CTX = 4096
EXAMPLE_KV = kv_cache_cost(EXAMPLE_CTX, 1, layers=32, kv_heads=8, head_dim=128)
EXAMPLE_WEIGHTS = 4_920_000_000


def gigabytes(value: int) -> str:
    return f"{value / 1e9:.1f}"


def _choose(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class ConcurrencyPage(QWidget):
    def __init__(self, values: AppSettings, save: Callable[..., Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("concurrencyPage")
        self._save = save
        form = QFormLayout(self)

        self.parallel_combo = QComboBox()
        self.parallel_combo.setAccessibleName(
            QCoreApplication.translate("ConcurrencySettings", "Parallel requests per model")
        )
        self.parallel_combo.addItem(
            QCoreApplication.translate("ConcurrencySettings", "Automatic (from free memory)"), ""
        )
        for value in PARALLEL_CHOICES[1:]:
            self.parallel_combo.addItem(value, value)
        _choose(self.parallel_combo, values.engine_num_parallel)
        form.addRow(
            QCoreApplication.translate("ConcurrencySettings", "&Parallel requests:"), self.parallel_combo
        )
        self.parallel_cost = self._note(form)

        self.loaded_combo = QComboBox()
        self.loaded_combo.setAccessibleName(
            QCoreApplication.translate("ConcurrencySettings", "Models kept loaded")
        )
        self.loaded_combo.addItem(
            QCoreApplication.translate("ConcurrencySettings", "Automatic (as many as fit)"), ""
        )
        for value in LOADED_CHOICES[1:]:
            self.loaded_combo.addItem(value, value)
        _choose(self.loaded_combo, values.engine_max_loaded_models)
        form.addRow(QCoreApplication.translate("ConcurrencySettings", "&Loaded models:"), self.loaded_combo)
        self.loaded_cost = self._note(form)

        self.keep_combo = QComboBox()
        self.keep_combo.setAccessibleName(
            QCoreApplication.translate("ConcurrencySettings", "Keep a model loaded after its last request")
        )
        labels = {
            "": QCoreApplication.translate("ConcurrencySettings", "Server default (5 minutes)"),
            "0": QCoreApplication.translate("ConcurrencySettings", "Unload at once"),
            "1m": QCoreApplication.translate("ConcurrencySettings", "1 minute"),
            "5m": QCoreApplication.translate("ConcurrencySettings", "5 minutes"),
            "30m": QCoreApplication.translate("ConcurrencySettings", "30 minutes"),
            "1h": QCoreApplication.translate("ConcurrencySettings", "1 hour"),
            "-1": QCoreApplication.translate("ConcurrencySettings", "Until the server stops"),
        }
        for value in KEEP_ALIVE_CHOICES:
            self.keep_combo.addItem(labels[value], value)
        _choose(self.keep_combo, values.engine_keep_alive)
        form.addRow(QCoreApplication.translate("ConcurrencySettings", "&Keep loaded:"), self.keep_combo)
        self.keep_note = self._note(form)
        self.keep_note.setText(
            QCoreApplication.translate(
                "ConcurrencySettings",
                "A loaded model answers at once but keeps its memory until this time has passed.",
            )
        )

        self.hardware_note = self._note(form)
        self.hardware_note.setText(
            QCoreApplication.translate(
                "ConcurrencySettings",
                "The built-in engine runs models on the CPU; Ollama uses your GPU. "
                "Changes apply the next time the app starts a server.",
            )
        )
        self.parallel_combo.currentIndexChanged.connect(self._on_parallel)
        self.loaded_combo.currentIndexChanged.connect(self._on_loaded)
        self.keep_combo.currentIndexChanged.connect(self._on_keep)
        self._update_costs()

    @staticmethod
    def _note(form: QFormLayout) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setProperty("role", "hint")
        form.addRow("", label)
        return label

    def _update_costs(self) -> None:
        parallel = str(self.parallel_combo.currentData() or "")
        if parallel:
            self.parallel_cost.setText(
                QCoreApplication.translate(
                    "ConcurrencySettings",
                    "Each request has its own context: {0} requests keep about {1} GB of context "
                    "memory for an 8B model at {2} tokens ({3} GB each).",
                ).format(
                    parallel,
                    gigabytes(EXAMPLE_KV * int(parallel)),
                    f"{EXAMPLE_CTX:,}",
                    gigabytes(EXAMPLE_KV),
                )
            )
        else:
            self.parallel_cost.setText(
                QCoreApplication.translate(
                    "ConcurrencySettings",
                    "Each request has its own context, about {0} GB for an 8B model at {1} tokens; "
                    "the built-in engine takes 4 when they fit in free memory, else 1.",
                ).format(gigabytes(EXAMPLE_KV), f"{EXAMPLE_CTX:,}")
            )
        loaded = str(self.loaded_combo.currentData() or "")
        if loaded:
            self.loaded_cost.setText(
                QCoreApplication.translate(
                    "ConcurrencySettings",
                    "Up to {0} models stay in memory at once: about {1} GB for 8B models.",
                ).format(loaded, gigabytes(EXAMPLE_WEIGHTS * int(loaded)))
            )
        else:
            self.loaded_cost.setText(
                QCoreApplication.translate(
                    "ConcurrencySettings",
                    "Models stay loaded while memory allows; each 8B model takes about {0} GB.",
                ).format(gigabytes(EXAMPLE_WEIGHTS))
            )

    def _on_parallel(self, _index: int) -> None:
        self._save(engine_num_parallel=str(self.parallel_combo.currentData() or ""))
        self._update_costs()

    def _on_loaded(self, _index: int) -> None:
        self._save(engine_max_loaded_models=str(self.loaded_combo.currentData() or ""))
        self._update_costs()

    def _on_keep(self, _index: int) -> None:
        self._save(engine_keep_alive=str(self.keep_combo.currentData() or ""))
