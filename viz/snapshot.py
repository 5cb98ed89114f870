"""Screenshots of a rendered page in headless Chromium (README images, slides), offline.

    python -m capexgraph.viz.snapshot graph.html docs/img/graph.png [--width 1280 --height 720]

Needs the playwright Python package and a Chromium (default /usr/bin/chromium; no download).
Every request other than file:, data: and about: is aborted. PNGs are palette-quantised to stay
small (README images under ~300 KB).
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from .html import atomic_write

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def snapshot(html_path: str | Path, png_path: str | Path, *, width: int = 1280, height: int = 720,
             executable: str = CHROMIUM, quantize: bool = True) -> dict:
    """Open the page, wait for the layout to settle, save a PNG; returns timing and counts."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})

            def route(r):
                if r.request.url.startswith(("file:", "data:", "about:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()
            page.route("**/*", route)
            page.on("pageerror", lambda e: errors.append(str(e)))
            t0 = time.perf_counter()
            page.goto(Path(html_path).resolve().as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=300_000)
            ready = time.perf_counter() - t0
            counts = page.evaluate("""() => ({nodes: window.capexgraph.nodeView.length,
                                              edges: window.capexgraph.edgeView.length})""")
            raw = page.screenshot()
        finally:
            browser.close()
    data = raw
    if quantize:
        try:
            from PIL import Image

            im = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            buf = io.BytesIO()
            im.save(buf, format="PNG", optimize=True)
            data = buf.getvalue()
        except ImportError:
            pass
    atomic_write(png_path, data)
    return {"ready_seconds": ready, "blocked": blocked, "errors": errors, **counts, "bytes": len(data)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m capexgraph.viz.snapshot", description=__doc__.split("\n")[0])
    ap.add_argument("html")
    ap.add_argument("png")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=720)
    ap.add_argument("--chromium", default=CHROMIUM)
    a = ap.parse_args(argv)
    info = snapshot(a.html, a.png, width=a.width, height=a.height, executable=a.chromium)
    print(f"wrote {a.png} ({info['bytes'] // 1024} KB; {info['nodes']} nodes, {info['edges']} edges "
          f"drawn; settled in {info['ready_seconds']:.2f}s)")
    if info["blocked"] or info["errors"]:
        print(f"blocked requests: {info['blocked']}; errors: {info['errors']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
