"""Every StrEnum users see has a label for each of its values, in English and in Chinese."""

import enum
import importlib
import pkgutil
import re

import pytest
from flask_babel import force_locale

import app.domain
import app.models
from app import labels

# enums whose values are shown through a table not named after them
EXTRA = {"Stage": labels.LIFECYCLE_STAGE}
# enums that never reach a page as a bare value (internal states, or worded by the page itself)
NOT_SHOWN = {"DismissReason", "EventType", "HoldStatus", "NdaStatus", "OfferState", "PaymentKind", "ReportFormat",
             "ReportStatus", "RoyaltyKind", "SplitRule", "ThreadStatus"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _str_enums() -> dict[str, type]:
    found = {}
    for pkg in (app.models, app.domain):
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, enum.StrEnum) and value.__module__ == module.__name__:
                    found[value.__name__] = value
    return found


def _table_for(name: str):
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return EXTRA.get(name, labels.TABLES.get(snake))


def test_every_str_enum_is_either_labelled_or_known_to_stay_internal():
    undecided = {name for name in _str_enums() if _table_for(name) is None} - NOT_SHOWN
    assert undecided == set(), "give these a label table in app/labels.py (or list them in NOT_SHOWN)"
    assert NOT_SHOWN <= set(_str_enums())  # no stale names


@pytest.mark.parametrize("name", sorted(n for n in _str_enums() if n not in NOT_SHOWN))
def test_labels_cover_every_value_in_both_languages(app, name):
    enum_cls, table = _str_enums()[name], _table_for(name)
    missing = {member.value for member in enum_cls} - set(table)
    assert missing == set()
    with app.test_request_context():
        for member in enum_cls:
            with force_locale("en"):
                english = str(table[member.value])
            with force_locale("zh_CN"):
                chinese = str(table[member.value])
            assert english.strip() and not CJK.search(english), (member, english)
            assert CJK.search(chinese), (member, chinese)


@pytest.mark.parametrize("table", sorted(labels.TABLES))
def test_every_label_table_reads_in_both_languages(app, table):
    with app.test_request_context():
        for key, text in labels.TABLES[table].items():
            with force_locale("en"):
                english = str(text)
            with force_locale("zh_CN"):
                chinese = str(text)
            assert english.strip() and not CJK.search(english), (table, key, english)
            assert CJK.search(chinese), (table, key, chinese)


def test_a_search_facet_value_reads_through_the_table_of_its_field(app):
    with app.test_request_context(), force_locale("zh_CN"):
        assert labels.facet_label("type", "invention") == str(labels.PATENT_TYPE["invention"])
        assert labels.facet_label("kind", "need") == str(labels.SEARCH_KIND["need"])
        assert labels.facet_label("office", "AU") == str(labels.OFFICE["AU"])
        assert labels.facet_label("office", "BR") == "BR"  # an office with no name is shown as its code
        assert labels.facet_label("applicant", "某某大学") == "某某大学"
