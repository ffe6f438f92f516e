"""Full-text search over titles and message text (FTS5; LIKE where FTS cannot match)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.documents.terms import index_text, match_all
from desktop.core.store.database import Database
from desktop.core.store.errors import (
    DB_ERRORS,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    translated,
)
from desktop.core.store.rows import as_text
from desktop.core.store.schema import CJK_INDEXES

# Han, kana, hangul and CJK punctuation: scripts that unicode61 does not split into words.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    message_id: int  # 0 when the conversation's title matched
    title: str
    snippet: str


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(term: str) -> str:
    # Inside double quotes FTS5 treats everything (AND, *, NEAR, :, ^) as text; a quote
    # is written twice.
    return '"' + term.replace('"', '""') + '"'


def snippet(content: str, terms: Sequence[str], width: int = 120) -> str:
    flat = " ".join(content.split())
    start = 0
    for term in terms:
        found = re.search(re.escape(term), flat, re.IGNORECASE)
        if found:
            start = max(0, found.start() - width // 3)
            break
    piece = flat[start : start + width]
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(flat) else "")


class SearchMixin(Database):
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Conversations whose title, and messages whose text, contain every word of `query`.

        Any text is accepted (quotes, `*`, `AND`, Chinese): it is matched as plain text,
        never parsed as FTS5 syntax, and never raises.
        """
        terms = query.replace("\x00", " ").split()
        if not terms or limit <= 0:
            return []
        try:
            if any(_CJK.search(t) for t in terms):
                try:
                    self._index_pending()
                except (DatabaseReadOnly, DiskFull, DatabaseLocked):
                    pass  # search what is indexed; the queue is indexed by a later search
            return self._search(terms, limit, use_fts=True)
        except sqlite3.OperationalError:
            try:
                return self._search(terms, limit, use_fts=False)
            except DB_ERRORS as err:
                raise translated(err, self.path) from err
        except DB_ERRORS as err:
            raise translated(err, self.path) from err

    def _index_pending(self) -> None:
        """Bring the CJK index up to date with the texts written since the last search."""
        with self._write() as conn:
            for table, source, column in CJK_INDEXES:
                rows = conn.execute(
                    f"SELECT s.id, s.{column} FROM search_pending q JOIN {source} s ON s.id = q.id"
                    " WHERE q.source = ?",
                    (source,),
                ).fetchall()
                for row_id, text in rows:
                    conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (row_id,))
                    terms = index_text(text if isinstance(text, str) else "")
                    conn.execute(f"INSERT INTO {table}(rowid, terms) VALUES (?, ?)", (row_id, terms))
                conn.execute("DELETE FROM search_pending WHERE source = ?", (source,))

    def _split_terms(self, terms: Sequence[str], use_fts: bool) -> tuple[list[str], list[str], list[str]]:
        """(FTS terms, CJK-index terms, LIKE terms)."""
        fts: list[str] = []
        cjk: list[str] = []
        like: list[str] = []
        for term in terms:
            if not use_fts:
                like.append(term)
            elif _CJK.search(term) and match_all(term):
                # Single characters + bigrams (schema v8) match Chinese of any length.
                cjk.append(term)
            elif self._tokenizer == "trigram":
                # A trigram index cannot match fewer than three characters.
                (fts if len(term) >= 3 else like).append(term)
            else:
                fts.append(term)
        return fts, cjk, like

    def _search(self, terms: Sequence[str], limit: int, *, use_fts: bool) -> list[SearchHit]:
        fts_terms, cjk_terms, like_terms = self._split_terms(terms, use_fts)
        prefix = "*" if self._tokenizer != "trigram" else ""
        match = " ".join(fts_phrase(t) + prefix for t in fts_terms)
        cjk_match = " ".join(match_all(t) for t in cjk_terms)

        def where(table: str, cjk_table: str | None, column: str, alias: str) -> tuple[str, list[Any]]:
            clauses: list[str] = []
            params: list[Any] = []
            if match:
                clauses.append(f"{alias}.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")
                params.append(match)
            if cjk_match and cjk_table:
                clauses.append(f"{alias}.id IN (SELECT rowid FROM {cjk_table} WHERE {cjk_table} MATCH ?)")
                params.append(cjk_match)
            # Titles are short and few: their Chinese is matched with LIKE.
            for term in like_terms + ([] if cjk_table else cjk_terms):
                clauses.append(f"{alias}.{column} LIKE ? ESCAPE '\\'")
                params.append(like_pattern(term))
            return " AND ".join(clauses), params

        title_where, title_params = where("conversations_fts", None, "title", "c")
        title_rows = self._query_raw(
            f"SELECT c.id, c.title FROM conversations c WHERE {title_where}"
            " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
            (*title_params, limit),
        )
        hits = [SearchHit(int(r[0]), 0, as_text(r[1]), as_text(r[1])) for r in title_rows]
        if len(hits) >= limit:
            return hits
        message_where, message_params = where("messages_fts", "messages_cjk", "content", "m")
        message_rows = self._query_raw(
            "SELECT m.conversation_id, m.id, c.title, m.content FROM messages m"
            f" JOIN conversations c ON c.id = m.conversation_id WHERE {message_where}"
            " ORDER BY c.updated_at DESC, m.id DESC LIMIT ?",
            (*message_params, limit - len(hits)),
        )
        for r in message_rows:
            hits.append(SearchHit(int(r[0]), int(r[1]), as_text(r[2]), snippet(as_text(r[3]), terms)))
        if len(hits) >= limit:
            return hits
        # Thinking, tool calls and results, citations: a match there finds its message.
        seen = {h.message_id for h in hits}
        part_where, part_params = where("parts_fts", "parts_cjk", "text", "p")
        part_rows = self._query_raw(
            "SELECT m.conversation_id, m.id, c.title, p.text FROM message_parts p"
            " JOIN messages m ON m.id = p.message_id JOIN conversations c ON c.id = m.conversation_id"
            f" WHERE {part_where} ORDER BY c.updated_at DESC, m.id DESC, p.position LIMIT ?",
            (*part_params, limit),
        )
        for r in part_rows:
            if int(r[1]) not in seen and len(hits) < limit:
                seen.add(int(r[1]))
                hits.append(SearchHit(int(r[0]), int(r[1]), as_text(r[2]), snippet(as_text(r[3]), terms)))
        return hits
