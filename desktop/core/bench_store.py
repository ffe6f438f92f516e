"""Saved comparisons: one JSON file each under the data folder's bench/ (newest listed first).

Files are the user's (and may be damaged or edited): a file that does not read as a comparison
is skipped when listing, never an error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktop.core.bench import BenchResult

_MAX_FILE_BYTES = 16 * 1024 * 1024


def default_folder() -> Path:
    from desktop.paths import data_dir

    return data_dir() / "bench"


class BenchStore:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()

    def save(self, result: BenchResult) -> Path:
        """Write `result` (atomically: a crash never leaves half a file) and set its id."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not result.id:
            stamp = result.created_at.replace(":", "").replace("-", "").replace("+0000", "Z")
            stem, n = stamp or "bench", 1
            while (self.folder / f"{stem}.json").exists():
                n += 1
                stem = f"{stamp}-{n}"
            result.id = stem
        path = self.folder / f"{result.id}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def load(self, result_id: str) -> BenchResult | None:
        if not result_id or "/" in result_id or "\\" in result_id or result_id.startswith("."):
            return None
        return self._read(self.folder / f"{result_id}.json")

    def list(self) -> list[BenchResult]:
        if not self.folder.is_dir():
            return []
        found = [r for p in self.folder.glob("*.json") if (r := self._read(p)) is not None]
        return sorted(found, key=lambda r: (r.created_at, r.id), reverse=True)

    def delete(self, result_id: str) -> bool:
        if self.load(result_id) is None:
            return False
        (self.folder / f"{result_id}.json").unlink(missing_ok=True)
        return True

    @staticmethod
    def _read(path: Path) -> BenchResult | None:
        try:
            if path.stat().st_size > _MAX_FILE_BYTES:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(data, dict):
            return None
        result = BenchResult.from_dict(data)
        result.id = path.stem
        return result
