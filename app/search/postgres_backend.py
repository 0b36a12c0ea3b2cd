"""The PostgreSQL backend: jieba-segmented text in a tsvector ('simple', GIN index).

Documents live in ``search_documents`` (tsv: title weight A, body B, applicants C) and their
facet and keyword values in ``search_facets``. We build the tsvector ourselves from the segmented
text, so sub-words share their word's position as in the Whoosh index, and queries are cast to
tsquery without a dictionary: both sides hold the same index-form words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ..models import SearchDocument, SearchFacet
from . import analysis
from .backend import FACET_FIELDS, Hit, SearchBackend, SearchDoc, SearchRequest, SearchResult, parse_key
from .query import AnyOf, Clause, ParsedQuery

D = SearchDocument.__table__
F = SearchFacet.__table__
MAX_POS = 16383
WEIGHT_OF_FIELD = {None: "", "title": "A", "abstract": "B", "content": "", "applicant": "C"}


def _engine():
    from ..extensions import db

    return db.engine


def tsvector_literal(doc: SearchDoc) -> str:
    """``'word':1A,7B 'other':2A …`` — positions continue across title, body and applicants."""
    positions: dict[str, list[str]] = {}
    offset = 1
    for weight, text in (("A", doc.title_seg), ("B", doc.body_seg), ("C", doc.applicant_seg)):
        last = -1
        for pos, token in analysis.iter_positions(text):
            p = offset + pos
            last = pos
            if p > MAX_POS:
                break
            entries = positions.setdefault(token, [])
            if len(entries) < 256:
                entries.append(f"{p}{weight}")
        offset += last + 2  # a gap keeps phrases from running across fields
    return " ".join(f"'{_quote(tok)}':{','.join(pos)}" for tok, pos in positions.items())


def _quote(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


def _lexeme(token: str, weight: str) -> str:
    return f"'{_quote(token)}'" + (f":{weight}" if weight else "")


def _text_tsquery(clause: Clause) -> str:
    weight = WEIGHT_OF_FIELD[clause.field]
    if clause.phrase:
        return "(" + " <-> ".join(_lexeme(t, weight) for t in clause.tokens) + ")"
    parts = []
    for token in clause.tokens:
        option = _lexeme(token, weight)
        alt = clause.alternatives.get(token)
        if alt:
            option = f"({option} | ({' <-> '.join(_lexeme(a, weight) for a in alt)}))"
        parts.append(option)
    return "(" + " & ".join(parts) + ")"


def _has_value(field: str, values: list[str]):
    return sa.exists().where(F.c.document_id == D.c.id, F.c.field == field, F.c.value.in_(values))


def _keyword_expr(clause: Clause):
    if clause.field == "year":
        years = [str(y) for y in range(clause.low, min(clause.high, clause.low + 200) + 1)]
        return _has_value("year", years)
    return _has_value(clause.field, [clause.value])


def _clause_expr(clause: Clause, rank_parts: list[str], negated: bool):
    if clause.tokens:
        tsq = _text_tsquery(clause)
        if not negated:
            rank_parts.append(tsq)
        return D.c.tsv.op("@@", return_type=sa.Boolean)(sa.cast(tsq, postgresql.TSQUERY))
    return _keyword_expr(clause)


def compile_where(parsed: ParsedQuery, filters: dict[str, list[str]], viewer_org_id: int | None):
    """(WHERE clause, tsquery text for ranking or None), or (None, None) when nothing was asked."""
    conds = []
    rank_parts: list[str] = []
    for group in parsed.groups:
        if isinstance(group, AnyOf):
            expr = sa.or_(*[_clause_expr(c, rank_parts, group.negated) for c in group.clauses])
        else:
            expr = _clause_expr(group, rank_parts, group.negated)
        conds.append(sa.not_(expr) if group.negated else expr)
    for fname, values in filters.items():
        if fname in FACET_FIELDS and values:
            conds.append(_has_value(fname, list(values)))
    if not conds:
        return None, None
    visible = D.c.public.is_(True)
    if viewer_org_id is not None:
        visible = sa.or_(visible, D.c.org_id == viewer_org_id)
    conds.append(visible)
    return sa.and_(*conds), (" | ".join(rank_parts) if rank_parts else None)


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, engine_getter: Callable[[], sa.Engine] = _engine):
        self._engine = engine_getter

    def _check_dialect(self, conn) -> None:
        if conn.dialect.name != "postgresql":
            raise RuntimeError("SEARCH_BACKEND = 'postgres' needs a PostgreSQL database")

    # -- writing

    def _write(self, conn, docs: list[SearchDoc]) -> None:
        if not docs:
            return
        rows = [
            {"kind": d.kind, "object_id": d.object_id, "org_id": d.org_id, "public": d.public,
             "number": (d.numbers[0] if d.numbers else "")[:40], "title": d.title, "text": "",
             "sort_date": d.sort_date, "tsv_text": tsvector_literal(d)}
            for d in docs
        ]
        stmt = D.insert().values(tsv=sa.cast(sa.bindparam("tsv_text"), postgresql.TSVECTOR)).returning(
            D.c.id, D.c.kind, D.c.object_id, sort_by_parameter_order=True)
        ids = conn.execute(stmt, rows).all()
        facets = []
        for (doc_id, _, _), d in zip(ids, docs):
            for fname, value in d.facet_values():
                facets.append({"document_id": doc_id, "field": fname, "value": value})
            facets += [{"document_id": doc_id, "field": "ipc", "value": k} for k in d.ipc]
            facets += [{"document_id": doc_id, "field": "number", "value": n[:200]} for n in d.numbers]
        if facets:
            conn.execute(F.insert(), facets)

    def apply(self, docs: list[SearchDoc], deleted: list[str]) -> None:
        keys = [(d.kind, d.object_id) for d in docs] + [parse_key(k) for k in deleted]
        with self._engine().begin() as conn:
            self._check_dialect(conn)
            for i in range(0, len(keys), 1000):
                chunk = keys[i : i + 1000]
                conn.execute(D.delete().where(sa.tuple_(D.c.kind, D.c.object_id).in_(chunk)))
            self._write(conn, docs)

    def rebuild(self, docs: Iterable[SearchDoc], progress: Callable[[int], None] | None = None) -> int:
        """Delete and refill in one transaction: searches see the old index until the commit."""
        n = 0
        with self._engine().begin() as conn:
            self._check_dialect(conn)
            conn.execute(F.delete())
            conn.execute(D.delete())
            batch: list[SearchDoc] = []
            for doc in docs:
                batch.append(doc)
                if len(batch) >= 1000:
                    self._write(conn, batch)
                    n += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            self._write(conn, batch)
            n += len(batch)
            if progress and batch:
                progress(len(batch))
        return n

    def clear(self) -> None:
        with self._engine().begin() as conn:
            conn.execute(F.delete())
            conn.execute(D.delete())

    # -- reading

    def search(self, request: SearchRequest) -> SearchResult:
        result = SearchResult(hits=[], total=0, page=request.page, per_page=request.per_page)
        where, rank_q = compile_where(request.query, request.filters, request.viewer_org_id)
        if where is None:
            return result
        with self._engine().connect() as conn:
            self._check_dialect(conn)
            result.total = conn.scalar(sa.select(sa.func.count()).select_from(D).where(where)) or 0
            if not result.total:
                return result
            if rank_q:
                score = sa.func.ts_rank(D.c.tsv, sa.cast(rank_q, postgresql.TSQUERY))
            else:
                score = sa.literal(0.0)
            stmt = sa.select(D.c.kind, D.c.object_id, score.label("score")).where(where)
            if request.sort == "date":
                stmt = stmt.order_by(D.c.sort_date.desc().nulls_last(), D.c.id.desc())
            else:
                stmt = stmt.order_by(sa.desc("score"), D.c.sort_date.desc().nulls_last(), D.c.id)
            stmt = stmt.limit(request.per_page).offset((request.page - 1) * request.per_page)
            result.hits = [Hit(r.kind, r.object_id, float(r.score or 0)) for r in conn.execute(stmt)]
            if request.facets:
                result.facets = self._facets(conn, where, request.facet_limit)
        return result

    @staticmethod
    def _facets(conn, where, limit: int) -> dict[str, list[tuple[str, int]]]:
        matching = sa.select(D.c.id).where(where)
        rows = conn.execute(
            sa.select(F.c.field, F.c.value, sa.func.count().label("n"))
            .where(F.c.field.in_(FACET_FIELDS), F.c.document_id.in_(matching))
            .group_by(F.c.field, F.c.value)
        ).all()
        grouped: dict[str, list[tuple[str, int]]] = {f: [] for f in FACET_FIELDS}
        for fname, value, n in rows:
            grouped[fname].append((value, n))
        for fname, values in grouped.items():
            if fname == "year":
                values.sort(key=lambda x: x[0], reverse=True)
            else:
                values.sort(key=lambda x: (-x[1], x[0]))
            grouped[fname] = values[: limit if fname != "year" else max(limit, 30)]
        return {f: v for f, v in grouped.items() if v}

    def count(self) -> int:
        with self._engine().connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(D)) or 0

    def keys(self) -> set[str]:
        with self._engine().connect() as conn:
            return {f"{k}:{i}" for k, i in conn.execute(sa.select(D.c.kind, D.c.object_id))}
