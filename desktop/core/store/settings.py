"""Settings: JSON values under string keys (desktop.core.settings types them)."""

from __future__ import annotations

import json
from typing import Any

from desktop.core.store.database import Database
from desktop.core.store.rows import dumps


class SettingsMixin(Database):
    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except (ValueError, TypeError):
            return default

    def set_setting(self, key: str, value: Any) -> None:
        encoded = dumps(value)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, encoded),
            )
