"""The Quick Ask popup: a frameless window that asks the default model one question.

Renders only; QuickAskController owns the request. Enter asks, Shift+Enter starts a new
line, Ctrl+Enter continues in the main window, Esc stops and hides. The answer goes
through the app's one safe Markdown renderer, re-rendered at most ~30 times a second.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCursor,
    QDesktopServices,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.core.messages import Status
from desktop.ui import markdown
from desktop.ui.controllers.quick_ask_controller import QuickAskController
from desktop.ui.quick_ask_parts import AnswerBrowser, QuestionEdit, render_answer
from desktop.ui.quick_ask_quote import QuoteBar, put_back, read_quote
from desktop.ui.quick_ask_servers import ServerPicker
from desktop.ui.quick_ask_shot import ShotControl
from desktop.ui.quick_ask_thought import AnswerNotice, show_finished_thought
from desktop.ui.widgets.thinking_block import ThinkingBlock

WIDTH = 680
RENDER_INTERVAL_MS = 33

STYLE = """
#QuickAskFrame { background: palette(base); border: 1px solid palette(mid); border-radius: 10px; }
#QuickAskTitle { font-weight: 600; color: palette(text); }
#QuickAskModel { color: palette(highlighted-text); background: palette(highlight);
                 border-radius: 8px; padding: 1px 8px; }
#QuickAskInput { border: none; background: transparent; font-size: 15pt; }
#QuickAskAnswer { border: none; background: transparent; font-size: 11pt; }
#QuickAskRule { color: palette(mid); }
#QuickAskHint { color: palette(placeholder-text); }
"""


class QuickAskWindow(QWidget):
    hidden = Signal()

    def __init__(self, controller: QuickAskController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.controller = controller
        self.prefill_mode = "off"
        self.setWindowTitle(self.tr("Quick Ask"))
        self.setObjectName("QuickAskWindow")
        self._restyling = False
        self.setStyleSheet(STYLE)
        self.setFixedWidth(WIDTH)

        frame = QFrame(self)
        frame.setObjectName("QuickAskFrame")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)

        header = QHBoxLayout()
        header.setSpacing(8)
        glyph = QLabel()
        glyph.setPixmap(QIcon(str(paths.resource_path("icons", "ollama-desk.svg"))).pixmap(18, 18))
        header.addWidget(glyph)
        self._title = QLabel(self.tr("Quick Ask"))
        self._title.setObjectName("QuickAskTitle")
        self._model = QLabel()
        self._model.setObjectName("QuickAskModel")
        header.addWidget(self._title)
        header.addStretch(1)
        self.shot = ShotControl(self)  # the screenshot region, where the model sees images
        header.addWidget(self.shot.button)
        header.addWidget(self._model)
        self.server_picker = ServerPicker(self, label=self._model)  # stands in for it once servers are saved
        header.addWidget(self.server_picker)
        layout.addLayout(header)

        self.quote_bar = QuoteBar(self)
        self.quote_bar.action_requested.connect(self.run_action)
        self.quote_bar.saved_prompt_requested.connect(self.run_saved_prompt)
        layout.addWidget(self.quote_bar)
        layout.addWidget(self.shot)

        self.input: QuestionEdit = QuestionEdit()
        self.quote_bar.removed.connect(lambda: self.input.setFocus(Qt.FocusReason.OtherFocusReason))
        self.input.setObjectName("QuickAskInput")
        self.input.setPlaceholderText(self.tr("Ask anything…"))
        self.input.setTabChangesFocus(True)
        # Up to four lines the box grows to fit, so a scroll bar (arrows beside one line of
        # text) would only say "there is more" when there is not.
        self.input.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.input.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.input.setFixedHeight(self._input_height(1))
        self.input.textChanged.connect(self._on_input_text_changed)
        self.input.submitted.connect(self.ask)
        self.input.continue_requested.connect(self.continue_in_main_window)
        layout.addWidget(self.input)

        self._rule = QFrame()
        self._rule.setObjectName("QuickAskRule")
        self._rule.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(self._rule)

        self.thinking = ThinkingBlock()  # a reasoning model's thought, folded above the answer
        layout.addWidget(self.thinking)
        self.answer_view = AnswerBrowser()
        self.answer_view.setObjectName("QuickAskAnswer")
        self.answer_view.highlighted.connect(self._on_answer_link_hovered)
        self.answer_view.link_requested.connect(self._on_answer_link_requested)
        self.answer_view.copy_code_requested.connect(self._on_answer_copy_code_requested)
        self.answer_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.answer_view)
        self.notice = AnswerNotice()  # an answer that is only thinking, or nothing: what now
        self.notice.retry_requested.connect(lambda think_off: self.controller.retry(think_off))
        layout.addWidget(self.notice)

        footer = QHBoxLayout()
        self.hint = QLabel()
        self.hint.setObjectName("QuickAskHint")
        self.hint.setWordWrap(True)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.copy_button = QPushButton(self.tr("Copy answer"))
        self.replace_button = QPushButton(self.tr("Replace"))
        self.replace_button.setToolTip(
            self.tr("Put the answer on the clipboard (and the selection) to paste it over the original"))
        self.continue_button = QPushButton(self.tr("Continue in main window"))
        self.continue_button.setToolTip(self.tr("Continue this exchange in the main window (Ctrl+Enter)"))
        for button in (self.stop_button, self.copy_button, self.replace_button, self.continue_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(False)
        footer.addWidget(self.hint, 1)
        footer.addWidget(self.stop_button)
        footer.addWidget(self.copy_button)
        footer.addWidget(self.replace_button)
        footer.addWidget(self.continue_button)
        layout.addLayout(footer)

        self.stop_button.clicked.connect(controller.stop)
        self.copy_button.clicked.connect(self.copy_answer)
        self.replace_button.clicked.connect(self.replace_selection)
        self.continue_button.clicked.connect(self.continue_in_main_window)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.continue_in_main_window,
                      context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.dismiss,
                  context=Qt.ShortcutContext.WindowShortcut)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self._render)

        controller.answer_started.connect(self._on_controller_answer_started)
        controller.answer_delta.connect(self._on_controller_answer_delta)
        controller.thinking_delta.connect(self.thinking.append)
        controller.answer_finished.connect(self._on_controller_answer_finished)
        controller.ask_refused.connect(self._on_controller_ask_refused)
        controller.busy_changed.connect(self._update_buttons)
        self._clear_answer()
        self._update_buttons()

    # ------------------------------------------------------------------ requests
    def open(self, text: str | None = None, *, ask: bool = False, selection: bool = False) -> None:
        """Show centred with focus in the input; with text, put it there; else quote the selection
        (as the prefill setting says; `selection`: `--quick-ask --selection`)."""
        if text is None and not self.controller.busy:
            self.quote_bar.set_quote(read_quote(self.prefill_mode, want_selection=selection))
            self.shot.clear()
        elif text:
            self.quote_bar.set_quote(None)
        if text:
            self.input.setPlainText(text)
        self._model.setText(self.controller.default_model or self.tr("no model"))
        self._place()
        self.show()
        self.raise_()
        self.activateWindow()
        self.input.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.input.selectAll()
        if ask and text:
            self.ask()

    def toggle(self) -> None:
        if self.isVisible() and self.isActiveWindow():
            self.dismiss()
        else:
            self.open()

    def ask(self) -> None:
        question = self.input.toPlainText()
        if self.quote_bar.quote is not None and not question.strip():
            self.hint.setText(self.tr("Type a question about the quote, or choose an action."))
            return
        self._ask(self.quote_bar.request(question))

    def run_action(self, action_id: str) -> None:
        """A one-key action on the quote (Alt+1..4); a typed question goes with it."""
        self._ask(self.quote_bar.request(self.input.toPlainText(), action=action_id))

    def run_saved_prompt(self, index: int) -> None:
        self._ask(self.quote_bar.request(self.input.toPlainText(), saved=index))

    def _ask(self, request: tuple[str, str] | None) -> None:
        if request is not None:
            self.controller.ask(request[0], title=request[1], images=self.shot.images())

    def dismiss(self) -> None:
        self.controller.stop()
        self.hide()

    def copy_answer(self) -> None:
        if self.controller.answer:
            QGuiApplication.clipboard().setText(self.controller.answer)
            self.hint.setText(self.tr("Answer copied."))

    def replace_selection(self) -> None:
        if self.controller.answer:
            put_back(self.controller.answer)
            self.hint.setText(self.tr("The answer is on the clipboard: paste it over the original."))

    def continue_in_main_window(self) -> None:
        draft, title = self.quote_bar.request(self.input.toPlainText()) or ("", "")
        if self.controller.continue_in_main_window(draft, title=title, images=self.shot.images()):
            self.hide()

    # ------------------------------------------------------------------ Qt events
    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        self.hidden.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange and not self._restyling:
            # palette(...) in a style sheet is read when the sheet is set: set it again, or the
            # popup keeps the colours of the theme it was built under.
            self._restyling = True
            self.setStyleSheet("")
            self.setStyleSheet(STYLE)
            self._restyling = False
            if self.controller.answer:
                self._render()

    # ------------------------------------------------------------------ controller
    def _on_controller_answer_started(self, model: str) -> None:
        self._model.setText(model)
        self._clear_answer()
        self.answer_view.show()
        self._rule.show()
        self.hint.setText(self.tr("Answering…  Esc stops."))
        self._render()

    def _on_controller_answer_delta(self, text: str) -> None:
        if len(text) == len(self.controller.answer):
            self.thinking.answer_started()  # the first words: the thought is over
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _on_controller_answer_finished(self, status: str, message: str) -> None:
        self._render_timer.stop()
        c = self.controller
        show_finished_thought(self.thinking, c.thinking, c.thinking_seconds, c.answer)
        # Nothing to read: the notice says why instead of an empty box.
        self.answer_view.setVisible(not self.notice.show_for(status, c.answer, c.thinking))
        self._render()
        metrics = self.controller.metrics
        if status == Status.COMPLETE:
            if metrics is not None and metrics.tokens_per_second:
                self.hint.setText(self.tr("Done · {0:.1f} tokens/s").format(metrics.tokens_per_second))
            else:
                self.hint.setText(self.tr("Done"))
        elif status == Status.STOPPED:
            self.hint.setText(self.tr("Stopped."))
        else:
            self.hint.setText(message or self.tr("The answer failed."))
        self._update_buttons()

    def _on_answer_link_hovered(self, url: QUrl) -> None:
        # Links open only after the user has seen where they lead.
        if not url.isEmpty():
            self.hint.setText(url.toDisplayString())

    def _on_answer_link_requested(self, url: QUrl) -> None:
        # The popup stays on top: ask here, where the user is looking, before a browser opens.
        question = self.tr("Open this address in your browser?\n\n{0}").format(url.toString())
        answer = QMessageBox.question(self, self.tr("Open link"), question)
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)

    def _on_answer_copy_code_requested(self, index: int) -> None:
        blocks = markdown.code_blocks(self.controller.answer)
        if 0 <= index < len(blocks):
            QGuiApplication.clipboard().setText(blocks[index])
            self.hint.setText(self.tr("Code copied."))

    def _on_controller_ask_refused(self, message: str) -> None:
        self.hint.setText(message)

    # ------------------------------------------------------------------ rendering
    def _render(self) -> None:
        text = self.controller.answer
        bar = self.answer_view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.answer_view.setHtml(render_answer(text, dark=dark, copy_label=self.tr("Copy")) if text else "")
        self._fit_answer()
        if at_bottom:
            bar.setValue(bar.maximum())

    def _fit_answer(self) -> None:
        doc = self.answer_view.document()
        doc.setTextWidth(self.answer_view.viewport().width() or WIDTH - 40)
        wanted = int(doc.size().height()) + 8
        screen = self.screen().availableGeometry() if self.screen() else None
        limit = int(screen.height() * 0.6) if screen else 480
        self.answer_view.setFixedHeight(max(48, min(wanted, limit)))
        self.adjustSize()
        if screen is not None and self.geometry().bottom() > screen.bottom():
            self.move(self.x(), max(screen.top(), screen.bottom() - self.height()))

    def _clear_answer(self) -> None:
        self.answer_view.clear()
        show_finished_thought(self.thinking, "", 0.0, "")
        self.notice.hide()
        has_answer = bool(self.controller.answer) or self.controller.busy
        self.answer_view.setVisible(has_answer)
        self._rule.setVisible(has_answer)
        if not has_answer:
            self.hint.setText(
                self.tr("Enter asks · Shift+Enter new line · Ctrl+Enter main window · Esc closes"))
        self.adjustSize()

    def _update_buttons(self, *_: object) -> None:
        busy = self.controller.busy
        self.stop_button.setVisible(busy)
        self.copy_button.setEnabled(bool(self.controller.answer) and not busy)
        self.copy_button.setVisible(bool(self.controller.answer) or busy)
        self.replace_button.setEnabled(bool(self.controller.answer) and not busy)
        self.replace_button.setVisible(bool(self.controller.answer) or busy)

    def _on_input_text_changed(self) -> None:
        layout = self.input.document().documentLayout()
        lines = max(1, round(layout.documentSize().height()))  # wrapped lines, not paragraphs
        shown = min(4, lines)
        self.input.setFixedHeight(self._input_height(shown))
        self.input.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if lines > shown else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.adjustSize()

    def _input_height(self, lines: int) -> int:
        metrics = self.input.fontMetrics()
        return int(metrics.lineSpacing() * lines + 2 * self.input.document().documentMargin() + 6)

    def _place(self) -> None:
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is None:
            return
        self.adjustSize()
        area = screen.availableGeometry()
        x = area.x() + (area.width() - self.width()) // 2
        # Centred, with room to grow downwards as the answer streams in.
        y = area.y() + max(0, (area.height() - self.height()) // 2 - area.height() // 6)
        self.move(x, y)
