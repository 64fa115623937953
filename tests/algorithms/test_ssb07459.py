"""Reading SSB table 07459 as StatBank and spreadsheets save it: both layouts, the messy
cases (encodings, separators, symbols, totals, notes) and summing into the panel's bands."""

from __future__ import annotations

import pytest

from medvirk.algorithms.population.ssb07459 import (
    Ssb07459Error,
    aggregate,
    parse,
)

BANDS = [("15-24", 15, 24), ("25-66", 25, 66), ("67+", 67, None)]
TITLE = '"07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år"'


def long_file(sep: str = ";") -> str:
    """StatBank's "semicolon-separated with heading", one number per line, two years."""
    lines = [
        TITLE,
        "",
        sep.join(
            f'"{h}"'
            for h in (
                "region",
                "kjønn",
                "alder",
                "statistikkvariabel",
                "år",
                "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
            )
        ),
    ]
    for year, extra in (("2023", 0), ("2024", 1)):
        for sex in ("Menn", "Kvinner"):
            for age, count in ((14, 50), (15, 40), (24, 30), (25, 20), (66, 10), (67, 5)):
                label = f"{age} år"
                lines.append(
                    sep.join(
                        f'"{c}"'
                        for c in ("3901 Horten", sex, label, "Personer", year, str(count + extra))
                    )
                )
        lines.append(
            sep.join(
                f'"{c}"'
                for c in ("3901 Horten", "Menn", "105 år eller eldre", "Personer", year, "1")
            )
        )
    return "\n".join(lines) + "\n"


def wide_file() -> str:
    """The default table layout: years as columns, codes for region, sex and age."""
    return (
        '"region","kjønn","alder","Personer 2023","Personer 2024"\n'
        '"K-3901 Horten","1","015",40,41\n'
        '"K-3901 Horten","2","015",38,39\n'
        '"K-3901 Horten","1","030",25,26\n'
        '"K-3901 Horten","2","030",24,":"\n'
        '"K-3901 Horten","1","080",3,4\n'
        '"K-3901 Horten","2","080",7,8\n'
        '"K-3903 Holmestrand","1","030",99,99\n'
    )


def test_long_layout_with_title_and_blank_line() -> None:
    parsed = parse(long_file().encode("utf-8"))
    assert parsed.layout == "long"
    assert parsed.delimiter == ";"
    assert parsed.skipped == []
    assert len(parsed.rows) == 2 * (2 * 6 + 1)
    assert parsed.regions() == {"3901": "Horten"}
    assert parsed.years() == [2023, 2024]
    top = [r for r in parsed.rows if r.age == 105]
    assert top and top[0].sex == "1"


def test_aggregate_latest_year_into_bands_and_sexes() -> None:
    parsed = parse(long_file())
    found = aggregate(parsed.rows, "3901", BANDS)
    assert found.year == 2024
    # 2024: each count + 1. Per sex: 15 → 41, 24 → 31, 25 → 21, 66 → 11, 67 → 6.
    assert found.by_band == {"15-24": 2 * (41 + 31), "25-66": 2 * (21 + 11), "67+": 2 * 6 + 1}
    # The "105 år eller eldre" line says 1 in both years.
    assert found.by_sex == {"1": 41 + 31 + 21 + 11 + 6 + 1, "2": 41 + 31 + 21 + 11 + 6}
    assert found.total == sum(found.by_band.values()) == sum(found.by_sex.values())
    assert found.below == 2 * 51  # age 14, under the first band: left out
    earlier = aggregate(parsed.rows, "3901", BANDS, year=2023)
    assert earlier.by_band["15-24"] == 2 * (40 + 30)


def test_comma_separated_latin1_without_quotes() -> None:
    text = long_file(",").replace('"', "")
    # The title line has commas of its own: unquoted, it splits into cells, still not a header.
    parsed = parse(text.encode("cp1252"))
    assert parsed.encoding == "windows-1252"
    assert parsed.delimiter == ","
    assert len(parsed.rows) == 26


def test_utf8_with_byte_order_mark_and_crlf() -> None:
    data = ("\ufeff" + long_file().replace("\n", "\r\n")).encode("utf-8")
    parsed = parse(data)
    assert parsed.encoding == "utf-8"
    assert len(parsed.rows) == 26


def test_wide_layout_codes_and_a_suppressed_cell() -> None:
    parsed = parse(wide_file().encode())
    assert parsed.layout == "wide"
    assert parsed.regions() == {"3901": "Horten", "3903": "Holmestrand"}
    assert [(s.line, s.code) for s in parsed.skipped] == [(5, "suppressed")]
    assert parsed.skipped[0].params["year"] == 2024
    assert "':'" in parsed.skipped[0].message
    found = aggregate(parsed.rows, "3901", BANDS)
    assert found.year == 2024
    assert found.by_band == {"15-24": 41 + 39, "25-66": 26, "67+": 4 + 8}
    assert found.by_sex == {"1": 41 + 26 + 4, "2": 39 + 8}
    assert aggregate(parsed.rows, "3901", BANDS, year=2023).by_band["25-66"] == 49


def test_tab_separated_with_english_labels() -> None:
    text = (
        "region\tsex\tage\tyear\tvalue\n"
        "3901\tMales\t20 years\t2024\t1 234\n"
        "3901\tFemales\t105 years or older\t2024\t2\n"
    )
    parsed = parse(text)
    assert [(r.sex, r.age, r.count) for r in parsed.rows] == [("1", 20, 1234), ("2", 105, 2)]


def test_messy_lines_are_skipped_with_reasons() -> None:
    text = "\n".join(
        [
            TITLE,
            '"region";"kjønn";"alder";"år";"Personer"',
            '"3901 Horten";"Begge kjønn";"20 år";"2024";"90"',  # a total
            '"3901 Horten";"Menn";"Alle aldre";"2024";"900"',  # a total
            '"3901 Horten";"Menn";"20-24 år";"2024";"90"',  # an age group, not one age
            '"3901 Horten";"Ukjent";"20 år";"2024";"1"',  # unknown sex
            '"39 Vestfold";"Menn";"20 år";"2024";"5000"',  # a fylke, not a kommune
            '"3901 Horten";"Menn";"20 år";"i fjor";"3"',  # not a year
            '"3901 Horten";"Menn";"21 år";"2024";".."',  # not available
            '"3901 Horten";"Menn";"22 år";"2024";"-"',  # SSB: nothing (0)
            '"3901 Horten";"Menn";"23 år";"2024";"tre"',  # not a number
            '"3901 Horten";"Menn";"20 år";"2024";"12"',  # good
            '"3901 Horten";"Menn";"20 år";"2024";"13"',  # the same again
            '"3901 Horten";"Menn"',  # cut short
            "",
            '"Kjelde: Statistisk sentralbyrå"',  # a note
            "",
        ]
    )
    parsed = parse(text)
    assert [(r.age, r.count) for r in parsed.rows] == [(22, 0), (20, 12)]
    assert [(s.line, s.code) for s in parsed.skipped] == [
        (3, "total"),
        (4, "total"),
        (5, "bad_age"),
        (6, "bad_sex"),
        (7, "bad_region"),
        (8, "bad_year"),
        (9, "suppressed"),
        (11, "bad_value"),
        (13, "duplicate"),
        (14, "short"),
        (16, "not_data"),
    ]
    duplicate = next(s for s in parsed.skipped if s.code == "duplicate")
    assert duplicate.params == {"first": 12}
    assert "line 12" in duplicate.message
    assert all(s.message and s.text for s in parsed.skipped)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("name,age\nKari,30\n", "no_header"),
        ('"region";"kjønn";"alder";"Personer"\n"3901 Horten";"1";"20";5\n', "no_year"),
        (
            '"region";"kjønn";"alder";"år";"Personer"\n"3901 Horten";"1";"20";"2024";":"\n',
            "no_rows",
        ),
    ],
)
def test_unusable_files_say_why(text: str, code: str) -> None:
    with pytest.raises(Ssb07459Error) as raised:
        parse(text.encode())
    assert raised.value.code == code
    assert str(raised.value)


def test_too_big_is_refused_before_reading() -> None:
    with pytest.raises(Ssb07459Error) as raised:
        parse(b"x" * 101, max_bytes=100)
    assert raised.value.code == "too_big"


def test_aggregate_names_a_missing_kommune_and_year() -> None:
    parsed = parse(wide_file())
    with pytest.raises(Ssb07459Error) as raised:
        aggregate(parsed.rows, "9901", BANDS)
    assert raised.value.code == "region_missing"
    assert "3901, 3903" in str(raised.value)
    with pytest.raises(Ssb07459Error) as raised:
        aggregate(parsed.rows, "3901", BANDS, year=2019)
    assert raised.value.code == "year_missing"
