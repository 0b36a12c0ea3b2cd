from app.search.query import build, parse


def test_advanced_form_fields_become_the_search_language():
    text = build(words="石墨烯 导热", phrase="锂离子 电池", title="隔膜", applicant="太原理工大学",
                 ipc="H01M 10/052; C01B", year_from=2021, year_to=2018, patent_type="invention",
                 status="granted", exclude="回收")
    assert text == ('石墨烯 导热 "锂离子 电池" title:隔膜 applicant:"太原理工大学" ipc:"H01M 10/052" ipc:C01B '
                    'year:2018-2021 type:invention status:granted -回收')
    parsed = parse(text)
    fields = [(g.field, g.negated) for g in parsed.groups]
    assert ("ipc", False) in fields and ("year", False) in fields and ("type", False) in fields
    assert ("status", False) in fields and ("applicant", False) in fields and (None, True) in fields
    year = next(g for g in parsed.groups if g.field == "year")
    assert (year.low, year.high) == (2018, 2021) and not parsed.warnings


def test_quotes_and_blanks_cannot_break_the_query():
    assert build() == ""
    assert build(applicant='某"公司', year_from=2020) == 'applicant:"某 公司" year:2020'
