"""The pulls to resume after a restart: a small JSON file under the data folder.

Written by atomic replace (a temporary file, fsync, rename), so a kill never leaves half a
file; an unreadable file is ignored with a warning, never a crash. PullQueue keeps it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The queue's logger, as before this file was split from it: log filters keep working.
log = logging.getLogger("desktop.core.pull_queue")


@dataclass(frozen=True)
class PendingPull:
    model: str
    expected_total: int = 0
    added_at: float = 0.0
    insecure: bool = False  # a plain-HTTP registry the user named with http://
    failed: str = ""  # the error it failed with (not resumed at start-up); "" while it is wanted


class PendingStore:
    """The list of pulls to resume, as JSON under the data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[PendingPull]:
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as err:
            log.warning("ignoring unreadable pull list %s: %s", self.path, err)
            return []
        items = data.get("pulls", []) if isinstance(data, dict) else []
        pending: list[PendingPull] = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("model"), str) and item["model"]:
                pending.append(
                    PendingPull(
                        item["model"],
                        int(item.get("expected_total") or 0),
                        float(item.get("added_at") or 0.0),
                        item.get("insecure") is True,
                        str(item.get("failed") or ""),
                    )
                )
        return pending

    def save(self, pulls: list[PendingPull]) -> None:
        payload = {
            "version": 1,
            "pulls": [
                {
                    "model": p.model,
                    "expected_total": p.expected_total,
                    "added_at": p.added_at,
                    "insecure": p.insecure,
                    "failed": p.failed,
                }
                for p in pulls
            ],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pulls-", suffix=".json", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
