"""The bundled model catalog: search and filter offline, see each tag's hardware verdict, pull.

The catalog data and verdicts come from desktop.core.catalog through catalog_rows; labels and
tooltips use the hardware page's words (hardware_text), so both pages say the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
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

from desktop.core.hardware.speed import USABLE_TOKENS_PER_SECOND, format_speed
from desktop.core.pulls import format_bytes
from desktop.ui.widgets import hardware_text as words
from desktop.ui.widgets.catalog_rows import CatalogRow as CatalogRow
from desktop.ui.widgets.catalog_rows import load_rows, machine_known

log = logging.getLogger(__name__)

TAG_ROLE = Qt.ItemDataRole.UserRole + 1
SIZE_ROLE = Qt.ItemDataRole.UserRole + 2

# The ratings that pass "Only what runs well here": they load and reach a chat's speed (the
# hardware page's suggestions use the same rule, desktop.core.hardware.sizing.Verdict.rating).
RUNS_WELL = ("gpu", "partial", "cpu")


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
        self.fits_check.setToolTip(
            self.tr("Tags that fit this computer and answer at {0} tokens/s or more.").format(
                format_speed(USABLE_TOKENS_PER_SECOND)
            )
        )
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
        self.empty_label.setWordWrap(True)
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

    def verdict_label(self, row: CatalogRow) -> str:
        return words.rating_label(row.verdict, row.tokens_per_second)

    def verdict_tooltip(self, row: CatalogRow) -> str:
        """The sizing's reasoning in the UI language, from its numbers."""
        if not row.verdict or not row.need:
            return row.verdict_text
        need = format_bytes(row.need)
        speed = format_speed(row.tokens_per_second)
        if row.verdict == "too_large":
            return self.tr("Needs about {0}, more than this computer can give a model ({1}).").format(
                need, format_bytes(max(row.ram_budget, row.gpu_budget))
            )
        if row.gpu_share >= 1:
            where = self.tr("Needs about {0}; it fits in your GPU memory ({1} usable).").format(
                need, format_bytes(row.gpu_budget)
            )
        elif row.gpu_share > 0:
            where = self.tr(
                "Needs about {0}; your GPU holds {1}% of it and the rest runs on the CPU."
            ).format(need, int(row.gpu_share * 100))
        else:
            where = self.tr("Needs about {0}; it runs on the CPU from system memory ({1} usable).").format(
                need, format_bytes(row.ram_budget)
            )
        if row.verdict == "slow":
            how = self.tr(
                "About {0} tokens/s: it fits, but answers slower than the {1} tokens/s a chat needs."
            )
        else:
            how = self.tr("About {0} tokens/s, fast enough for a chat ({1} tokens/s or more).")
        return words.two_sentences(where, how.format(speed, format_speed(USABLE_TOKENS_PER_SECOND)))

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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_filter()  # the verdict colours are the theme's

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._from_core and not any(row.verdict for row in self.rows) and machine_known():
            self.reload()

    def download_size(self, tag: str) -> int:
        size = self._sizes.get(tag)
        if size is None and ":" not in tag:
            size = self._sizes.get(f"{tag}:latest")
        return size or 0

    def matches(self, row: CatalogRow, *, runs_well_only: bool | None = None) -> bool:
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
        if runs_well_only is None:
            runs_well_only = self.fits_check.isChecked()
        if runs_well_only and row.verdict not in RUNS_WELL:
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
                    self.verdict_label(row),
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
            if row.verdict:
                item.setForeground(4, QBrush(QColor(words.colour(row.verdict))))
            parent.addChild(item)
            shown += 1
        expand = bool(self.search_edit.text().strip()) or len(groups) <= 3
        for parent in groups.values():
            parent.setExpanded(expand)
        self.count_label.setText(self.tr("Tags listed: {0}").format(shown))
        if self.rows:
            # An empty list always says why, above it, where the tags would be.
            reason = self.empty_reason(shown)
            self.empty_label.setText(reason)
            self.empty_label.setVisible(bool(reason))
        self._update_button()

    def empty_reason(self, shown: int) -> str:
        """Why nothing is listed and what to change ("" when something is)."""
        if shown:
            return ""
        text = self.search_edit.text().strip()
        if self.fits_check.isChecked():
            loose = sum(1 for row in self.rows if self.matches(row, runs_well_only=False))
            if loose:
                return self.tr(
                    "Nothing that matches runs at {0} tokens/s or more here (matching tags: {1}). Untick “Only what runs well here” to see them."  # noqa: E501
                ).format(format_speed(USABLE_TOKENS_PER_SECOND), loose)
        if text:
            return self.tr("No tag matches “{0}”. Try a shorter word, or another use.").format(text)
        return self.tr("No tag has this use.")

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
