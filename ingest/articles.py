"""Article files (plain text or HTML, Korean or English) -> text with its metadata.

A plain-text article may start with header lines, one per field, ended by a blank line:

    Title: Meta, Corning sign deal worth up to $6 billion
    Publisher: Reuters
    URL: https://www.reuters.com/...
    Date: 2026-01-27

(Korean keys work too: 제목, 매체/언론사, 주소, 날짜). An HTML page gives the same fields from its
`<meta>` tags (Open Graph, `article:published_time`), `<title>`, `<link rel=canonical>` and
`<time datetime>`; its text comes from `<article>` (else `<body>`) without scripts, navigation
and footers. Anything wrong with a file is an `ArticleError` naming the file.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: Larger files are refused: a news article is a few kB; 5 MB is a dump, not an article.
MAX_BYTES = 5_000_000

HEADER_KEYS = {
    "title": "title", "제목": "title", "headline": "title",
    "publisher": "publisher", "source": "publisher", "매체": "publisher", "언론사": "publisher",
    "url": "url", "link": "url", "주소": "url",
    "date": "date", "published": "date", "날짜": "date", "입력": "date",
    "language": "language", "lang": "language", "언어": "language",
}
_HEADER = re.compile(r"^\s*([A-Za-z가-힣]+)\s*[:：]\s*(.*?)\s*$")


class ArticleError(ValueError):
    """An input file that is not a readable article: one line that names the file."""


@dataclass
class Article:
    """The text of one article and what is known about where it came from."""

    path: Path
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: dt.date | None = None
    language: str | None = None   # 'ko' or 'en'; detected from the text when not declared
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def detect_language(text: str) -> str:
    """'ko' when Hangul makes up a fifth of the letters, else 'en'.

    >>> detect_language("엔비디아가 코어위브에 20억달러를 투자했다")
    'ko'
    >>> detect_language("Nvidia invests $2 billion in CoreWeave")
    'en'
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    hangul = sum(1 for c in letters if "\uac00" <= c <= "\ud7a3")
    return "ko" if hangul / len(letters) >= 0.2 else "en"


def parse_date_text(text: str | None) -> dt.date | None:
    """A publication date from metadata or a dateline ('2026-01-27', '2025.12.15 19:33',
    'November 3, 2025', '2026년 1월 28일'); None if it holds no full date."""
    if not text:
        return None
    text = text.strip()
    m = re.match(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    import dateparser  # heavy import: only for free-text dates

    found = dateparser.parse(text, languages=["en", "ko"],
                             settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                       "PREFER_DATES_FROM": "past"})
    return found.date() if found else None


def _decode(path: Path, data: bytes, encoding: str) -> str:
    if not data.strip():
        raise ArticleError(f"{path}: the file is empty")
    nul = data.find(b"\x00")
    if nul >= 0 and encoding.lower().replace("-", "") not in ("utf16", "utf32"):
        raise ArticleError(f"{path}: looks like a binary file, not an article "
                           f"(NUL byte at offset {nul})")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is not None and best.encoding.replace("_", "").lower() not in ("utf8", "ascii"):
                hint = f"; it looks like {best.encoding}: pass --encoding {best.encoding}"
        except Exception:  # the guess is only a hint
            pass
        raise ArticleError(f"{path}: not {encoding} text (invalid byte 0x{data[exc.start]:02x} at "
                           f"offset {exc.start}){hint}") from None
    except LookupError:
        raise ArticleError(f"unknown encoding '{encoding}' (try utf-8, cp949, euc-kr, utf-16)") from None
    text = text.lstrip("\ufeff")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise ArticleError(f"{path}: looks like a binary file, not an article "
                           f"({controls} control characters)")
    return text


def _is_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def _from_html(path: Path, html: str) -> Article:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")

    def meta(*names: str) -> str | None:
        for n in names:
            tag = soup.find("meta", attrs={"property": n}) or soup.find("meta", attrs={"name": n}) \
                or soup.find("meta", attrs={"itemprop": n})
            if tag and tag.get("content"):
                return " ".join(str(tag["content"]).split())
        return None

    title = meta("og:title", "twitter:title") or (soup.title.get_text(" ", strip=True) if soup.title else None)
    canonical = soup.find("link", attrs={"rel": "canonical"})
    url = meta("og:url") or (canonical.get("href") if canonical else None)
    time_tag = soup.find("time", attrs={"datetime": True})
    date_text = meta("article:published_time", "datePublished", "pubdate", "date", "og:article:published_time") \
        or (time_tag["datetime"] if time_tag else None)
    publisher = meta("og:site_name", "publisher", "article:publisher")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg",
                     "iframe", "button"]):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    blocks = [" ".join(el.get_text(" ", strip=True).split())
              for el in root.find_all(["h1", "h2", "h3", "p", "li", "blockquote", "td"])]
    text = "\n".join(b for b in blocks if b) or root.get_text("\n", strip=True)
    return Article(path=path, text=text, title=title, publisher=publisher, url=url,
                   date=parse_date_text(date_text))


def _from_plain(path: Path, text: str) -> Article:
    lines = text.splitlines()
    fields: dict[str, str] = {}
    body_start = 0
    for i, line in enumerate(lines[:12]):
        if not line.strip():
            if fields:
                body_start = i + 1
            break
        m = _HEADER.match(line)
        key = HEADER_KEYS.get(m.group(1).lower()) if m else None
        if not key:
            fields = {}
            break
        fields[key] = m.group(2)
    body = "\n".join(lines[body_start:]) if fields else text
    art = Article(path=path, text=body, title=fields.get("title"), publisher=fields.get("publisher"),
                  url=fields.get("url"), date=parse_date_text(fields.get("date")))
    if fields.get("date") and art.date is None:
        art.warnings.append(f"the header date '{fields['date']}' is not a full date")
    if fields.get("language") in ("ko", "en"):
        art.language = fields["language"]
    return art


def read_article(path: Path | str, encoding: str = "utf-8", max_bytes: int = MAX_BYTES) -> Article:
    """Read one article file; ArticleError (one line naming the file) if it cannot be used."""
    path = Path(path)
    if path.is_dir():
        raise ArticleError(f"{path}: is a folder; give the article files inside it")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{path}: {size / 1e6:.1f} MB is larger than the {max_bytes / 1e6:g} MB "
                               f"limit for one article (split it, or raise --max-bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    text = _decode(path, data, encoding)
    art = _from_html(path, text) if _is_html(text) else _from_plain(path, text)
    if not art.text.strip():
        raise ArticleError(f"{path}: no article text in it")
    if not any(ch.isalpha() for ch in art.text):
        raise ArticleError(f"{path}: no words in it (only numbers or symbols)")
    if art.language is None:
        art.language = detect_language(art.text)
    return art
