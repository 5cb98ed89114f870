"""`capexgraph validate` on small broken datasets: every message names file, row and field."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from capexgraph.ingest import COLUMNS


def edit(root: Path, table: str, index: int, field: str, value: str) -> int:
    """Set one cell (data row `index`, 0-based) and return its line number in the file."""
    path = root / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[index][field] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS[table], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return index + 2


def test_fixture_is_valid(cli, mini):
    r = cli("validate", "--data", mini)
    assert r.code == 0, r.err
    assert "no problems" in r.out


CASES = [
    # table, row, field, bad value, words the message must contain
    ("relationships", 0, "target", "nvdia", "unknown entity 'nvdia' (did you mean 'nvidia'?)"),
    ("relationships", 0, "type", "suplies", "unknown relationship type 'suplies'"),
    ("relationships", 0, "date", "2025-13-01", "not a real date"),
    ("relationships", 0, "date", "27/01/2026", "is not a date"),
    ("relationships", 0, "date", "2999-01-01", "in the future"),
    ("relationships", 0, "amount", "-5", "negative"),
    ("relationships", 0, "amount", "six billion", "is not a number"),
    ("relationships", 0, "source_ids", "", "missing source"),
    ("relationships", 0, "source_ids", "nope", "unknown source 'nope'"),
    ("relationships", 0, "status", "signed", "unknown status 'signed'"),
    ("entities", 0, "categories", "gpu", "unknown category 'gpu'"),
    ("entities", 1, "id", "FOO BAR", "must be lowercase"),
    ("entities", 0, "country", "USA", "two-letter ISO country code"),
    ("sources", 0, "url", "", "missing URL"),
    ("sources", 0, "url", "www.example.com/x", "not an http(s) URL"),
    ("sources", 0, "date", "", "missing date"),
    ("facts", 0, "value", "abc", "is not a number"),
    ("facts", 0, "metric", "profit", "unknown metric 'profit'"),
    # a supply row says what it supplies, a fact's fields mean what its metric says
    ("relationships", 0, "product_class", "", "missing product class: a supplies row says what it supplies"),
    ("relationships", 0, "product_class", "fibre", "unknown product class 'fibre'"),
    ("relationships", 1, "product_class", "accelerators", "a invests_in relationship has no product class"),
    ("relationships", 0, "status", "loi", "unknown status 'loi'"),
    ("sources", 0, "date_basis", "guessed", "unknown date basis 'guessed'"),
]


@pytest.mark.parametrize("table,index,field,value,words", CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3] or 'empty'}" for c in CASES])
def test_each_error_names_file_row_and_field(cli, mini, table, index, field, value, words):
    line = edit(mini, table, index, field, value)
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert "Traceback" not in r.err
    expected = f"{mini / (table + '.csv')}:{line}: field '{field}': "
    hits = [l for l in r.err.splitlines() if l.startswith(expected)]
    assert hits, r.err
    assert any(words in h for h in hits), r.err


def test_a_place_row_carrying_money_is_refused(cli, mini):
    """A located_in row records where a company produces; an investment in the sites is a fact
    (site_investment), so the exposure model never reads it as money flowing to a country."""
    line = edit(mini, "relationships", 0, "type", "located_in")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert (f"{mini / 'relationships.csv'}:{line}: field 'amount': a located_in row records a place, "
            "not money: put the investment in facts.csv as a site_investment fact") in r.err, r.err


def test_a_company_nothing_cites_is_refused(cli, mini):
    """Corning's only relationship is re-pointed at Microsoft: Corning is now cited nowhere."""
    edit(mini, "relationships", 0, "source", "microsoft")
    with open(mini / "entities.csv", encoding="utf-8") as fh:
        line = next(i for i, r in enumerate(csv.DictReader(fh), start=2) if r["id"] == "corning")
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert (f"{mini / 'entities.csv'}:{line}: field 'source_ids': company 'corning' is cited nowhere"
            in r.err), r.err


def test_duplicate_id_points_at_first_use(cli, mini):
    with open(mini / "entities.csv", encoding="utf-8") as fh:
        first = list(csv.DictReader(fh))[0]["id"]
    line = edit(mini, "entities", 2, "id", first)
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert f"entities.csv:{line}: field 'id': duplicate id '{first}' (first used on line 2)" in r.err


def test_all_problems_are_reported_at_once(cli, mini):
    edit(mini, "relationships", 2, "target", "nobody")
    edit(mini, "sources", 1, "date", "soon")
    edit(mini, "entities", 0, "categories", "")
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert "3 problems found" in r.err
    for words in ("unknown entity 'nobody'", "'soon' is not a date", "missing category"):
        assert words in r.err


def test_missing_file_and_column(cli, mini):
    (mini / "facts.csv").unlink()
    text = (mini / "sources.csv").read_text(encoding="utf-8").replace("publisher,", "publsher,", 1)
    (mini / "sources.csv").write_text(text, encoding="utf-8")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "facts.csv: missing file" in r.err
    assert "sources.csv:1: field 'publisher': missing column" in r.err
    assert "sources.csv:1: field 'publsher': unknown column" in r.err


def test_non_utf8_file(cli, mini):
    (mini / "entities.csv").write_bytes("id,name\nx,Caf\xe9\n".encode("latin-1"))
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "entities.csv:2: byte 0xe9 is not UTF-8" in r.err and "save it as UTF-8" in r.err
    assert "relationships.csv" in r.err  # the bad byte hides nothing else


def test_a_doubled_column_is_the_cause_and_its_consequences_fold(cli, mini):
    """A header that names 'date' twice (where 'status' belonged) gives one line for the header
    and one count for the rows it breaks, not one line per row."""
    path = mini / "relationships.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",status,", ",date,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = len(lines) - 1
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "relationships.csv:1: field 'date': column appears twice" in r.err
    assert f"relationships.csv:1: field 'status': missing column (and {rows} row problems it causes)" in r.err
    assert r.err.count("relationships.csv:") == 2


def test_a_ragged_row_and_an_open_quote_hide_nothing_else(cli, mini):
    edit(mini, "sources", 1, "date", "soon")
    path = mini / "relationships.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",extra,cells"
    lines.append('x-y,"unclosed,quote')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    import csv

    n = len(next(csv.reader([lines[1]])))
    assert f"relationships.csv:2: {n} cells, the header has {n - 2} columns" in r.err
    assert f"relationships.csv:{len(lines)}: a quote opened here is never closed" in r.err
    assert "'soon' is not a date" in r.err       # the other table's problem is still reported


def test_build_refuses_invalid_data_with_same_messages(cli, mini, tmp_path):
    edit(mini, "relationships", 0, "target", "nvdia")
    out = tmp_path / "g.json"
    r = cli("export", "--format", "json", "--out", out, "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "unknown entity 'nvdia' (did you mean 'nvidia'?)" in r.err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [mini]  # nothing half-written beside it


def test_not_a_dataset_folder(cli, tmp_path):
    r = cli("stats", "--data", tmp_path / "nowhere")
    assert r.code == 1 and "Traceback" not in r.err
    assert "not a directory holding a capexgraph dataset" in r.err


def test_fact_fields_follow_their_metric(cli, mini):
    """A China share names its place and its basis; a market share names its product class."""
    path = mini / "facts.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    base = {**rows[0], "counterparty": "", "segment": "", "basis": ""}
    rows += [{**base, "id": "x1", "metric": "revenue_share_region", "counterparty": "microsoft"},
             {**base, "id": "x2", "metric": "revenue_share_region", "counterparty": "jur_us"},
             {**base, "id": "x3", "metric": "market_share", "segment": "hbmm"},
             {**base, "id": "x4", "metric": "capacity_share", "counterparty": "jur_us", "basis": "bill_to"}]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS["facts"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    (mini / "entities.csv").write_text((mini / "entities.csv").read_text(encoding="utf-8")
                                       + "jur_us,United States,,,,,US,jurisdiction,jurisdiction,,\n", encoding="utf-8")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"{path}:3: field 'counterparty': revenue_share_region needs a jurisdiction id" in r.err
    assert f"{path}:4: field 'basis': missing basis" in r.err
    assert f"{path}:5: field 'segment': unknown product class 'hbmm' (did you mean 'hbm'?)" in r.err
    assert f"{path}:6: field 'basis': capacity_share has no basis" in r.err


def test_exchange_rates_are_checked_and_used(cli, mini):
    """A rate needs a known currency, a positive number, a year or date and a source; with one,
    an amount in that currency gets a USD value that says how it was converted."""
    (mini / "fx_rates.csv").write_text(
        "currency,period,units_per_usd,kind,source_id,note\n"
        "KRW,2025,1422.16,annual_average,seed-s001,\n"
        "XYZ,2025,-3,annual_average,nope,\n", encoding="utf-8")
    r = cli("validate", "--data", mini)
    assert r.code == 1
    fx = mini / "fx_rates.csv"
    assert f"{fx}:3: field 'currency': unknown currency 'XYZ'" in r.err
    assert f"{fx}:3: field 'units_per_usd': '-3' is not a positive number" in r.err
    assert f"{fx}:3: field 'source_id': unknown source 'nope'" in r.err
    fx.write_text("currency,period,units_per_usd,kind,source_id,note\nKRW,2025,1422.16,annual_average,seed-s001,\n",
                  encoding="utf-8")
    rel = mini / "relationships.csv"
    rows = list(csv.DictReader(open(rel, encoding="utf-8", newline="")))
    rows[0].update(amount="1422160000000", currency="KRW", date="2025-06-01")
    with open(rel, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS["relationships"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    from capexgraph.graph import load_graph

    g = load_graph(mini)
    d = g.edges[rows[0]["source"], rows[0]["target"], rows[0]["id"]]
    assert d["amount_usd"] == pytest.approx(1e9)
    assert "1 USD = 1,422 KRW (annual average 2025" in d["amount_usd_note"]


def test_a_character_xml_forbids_is_caught_before_any_export(cli, mini):
    edit(mini, "entities", 0, "name", "Acme\x0bCorp")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "entities.csv:2: field 'name': contains U+000B (vertical tab), which XML 1.0 forbids" in r.err


def test_a_lone_carriage_return_is_named_not_split_into_two_rows(cli, mini):
    path = mini / "entities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",", ",\r", 1)
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "Traceback" not in r.err
    assert "entities.csv:2: a carriage return (\\r) inside a line" in r.err
    assert "cells, the header has" not in r.err


def test_source_tiers_come_from_the_publishers_table(cli, mini):
    """A source is as citable as its URL's host (data/publishers.csv); stats reports the shares and
    explain names each source's tier; a bad tier in the table is refused with its line."""
    import json

    (mini / "publishers.csv").write_text("host,tier,note\nsec.gov,primary,\nexample.com,major,\n",
                                         encoding="utf-8")
    r = cli("stats", "--data", mini, "--sources", "--format", "json")
    assert r.code == 0, r.err
    tiers = json.loads(r.out)["source_tiers"]
    with open(mini / "sources.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(tiers["sources"].values()) == len(rows)
    hosts = [row["url"].split("/")[2].removeprefix("www.") for row in rows]
    assert tiers["sources"]["primary"] == sum(h == "sec.gov" or h.endswith(".sec.gov") for h in hosts)
    (mini / "publishers.csv").write_text("host,tier\nsec.gov,best\n", encoding="utf-8")
    r = cli("validate", "--data", mini)
    bad = cli("stats", "--data", mini)
    assert bad.code == 1 and "publishers.csv:2: field 'tier': 'best' is not one of primary, major, trade" in bad.err


def _append(root: Path, table: str, rows: list[dict]) -> None:
    path = root / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        old = list(csv.DictReader(fh))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS[table], lineterminator="\n")
        w.writeheader()
        w.writerows(old + [{c: r.get(c, "") for c in COLUMNS[table]} for r in rows])


def _deal(rid: str, status: str, date: str, amount: str = "", product: str = "AI compute capacity") -> dict:
    return {"id": rid, "source": "coreweave", "target": "openai", "type": "cloud_capacity",
            "product": product, "product_class": "cloud_compute", "amount": amount,
            "currency": "USD" if amount else "", "date": date, "status": status,
            "source_ids": "src-reuters-cw-openai"}


def test_a_possible_duplicate_must_be_folded_or_linked(cli, mini):
    """Two rows of one pair, type and product a few months apart could be one deal counted twice:
    validate names both; a 'separate' link with its reason, or folding, clears it."""
    (mini / "links.csv").unlink()
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert "relationships.csv:5: field 'id': possible duplicate of 'cw-openai-1' (line 4)" in r.err
    (mini / "links.csv").write_text("row_id,link,other_id,note\ncw-openai-2,separate,cw-openai-1,\n"
                                    "cw-openai-3,separate,cw-openai-1,adds to March\n"
                                    "cw-openai-3,separate,cw-openai-2,adds to May\n", encoding="utf-8")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "links.csv:2: field 'note': say why the two rows are separate deals" in r.err
    assert "possible duplicate" not in r.err


def test_a_letter_of_intent_and_the_deal_that_replaced_it_are_linked(cli, mini):
    """An LOI followed by the definitive deal between the same parties: validate asks which
    replaced which; the replaced row becomes 'superseded' and carries no money in exposure."""
    _append(mini, "relationships", [_deal("loi", "letter_of_intent", "2024-01", "50000000000", "framework"),
                                    _deal("definitive", "announced", "2024-06", "20000000000", "GPU cloud")])
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "a definitive deal 5 months after the letter of intent 'loi'" in r.err
    with open(mini / "links.csv", "a", encoding="utf-8") as fh:
        fh.write("definitive,supersedes,loi,\n")
    r = cli("validate", "--data", mini)
    assert r.code == 1 and "'loi' is replaced, so its status is superseded (now 'letter_of_intent')" in r.err
    edit(mini, "relationships", 5, "status", "superseded")
    r = cli("validate", "--data", mini)
    assert r.code == 0, r.err
    with open(mini / "links.csv", "w", encoding="utf-8") as fh:
        fh.write("row_id,link,other_id,note\ncw-openai-2,separate,cw-openai-1,a\ncw-openai-3,separate,"
                 "cw-openai-1,b\ncw-openai-3,separate,cw-openai-2,c\nloi,supersedes,nope,\n")
    r = cli("validate", "--data", mini)
    assert "field 'other_id': unknown relationship 'nope'" in r.err
    assert "relationships.csv:7: field 'status': a superseded row needs the row that replaced it" in r.err


def test_a_superseded_row_carries_no_weight(mini):
    """The replaced letter of intent's $50B never reaches the exposure weights; the deal does."""
    from capexgraph.ingest import load_records
    from capexgraph.graph import build_graph
    from capexgraph.queries.weights import derive_weights

    _append(mini, "relationships", [_deal("loi", "superseded", "2024-01", "50000000000", "framework"),
                                    _deal("definitive", "announced", "2024-06", "20000000000", "GPU cloud")])
    with open(mini / "links.csv", "a", encoding="utf-8") as fh:
        fh.write("definitive,supersedes,loi,\n")
    records = load_records(mini)
    weights = derive_weights(build_graph(records), records.schema)
    parts = [p for ch in weights.edges.values() for e in ch.values() for p in e.parts]
    assert not [p for p in parts if "loi" in p.rels]
    assert [p for p in parts if "definitive" in p.rels and p.w > 0]


def test_a_source_naming_an_outlet_it_is_not_published_by_is_refused(cli, mini):
    """A 'Reuters' page on a mirror's IP address is not Reuters' page: the publisher is whoever
    publishes the URL, and a copy says so ('Reuters, via ...')."""
    (mini / "publishers.csv").write_text("host,publisher,tier,note\nreuters.com,Reuters,major,\n", encoding="utf-8")
    line = edit(mini, "sources", 0, "publisher", "Reuters (mirror)")
    edit(mini, "sources", 0, "url", "http://3.127.128.221/article")
    r = cli("validate", "--data", mini)
    assert r.code == 1
    assert (f"sources.csv:{line}: field 'publisher': 'Reuters (mirror)' names Reuters, but the page is on "
            f"3.127.128.221") in r.err
    edit(mini, "sources", 0, "publisher", "Reuters, via an unidentified mirror")
    assert cli("validate", "--data", mini).code == 0


def test_the_audit_lists_stale_statuses_and_weak_rows(cli, mini):
    """`stats --audit`: an acquisition still 'announced' two years on is listed for a check, a
    completed one is not; every relationship and the latest figure of each kind are counted by
    the tier of their source."""
    import datetime as dt
    import json

    old = (dt.date.today() - dt.timedelta(days=730)).isoformat()
    _append(mini, "relationships", [
        {"id": "old-deal", "source": "nvidia", "target": "coreweave", "type": "acquires", "product": "shares",
         "date": old, "status": "announced", "source_ids": "src-reuters-cw-openai"},
        {"id": "closed-deal", "source": "meta", "target": "corning", "type": "acquires", "product": "shares",
         "date": old, "status": "completed", "source_ids": "src-reuters-cw-openai"}])
    _append(mini, "facts", [{"id": "f2", "entity": "coreweave", "metric": "revenue", "value": "1915000000",
                             "unit": "USD", "period": "FY2024", "source_id": "src-awarelab-cw"}])
    r = cli("stats", "--data", mini, "--audit", "--format", "json")
    assert r.code == 0, r.err
    a = json.loads(r.out)["audit"]
    assert [x["id"] for x in a["stale"]] == ["old-deal"]
    assert {(x["entity"], x["metric"]) for x in a["figures"]} == {("coreweave", "revenue"),
                                                                  ("coreweave", "revenue_share_customer")}
    text = cli("stats", "--data", mini, "--audit")
    assert "statuses that may be stale (1:" in text.out and "old-deal" in text.out
