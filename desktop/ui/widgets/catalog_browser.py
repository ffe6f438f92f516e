"""The bundled model catalog: search and filter offline, see each tag's hardware verdict, pull.

The catalog data and verdicts come from desktop.core.catalog (the hardware panel's module);
this widget only adapts them into rows, so a different catalog shape needs one function here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.pulls import format_bytes

log = logging.getLogger(__name__)

TAG_ROLE = Qt.ItemDataRole.UserRole + 1
SIZE_ROLE = Qt.ItemDataRole.UserRole + 2

VERDICT_COLOURS = {"gpu": "#15803d", "partial": "#b45309", "cpu": "#b45309", "too_large": "#b91c1c"}


@dataclass(frozen=True)
class CatalogRow:
    """One pullable tag, flattened for display."""

    model: str  # "qwen2.5"
    tag: str  # "qwen2.5:7b"
    size: int  # download bytes
    quantization: str
    parameters: str
    context_length: int
    capabilities: tuple[str, ...]
    description: str  # in the UI language when the catalog has it
    verdict: str  # "gpu" | "partial" | "cpu" | "too_large" | "" (unknown)
    verdict_text: str  # the sizing's plain English sentence (fallback for the tooltip)
    need: int = 0  # bytes the model needs on the device it would run on
    gpu_budget: int = 0
    ram_budget: int = 0
    gpu_share: float = 0.0
    slowdown: float = 1.0


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def load_rows(language: str) -> tuple[list[CatalogRow], str]:
    """Rows from desktop.core.catalog, and the catalog's date; ([], "") if it is missing."""
    try:
        from desktop.core import catalog as core_catalog
    except ImportError:
        return [], ""
    try:
        return adapt_catalog(core_catalog, language)
    except Exception:  # a broken catalog must not take the page down
        log.exception("could not read the model catalog")
        return [], ""


def adapt_catalog(core_catalog: Any, language: str) -> tuple[list[CatalogRow], str]:
    loader = _get(core_catalog, "load_catalog", "load", "catalog")
    data = loader() if callable(loader) else loader
    date = str(_get(data, "date", "updated", "generated", default="") or "")
    models = _get(data, "models", default=data)
    verdict_for: Callable[..., Any] | None = _get(core_catalog, "verdict_for", "verdict", "tag_verdict")
    rows: list[CatalogRow] = []
    for model in models or ():
        name = str(_get(model, "name", default=""))
        description = _get(model, "description", default="")
        if isinstance(description, dict):
            description = description.get(language) or description.get("en") or ""
        elif language.startswith("zh"):
            description = _get(model, "description_zh", default=description) or description
        model_caps = tuple(_get(model, "capabilities", default=()) or ())
        for tag in _get(model, "tags", default=()) or ():
            tag_name = str(_get(tag, "name", "tag", default=""))
            full = tag_name if ":" in tag_name else f"{name}:{tag_name}"
            verdict, verdict_text, figures = _verdict(verdict_for, model, tag)
            rows.append(
                CatalogRow(
                    model=name,
                    tag=full,
                    size=int(_get(tag, "size", "size_bytes", "download_size", default=0) or 0),
                    quantization=str(_get(tag, "quantization", "quant", default="") or ""),
                    parameters=str(_get(tag, "parameters", "parameter_size", default="") or ""),
                    context_length=int(_get(tag, "context_length", "context", default=0) or 0),
                    capabilities=tuple(_get(tag, "capabilities", default=()) or model_caps),
                    description=str(description or ""),
                    verdict=verdict,
                    verdict_text=verdict_text,
                    **figures,
                )
            )
    return rows, date


def _verdict(verdict_for: Callable[..., Any] | None, model: Any, tag: Any) -> tuple[str, str, dict[str, Any]]:
    if verdict_for is None:
        return "", "", {}
    try:
        result = verdict_for(model, tag)
    except TypeError:
        result = verdict_for(tag)
    if result is None:
        return "", "", {}
    if isinstance(result, str):
        return result, "", {}
    kind = _get(result, "kind", "verdict", "level", default="")
    kind = str(getattr(kind, "value", kind))
    text = str(_get(result, "summary", "text", "explanation", "message", default="") or "")
    figures = {
        "need": int(_get(result, "need", default=0) or 0),
        "gpu_budget": int(_get(result, "gpu_budget", default=0) or 0),
        "ram_budget": int(_get(result, "ram_budget", default=0) or 0),
        "gpu_share": float(_get(result, "gpu_share", default=0.0) or 0.0),
        "slowdown": float(_get(result, "slowdown", default=1.0) or 1.0),
    }
    return kind, text, figures


def machine_known() -> bool:
    try:
        from desktop.core import catalog as core_catalog
    except ImportError:
        return False
    current = getattr(core_catalog, "current_machine", None)
    return callable(current) and current() is not None


class CatalogBrowser(QWidget):
    """Emits pull_requested(tag, size_bytes)."""

    pull_requested = Signal(str, object)  # tag, download bytes (a Python int: sizes pass 2 GB)

    def __init__(
        self, rows: Iterable[CatalogRow] | None = None, date: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._from_core = rows is None
        if rows is None:
            rows, date = load_rows(QLocale().name())
        self.rows = list(rows)
        self._sizes = {row.tag: row.size for row in self.rows}
        self.verdict_names = {
            "gpu": self.tr("Runs on your GPU"),
            "partial": self.tr("Partly on GPU"),
            "cpu": self.tr("CPU only (slow)"),
            "too_large": self.tr("Too large"),
            "": self.tr("Unknown"),
        }
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search models, e.g. qwen, code, vision, 中文"))
        self.search_edit.setClearButtonEnabled(True)
        self.capability_combo = QComboBox()
        for key, label in (
            ("", self.tr("All uses")),
            ("completion", self.tr("Chat")),
            ("tools", self.tr("Tools")),
            ("vision", self.tr("Vision")),
            ("embedding", self.tr("Embedding")),
            ("thinking", self.tr("Thinking")),
        ):
            self.capability_combo.addItem(label, key)
        self.fits_check = QCheckBox(self.tr("Only what runs well here"))
        self.tree = QTreeWidget()
        self.tree.setObjectName("catalogTree")
        self.tree.setColumnCount(6)
        self.tree.setHeaderLabels(
            [
                self.tr("Model / tag"),
                self.tr("Download"),
                self.tr("Quantization"),
                self.tr("Context"),
                self.tr("On this computer"),
                self.tr("Description"),
            ]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.pull_button = QPushButton(self.tr("Pull selected"))
        self.count_label = QLabel()
        self.count_label.setObjectName("pullFigures")
        date_text = self.tr("Catalog dated {0}; works offline.").format(date) if date else ""
        self.date_label = QLabel(date_text)
        self.date_label.setObjectName("pullFigures")
        self.empty_label = QLabel(
            self.tr("The model catalog is not available. You can still type any tag in Downloads.")
        )
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setVisible(not self.rows)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.capability_combo)
        filters.addWidget(self.fits_check)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.date_label)
        bottom.addStretch(1)
        bottom.addWidget(self.pull_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)

        self.search_edit.textChanged.connect(self.apply_filter)
        self.capability_combo.currentIndexChanged.connect(self.apply_filter)
        self.fits_check.toggled.connect(self.apply_filter)
        self._update_fits_check()
        self.tree.itemDoubleClicked.connect(self._on_double_clicked)
        self.tree.currentItemChanged.connect(self._update_button)
        self.pull_button.clicked.connect(self._on_pull_clicked)
        self.apply_filter()

    def verdict_tooltip(self, row: CatalogRow) -> str:
        """The sizing's reasoning in the UI language, from its numbers."""
        if not row.verdict or not row.need:
            return row.verdict_text
        need = format_bytes(row.need)
        if row.verdict == "gpu":
            return self.tr("Needs about {0}; it fits in your GPU memory ({1} usable).").format(
                need, format_bytes(row.gpu_budget)
            )
        if row.verdict == "partial":
            return self.tr(
                "Needs about {0}; your GPU holds {1}% of it and the rest runs on the CPU, about {2}x slower."
            ).format(need, int(row.gpu_share * 100), f"{row.slowdown:.1f}")
        if row.verdict == "cpu":
            return self.tr(
                "Needs about {0}; it runs on the CPU from system memory ({1} usable), slowly."
            ).format(need, format_bytes(row.ram_budget))
        return self.tr("Needs about {0}, more than this computer can give a model ({1}).").format(
            need, format_bytes(max(row.ram_budget, row.gpu_budget))
        )

    def reload(self) -> None:
        """Read the catalog again (verdicts appear once the hardware check has run)."""
        rows, date = load_rows(QLocale().name())
        if rows:
            self.rows = rows
            self._sizes = {row.tag: row.size for row in self.rows}
        self._update_fits_check()
        self.apply_filter()

    def _update_fits_check(self) -> None:
        known = any(row.verdict for row in self.rows)
        self.fits_check.setEnabled(known)
        self.fits_check.setToolTip(
            "" if known else self.tr("Available once the hardware check has looked at this computer.")
        )
        if not known:
            self.fits_check.setChecked(False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._from_core and not any(row.verdict for row in self.rows) and machine_known():
            self.reload()

    def download_size(self, tag: str) -> int:
        size = self._sizes.get(tag)
        if size is None and ":" not in tag:
            size = self._sizes.get(f"{tag}:latest")
        return size or 0

    def matches(self, row: CatalogRow) -> bool:
        text = self.search_edit.text().strip().lower()
        if text:
            haystack = " ".join(
                (row.tag, row.description, " ".join(row.capabilities), row.quantization)
            ).lower()
            if not all(word in haystack for word in text.split()):
                return False
        capability = self.capability_combo.currentData()
        if capability and capability not in row.capabilities:
            return False
        if self.fits_check.isChecked() and row.verdict not in ("gpu", "partial"):
            return False
        return True

    def apply_filter(self, *_args: object) -> None:
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        shown = 0
        for row in self.rows:
            if not self.matches(row):
                continue
            parent = groups.get(row.model)
            if parent is None:
                parent = QTreeWidgetItem([row.model, "", "", "", "", row.description])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                parent.setToolTip(5, row.description)
                groups[row.model] = parent
                self.tree.addTopLevelItem(parent)
            item = QTreeWidgetItem(
                [
                    row.tag,
                    format_bytes(row.size) if row.size else "",
                    row.quantization,
                    f"{row.context_length:,}" if row.context_length else "",
                    self.verdict_names.get(row.verdict, row.verdict),
                    "",
                ]
            )
            item.setData(0, TAG_ROLE, row.tag)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, SIZE_ROLE, row.size)
            tooltip = self.verdict_tooltip(row)
            if tooltip:
                item.setToolTip(4, tooltip)
            colour = VERDICT_COLOURS.get(row.verdict)
            if colour:
                item.setForeground(4, QBrush(QColor(colour)))
            parent.addChild(item)
            shown += 1
        expand = bool(self.search_edit.text().strip()) or len(groups) <= 3
        for parent in groups.values():
            parent.setExpanded(expand)
        self.count_label.setText(self.tr("{0} tags").format(shown))
        self._update_button()

    def _selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        if item is None or item.data(0, TAG_ROLE) is None:
            return None
        return str(item.data(0, TAG_ROLE)), int(item.data(0, SIZE_ROLE) or 0)

    def _update_button(self, *_args: object) -> None:
        self.pull_button.setEnabled(self._selected() is not None)

    def _on_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, TAG_ROLE) is not None:
            self._on_pull_clicked()

    def _on_pull_clicked(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.pull_requested.emit(*selected)
