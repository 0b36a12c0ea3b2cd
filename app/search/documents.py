"""Search documents built from patents, listings and needs (the database is the truth)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..domain.lifecycle import SEARCHABLE
from ..models import Listing, Need, Patent, PatentApplicant, PatentIPC
from . import analysis, segment_cache
from .backend import KINDS, SearchDoc, parse_key
from .query import ipc_keys

MODELS = {"patent": Patent, "listing": Listing, "need": Need}
DEFERRED_BATCH = 250  # patents a writer process builds at a time (one cache lookup each batch)


def _value(enum_or_str) -> str | None:
    return None if enum_or_str is None else str(getattr(enum_or_str, "value", enum_or_str))


def number_forms(application_number: str, publication_number: str = "") -> list[str]:
    """The written forms a number may be searched by: ``202010566088.9``, ``2020105660889``, ``cn…a``."""
    forms = []
    for n in (application_number, application_number.replace(".", ""), publication_number):
        n = (n or "").strip().lower()
        if n and n not in forms:
            forms.append(n)
    pub = (publication_number or "").strip().lower()
    if pub[-1:].isalpha() and pub[:-1] not in forms:  # cn111234567a -> cn111234567
        forms.append(pub[:-1])
    return forms


def patent_doc_from_values(*, object_id: int, application_number: str, publication_number: str, title: str,
                           abstract: str, patent_type, legal_status, industry, filing_date, owner_org_id,
                           applicants: list[str], ipc_codes: list[str], office: str = "CN") -> SearchDoc:
    """A patent's document from plain values (the bulk rebuild reads rows without the ORM)."""
    applicants_text = "；".join(applicants)
    return SearchDoc(
        kind="patent",
        object_id=object_id,
        public=True,  # patents are public records
        org_id=owner_org_id,
        title=title,
        title_seg=segment_cache.segment(title),
        body_seg=segment_cache.segment(abstract or ""),
        applicant_seg=segment_cache.segment(applicants_text),
        numbers=number_forms(application_number, publication_number),
        applicants=list(applicants),
        ipc=ipc_keys(ipc_codes),
        office=office or "CN",
        patent_type=_value(patent_type),
        legal_status=_value(legal_status),
        industry=_value(industry),
        year=filing_date.year if filing_date else None,
        sort_date=filing_date,
    )


def patent_doc(p: Patent) -> SearchDoc:
    return patent_doc_from_values(
        object_id=p.id, application_number=p.application_number, publication_number=p.publication_number,
        title=p.title, abstract=p.abstract, patent_type=p.patent_type, legal_status=p.legal_status,
        industry=p.industry, filing_date=p.filing_date, owner_org_id=p.owner_org_id,
        applicants=p.applicant_names, ipc_codes=p.ipc_list, office=p.office,
    )


def listing_doc(item: Listing) -> SearchDoc:
    patents = list(item.patents)
    org_name = item.org.name if item.org else ""
    body = "\n".join(  # the patents' titles and abstracts: most of what the technology is
        [item.description or "", item.tech_summary or ""] + [p.title for p in patents] + [p.abstract or "" for p in patents]
    )
    codes = [c for p in patents for c in p.ipc_list]
    numbers = [n for p in patents for n in number_forms(p.application_number, p.publication_number)]
    when = item.published_at or item.created_at
    return SearchDoc(
        kind="listing",
        object_id=item.id,
        public=item.status in SEARCHABLE,
        org_id=item.org_id,
        title=item.title,
        title_seg=segment_cache.segment(item.title),
        body_seg=segment_cache.segment(body),
        applicant_seg=segment_cache.segment(org_name),
        numbers=numbers,
        applicants=[org_name] if org_name else [],
        ipc=ipc_keys(codes),
        industry=_value(item.industry),
        year=when.year if when else None,
        sort_date=when.date() if when else None,
    )


def need_doc(item: Need) -> SearchDoc:
    org_name = item.org.name if item.org else ""
    when = item.published_at or item.created_at
    return SearchDoc(
        kind="need",
        object_id=item.id,
        public=item.status in SEARCHABLE,
        org_id=item.org_id,
        title=item.title,
        title_seg=segment_cache.segment(item.title),
        body_seg=segment_cache.segment(item.description or ""),
        applicant_seg=segment_cache.segment(org_name),
        applicants=[org_name] if org_name else [],
        ipc=ipc_keys(item.ipc_hint_list),
        industry=_value(item.industry),
        year=when.year if when else None,
        sort_date=when.date() if when else None,
    )


BUILDERS = {"patent": patent_doc, "listing": listing_doc, "need": need_doc}
LOAD_OPTIONS = {
    "patent": (selectinload(Patent.ipc_codes), selectinload(Patent.applicants)),
    "listing": (selectinload(Listing.patents).selectinload(Patent.ipc_codes), selectinload(Listing.org)),
    "need": (selectinload(Need.org),),
}


def load(session: Session, keys: set[str],
         cache: segment_cache.SegmentCache | None = None) -> tuple[list[SearchDoc], list[str]]:
    """Documents for ``keys`` as the database has them now; keys whose row is gone are returned as deleted.
    Texts are segmented through ``cache`` (the backend's :meth:`~.backend.SearchBackend.segment_cache`)."""
    by_kind: dict[str, set[int]] = {k: set() for k in KINDS}
    for key in keys:
        kind, object_id = parse_key(key)
        by_kind[kind].add(object_id)
    docs, deleted = [], []
    try:
        with segment_cache.using(cache):
            for kind, ids in by_kind.items():
                if not ids:
                    continue
                model = MODELS[kind]
                found = set()
                for chunk in _chunks(sorted(ids), 500):
                    for obj in session.scalars(sa.select(model).where(model.id.in_(chunk)).options(*LOAD_OPTIONS[kind])):
                        found.add(obj.id)
                        docs.append(BUILDERS[kind](obj))
                deleted += [f"{kind}:{i}" for i in ids - found]
    finally:
        if cache is not None:
            cache.close()
    return docs, deleted


def db_keys(session: Session) -> set[str]:
    """The keys the index should hold: every patent, listing and need."""
    keys: set[str] = set()
    for kind, model in MODELS.items():
        keys.update(f"{kind}:{i}" for i in session.scalars(sa.select(model.id)))
    return keys


def db_count(session: Session) -> int:
    return sum(session.scalar(sa.select(sa.func.count(model.id))) or 0 for model in MODELS.values())


def iter_all(session: Session, batch: int = 2000, procs: int = 1, deferred: bool = False) -> Iterator[SearchDoc | PatentBatch]:
    """Every document, patents first, read in id order with plain queries (fast for 100k rows).
    ``procs`` > 1: the patents' texts are segmented by that many worker processes (jieba is the
    ceiling of a rebuild: about 1,700 patents a second on one core). ``deferred``: the patents come
    as :class:`PatentBatch` values, for a backend whose own writer processes build the documents."""
    if deferred:
        yield from (PatentBatch(values) for values in _batches(iter_patent_values(session, batch), DEFERRED_BATCH))
    else:
        yield from (iter_patents_parallel(session, batch, procs) if procs > 1 else iter_patents(session, batch))
    for kind in ("listing", "need"):
        model = MODELS[kind]
        last = 0
        while True:
            rows = session.scalars(
                sa.select(model).where(model.id > last).order_by(model.id).limit(batch).options(*LOAD_OPTIONS[kind])
            ).all()
            if not rows:
                break
            for obj in rows:
                yield BUILDERS[kind](obj)
            last = rows[-1].id
            session.expunge_all()


def iter_patent_values(session: Session, batch: int = 2000) -> Iterator[dict]:
    """Patents as plain dicts (ids, texts, applicants, IPC codes), ``batch`` rows per query."""
    p = Patent.__table__
    last = 0
    while True:
        rows = session.execute(
            sa.select(p.c.id, p.c.application_number, p.c.publication_number, p.c.title, p.c.abstract,
                      p.c.patent_type, p.c.legal_status, p.c.industry, p.c.filing_date, p.c.owner_org_id, p.c.office)
            .where(p.c.id > last).order_by(p.c.id).limit(batch)
        ).all()
        if not rows:
            return
        lo, hi = rows[0].id, rows[-1].id
        applicants: dict[int, list[str]] = {}
        for pid, name in session.execute(
            sa.select(PatentApplicant.patent_id, PatentApplicant.name)
            .where(PatentApplicant.patent_id.between(lo, hi)).order_by(PatentApplicant.patent_id, PatentApplicant.position)
        ):
            applicants.setdefault(pid, []).append(name)
        codes: dict[int, list[str]] = {}
        for pid, code in session.execute(
            sa.select(PatentIPC.patent_id, PatentIPC.code)
            .where(PatentIPC.patent_id.between(lo, hi)).order_by(PatentIPC.patent_id, PatentIPC.position)
        ):
            codes.setdefault(pid, []).append(code)
        for r in rows:
            yield dict(
                object_id=r.id, application_number=r.application_number, publication_number=r.publication_number or "",
                title=r.title, abstract=r.abstract or "", patent_type=r.patent_type, legal_status=r.legal_status,
                industry=r.industry, filing_date=r.filing_date, owner_org_id=r.owner_org_id,
                applicants=applicants.get(r.id, []), ipc_codes=codes.get(r.id, []), office=r.office,
            )
        last = hi


def iter_patents(session: Session, batch: int = 2000) -> Iterator[SearchDoc]:
    for values in iter_patent_values(session, batch):
        yield patent_doc_from_values(**values)


def _patent_docs(values: list[dict]) -> list[SearchDoc]:
    return [patent_doc_from_values(**v) for v in values]


def patent_docs(values: list[dict], cache: segment_cache.SegmentCache | None) -> list[SearchDoc]:
    """A batch of patents' documents, their texts looked up in ``cache`` in a few queries first."""
    if cache is None:
        return _patent_docs(values)
    cache.prefetch(chain.from_iterable((v["title"], v["abstract"], "；".join(v["applicants"])) for v in values))
    with segment_cache.using(cache):
        docs = _patent_docs(values)
    cache.flush()
    return docs


@dataclass
class PatentBatch:
    """Patents as plain values, for a backend whose writer processes build (and segment) the documents."""

    values: list[dict]

    def __len__(self) -> int:
        return len(self.values)


def _batches(values: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for v in values:
        batch.append(v)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def iter_patents_parallel(session: Session, batch: int = 2000, procs: int = 2) -> Iterator[SearchDoc]:
    """:func:`iter_patents` with the segmentation in ``procs`` spawned processes, in order. Spawned, not
    forked: a forked child would share this process's database connections."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(procs, initializer=analysis.ensure_ready) as pool:
        for docs in pool.imap(_patent_docs, _batches(iter_patent_values(session, batch), 250), chunksize=1):
            yield from docs


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]

