"""Saved prompts: system prompts / personas (name, system prompt, model, options) a new
conversation can start from. Kept in the store's settings table (one JSON value, written in
one transaction like every setting), with a few defaults in English and Chinese."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

SETTING_KEY = "prompts.library"
MAX_PROMPTS = 200
MAX_SYSTEM = 20_000


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...


@dataclass(frozen=True)
class Persona:
    name: str
    system: str
    model: str = ""  # "" = whatever model the conversation has
    options: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        return {"name": self.name, "system": self.system, "model": self.model, "options": dict(self.options)}


DEFAULTS: tuple[Persona, ...] = (
    Persona(
        "Translator",
        "You are a translator. Translate the user's text between English and Chinese: Chinese "
        "becomes natural English, anything else becomes natural Simplified Chinese. Keep the "
        "meaning, tone and formatting; reply with the translation only.",
        options={"temperature": 0.2},
    ),
    Persona(
        "Coder",
        "You are a careful senior programmer. Answer with working code first, then a short "
        "explanation. Name the language in every code block, point out edge cases and never "
        "invent APIs; say so when you are unsure.",
        options={"temperature": 0.2},
    ),
    Persona(
        "中文助手",
        "你是一个乐于助人的中文助手。请始终使用简体中文回答，语言自然、简洁、准确；"
        "不确定时请直说，不要编造事实。",
    ),
    Persona(
        "Concise assistant",
        "You are a concise assistant. Answer in as few words as the question allows; use lists "
        "for steps and say when you do not know.",
    ),
)


def _persona(record: Any) -> Persona | None:
    """A stored record, or None for anything damaged (one bad entry never hides the rest)."""
    if not isinstance(record, Mapping):
        return None
    name, system = record.get("name"), record.get("system")
    model, options = record.get("model", ""), record.get("options", {})
    if not isinstance(name, str) or not name.strip() or not isinstance(system, str):
        return None
    return Persona(
        name.strip()[:120],
        system[:MAX_SYSTEM],
        model if isinstance(model, str) else "",
        dict(options) if isinstance(options, Mapping) else {},
    )


class PromptLibrary:
    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    def all(self) -> list[Persona]:
        stored = self._store.get_setting(SETTING_KEY, None)
        if not isinstance(stored, list):
            return list(DEFAULTS)
        return [p for p in (_persona(r) for r in stored[:MAX_PROMPTS]) if p is not None]

    def find(self, name: str) -> Persona | None:
        return next((p for p in self.all() if p.name == name), None)

    def save(self, persona: Persona, *, replacing: str = "") -> None:
        """Add `persona`, or replace the one named `replacing` (or of the same name)."""
        if not persona.name.strip():
            raise ValueError("Give the prompt a name.")
        if not persona.system.strip():
            raise ValueError("Write the system prompt first.")
        old = replacing or persona.name
        kept = [p for p in self.all() if p.name not in (old, persona.name)]
        if len(kept) >= MAX_PROMPTS:
            raise ValueError(f"The library holds at most {MAX_PROMPTS} prompts; delete one first.")
        self._write([*kept, persona])

    def delete(self, name: str) -> None:
        self._write([p for p in self.all() if p.name != name])

    def restore_defaults(self) -> None:
        """The default prompts back (the user's own are kept)."""
        names = {p.name for p in self.all()}
        self._write([*self.all(), *(p for p in DEFAULTS if p.name not in names)])

    def _write(self, personas: Sequence[Persona]) -> None:
        self._store.set_setting(SETTING_KEY, [p.record() for p in personas])
