"""The PostgreSQL backend: jieba-segmented text in a tsvector ('simple', GIN index).

Documents live in ``search_documents`` (tsv: title weight A, body B, applicants C) with their
facet values (``facets``, counted over the matched rows in one pass: ``unnest``) and their facet and
keyword values (``keys``, which filters test with ``&&`` on a GIN index), as ``field=value`` text
arrays. At 100k patents a faceted query over a common word took seconds when the values were rows
of a separate table joined to the matches; counting arrays of the matched rows takes ~0.2 s. We build the tsvector ourselves from the segmented
text, so sub-words share their word's position as in the Whoosh index, and queries are cast to
tsquery without a dictionary: both sides hold the same index-form words.
"""

from __future__ import annotations

import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ..models import SearchDocument
from . import analysis
from . import applicants as applicant_queries
from .backend import FACET_FIELDS, Hit, SearchBackend, SearchDoc, SearchRequest, SearchResult, group_facets, parse_key
from .query import ALT_PHRASE_MAX_DF, AnyOf, AtLeast, Clause, ParsedQuery, alternative_worth_it

D = SearchDocument.__table__
MAX_POS = 16383
REBUILD_LOCK_KEY = 0x1F_5EA2C4  # pg_try_advisory_lock key of a running rebuild
WEIGHT_OF_FIELD = {None: "", "title": "A", "abstract": "B", "content": "", "applicant": "C"}
# Every document falls in one of SAMPLE_BUCKETS buckets by a hash of its key, written into its
# tsvector as a lexeme no query can hold (``'s 17'``: query words never contain a space): the text
# index intersects a query's words with a few buckets before any row is read, so a deterministic
# sample of any result set costs only its own rows. (As a key on the array index, ANDed with the
# words' bitmap, the sample of a common word took 20-50 ms at 100k documents: the planner read
# every match, or both indexes' whole lists.)
SAMPLE_BUCKETS = 64


# With the RUM extension (Debian postgresql-15-rum; offered by the large clouds' managed PostgreSQL)
# a second index on tsv orders matches by rank inside the index (``ORDER BY tsv <=> query LIMIT k``),
# so the top hits of a common word come without reading and scoring every match. Made by a rebuild
# (`flask search-reindex`) when the extension can be created, as the table's only index on tsv (the
# planner reads it for matching too, as it did with both there); without it the GIN index and ts_rank.
RUM_INDEX = "ix_search_documents_tsv_rum"
GIN_INDEX = "ix_search_documents_tsv"  # the migrations' index on tsv; a rebuild with RUM leaves it out
BUILD_TABLE = "search_documents_build"  # a rebuild fills it, then it replaces search_documents
RUM_SORT_MAX = 1000  # at most this many matches (counted exactly): sorted by their distance, not read from the index in order


def exact_is_cheaper(rows: float) -> int:
    """Up to how many matches counting them all costs less than the sample (both read from the table
    of ``rows`` documents). Counting N matches reads N rows (~5 µs each); the sample of ~FACET_SAMPLE
    matches reads 64·FACET_SAMPLE/N buckets' lists of rows/64 entries each (~0.5 µs an entry) before
    the rows: equal at N = 10·√rows. At 1M documents that is 10,000 (宁波恒通石墨科技有限公司, 5.5k
    matches: sampled 345 ms, counted 30 ms); at 100k, 3,162, below the threshold: no change."""
    return int(10 * rows ** 0.5)


def _built(name: str) -> str:
    """The name a constraint or index has on the build table until the swap."""
    return f"{name[:57]}_build"


def sample_bucket(key: str) -> int:
    return zlib.crc32(key.encode()) % SAMPLE_BUCKETS


def _engine():
    from ..extensions import db

    return db.engine


def tsvector_literal(doc: SearchDoc) -> str:
    """``'word':1A,7B 'other':2A …`` — positions continue across title, body and applicants."""
    positions: dict[str, list[str]] = {}
    offset = 1
    for weight, text in (("A", doc.title_seg), ("B", doc.body_seg), ("C", doc.applicant_seg)):
        groups = text.split()  # a position each, its sub-words joined by "|" (analysis.segment)
        last = -1
        for pos, group in enumerate(groups):
            last = pos
            p = offset + pos
            if p > MAX_POS:
                break
            mark = f"{p}{weight}"
            for token in group.split("|") if "|" in group else (group,):
                if token:
                    entries = positions.get(token)
                    if entries is None:
                        positions[token] = [mark]
                    elif len(entries) < 256:
                        entries.append(mark)
        offset += last + 2  # a gap keeps phrases from running across fields
    lexemes = [f"'{_quote(tok)}':{','.join(pos)}" for tok, pos in positions.items()]
    lexemes.append(f"'{sample_lexeme(sample_bucket(doc.key))}'")
    return " ".join(lexemes)


def _copy_text(value) -> str:
    """One column of a row in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):  # text[]: {"a","b"}, each element quoted
        value = "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value) + "}"
    else:
        value = value.isoformat() if isinstance(value, date) else str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_line(row: dict, columns: list[str]) -> str:
    """A row in COPY's text format (what ``Copy.write_row`` sends, made without its per-value dumpers:
    they were a fifth of what a rebuild's main process spent)."""
    return "\t".join([_copy_text(row[c]) for c in columns]) + "\n"


def sample_lexeme(bucket: int) -> str:
    return f"s {bucket}"


def _buckets_tsquery(buckets: Iterable[int]) -> str:
    return " | ".join(f"'{sample_lexeme(b)}'" for b in buckets)


def _tsv_matches(tsq: str):
    return D.c.tsv.op("@@", return_type=sa.Boolean)(sa.cast(tsq, postgresql.TSQUERY))


@contextmanager
def _without_seqscan(conn):
    """A lookup with a LIMIT read through an index: with a LIMIT the planner may read the table in
    order hoping to meet matching rows early, which for a rare value is every row."""
    conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
    try:
        yield
    finally:
        conn.execute(sa.text("SET LOCAL enable_seqscan TO DEFAULT"))


def _quote(token: str) -> str:
    if "\\" in token or "'" in token:
        return token.replace("\\", "\\\\").replace("'", "''")
    return token


def _lexeme(token: str, weight: str) -> str:
    return f"'{_quote(token)}'" + (f":{weight}" if weight else "")


AltRule = Callable[[Clause, str, list[str]], bool]


def _always(clause: Clause, token: str, alt: list[str]) -> bool:
    return True


def _text_tsquery(clause: Clause, use_alt: AltRule = _always) -> str:
    weight = WEIGHT_OF_FIELD[clause.field]
    if clause.phrase:
        return "(" + " <-> ".join(_lexeme(t, weight) for t in clause.tokens) + ")"
    parts = []
    for token in clause.tokens:
        option = _lexeme(token, weight)
        alt = clause.alternatives.get(token)
        if alt and use_alt(clause, token, alt):
            option = f"({option} | ({' <-> '.join(_lexeme(a, weight) for a in alt)}))"
        parts.append(option)
    return "(" + " & ".join(parts) + ")"


def _has_value(field: str, values: list[str]):
    wanted = sa.cast(sa.literal([f"{field}={v}" for v in values], postgresql.ARRAY(sa.Text())), postgresql.ARRAY(sa.Text()))
    return D.c["keys"].op("&&", return_type=sa.Boolean)(wanted)


def _keyword_expr(clause: Clause):
    if clause.field == "year":
        years = [str(y) for y in range(clause.low, min(clause.high, clause.low + 200) + 1)]
        return _has_value("year", years)
    return _has_value(clause.field, [clause.value])


def _clause_expr(clause: Clause, rank_parts: list[str], negated: bool, use_alt: AltRule = _always,
                 sample: str | None = None):
    """``sample``: the tsquery of the sample buckets (:func:`_buckets_tsquery`), ANDed into a positive
    clause's own tsquery (one text-index lookup) or beside its key test (both bitmaps are small)."""
    if clause.tokens:
        tsq = _text_tsquery(clause, use_alt)
        if not negated:
            rank_parts.append(tsq)
            if sample:
                tsq = f"{tsq} & ({sample})"
        return _tsv_matches(tsq)
    if sample and not negated:
        return sa.and_(_keyword_expr(clause), _tsv_matches(sample))
    return _keyword_expr(clause)


def _at_least_expr(group: AtLeast, rank_parts: list[str], weights: list[float], use_alt: AltRule = _always,
                   sample: str | None = None):
    """Any of the words (the GIN index finds those rows), holding enough of their weight."""
    matched = [_clause_expr(c, rank_parts, False, use_alt, sample) for c in group.clauses]
    rank_parts.extend(_text_tsquery(c, use_alt) for c in group.ranking)
    held = sum((sa.case((m, w), else_=0.0) for m, w in zip(matched, weights)), sa.literal(0.0))
    return sa.and_(sa.or_(*matched), held >= group.enough(weights))


def word_weights(conn, group: AtLeast, counts: DocCounts | None = None) -> list[float]:
    """Each of a best-match group's words' weight (:meth:`AtLeast.weight`) from its document count.
    With ``counts``, the documents and a common word's count come from the planner's statistics once
    ANALYZE has run (at 1M documents counting every row took ~100 ms and a common word's matches as
    long); a rarer word, or a clause of more than one word, is counted (its matches are fewer)."""
    rows = counts.rows(conn) if counts is not None else 0
    docs = int(rows) if rows > 0 else conn.scalar(sa.select(sa.func.count()).select_from(D)) or 0
    out = []
    for clause in group.clauses:
        df = None
        if rows > 0 and clause.field is None and len(clause.tokens) == 1 and not clause.phrase:  # its other reading adds little
            df = counts.estimated(conn, clause.tokens[0])
        if df is None:
            df = conn.scalar(sa.select(sa.func.count()).select_from(D).where(_tsv_matches(_text_tsquery(clause))))
        out.append(group.weight(docs, df or 0))
    return out


def compile_where(parsed: ParsedQuery, filters: dict[str, list[str]], viewer_org_id: int | None,
                  weights: dict[int, list[float]] | None = None, use_alt: AltRule = _always,
                  buckets: Iterable[int] | None = None):
    """(WHERE clause, tsquery text for ranking or None), or (None, None) when nothing was asked.
    ``weights``: for each best-match group (by its position in ``parsed.groups``), its words' weights
    (:func:`word_weights`; default: all the same). ``use_alt``: whether a word's alternative reading
    joins the query (:func:`.query.alternative_worth_it`; default: always). ``buckets``: only the
    matches in these sample buckets, tested inside each positive clause (an applicant's key OR its
    words: with the buckets tested once beside the OR, the planner read every row of the buckets,
    ~15k a bucket at 1M documents, and filtered them; inside each branch both branches stay
    index lookups: 137 -> 34 ms for a three-bucket sample of 中北大学)."""
    conds = []
    rank_parts: list[str] = []
    sample = _buckets_tsquery(buckets) if buckets is not None else None
    carried = False  # a positive group holds the buckets: every match is then in them
    for i, group in enumerate(parsed.groups):
        if isinstance(group, AtLeast):
            conds.append(_at_least_expr(group, rank_parts, (weights or {}).get(i, [1.0] * len(group.clauses)), use_alt,
                                        sample if not carried else None))
            carried = True
            continue
        carries = not carried and not group.negated and (isinstance(group, AnyOf) or bool(group.tokens))
        in_group = sample if carries else None
        carried = carried or carries
        if isinstance(group, AnyOf):
            expr = sa.or_(*[_clause_expr(c, rank_parts, group.negated, use_alt, in_group) for c in group.clauses])
        else:
            expr = _clause_expr(group, rank_parts, group.negated, use_alt, in_group)
        conds.append(sa.not_(expr) if group.negated else expr)
    for fname, values in filters.items():
        if fname in FACET_FIELDS and values:
            conds.append(_has_value(fname, list(values)))
    if not conds:
        return None, None
    if sample and not carried:  # only filters and keys (ipc:H01M): the buckets beside them
        conds.append(_tsv_matches(sample))
    visible = D.c.public.is_(True)
    if viewer_org_id is not None:
        visible = sa.or_(visible, D.c.org_id == viewer_org_id)
    conds.append(visible)
    return sa.and_(*conds), (" | ".join(rank_parts) if rank_parts else None)


def _alternatives(parsed: ParsedQuery) -> Iterable[tuple[Clause, str, list[str]]]:
    for group in parsed.groups:
        for clause in (group.clauses + getattr(group, "ranking", []) if isinstance(group, AnyOf | AtLeast) else [group]):
            if clause.tokens and not clause.phrase:
                for token, alt in clause.alternatives.items():
                    if alt and token in clause.tokens:
                        yield clause, token, alt


class DocCounts:
    """How many documents hold a word (in a field), counted up to ``ALT_PHRASE_MAX_DF + 1`` (enough for
    :func:`.query.alternative_worth_it`), all of a query's words in one statement, and kept a minute in
    the process: a count a few writes old changes nothing that matters. A word the planner's
    statistics find common is not counted (:meth:`common_words`); they also give the table's rows."""

    TTL = 60.0
    SIZE = 20_000
    STATS_TTL = 600.0
    COMMON = 10  # a word the statistics put in this many times the cap's documents needs no count

    def __init__(self) -> None:
        self._kept: dict[str, tuple[float, int]] = {}
        self._stats: tuple[float, dict[str, float], float, frozenset[str]] | None = None

    def clear(self) -> None:
        self._kept = {}
        self._stats = None

    def _statistics(self, conn) -> tuple[float, dict[str, float], float, frozenset[str]]:
        """(read at, share of the rows of each word ANALYZE found common, rows, the common words).
        ``pg_stats.most_common_elems`` of the text column holds a few thousand words with their share
        of the rows; ``pg_class.reltuples`` the rows (0 before the first ANALYZE: nothing is known)."""
        now = time.monotonic()
        if self._stats is None or now - self._stats[0] > self.STATS_TTL:
            rows = float(conn.scalar(sa.text("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                                     {"t": D.name}) or 0)
            row = conn.execute(sa.text(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = :t AND attname = 'tsv'"), {"t": D.name}).first()
            freqs = dict(zip(row[0], row[1])) if row and row[0] and rows > 0 else {}
            floor = self.COMMON * (ALT_PHRASE_MAX_DF + 1)
            self._stats = (now, freqs, rows, frozenset(w for w, f in freqs.items() if f * rows >= floor))
        return self._stats

    def rows(self, conn) -> float:
        """The planner's row count of the index table (``pg_class.reltuples``; 0 before ANALYZE)."""
        return self._statistics(conn)[2]

    def estimated(self, conn, word: str) -> int | None:
        """A common word's document count from the statistics (any field), None for the others."""
        _, freqs, rows, _ = self._statistics(conn)
        share = freqs.get(word)
        return round(share * rows) if share is not None else None

    def common_words(self, conn) -> frozenset[str]:
        """The words ANALYZE found in at least ``COMMON`` times the cap's documents. Counting such a
        word up to the cap cost 80-135 ms at 1M documents (the text index hands over a bitmap of all
        its rows before the LIMIT applies); the statistics say at once that it is far above the cap."""
        return self._statistics(conn)[3]

    def lookup(self, conn, lexemes: Iterable[str]) -> dict[str, int]:
        """``lexemes``: tsquery operands (``'word'``, ``'word':C`` in a field)."""
        now = time.monotonic()
        out, missing = {}, []
        common = None
        for lexeme in dict.fromkeys(lexemes):
            kept = self._kept.get(lexeme)
            if kept is not None and now - kept[0] < self.TTL:
                out[lexeme] = kept[1]
                continue
            if lexeme.endswith("'"):  # any field: the statistics count every occurrence (not one field's)
                common = self.common_words(conn) if common is None else common
                if lexeme[1:-1].replace("''", "'").replace("\\\\", "\\") in common:
                    out[lexeme] = ALT_PHRASE_MAX_DF + 1
                    continue
            missing.append(lexeme)
        if missing:
            cap = ALT_PHRASE_MAX_DF + 1
            columns = [
                sa.select(sa.func.count()).select_from(
                    sa.select(sa.literal(1)).select_from(D)
                    .where(D.c.tsv.op("@@", return_type=sa.Boolean)(sa.cast(sa.literal(lexeme), postgresql.TSQUERY)))
                    .limit(cap).subquery()
                ).scalar_subquery()
                for lexeme in missing
            ]
            with _without_seqscan(conn):  # LIMIT 201 of a rare word: the text index answers at once
                for i in range(0, len(columns), 50):
                    row = conn.execute(sa.select(*columns[i : i + 50])).one()
                    for lexeme, n in zip(missing[i : i + 50], row):
                        out[lexeme] = n
                        self._kept[lexeme] = (now, n)
            if len(self._kept) > self.SIZE:
                self._kept = dict(list(self._kept.items())[-self.SIZE // 2 :])
        return out


def alternative_rule(conn, parsed: ParsedQuery, counts: DocCounts) -> AltRule:
    """:func:`.query.alternative_worth_it` for the PostgreSQL index: the document counts of the
    query's words and their alternatives' parts, in the clause's field (its tsquery weight)."""
    wanted = []
    for clause, token, alt in _alternatives(parsed):
        weight = WEIGHT_OF_FIELD[clause.field]
        wanted += [_lexeme(t, weight) for t in [token, *alt]]
    if not wanted:
        return _always
    found = counts.lookup(conn, wanted)

    def use(clause: Clause, token: str, alt: list[str]) -> bool:
        weight = WEIGHT_OF_FIELD[clause.field]
        return alternative_worth_it(token, alt, lambda t: found.get(_lexeme(t, weight), 0))

    return use


class PostgresBackend(SearchBackend):
    name = "postgres"
    parallel_segmentation = True

    def __init__(self, engine_getter: Callable[[], sa.Engine] = _engine):
        self._engine = engine_getter
        self._writes = 0  # this process's own writes: its cache drops at once, not when the statistics catch up
        self._rum: tuple[float, bool] | None = None  # (checked at, RUM index present)
        self._counts = DocCounts()

    def _wrote(self) -> None:
        """This process changed the index: its result cache and its word counts drop at once."""
        self._writes += 1
        self._counts.clear()

    def _check_dialect(self, conn) -> None:
        if conn.dialect.name != "postgresql":
            raise RuntimeError("SEARCH_BACKEND = 'postgres' needs a PostgreSQL database")

    # -- writing

    @staticmethod
    def _rows(docs: list[SearchDoc]) -> list[dict]:
        rows = []
        for d in docs:
            facets = [f"{f}={v}" for f, v in d.facet_values()]
            keys = facets + [f"ipc={k}" for k in d.ipc] + [f"number={n[:200]}" for n in d.numbers]
            keys += [f"{applicant_queries.KEY_FIELD}={k}" for k in d.applicant_keys()]
            rows.append({"kind": d.kind, "object_id": d.object_id, "org_id": d.org_id, "public": d.public,
                         "number": (d.numbers[0] if d.numbers else "")[:40], "title": d.title, "text": "",
                         "sort_date": d.sort_date, "tsv": tsvector_literal(d), "facets": facets, "keys": keys})
        return rows

    def _write(self, conn, docs: list[SearchDoc]) -> None:
        if docs:
            rows = self._rows(docs)
            for r in rows:
                r["tsv_text"] = r.pop("tsv")
            conn.execute(D.insert().values(tsv=sa.cast(sa.bindparam("tsv_text"), postgresql.TSVECTOR)), rows)

    def apply(self, docs: list[SearchDoc], deleted: list[str]) -> None:
        keys = [(d.kind, d.object_id) for d in docs] + [parse_key(k) for k in deleted]
        with self._engine().begin() as conn:
            self._check_dialect(conn)
            for i in range(0, len(keys), 1000):
                chunk = keys[i : i + 1000]
                conn.execute(D.delete().where(sa.tuple_(D.c.kind, D.c.object_id).in_(chunk)))
            self._write(conn, docs)
        self._wrote()

    def rebuild(self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None) -> int:
        """Fill a new table and swap it in, in one transaction: searches see the old index until the
        commit (and wait only for the swap itself). The new table is filled without indexes, which are
        built afterwards from the sorted rows, and has one text index: RUM when the extension is there,
        else GIN. (Filled in place, every row went through the GIN index and, from the second rebuild
        on, the RUM index as well, and the deleted rows stayed behind: at 100k patents 599 docs/s and
        644 MB, against 806 docs/s and 312 MB this way, on the same slow machine.)"""
        n = 0
        with self._engine().begin() as conn:
            self._check_dialect(conn)
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {BUILD_TABLE}"))
            conn.execute(sa.text(
                f"CREATE TABLE {BUILD_TABLE} (LIKE {D.name} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE)"))
            columns = [c.name for c in D.c if c.name != "id"]
            batch: list[SearchDoc] = []
            with conn.connection.driver_connection.cursor() as cursor:
                with cursor.copy(f"COPY {BUILD_TABLE} ({', '.join(columns)}) FROM STDIN") as copy:
                    for doc in docs:
                        batch.append(doc)
                        if len(batch) >= 1000:
                            n += self._copy(copy, columns, batch, progress)
                            batch = []
                    n += self._copy(copy, columns, batch, progress)
            self._swap_in(conn, rum=self._rum_wanted(conn))
            self._record_version(conn)
            # Fresh statistics before the first search: with the old ones (or none, on a new table) the
            # planner misjudged how many rows a word or a sample bucket holds; at 100k documents a
            # search's p95 went from 46 to 33 ms once the table was analysed.
            conn.execute(sa.text(f"ANALYZE {D.name}"))
        self._rum = None
        self._wrote()
        return n

    def _copy(self, copy, columns: list[str], docs: list[SearchDoc], progress: Callable[[int], None] | None) -> int:
        copy.write("".join([copy_line(row, columns) for row in self._rows(docs)]))
        if progress and docs:
            progress(len(docs))
        return len(docs)

    @staticmethod
    def _swap_in(conn, rum: bool) -> None:
        """Give the filled build table the live table's constraints and indexes (read from the catalog,
        so a migration's new index comes along), with RUM or GIN as the one index on ``tsv``; then drop
        the live table and give the build table its name, its indexes' names and the id sequence."""
        table = D.name
        constraints = conn.execute(sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('p', 'u') ORDER BY contype"), {"t": table}).all()
        indexes = conn.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))"),
            {"t": table}).all()
        wanted = {name: ddl for name, ddl in indexes if name not in (GIN_INDEX, RUM_INDEX)}
        wanted[RUM_INDEX if rum else GIN_INDEX] = (
            f"CREATE INDEX {RUM_INDEX} ON {table} USING rum (tsv rum_tsvector_ops)" if rum
            else f"CREATE INDEX {GIN_INDEX} ON {table} USING gin (tsv)")
        renames = []
        for name, ddl in constraints:
            conn.execute(sa.text(f"ALTER TABLE {BUILD_TABLE} ADD CONSTRAINT {_built(name)} {ddl}"))
            renames.append(f"ALTER TABLE {table} RENAME CONSTRAINT {_built(name)} TO {name}")
        qualified = f"{conn.scalar(sa.text('SELECT current_schema()'))}.{table}"  # as pg_indexes writes it
        for name, ddl in wanted.items():
            head, sep, tail = ddl.partition(f" ON {qualified} ")
            if not sep:
                head, sep, tail = ddl.partition(f" ON {table} ")
            conn.execute(sa.text(head.replace(f"INDEX {name}", f"INDEX {_built(name)}", 1) + f" ON {BUILD_TABLE} " + tail))
            renames.append(f"ALTER INDEX {_built(name)} RENAME TO {name}")
        sequence = conn.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table})
        if sequence:  # the rows' ids keep rising from where the live table's were
            conn.execute(sa.text(f"ALTER SEQUENCE {sequence} OWNED BY {BUILD_TABLE}.id"))
        conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.text(f"ALTER TABLE {BUILD_TABLE} RENAME TO {table}"))
        for ddl in renames:
            conn.execute(sa.text(ddl))

    @staticmethod
    def _rum_allowed() -> bool:
        """``SEARCH_PG_RUM = "off"``: no RUM index made, none used."""
        from flask import current_app

        return current_app.config.get("SEARCH_PG_RUM", "auto") != "off"

    def _rum_wanted(self, conn) -> bool:
        """Whether the rebuild gives the table a RUM index (creating the extension if need be)."""
        if not self._rum_allowed():
            return False
        if not conn.scalar(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")):
            return False
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS rum"))
        return True

    def uses_rum(self, conn) -> bool:
        """Whether the RUM index is there (checked once a minute a process)."""
        if not self._rum_allowed():
            return False
        now = time.monotonic()
        if self._rum is None or now - self._rum[0] > 60:
            present = bool(conn.scalar(sa.text("SELECT 1 FROM pg_indexes WHERE indexname = :n"), {"n": RUM_INDEX}))
            self._rum = (now, present)
        return self._rum[1]

    def clear(self) -> None:
        self._wrote()
        with self._engine().begin() as conn:
            conn.execute(D.delete())
            self._record_version(conn)

    # The analysis version lives in the table's comment: no schema change, and it commits with the rows.
    @staticmethod
    def _record_version(conn) -> None:
        conn.execute(sa.text(f"COMMENT ON TABLE {D.name} IS 'analysis={analysis.VERSION}'"))  # nosec B608 - a hex digest

    def analysis_version(self) -> str | None:
        with self._engine().connect() as conn:
            self._check_dialect(conn)
            comment = conn.scalar(sa.text(f"SELECT obj_description('{D.name}'::regclass, 'pg_class')"))  # nosec B608
        return comment.removeprefix("analysis=") if comment and comment.startswith("analysis=") else None

    @contextmanager
    def rebuild_lock(self):
        """A session-level advisory lock, held on a connection of its own while the rebuild runs."""
        with self._engine().connect() as conn:
            got = bool(conn.scalar(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": REBUILD_LOCK_KEY}))
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": REBUILD_LOCK_KEY})

    # -- reading

    def search(self, request: SearchRequest) -> SearchResult:
        result = SearchResult(hits=[], total=0, page=request.page, per_page=request.per_page)
        with self._engine().connect() as conn:
            self._check_dialect(conn)
            self._set_work_mem(conn)
            parsed, result.notes = applicant_queries.rewrite(request.query, lambda key: self._has_key(conn, key))
            weights = {i: word_weights(conn, g, self._counts) for i, g in enumerate(parsed.groups) if isinstance(g, AtLeast)}
            use_alt = alternative_rule(conn, parsed, self._counts)
            where, rank_q = compile_where(parsed, request.filters, request.viewer_org_id, weights, use_alt)
            if where is None:
                return result

            def where_of(buckets: Iterable[int]):
                return compile_where(parsed, request.filters, request.viewer_org_id, weights, use_alt, buckets)[0]

            boosted = result.applicant_keys = applicant_queries.boosted_keys(parsed)
            cheaper_exact = exact_is_cheaper(self._counts.rows(conn))
            if request.facets:  # every document has one kind: the kinds' counts add up to the total
                estimate = self._sampled_facets(conn, where_of, request, cheaper_exact)
                if estimate is not None:
                    result.facets, result.total = estimate
                    result.facets_estimated = result.total_estimated = True
                else:
                    result.facets, result.total = self._facets(conn, where, request.facet_limit)
            else:
                estimate = self._sampled_count(conn, where_of, request, cheaper_exact)
                if estimate is not None:
                    result.total, result.total_estimated = estimate, True
                else:
                    result.total = conn.scalar(sa.select(sa.func.count()).select_from(D).where(where)) or 0
            if not result.total:
                return result
            rum = bool(rank_q) and request.sort != "date" and not boosted and self.uses_rum(conn)
            # A few matches are sorted by the same distance, computed from their rows: the index would
            # hand over every match of the words in rank order for the filter to drop (智能 ipc:C04B: 76
            # matches, 98k rows of 智能 read in rank order, 133 ms; sorted, a few ms).
            rum_sort = rum and not result.total_estimated and result.total <= RUM_SORT_MAX
            if rum:  # the index hands the matches over best first: distance 0 is the best
                distance = D.c.tsv.op("<=>", return_type=sa.Float)(sa.cast(rank_q, postgresql.TSQUERY))
                score = 1.0 / (1.0 + distance)
            elif rank_q:
                score = sa.func.ts_rank(D.c.tsv, sa.cast(rank_q, postgresql.TSQUERY))
            else:
                score = sa.literal(0.0)
            if boosted:  # an applicant's exact key comes before any words
                score = score + sa.case((_has_value(applicant_queries.KEY_FIELD, boosted), 10.0), else_=0.0)
            stmt = sa.select(D.c.kind, D.c.object_id, score.label("score")).where(where)
            if request.sort == "date" or not (rank_q or boosted):  # nothing to rank by: newest first (an index)
                stmt = stmt.order_by(D.c.sort_date.desc().nulls_last(), D.c.id.desc())
            elif rum and not rum_sort:
                stmt = stmt.order_by(distance)
            else:
                stmt = stmt.order_by(sa.desc("score"), D.c.sort_date.desc().nulls_last(), D.c.id)
            stmt = stmt.limit(request.per_page).offset((request.page - 1) * request.per_page)
            result.hits = [Hit(r.kind, r.object_id, float(r.score or 0)) for r in conn.execute(stmt)]
        return result

    @staticmethod
    def _set_work_mem(conn) -> None:
        """``SEARCH_PG_WORK_MEM`` for this search's transaction: the rank order inside the RUM index and
        the bitmaps of common words are sorted and held in ``work_mem``; with the server's default 4 MB
        the RUM scan of a word in 420k of 1M documents spilled to disk (208 ms; 139 ms with 64 MB) and
        bitmaps went lossy (every row of a block rechecked)."""
        from flask import current_app

        work_mem = current_app.config.get("SEARCH_PG_WORK_MEM", "")
        if work_mem:
            conn.execute(sa.text("SELECT set_config('work_mem', :v, true)"), {"v": work_mem})

    @staticmethod
    def _facet_rows(conn, where) -> tuple[list[tuple[str, int]], int]:
        value = sa.func.unnest(D.c.facets).table_valued("value").render_derived()
        rows = conn.execute(
            sa.select(value.c.value, sa.func.count().label("n")).select_from(D).join(value, sa.true())
            .where(where).group_by(value.c.value)
        ).all()
        return [tuple(r) for r in rows], sum(n for raw, n in rows if raw.startswith("kind="))

    @classmethod
    def _facets(cls, conn, where, limit: int) -> tuple[dict[str, list[tuple[str, int]]], int]:
        """The facet counts of the matches, and how many matches there are: one pass over them."""
        rows, total = cls._facet_rows(conn, where)
        return group_facets(rows, limit), total

    @classmethod
    def _sampled_facets(cls, conn, where_of: Callable[[Iterable[int]], object], request: SearchRequest,
                        cheaper_exact: int = 0):
        """Facets and total estimated from the matches in the first sample buckets, or None when the
        first bucket says the matches are few enough to count exactly (or the index has no buckets
        yet: built before them, a reindex adds them). One bucket holds 1/64 of any result set: the
        text index intersects it with the query, so only those rows are read. Then as many buckets as
        make about ``facet_sample``. ``where_of(buckets)``: the query's matches in those buckets;
        ``cheaper_exact``: up to this many matches counting them all costs less than the sample
        (:func:`exact_is_cheaper`), so they are counted (and shown exact)."""
        rows, sample_total = cls._facet_rows(conn, where_of([0]))
        estimated_total = sample_total * SAMPLE_BUCKETS
        if estimated_total <= max(request.facet_exact_max, cheaper_exact):
            return None
        buckets = min(SAMPLE_BUCKETS, -(-request.facet_sample * SAMPLE_BUCKETS // estimated_total))
        if buckets > 1:  # the first bucket is counted already: add the others'
            more, more_total = cls._facet_rows(conn, where_of(range(1, buckets)))
            counts = Counter(dict(rows))
            counts.update(dict(more))
            rows, sample_total = list(counts.items()), sample_total + more_total
        scale = SAMPLE_BUCKETS / buckets
        return group_facets(rows, request.facet_limit, scale), round(sample_total * scale)

    @staticmethod
    def _sampled_count(conn, where_of: Callable[[Iterable[int]], object], request: SearchRequest,
                       cheaper_exact: int = 0) -> int | None:
        """The total estimated from the sample buckets as :meth:`_sampled_facets` does (same rule, same
        threshold), for a search without facets; None when the matches are few enough to count."""
        def count(buckets: range) -> int:
            return conn.scalar(sa.select(sa.func.count()).select_from(D).where(where_of(buckets))) or 0

        first = count(range(1))
        if first * SAMPLE_BUCKETS <= max(request.facet_exact_max, cheaper_exact):
            return None
        buckets = min(SAMPLE_BUCKETS, -(-request.facet_sample * SAMPLE_BUCKETS // (first * SAMPLE_BUCKETS)))
        sampled = first + (count(range(1, buckets)) if buckets > 1 else 0)
        return round(sampled * SAMPLE_BUCKETS / buckets)

    def generation(self):
        """Every write deletes and inserts rows, so the highest row id moves with each (an index-only
        lookup); the deleted-rows counter of the statistics catches another process's pure deletes."""
        with self._engine().connect() as conn:
            if conn.dialect.name != "postgresql":
                return None
            return (self._writes,) + tuple(conn.execute(sa.text(
                "SELECT (SELECT max(id) FROM search_documents), "
                "(SELECT n_tup_del FROM pg_stat_user_tables WHERE relname = 'search_documents')")).one())

    @staticmethod
    def _has_key(conn, key: str) -> bool:
        wanted = sa.cast(sa.literal([f"{applicant_queries.KEY_FIELD}={key}"], postgresql.ARRAY(sa.Text())),
                         postgresql.ARRAY(sa.Text()))
        # The planner guesses 0.5 % of the rows hold any array value, so with LIMIT 1 it reads the table
        # in order hoping to meet one early: for a key nobody has (most one-word searches) that read every
        # row (1.7 s at 1M documents, 170 ms at 100k). The GIN index answers in a few ms.
        with _without_seqscan(conn):
            return conn.scalar(sa.select(sa.literal(1)).select_from(D).where(D.c["keys"].op("@>")(wanted)).limit(1)) is not None

    def count(self) -> int:
        with self._engine().connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(D)) or 0

    def keys(self) -> set[str]:
        with self._engine().connect() as conn:
            return {f"{k}:{i}" for k, i in conn.execute(sa.select(D.c.kind, D.c.object_id))}
