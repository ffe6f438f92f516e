"""The schema of the conversation store, as an ordered list of migrations.

Migration N takes a database at `PRAGMA user_version` N-1 to N. Each one runs inside
the caller's transaction together with the user_version bump, so a failure leaves the
database at the previous version (and a backup was taken before the first one ran).
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable

from desktop.core.documents.terms import index_text

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the current transaction.

    `executescript` would COMMIT first, which would split a migration from its
    user_version bump; triggers contain `;`, hence complete_statement.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending.strip()[:80]}")


def fts_tokenizer(conn: sqlite3.Connection) -> str:
    """`trigram` where this SQLite has it (3.34+), else `unicode61`.

    unicode61 does not segment Chinese (a whole run of CJK text becomes one token), so
    with it the store answers CJK queries with LIKE instead; trigram matches any
    substring of three or more characters in any script.
    """
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.probe_trigram USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return "unicode61"
    conn.execute("DROP TABLE temp.probe_trigram")
    return "trigram"


def _v1_tables(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            system TEXT NOT NULL DEFAULT '',
            options TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'complete',
            model TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            metrics TEXT NOT NULL DEFAULT '{}',
            error TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    )


def _v2_conversation_uuid(conn: sqlite3.Connection) -> None:
    # A stable identity that survives export/import, so importing the same file twice
    # does not duplicate conversations.
    conn.execute("ALTER TABLE conversations ADD COLUMN uuid TEXT")
    ids = [row[0] for row in conn.execute("SELECT id FROM conversations")]
    conn.executemany("UPDATE conversations SET uuid = ? WHERE id = ?", [(str(uuid.uuid4()), i) for i in ids])
    conn.execute("CREATE UNIQUE INDEX conversations_by_uuid ON conversations(uuid)")


def _v3_full_text_search(conn: sqlite3.Connection) -> None:
    tokenizer = fts_tokenizer(conn)
    # External-content tables: the text lives once, in messages/conversations; the
    # triggers keep the index in step inside the same transaction as every write.
    run_script(
        conn,
        f"""
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            content, content='messages', content_rowid='id', tokenize='{tokenizer}');
        CREATE VIRTUAL TABLE conversations_fts USING fts5(
            title, content='conversations', content_rowid='id', tokenize='{tokenizer}');
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
            INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
            INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
            INSERT INTO conversations_fts(conversations_fts, rowid, title)
                VALUES ('delete', old.id, old.title);
        END;
        CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
            INSERT INTO conversations_fts(conversations_fts, rowid, title)
                VALUES ('delete', old.id, old.title);
            INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
        END;
        INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
        INSERT INTO conversations_fts(conversations_fts) VALUES ('rebuild');
        """,
    )


def _existing_tokenizer(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
    return "trigram" if row and "trigram" in str(row[0]) else "unicode61"


def _v4_versions_and_parts(conn: sqlite3.Connection) -> None:
    # Versions: a message's siblings (same parent) are its versions; `active` marks the
    # one shown. Until now a conversation was one line, so each message's parent is the
    # message before it and every message is active.
    tokenizer = _existing_tokenizer(conn)
    run_script(
        conn,
        f"""
        ALTER TABLE messages ADD COLUMN parent_id INTEGER;
        ALTER TABLE messages ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
        UPDATE messages SET parent_id = (
            SELECT max(p.id) FROM messages p
            WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id);
        CREATE INDEX messages_by_parent ON messages(conversation_id, parent_id);
        CREATE TABLE message_parts (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL DEFAULT '{{}}',
            blob BLOB,
            UNIQUE (message_id, position)
        );
        CREATE VIRTUAL TABLE parts_fts USING fts5(
            text, content='message_parts', content_rowid='id', tokenize='{tokenizer}');
        CREATE TRIGGER parts_fts_insert AFTER INSERT ON message_parts BEGIN
            INSERT INTO parts_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER parts_fts_delete AFTER DELETE ON message_parts BEGIN
            INSERT INTO parts_fts(parts_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER parts_fts_update AFTER UPDATE OF text ON message_parts BEGIN
            INSERT INTO parts_fts(parts_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO parts_fts(rowid, text) VALUES (new.id, new.text);
        END;
        """,
    )


def _v5_thread_flags(conn: sqlite3.Connection) -> None:
    # Schema 4 marked the active version of each turn; from 5 on `active` marks the thread
    # shown (store/thread.py), so reading it and finding its end are one index range.
    children: dict[tuple[int, int], list[tuple[int, bool]]] = {}
    for mid, cid, parent, active in conn.execute(
        "SELECT id, conversation_id, coalesce(parent_id, 0), active FROM messages ORDER BY id"
    ):
        children.setdefault((int(cid), int(parent)), []).append((int(mid), bool(active)))
    shown: list[tuple[int]] = []
    for cid in {cid for cid, _ in children}:
        parent = 0
        while (cid, parent) in children:
            siblings = [(mid, on) for mid, on in children[(cid, parent)] if mid > parent]
            if not siblings:
                break
            active = [mid for mid, on in siblings if on]
            parent = active[-1] if active else siblings[-1][0]
            shown.append((parent,))
    conn.execute("UPDATE messages SET active = 0")
    conn.executemany("UPDATE messages SET active = 1 WHERE id = ?", shown)
    conn.execute("CREATE INDEX messages_on_thread ON messages(conversation_id, active, id)")


def _v6_conversation_server(conn: sqlite3.Connection) -> None:
    # The server a conversation talks to (#15): "" = the local one; else a saved server's id.
    conn.execute("ALTER TABLE conversations ADD COLUMN server TEXT NOT NULL DEFAULT ''")


def _v7_knowledge_bases(conn: sqlite3.Connection) -> None:
    # Knowledge bases (#17, desktop/core/documents). A chunk's vector is a float16 blob of the
    # collection's dimension; its text is indexed for keywords in kb_terms as written by
    # documents/terms.py (CJK as unigrams + bigrams: trigram cannot match 西湖 or 茶), filled by
    # the indexer in the chunk's own transaction. (file_id, position) is unique so an index
    # resumed after a crash can neither duplicate nor skip a chunk.
    run_script(
        conn,
        """
        CREATE TABLE kb_collections (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            embed_model TEXT NOT NULL DEFAULT '',
            dimension INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL
        );
        CREATE TABLE kb_sources (
            id INTEGER PRIMARY KEY,
            collection_id INTEGER NOT NULL REFERENCES kb_collections(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            watched INTEGER NOT NULL DEFAULT 0,
            UNIQUE (collection_id, path)
        );
        CREATE TABLE kb_files (
            id INTEGER PRIMARY KEY,
            collection_id INTEGER NOT NULL REFERENCES kb_collections(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL DEFAULT 0,
            mtime REAL NOT NULL DEFAULT 0,
            sha256 TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'pending',
            error TEXT NOT NULL DEFAULT '',
            chunk_count INTEGER NOT NULL DEFAULT 0,
            indexed_at REAL NOT NULL DEFAULT 0,
            UNIQUE (collection_id, path)
        );
        CREATE TABLE kb_chunks (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES kb_files(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            page INTEGER NOT NULL DEFAULT 0,
            heading TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL DEFAULT 0,
            end INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL,
            vector BLOB,
            UNIQUE (file_id, position)
        );
        CREATE VIRTUAL TABLE kb_terms USING fts5(terms, tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER kb_chunks_terms_delete AFTER DELETE ON kb_chunks BEGIN
            DELETE FROM kb_terms WHERE rowid = old.id;
        END;
        """,
    )


# (index table, source table, source column) of the CJK search index (schema 8).
CJK_INDEXES = (("messages_cjk", "messages", "content"), ("parts_cjk", "message_parts", "text"))


def _v8_cjk_message_search(conn: sqlite3.Connection) -> None:
    # Message search in Chinese (#17 leftover): trigram cannot match 西湖 or 茶 and unicode61
    # keeps a whole run of Chinese as one token, so 杭州龙井 in 我喜欢杭州龙井茶 was never found.
    # A second index holds each text as documents/terms.py writes it (CJK as single characters
    # + bigrams). The triggers are plain SQL (any connection, the sqlite3 shell included, can
    # still write): a new or edited text is queued in search_pending, and the store indexes
    # the queue in Python before it searches (search.py).
    conn.execute(
        "CREATE TABLE search_pending (source TEXT NOT NULL, id INTEGER NOT NULL,"
        " PRIMARY KEY (source, id)) WITHOUT ROWID"
    )
    for table, source, column in CJK_INDEXES:
        run_script(
            conn,
            f"""
            CREATE VIRTUAL TABLE {table} USING fts5(terms, tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER {table}_insert AFTER INSERT ON {source} BEGIN
                INSERT OR IGNORE INTO search_pending VALUES ('{source}', new.id);
            END;
            CREATE TRIGGER {table}_update AFTER UPDATE OF {column} ON {source} BEGIN
                INSERT OR IGNORE INTO search_pending VALUES ('{source}', new.id);
            END;
            CREATE TRIGGER {table}_delete AFTER DELETE ON {source} BEGIN
                DELETE FROM {table} WHERE rowid = old.id;
                DELETE FROM search_pending WHERE source = '{source}' AND id = old.id;
            END;
            """,
        )
        rows = conn.execute(f"SELECT id, {column} FROM {source}").fetchall()
        conn.executemany(
            f"INSERT INTO {table}(rowid, terms) VALUES (?, ?)",
            ((row[0], index_text(row[1] if isinstance(row[1], str) else "")) for row in rows),
        )


MIGRATIONS: tuple[Migration, ...] = (
    _v1_tables,
    _v2_conversation_uuid,
    _v3_full_text_search,
    _v4_versions_and_parts,
    _v5_thread_flags,
    _v6_conversation_server,
    _v7_knowledge_bases,
    _v8_cjk_message_search,
)
SCHEMA_VERSION = len(MIGRATIONS)
