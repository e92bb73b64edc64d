"""Write environment.yml from the pip lock file, so conda users get exactly the same pins.

Usage: ``python tools/sync_environment.py`` (``make lock`` runs it after ``pip freeze``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
ENVIRONMENT = ROOT / "environment.yml"

HEADER = """\
# conda environment for the book. Generated from requirements/lock.txt by
# tools/sync_environment.py (`make lock`); do not edit the pins by hand.
# Node.js (for `npm ci`) and Debian's chromium (browser tests) come from the system.
name: attention-book
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def read_pins(lock: Path = LOCK) -> list[str]:
    """Return the ``name==version`` lines of the lock file, without comments."""
    pins = []
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            pins.append(line)
    return pins


def render(pins: list[str]) -> str:
    """Return the text of environment.yml for these pins."""
    return HEADER + "".join(f"      - {pin}\n" for pin in pins) + "      - -e .\n"


def main() -> int:
    """Rewrite environment.yml; return 0."""
    ENVIRONMENT.write_text(render(read_pins()), encoding="utf-8")
    print(f"wrote {ENVIRONMENT.relative_to(ROOT)} ({len(read_pins())} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
