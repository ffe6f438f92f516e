"""Quick Ask on what the user is looking at: what to read, and the prompts built from it. Qt-free.

The popup reads the selected text (X11's PRIMARY selection) or the clipboard once when it
opens, shows it as a quote, and offers one-key actions on it. This module decides which of
the two to read (nothing at all when the user turned it off), cleans what was read (a
clipboard can hold anything: megabytes, NULs, terminal escapes), picks the translation's
direction from the share of CJK characters, and builds the text the model receives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Source = Literal["off", "clipboard", "selection"]

# Long enough for a page of text, short enough for a small model's context and a quick answer.
MAX_QUOTE_CHARS = 8000
# At least this share of CJK among the letters: the text is Chinese (or Japanese), translate to English.
CJK_SHARE_FOR_ENGLISH = 0.3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def source_for(prefill: str, *, has_selection: bool, want_selection: bool = False) -> Source:
    """What to read when Quick Ask opens.

    `prefill` is the setting ("off" | "clipboard" | "selection"); "off" reads nothing, ever,
    whatever else asks. "selection" reads the selection where the platform has one (X11) and
    the clipboard elsewhere (Wayland, Windows, macOS), where copying is how text is picked.
    `want_selection` (`--quick-ask --selection`) asks for the selection even where the
    setting says clipboard.
    """
    if prefill == "off":
        return "off"
    if prefill == "selection" or want_selection:
        return "selection" if has_selection else "clipboard"
    if prefill == "clipboard":
        return "clipboard"
    return "off"


@dataclass(frozen=True)
class Quote:
    text: str
    truncated: bool = False  # cut at MAX_QUOTE_CHARS


def clean_quote(raw: str | None, limit: int = MAX_QUOTE_CHARS) -> Quote | None:
    """The quote to show, or None when nothing useful was read."""
    if not raw:
        return None
    text = _ANSI.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text).replace("\t", "    ")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").strip()
    if not text:
        return None
    if len(text) > limit:
        return Quote(text[:limit].rstrip(), truncated=True)
    return Quote(text)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x20000 <= code <= 0x2FA1F  # extensions B-F, compatibility supplement
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x3040 <= code <= 0x30FF  # kana
        or 0xAC00 <= code <= 0xD7AF  # hangul
    )


def cjk_share(text: str) -> float:
    """CJK characters among the text's units, where a CJK character and a word of another script
    count one each (a Chinese sentence with a command in it is still Chinese)."""
    cjk = sum(1 for ch in text if _is_cjk(ch))
    words = 0
    in_word = False
    for ch in text:
        letter = unicodedata.category(ch).startswith("L") and not _is_cjk(ch)
        if letter and not in_word:
            words += 1
        in_word = letter
    return cjk / (cjk + words) if cjk + words else 0.0


def translation_target(text: str) -> Literal["en", "zh"]:
    return "en" if cjk_share(text) >= CJK_SHARE_FOR_ENGLISH else "zh"


@dataclass(frozen=True)
class Action:
    id: str
    label: str  # English; the UI shows its own translated label for the built-in ones
    template: str  # "{text}" is the quote


class SavedPrompt(Protocol):
    """A prompt from the user's library: its name and its text ("{text}" marks where the quote goes)."""

    @property
    def name(self) -> str: ...
    @property
    def text(self) -> str: ...


BUILTIN_IDS = ("translate", "explain", "summarize", "fix_grammar")

_TRANSLATE = {
    "zh": "Translate the following text into Simplified Chinese. Reply with the translation only.",
    "en": "Translate the following text into English. Reply with the translation only.",
}
_TEMPLATES = {
    "explain": "Explain the following text in plain words{lang}.",
    "summarize": "Summarize the following text in a few sentences{lang}.",
    "fix_grammar": ("Fix the grammar and spelling of the following text, keeping its language, meaning and "
                    "tone. Reply with the corrected text only."),
}


def _reply_language(ui_language: str) -> str:
    return ", in Simplified Chinese" if ui_language.startswith("zh") else ""


def builtin_instruction(action_id: str, quote: str, ui_language: str = "en") -> str:
    """The instruction of a built-in action; Explain and Summarize answer in the UI's language."""
    if action_id == "translate":
        return _TRANSLATE[translation_target(quote)]
    template = _TEMPLATES.get(action_id)
    if template is None:
        raise KeyError(action_id)
    return template.format(lang=_reply_language(ui_language))


def quoted(text: str) -> str:
    """The quote fenced so the model cannot mistake text in it for instructions around it."""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"


def build_prompt(quote: str | None, question: str = "", *, action: str | None = None,
                 saved: SavedPrompt | None = None, ui_language: str = "en") -> str:
    """What the model receives: the instruction (an action, a saved prompt, the typed question) and the quote.

    Without a quote this is the typed question alone, as Quick Ask always sent.
    """
    question = question.strip()
    if not quote:
        if saved is not None:
            return saved.text.replace("{text}", "").strip() + (f"\n\n{question}" if question else "")
        return question
    if saved is not None:
        body = saved.text
        if "{text}" in body:
            prompt = body.replace("{text}", quoted(quote))
        else:
            prompt = f"{body.strip()}\n\n{quoted(quote)}"
    elif action is not None:
        prompt = f"{builtin_instruction(action, quote, ui_language)}\n\n{quoted(quote)}"
    else:
        prompt = quoted(quote)
    if question:
        prompt = f"{prompt}\n\n{question}"
    return prompt


def title_for(quote: str | None, question: str = "", *, label: str = "") -> str:
    """A conversation title a person recognises: the action or the question, then the quote's start."""
    head = label or question.strip()
    first = (quote or "").strip().split("\n", 1)[0]
    if head and first:
        return f"{head}: {first}"
    return head or first


def saved_prompt_names(prompts: Sequence[SavedPrompt]) -> list[str]:
    return [p.name for p in prompts if p.name.strip() and p.text.strip()]
