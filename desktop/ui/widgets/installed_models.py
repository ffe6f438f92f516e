"""The installed models table, with capability badges and the actions on one model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.ollama.types import ModelInfo
from desktop.core.pulls import format_bytes

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CAPS_ROLE = Qt.ItemDataRole.UserRole + 2

# White text on each, at 4.5:1 or more (tested); the same in light and dark.
BADGE_COLOURS = {
    "completion": "#2f6fde",
    "tools": "#8a4fd3",
    "vision": "#b45309",
    "embedding": "#047857",
    "thinking": "#c2417a",
    "insert": "#6b7280",
}
SHOWN_CAPABILITIES = ("completion", "tools", "vision", "embedding", "thinking")


class InstalledModelsModel(QAbstractTableModel):
    COLUMNS = ("name", "size", "parameters", "quantization", "family", "modified", "capabilities")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._models: list[ModelInfo] = []
        self._titles = (
            self.tr("Name"),
            self.tr("Size"),
            self.tr("Parameters"),
            self.tr("Quantization"),
            self.tr("Family"),
            self.tr("Modified"),
            self.tr("Capabilities"),
        )

    def set_models(self, models: list[ModelInfo]) -> None:
        self.beginResetModel()
        self._models = list(models)
        self.endResetModel()

    def model_at(self, row: int) -> ModelInfo:
        return self._models[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._models)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    # headerData and data return Any as Qt's own signatures do: a QVariant (text, colour, number or None).
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        model = self._models[index.row()]
        column = self.COLUMNS[index.column()]
        d = model.details
        if role == CAPS_ROLE:
            return tuple(c for c in SHOWN_CAPABILITIES if c in model.capabilities)
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return model.name
        if role == Qt.ItemDataRole.ToolTipRole and column == "modified":
            return model.modified_at[:19].replace("T", " ")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "size":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return None
        sort = role == SORT_ROLE
        if column == "name":
            return model.name.lower() if sort else model.name
        if column == "size":
            return model.size if sort else format_bytes(model.size)
        if column == "parameters":
            return _parameter_count(d.parameter_size) if sort else d.parameter_size
        if column == "quantization":
            return d.quantization_level
        if column == "family":
            return d.family
        if column == "modified":
            # The day is what tells models apart; the time is in the tooltip.
            return model.modified_at if sort else model.modified_at[:10]
        if column == "capabilities":
            return " ".join(model.capabilities) if sort else ""
        return None


def _parameter_count(text: str) -> float:
    """'7.6B' -> 7.6e9, '135M' -> 1.35e8, for sorting."""
    scale = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    text = text.strip().upper()
    try:
        if text and text[-1] in scale:
            return float(text[:-1]) * scale[text[-1]]
        return float(text)
    except ValueError:
        return 0.0


class CapabilityBadgeDelegate(QStyledItemDelegate):
    """Draws capabilities as small rounded pills."""

    def __init__(self, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = names

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)
        caps = index.data(CAPS_ROLE) or ()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = option.font
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        rect: QRect = option.rect
        x = rect.left() + 4
        height = metrics.height() + 4
        y = rect.top() + (rect.height() - height) // 2
        for cap in caps:
            label = self.names.get(cap, cap)
            width = metrics.horizontalAdvance(label) + 12
            if x + width > rect.right():
                break
            pill = QRect(x, y, width, height)
            colour = QColor(BADGE_COLOURS.get(cap, "#6b7280"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(pill, height / 2, height / 2)
            painter.setPen(QColor("white"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            x += width + 4
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        caps = index.data(CAPS_ROLE) or ()
        metrics = QFontMetrics(option.font)
        width = sum(metrics.horizontalAdvance(self.names.get(c, c)) + 16 for c in caps) + 8
        return QSize(max(width, 80), metrics.height() + 10)


class InstalledModelsPanel(QWidget):
    """The list plus Details / Copy / Rename / Delete / Import."""

    details_requested = Signal(object)  # ModelInfo
    copy_requested = Signal(object)
    rename_requested = Signal(object)
    delete_requested = Signal(object)
    quantize_requested = Signal(object)  # another quantization of it (#20)
    import_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, capability_labels: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = InstalledModelsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter installed models"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setObjectName("installedTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        # Each column as wide as its contents, the last one taking the rest: on a wide window
        # a stretched name column put the figures a screen's width away from the name.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItemDelegateForColumn(
            InstalledModelsModel.COLUMNS.index("capabilities"),
            CapabilityBadgeDelegate(capability_labels, self.table),
        )
        self.table.doubleClicked.connect(lambda _index: self._emit_for_selected(self.details_requested))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_shortcut.activated.connect(lambda: self._emit_for_selected(self.delete_requested))
        self.empty_label = QLabel(
            self.tr("No models installed yet. Open Downloads to pull one, or import a GGUF file.")
        )
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.details_button = QPushButton(self.tr("Details…"))
        self.copy_button = QPushButton(self.tr("Copy…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.quantize_button = QPushButton(self.tr("Quantize…"))
        self.quantize_button.clicked.connect(lambda: self._emit_for_selected(self.quantize_requested))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("dangerButton")
        self.import_button = QPushButton(self.tr("Import GGUF…"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.details_button.clicked.connect(lambda: self._emit_for_selected(self.details_requested))
        self.copy_button.clicked.connect(lambda: self._emit_for_selected(self.copy_requested))
        self.rename_button.clicked.connect(lambda: self._emit_for_selected(self.rename_requested))
        self.delete_button.clicked.connect(lambda: self._emit_for_selected(self.delete_requested))
        self.import_button.clicked.connect(self.import_requested)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        # A row filtered out or removed leaves the selection without selectionChanged: follow
        # the rows too, or Details/Copy/Rename stay enabled with nothing selected on screen.
        for changed in (self.proxy.rowsRemoved, self.proxy.rowsInserted, self.proxy.modelReset,
                        self.proxy.layoutChanged):
            changed.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        for button in (self.details_button, self.copy_button, self.rename_button, self.quantize_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(actions)
        self._update_buttons()
        self.set_models([])

    def set_models(self, models: list[ModelInfo]) -> None:
        selected = self.selected_model()
        self.table_model.set_models(models)
        self.empty_label.setVisible(not models)
        self.table.setVisible(bool(models))
        if selected is not None:
            self.select(selected.name)
        self._update_buttons()

    def select(self, name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data() == name:
                self.table.selectRow(row)
                return True
        return False

    def selected_model(self) -> ModelInfo | None:
        rows = [r for r in self.table.selectionModel().selectedRows() if r.isValid()]
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.table_model.model_at(source.row())

    def _emit_for_selected(self, signal: SignalInstance) -> None:
        model = self.selected_model()
        if model is not None:
            signal.emit(model)

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        for text, signal in (
            (self.tr("Details…"), self.details_requested),
            (self.tr("Copy…"), self.copy_requested),
            (self.tr("Rename…"), self.rename_requested),
            (self.tr("Quantize…"), self.quantize_requested),
            (self.tr("Delete…"), self.delete_requested),
        ):
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, sig=signal: self._emit_for_selected(sig))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected_model() is not None
        for button in (self.details_button, self.copy_button, self.rename_button, self.delete_button):
            button.setEnabled(has)
        self.quantize_button.setEnabled(has)
