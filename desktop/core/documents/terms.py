"""Keyword terms for full-text search in any script.

SQLite's trigram tokenizer cannot match a word shorter than three characters, and unicode61
turns a whole run of Chinese into one token, so neither finds 西湖 or 茶 in 我去西湖喝茶. Text is
therefore indexed in a form unicode61 splits well: each run of CJK characters becomes its single
characters plus its overlapping bigrams (prefixed so the two never collide), and a query is
turned into the same tokens: one character -> its unigram, two or more -> their bigrams in a row
(a phrase). Latin words pass through and unicode61 (diacritics removed) handles them.
"""

from __future__ import annotations

import re

# Han (with extensions), kana, hangul: scripts written without spaces between words.
_CJK_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]+"
)
_WORD = re.compile(r"\w+", re.UNICODE)
UNI = "u"  # token prefixes: ASCII letters that unicode61 keeps glued to the character
BI = "b"


def _cjk_tokens(run: str) -> list[str]:
    tokens = [UNI + ch for ch in run]
    tokens += [BI + run[i : i + 2] for i in range(len(run) - 1)]
    return tokens


def index_text(text: str) -> str:
    """What goes into the FTS column for `text`."""
    out: list[str] = []
    last = 0
    for match in _CJK_RUN.finditer(text):
        out.append(text[last : match.start()])
        out.append(" " + " ".join(_cjk_tokens(match.group())) + " ")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _phrase(tokens: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def query_groups(query: str, *, cjk_phrases: bool = True) -> list[str]:
    """FTS5 phrases, one per word of the query (CJK words as bigram phrases, or with
    cjk_phrases=False each bigram on its own: a Chinese question is one run of characters, and
    asking for the whole run as a phrase finds only the passages that repeat the question);
    never FTS5 syntax from the user, so quotes, AND, * and NEAR are plain text."""
    groups: list[str] = []
    for piece in query.replace("\x00", " ").split():
        last = 0
        for match in _CJK_RUN.finditer(piece):
            groups += [_phrase([w.lower()]) for w in _WORD.findall(piece[last : match.start()])]
            run = match.group()
            if len(run) == 1:
                groups.append(_phrase([UNI + run]))
            elif cjk_phrases:
                groups.append(_phrase([BI + run[i : i + 2] for i in range(len(run) - 1)]))
            else:
                groups += [_phrase([BI + run[i : i + 2]]) for i in range(len(run) - 1)]
            last = match.end()
        groups += [_phrase([w.lower()]) for w in _WORD.findall(piece[last:])]
    return groups


# Words that match nearly every chunk: in an OR query they only make bm25 score everything
# (a 100k-chunk collection answered "what is the ..." in hundreds of milliseconds).
_STOP = {f'"{w}"' for w in (
    "a an and are as at be by can do does for from how i in is it its of on or that the this to was "
    "what when where which who why will with you your my me we our not no"
).split()}


def match_any(query: str) -> str:
    """A MATCH expression where any word may match (ranked by bm25: more matches rank higher);
    common English words are left out unless the query has nothing else."""
    groups = list(dict.fromkeys(query_groups(query, cjk_phrases=False)))
    useful = [g for g in groups if g not in _STOP]
    return " OR ".join(useful or groups)


def match_all(query: str) -> str:
    """A MATCH expression where every word must match."""
    return " ".join(query_groups(query))
