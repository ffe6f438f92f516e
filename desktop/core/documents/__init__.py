"""Knowledge bases: parse files, chunk them, embed the chunks through /api/embed of any
server, keep them in the app's SQLite database and retrieve them (vector + keyword, fused).

Modules: parse (files -> blocks), chunk (blocks -> chunks), terms (keyword terms for any
script), vectors (blobs and the in-memory index), kb (the tables), indexer (background
indexing with progress, resumable), retrieve (hybrid search), watch (folders kept in step),
context (what goes into a prompt, and the citations).
"""

DEFAULT_EMBED_MODEL = "all-minilm:l6-v2"
