"""The hardware page's boxes: the size-class table, the seed's minimum/recommended parts, and
the suggested models. Each renders its part of a HardwareReport; the page arranges them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.disk import required_bytes
from desktop.core.hardware.machine import gb
from desktop.core.hardware.recommend import TIERS
from desktop.core.hardware.report import HardwareReport
from desktop.core.hardware.sizing import Fit
from desktop.core.pulls import format_bytes
from desktop.ui.widgets import hardware_text as words


class FittedTable(QTableWidget):
    """A table as tall as its rows and as wide as the page: the wide columns share the width and
    wrap their text, so nothing scrolls sideways at 800x600 and no row hides behind a scroll bar."""

    def __init__(self, rows: int, headers: list[str], wide: tuple[int, ...], name: str) -> None:
        super().__init__(rows, len(headers))
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        header = self.horizontalHeader()
        for column in range(len(headers)):
            mode = (
                QHeaderView.ResizeMode.Stretch if column in wide else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        header.sectionResized.connect(lambda *_args: self.fit_height())

    def fit_height(self) -> None:
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_height()


class TierSection(QGroupBox):
    """The seed's table with this machine's row, and the sentences that explain it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Model sizes"), parent)
        self.table = FittedTable(
            len(TIERS),
            [
                self.tr("Size"),
                self.tr("Rule"),
                self.tr("Example"),
                self.tr("Needs here"),
                self.tr("On this computer"),
            ],
            (1, 4),
            "tierTable",
        )
        self.explanation = QLabel()
        self.explanation.setObjectName("hardwareExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.explanation)

    def show_report(self, report: HardwareReport) -> None:
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row_index, row in enumerate(report.tier.rows):
            tier = row.tier
            label = self.tr("{0} ◀ this computer").format(tier.label) if row.highlighted else tier.label
            if tier.needs_gpu:
                rule = self.tr("{0} of RAM and a GPU, or {1} of GPU memory").format(
                    words.nominal(tier.ram), words.nominal(tier.vram)
                )
            else:
                rule = self.tr("{0} of RAM, or {1} of GPU memory").format(
                    words.nominal(tier.ram), words.nominal(tier.vram)
                )
            verdict = words.verdict_label(row.verdict, report, tier.representative)
            cells = [label, rule, tier.representative, gb(row.verdict.need), verdict]
            background, foreground = words.highlight()
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(words.verdict_sentence(row.verdict))
                if row.highlighted:
                    # The theme's own pair, whole row: a verdict colour on it would fall below 4.5:1.
                    item.setBackground(QBrush(QColor(background)))
                    item.setForeground(QBrush(QColor(foreground)))
                    item.setFont(bold)
                elif column == 4:
                    item.setForeground(QBrush(QColor(words.colour(row.verdict.rating))))
                self.table.setItem(row_index, column, item)
        self.table.fit_height()
        self.explanation.setText("\n".join(words.explain(report)))


class RequirementsSection(QGroupBox):
    """The seed's advice, minimum (7B) and recommended (13B), judged part by part."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Minimum and recommended hardware"), parent)
        self.table = FittedTable(
            len(words.PARTS),
            [
                self.tr("Part"),
                self.tr("This computer"),
                self.tr("Minimum (7B)"),
                self.tr("Recommended (13B)"),
            ],
            (1, 3),
            "requirementsTable",
        )
        self.disk_label = QLabel()
        self.disk_label.setObjectName("diskNeed")
        self.disk_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.disk_label)

    def show_report(self, report: HardwareReport) -> None:
        by_part = {r.part: r for r in report.requirements}
        for row, part in enumerate(words.PARTS):
            requirement = by_part.get(part)
            have = words.part_have(requirement, report) if requirement is not None else ""
            verdict = requirement.verdict if requirement is not None else "unknown"
            cells = [
                words.part_name(part),
                words.part_judged(have, verdict),
                words.part_minimum(part),
                words.part_recommended(part),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setForeground(QBrush(QColor(words.colour(verdict))))
                if part == "disk" and column == 1 and report.disk is not None:
                    item.setToolTip(str(report.disk.path))
                self.table.setItem(row, column, item)
        self.table.fit_height()
        chat = report.suggestion("chat_zh" if self.locale().name().startswith("zh") else "chat_en")
        self.disk_label.setText(words.disk_need_sentence(report, chat) if chat is not None else "")
        self.disk_label.setVisible(chat is not None)


class SuggestionsSection(QGroupBox):
    """One row per use: the tag, its verdict and a Pull button; the reasons wrap below, full width."""

    pull_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Suggested models"), parent)
        self.pull_buttons: dict[str, QPushButton] = {}
        self.details: dict[str, QLabel] = {}
        self.verdicts: dict[str, QLabel] = {}
        self.intro = QLabel()
        self.intro.setObjectName("pullFigures")
        self.intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.grid)

    def show_report(self, report: HardwareReport) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.pull_buttons, self.details, self.verdicts = {}, {}, {}
        intro = self.tr(
            "Each suggestion fits this computer and answers at {0} tokens/s or more, fast enough to read along in a chat."  # noqa: E501
        ).format(words.usable_speed())
        self.intro.setText(words.two_sentences(intro, words.basis_sentence(report)))
        titles = {
            "chat_zh": self.tr("Chinese chat"),
            "chat_en": self.tr("English chat"),
            "code": self.tr("Code"),
            "fast": self.tr("Fast replies"),
            "embedding": self.tr("Embeddings (search, RAG)"),
        }
        chinese = self.locale().name().startswith("zh")
        for index, s in enumerate(report.suggestions):
            row = index * 2
            title = QLabel(titles.get(s.use, s.title))
            title.setFont(QFont(title.font().family(), -1, QFont.Weight.Bold))
            tag = QLabel(s.tag)
            tag.setObjectName("suggestedTag")
            tag.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            tag.setToolTip(s.description_zh if chinese else s.description)
            verdict = QLabel(words.verdict_label(s.verdict, report, s.tag))
            verdict.setWordWrap(True)
            verdict.setToolTip(words.verdict_sentence(s.verdict, s.tag))
            verdict.setStyleSheet(f"color: {words.colour(s.verdict.rating)}")
            verdict.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            button = QPushButton(self.tr("Pull"))
            button.setToolTip(self.tr("Download {0} with the model manager").format(s.tag))
            button.clicked.connect(lambda _checked=False, t=s.tag: self.pull_requested.emit(t))
            on_gpu = s.verdict.kind in (Fit.GPU, Fit.PARTIAL)
            room = s.verdict.gpu_budget if on_gpu else s.verdict.ram_budget
            parts = [
                self.tr("Download {0}; needs {1} of disk and {2} of memory ({3} free for models).").format(
                    format_bytes(s.download_size),
                    format_bytes(required_bytes(s.download_size)),
                    gb(s.verdict.need),
                    gb(room),
                )
            ]
            if s.alternatives:
                parts.append(self.tr("Also good: {0}").format(", ".join(t for t, _v in s.alternatives)))
            if s.slower is not None:
                parts.append(words.slower_sentence(report, s))
            detail = QLabel("\n".join(parts))
            detail.setWordWrap(True)
            detail.setObjectName("pullFigures")
            detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            head = QHBoxLayout()
            head.addWidget(tag)
            head.addWidget(verdict, 1)
            holder = QWidget()
            holder.setLayout(head)
            head.setContentsMargins(0, 0, 0, 0)
            self.grid.addWidget(title, row, 0)
            self.grid.addWidget(holder, row, 1, 1, 2)
            self.grid.addWidget(button, row, 3)
            self.grid.addWidget(detail, row + 1, 0, 1, 4)
            self.pull_buttons[s.use] = button
            self.details[s.use] = detail
            self.verdicts[s.use] = verdict
