"""`capexgraph ingest-news` (articles -> reviewable candidates) and `capexgraph accept`
(reviewed candidates -> the dataset)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from capexgraph.ingest import DataError, default_data_dir, read_tables, records_from_tables
from capexgraph.ingest.articles import MAX_BYTES, ArticleError, parse_date_text, read_article
from capexgraph.ingest.candidates import candidate_rows, merge_candidates, write_candidates
from capexgraph.ingest.deals import extract
from capexgraph.ingest.mentions import EntityIndex
from capexgraph.ingest.news_eval import Evaluation, read_labels, score_article

from .common import UsageError
from .render import table

INGEST_EPILOG = """\
examples:
  capexgraph ingest-news column.txt --out candidates.csv
  capexgraph ingest-news articles/*.html articles/*.txt --out review/candidates.csv
  capexgraph ingest-news old-news.txt --encoding cp949 --out candidates.csv
  capexgraph ingest-news note.txt --publisher "Reuters" --date 2026-01-27 --url https://... --out c.csv
  capexgraph ingest-news tests/fixtures/news_eval/articles/* --labels tests/fixtures/news_eval/labels.csv

Then open candidates.csv in a spreadsheet, write yes in `accept` for the rows to keep (correct any
cell if needed; new companies need categories and country), and run `capexgraph accept candidates.csv`.
Running ingest-news again on the same articles keeps your accept marks.
"""

ACCEPT_EPILOG = """\
examples:
  capexgraph accept candidates.csv                 merge into the shipped dataset (data/)
  capexgraph accept candidates.csv --data my-data/
  capexgraph accept candidates.csv --dry-run       show what would change, write nothing
"""


def _progress(i: int, n: int, text: str) -> None:
    print(f"[{i}/{n}] {text}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    if not args.out and not args.labels:
        raise UsageError("give --out FILE.csv for the candidates (or --labels FILE.csv to evaluate)")
    if args.out:  # checked before any article is read: a wrong --out costs nothing
        out = Path(args.out)
        if out.is_dir():
            raise UsageError(f"--out {out}: is a folder; give a file name such as {out / 'candidates.csv'}")
        if not out.parent.is_dir():
            raise UsageError(f"--out {out}: the folder {out.parent} does not exist")
    override_date = None
    if args.date:
        override_date = parse_date_text(args.date)
        if override_date is None:
            raise UsageError(f"--date '{args.date}' is not a date (YYYY-MM-DD)")
    articles, errors = [], []
    for path in args.files:
        try:
            art = read_article(path, encoding=args.encoding, max_bytes=args.max_bytes)
        except ArticleError as exc:
            errors.append(str(exc))
            continue
        art.publisher = args.publisher or art.publisher
        art.url = args.url or art.url
        art.title = args.title or art.title
        art.date = override_date or art.date
        articles.append(art)
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        raise UsageError(f"{len(errors)} of {len(args.files)} file(s) could not be read; nothing was written")
    tables = read_tables(args.data)
    records = records_from_tables(tables)
    index = EntityIndex(records.entities.values(), sells=EntityIndex.sellers(records.relationships))
    names = {eid: e["name"] for eid, e in records.entities.items()}
    # the deals already in the dataset, as rows of relationships.csv: what `accept` matches against
    existing = tables.relationships
    rows, per_article = [], []
    for i, art in enumerate(articles, start=1):
        cands = [c for c in extract(art.text, index, art.language) if c.confidence >= args.min_confidence]
        per_article.append((art, cands))
        rows.extend(candidate_rows(art, cands, names, existing))
        meta = ", ".join(x for x in (art.language, art.date.isoformat() if art.date else "no date") if x)
        _progress(i, len(articles), f"{art.name} ({meta}): {len(cands)} candidate relationship(s)"
                  + "".join(f"; warning: {w}" for w in art.warnings))
    if args.labels:
        return _evaluate(args, per_article, records)
    kept = write_candidates(Path(args.out), rows)
    rels = [r for r in rows if r["kind"] == "relationship"]
    ents = [r for r in rows if r["kind"] == "entity"]
    print(f"wrote {args.out}: {len(rels)} candidate relationship(s) and {len(ents)} proposed new "
          f"compan{'y' if len(ents) == 1 else 'ies'} from {len(articles)} article(s)"
          + (f"; kept {kept} earlier review mark(s)" if kept else ""))
    if rels:
        shown = [[r["source_name"], r["type"], r["target_name"], _money(r), r["confidence"],
                  r["in_dataset"] or "new"] for r in rels[:20]]
        print(table(["source", "type", "target", "amount", "confidence", "in dataset"], shown, args.format))
    print(f"next: mark rows with yes in the accept column, then `capexgraph accept {args.out}`")
    return 0


def _money(r: dict) -> str:
    if not r["amount"]:
        return ""
    q = {"up_to": "up to ", "approximately": "~", "at_least": ">= ", "reported": "reported "}.get(r["amount_qualifier"], "")
    value = float(r["amount"])
    unit = r["currency"]
    return f"{q}{value / 1e9:,.2f}B {unit}" if value >= 1e8 else f"{q}{value:,.0f} {unit}"


def _evaluate(args: argparse.Namespace, per_article, records) -> int:
    labels = read_labels(args.labels)
    names: dict[str, set[str]] = {}
    for eid, e in records.entities.items():
        names[eid] = {n.casefold() for n in [e["name"], e.get("name_ko"), *(e.get("aliases") or [])] if n}
    scores = []
    for art, cands in per_article:
        mine = [lab for lab in labels if lab.article == art.path.stem]
        scores.append(score_article(art.path.stem, art.language, mine, cands, names))
    ev = Evaluation(scores)
    print(table(["articles", "n", "true pos.", "false pos.", "missed", "precision", "recall"], ev.rows(),
                args.format, right=[1, 2, 3, 4, 5, 6]))
    print(f"\namounts right (within 5%) on matched labels with an amount: {ev.amount_accuracy():.0%}")
    split = ev.known_split()
    print("recall by kind of label: " + "; ".join(
        f"{what} {found}/{need} ({found / need:.2f})" if need else f"{what} none"
        for what, (found, need) in (("between companies the dataset has", split["known"]),
                                    ("naming a company it lacks", split["new"]))))
    for s in scores:
        if s.false_positives or s.missed:
            print(f"  {s.article}: " + "; ".join([*(f"false positive: {x}" for x in s.false_positives),
                                                  *(f"missed: {x}" for x in s.missed)]))
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else default_data_dir()
    try:
        report = merge_candidates(Path(args.candidates), data, dry_run=args.dry_run)
    except DataError as exc:
        print(exc.summary(), file=sys.stderr)
        print(f"nothing was written to {data}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {data}: {exc.strerror or exc}; nothing was changed", file=sys.stderr)
        return 1
    verb = "would add" if args.dry_run else "added"
    print(f"{'dry run: ' if args.dry_run else ''}{verb} {len(report.relationships_added)} relationship(s), "
          f"{len(report.entities_added)} compan{'y' if len(report.entities_added) == 1 else 'ies'} and "
          f"{len(report.sources_added)} source(s); {len(report.relationships_sourced)} existing "
          f"relationship(s) gained a source; {len(report.unchanged)} already had it; "
          f"{report.rejected} row(s) not accepted")
    for rid in report.relationships_added:
        print(f"  + {rid}")
    for rid in report.relationships_sourced:
        print(f"  ~ {rid} (new source)")
    if report.changed and not args.dry_run:
        print(f"wrote {data}; run `capexgraph validate{' --data ' + str(data) if args.data else ''}` to check")
    return 0


def register(sub) -> None:
    p = sub.add_parser("ingest-news", help="propose graph facts from news articles (Korean or English)",
                       description="Read plain-text or HTML articles and propose candidate relationships "
                                   "(the two companies, type, direction, amount, date, evidence sentence, "
                                   "confidence) for review. Only sentences where grammar gives two named "
                                   "companies a role in a deal are used; names merely listed together are not "
                                   "a deal. The deal vocabulary is data/news_rules.yaml. Offline, no models.",
                       epilog=INGEST_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="article files (.txt or .html)")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="the candidates file to write")
    p.add_argument("--data", type=Path, metavar="DIR", help="dataset to resolve names against "
                                                            "(default: the shipped dataset)")
    p.add_argument("--encoding", default="utf-8", help="text encoding of the files (default utf-8; "
                                                       "older Korean pages are often cp949)")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"refuse larger files (default {MAX_BYTES:,})")
    p.add_argument("--min-confidence", type=float, default=0.5,
                   help="leave out weaker candidates (0-1, default 0.5)")
    p.add_argument("--publisher", help="publisher of the article(s), when the files do not say")
    p.add_argument("--title", help="headline, when the file does not say")
    p.add_argument("--url", help="URL of the article, when the file does not say")
    p.add_argument("--date", help="publication date YYYY-MM-DD, when the file does not say")
    p.add_argument("--labels", type=Path, metavar="LABELS.csv",
                   help="evaluate against hand labels instead of writing candidates (precision, recall)")
    p.add_argument("--format", choices=["table", "markdown"], default="table")
    p.set_defaults(func=cmd_ingest)

    a = sub.add_parser("accept", help="merge the reviewed rows of a candidates file into the dataset",
                       description="Merge the rows marked yes in `accept` into the dataset: the article "
                                   "becomes a source, a deal already in the dataset gains the source instead "
                                   "of a duplicate, new companies are added. Every problem is listed with "
                                   "the candidates file's line and field; nothing is written unless the whole "
                                   "merged dataset validates.",
                       epilog=ACCEPT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("candidates", type=Path, metavar="CANDIDATES.csv")
    a.add_argument("--data", type=Path, metavar="DIR", help="dataset folder to merge into (default: the shipped dataset)")
    a.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    a.set_defaults(func=cmd_accept)
