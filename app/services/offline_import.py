"""Bulk entry of deals closed elsewhere, from XLSX: good rows are kept, bad rows reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from openpyxl import load_workbook

from ..domain.errors import DomainError, N_
from ..models import Center, User
from . import deals as deal_service

# header (Chinese or English) -> field
HEADERS = {
    "卖方": "seller", "转让方/许可方": "seller", "seller": "seller",
    "买方": "buyer", "受让方/被许可方": "buyer", "buyer": "buyer",
    "类型": "kind", "交易类型": "kind", "kind": "kind",
    "专利号": "patents", "申请号": "patents", "patents": "patents",
    "价格(元)": "price", "价格": "price", "price": "price",
    "完成日期": "completed_on", "completed_on": "completed_on",
    "备案号": "recordal_number", "recordal_number": "recordal_number",
    "备案日期": "recordal_date", "recordal_date": "recordal_date",
    "合同编号": "contract_ref", "contract_ref": "contract_ref",
}
REQUIRED = ("seller", "buyer", "kind", "patents", "price", "completed_on", "recordal_number", "contract_ref")
KINDS = {"转让": "transfer", "独占许可": "exclusive", "排他许可": "sole", "普通许可": "ordinary",
         "transfer": "transfer", "exclusive": "exclusive", "sole": "sole", "ordinary": "ordinary"}


@dataclass
class RowError:
    line: int
    column: str
    reason: DomainError  # translated where it is shown


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError(N_("“{value}” is not a date like 2025-03-31"), value=text[:40])


def _price(value) -> int:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as err:
        raise DomainError(N_("“{value}” is not an amount in yuan"), value=str(value)[:40]) from err
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(N_("“{value}” is not an amount in yuan"), value=str(value)[:40])
    return int(amount * 100)


def import_offline_deals(by: User, center: Center, stream: BinaryIO) -> tuple[int, list[RowError]]:
    """Returns (deals recorded, row errors). Each good row commits on its own."""
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file is the user's input error
        raise DomainError(N_("the file is not a readable XLSX workbook")) from err
    sheet = workbook.active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = {}
    for index, name in enumerate(header):
        key = HEADERS.get(str(name or "").strip().lower()) or HEADERS.get(str(name or "").strip())
        if key:
            columns[key] = index
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise DomainError(N_("missing columns: {columns}"), columns=", ".join(missing))
    done, errors = 0, []
    for line, row in enumerate(rows, start=2):
        if not row or all(v in (None, "") for v in row):
            continue
        cell = {f: (row[i] if i < len(row) else None) for f, i in columns.items()}
        column = "kind"
        try:
            kind = KINDS.get(str(cell["kind"] or "").strip().lower())
            if kind is None:
                raise DomainError(N_("unknown deal kind “{value}”"), value=str(cell["kind"])[:40])
            column = "price"
            price = _price(cell["price"])
            column = "completed_on"
            completed = _date(cell["completed_on"])
            column = "recordal_date"
            recordal_date = _date(cell["recordal_date"]) if cell.get("recordal_date") not in (None, "") else None
            column = "row"
            data = deal_service.OfflineDeal(
                seller=str(cell["seller"] or ""), buyer=str(cell["buyer"] or ""), kind=kind,
                application_numbers=[p for p in re.split(r"[;；,，\s]+", str(cell["patents"] or "")) if p],
                completed_on=completed, price_fen=price, recordal_number=str(cell["recordal_number"] or ""),
                recordal_date=recordal_date, contract_filename=str(cell["contract_ref"] or "").strip()[:300],
            )
            deal_service.record_offline(by, center, data)
            done += 1
        except DomainError as err:  # record_offline rolled its row back
            errors.append(RowError(line, err.field or column, err))
    return done, errors
