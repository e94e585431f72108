"""Screenshots of the e2e steps: every step under test-artifacts/e2e/, and the curated ones for
the editors' guide into docs/images/editors/ when FOLIO_E2E_DOCS_SCREENSHOTS=1.

    FOLIO_E2E_DOCS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/e2e -p no:cacheprovider
"""

import os
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
DOCS_IMAGES = ROOT / "docs" / "images" / "editors"


def docs_screenshots_wanted() -> bool:
    return os.environ.get("FOLIO_E2E_DOCS_SCREENSHOTS") == "1"


class Screenshots:
    """Numbered PNGs of one test's steps, in a directory of its own (safe under xdist)."""

    def __init__(self, test_name: str):
        self.directory = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.started = self.last = time.monotonic()

    def take(self, page, name: str, *, docs: str | None = None, locator=None) -> Path:
        """Save the page (or one element of it); `docs` names the copy for the guide."""
        self.count += 1
        path = self.directory / f"{self.count:02d}-{name}.png"
        if locator is None:
            page.screenshot(path=str(path), animations="disabled")
        else:
            self._element(page, locator, path)
        now = time.monotonic()
        with (self.directory / "steps.txt").open("a") as log:  # how long each step took
            log.write(f"{path.name}\t{now - self.last:.1f}s\t{now - self.started:.1f}s\n")
        self.last = now
        if docs and docs_screenshots_wanted():
            DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_IMAGES / f"{docs}.png")
        return path

    @staticmethod
    def _element(page, locator, path: Path) -> None:
        # The admin scrolls inside its own layout: an element taller than the window is shot
        # in a window tall enough for all of it.
        size = page.viewport_size
        box = locator.bounding_box()
        if box and box["height"] > size["height"] - 120:
            page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 240})
        try:
            locator.scroll_into_view_if_needed()
            locator.screenshot(path=str(path), animations="disabled")
        finally:
            page.set_viewport_size(size)
