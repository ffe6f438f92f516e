"""The quote above Quick Ask's input: the selected text, removable, with one-key actions on it.

QuoteBar renders and reports; the popup builds the prompt (desktop.core.quick_prompts) and
asks. Reading the selection lives here too, so the popup's own module stays small.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QClipboard, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from desktop.core import quick_prompts
from desktop.core.prompts_library import PromptLibrary, SettingsStore
from desktop.core.quick_prompts import Quote, SavedPrompt

log = logging.getLogger(__name__)

QUOTE_LINES = 3
MAX_SAVED_SHOWN = 4  # Alt+5 .. Alt+8, one row

STYLE = """
#QuickAskQuote { border-left: 3px solid palette(highlight); background: palette(alternate-base);
                 border-radius: 4px; }
#QuickAskQuoteText { color: palette(text); }
#QuickAskQuoteNote { color: palette(placeholder-text); }
"""


def read_quote(prefill: str, *, want_selection: bool = False) -> Quote | None:
    """The text to quote, read once as the popup opens; nothing is read when `prefill` is "off"."""
    clipboard = QGuiApplication.clipboard()
    source = quick_prompts.source_for(prefill, has_selection=clipboard.supportsSelection(),
                                      want_selection=want_selection)
    if source == "off":
        return None
    mode = QClipboard.Mode.Selection if source == "selection" else QClipboard.Mode.Clipboard
    return quick_prompts.clean_quote(clipboard.text(mode))


def put_back(text: str) -> None:
    """The answer where a paste finds it: the clipboard, and on X11 the selection (middle click) too."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text, QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.setText(text, QClipboard.Mode.Selection)


@dataclass(frozen=True)
class _LibraryPrompt:
    name: str
    text: str


def library_prompts(store: SettingsStore | None) -> list[SavedPrompt]:
    """The saved prompts of the prompts library (desktop.core.prompts_library), as quote actions.

    A persona's system prompt goes before the quote; a damaged library offers none.
    """
    if store is None:
        return []
    try:
        personas = PromptLibrary(store).all()
    except Exception:  # noqa: BLE001 - the popup opens whatever the library holds
        log.warning("could not read the prompts library", exc_info=True)
        return []
    return [_LibraryPrompt(p.name, p.system) for p in personas if p.name.strip() and p.system.strip()]


class QuoteBar(QFrame):
    action_requested = Signal(str)  # a built-in action id (quick_prompts.BUILTIN_IDS)
    saved_prompt_requested = Signal(int)  # index into the saved prompts given
    removed = Signal()

    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QuickAskQuote")
        self.setStyleSheet(STYLE)
        self.quote: Quote | None = None
        self._saved: list[SavedPrompt] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(6)

        top = QHBoxLayout()
        self.text_label = QLabel()
        self.text_label.setObjectName("QuickAskQuoteText")
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)  # the selection is never markup
        self.text_label.setWordWrap(True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text_label, 1)
        self.remove_button = QToolButton()
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove the quote"))
        self.remove_button.setAccessibleName(self.tr("Remove the quote"))
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.remove_button.clicked.connect(self.remove)
        top.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.note = QLabel()
        self.note.setObjectName("QuickAskQuoteNote")
        layout.addWidget(self.note)

        self._actions_row = QHBoxLayout()
        self._actions_row.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        for index, action_id in enumerate(quick_prompts.BUILTIN_IDS, start=1):
            button = self._button(index)
            button.clicked.connect(lambda _=False, a=action_id: self.action_requested.emit(a))
            self.buttons[action_id] = button
        self._actions_row.addStretch(1)
        layout.addLayout(self._actions_row)
        # The user's own prompts on a row of their own: eight buttons do not fit in one.
        self._actions_row = QHBoxLayout()
        self._actions_row.setSpacing(6)
        self.saved_buttons: list[QPushButton] = []
        for slot in range(MAX_SAVED_SHOWN):
            button = self._button(len(quick_prompts.BUILTIN_IDS) + slot + 1)
            button.clicked.connect(lambda _=False, i=slot: self.saved_prompt_requested.emit(i))
            button.hide()
            self.saved_buttons.append(button)
        self._actions_row.addStretch(1)
        layout.addLayout(self._actions_row)

        # Window-wide so Alt+1 works while the cursor is in the question box.
        self._shortcuts: list[QShortcut] = []
        for index, button in enumerate([*self.buttons.values(), *self.saved_buttons], start=1):
            shortcut = QShortcut(QKeySequence(f"Alt+{index}"), window, button.click,
                                 context=Qt.ShortcutContext.WindowShortcut)
            self._shortcuts.append(shortcut)
        self.set_quote(None)

    def _button(self, index: int) -> QPushButton:
        button = QPushButton()
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setAutoDefault(False)
        button.setProperty("shortcut_index", index)
        self._actions_row.addWidget(button)
        return button

    # ------------------------------------------------------------------ state
    def set_quote(self, quote: Quote | None) -> None:
        self.quote = quote
        # The shortcuts stay on without a quote and do nothing, so Alt+1 never types a "1".
        self.setVisible(quote is not None)
        if quote is None:
            self.text_label.clear()
            self.note.hide()
            return
        self.text_label.setText(self._elided(quote.text))
        self.text_label.setToolTip(quote.text[:2000])
        if quote.truncated:
            self.note.setText(self.tr("Only the first {0} characters are sent.").format(
                quick_prompts.MAX_QUOTE_CHARS))
        self.note.setVisible(quote.truncated)
        self._label_buttons()

    def set_saved_prompts(self, prompts: Sequence[SavedPrompt]) -> None:
        """The user's own prompts from the library; the first four get buttons and Alt+5..8."""
        self._saved = [p for p in prompts if p.name.strip() and p.text.strip()][:MAX_SAVED_SHOWN]
        self._label_buttons()

    def saved_prompt(self, index: int) -> SavedPrompt | None:
        return self._saved[index] if 0 <= index < len(self._saved) else None

    def request(self, question: str, *, action: str | None = None,
                saved: int | None = None) -> tuple[str, str] | None:
        """(what the model receives, the conversation's title); None for an action without a quote."""
        quote = self.quote.text if self.quote else None
        if quote is None:
            return None if action is not None or saved is not None else (question, "")
        if saved is not None:
            prompt = self.saved_prompt(saved)
            if prompt is None:
                return None
            return (quick_prompts.build_prompt(quote, question, saved=prompt),
                    quick_prompts.title_for(quote, label=prompt.name))
        if action is not None:
            return (quick_prompts.build_prompt(quote, question, action=action, ui_language=QLocale().name()),
                    quick_prompts.title_for(quote, label=self.label(action)))
        return quick_prompts.build_prompt(quote, question), quick_prompts.title_for(quote, question)

    def remove(self) -> None:
        self.set_quote(None)
        self.removed.emit()

    def label(self, action_id: str) -> str:
        """The action's name as shown (without its key), also used in the conversation's title."""
        if action_id == "translate":
            target = quick_prompts.translation_target(self.quote.text if self.quote else "")
            return self.tr("Translate to English") if target == "en" else self.tr("Translate to Chinese")
        return {"explain": self.tr("Explain"), "summarize": self.tr("Summarize"),
                "fix_grammar": self.tr("Fix grammar")}[action_id]

    def _label_buttons(self) -> None:
        for action_id, button in self.buttons.items():
            self._set_button_text(button, self.label(action_id))
        for slot, button in enumerate(self.saved_buttons):
            prompt = self.saved_prompt(slot)
            button.setVisible(prompt is not None)
            if prompt is not None:
                self._set_button_text(button, prompt.name.strip()[:24])

    def _set_button_text(self, button: QPushButton, name: str) -> None:
        keys = QKeySequence(f"Alt+{button.property('shortcut_index')}").toString(
            QKeySequence.SequenceFormat.NativeText)
        button.setText(self.tr("{0}  {1}").format(name, keys))
        button.setToolTip(self.tr("{0} ({1})").format(name, keys))
        button.setAccessibleName(name)

    def _elided(self, text: str) -> str:
        lines = text.split("\n")
        shown = lines[:QUOTE_LINES]
        metrics = self.text_label.fontMetrics()
        width = max(200, (self.width() or 600) - 60) * 2  # two visual lines per paragraph at most
        shown = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in shown]
        if len(lines) > QUOTE_LINES:
            shown[-1] = shown[-1].rstrip() + " …"
        return "\n".join(shown)
