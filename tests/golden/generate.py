"""Write the next golden log and its read models: `python -m tests.golden.generate`.

Drives the real application through the golden story on a fresh SQLite file with a fixed
clock, ids and timestamps, then writes `ledger_vN.jsonl` (the audit export: every stored
event with its topic, state and hashes) and `read_models_vN.json` (every read-model row).
A released version's files are never rewritten: a changed event class gets an upcaster and
the next version gets new files beside the old ones.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

from adapters.audit_export import export
from adapters.persistence import ledger_env
from adapters.personal_data import KeyVault
from domain.services import Ledger
from projections.runner import ReadModels
from tests.conftest import Clock
from tests.golden.determinism import SEED, fixed_ids_and_times
from tests.golden.rows import read_model_rows
from tests.golden.scenarios import tell_golden_story

FOLDER = Path(__file__).parent
START = date(2026, 11, 2)


def log_file(version: int, folder: Path = FOLDER) -> Path:
    return folder / f"ledger_v{version}.jsonl"


def read_models_file(version: int, folder: Path = FOLDER) -> Path:
    return folder / f"read_models_v{version}.json"


def versions(folder: Path = FOLDER) -> list[int]:
    """The golden versions committed in the folder, oldest first."""
    found = (re.fullmatch(r"ledger_v(\d+)\.jsonl", p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def generate(version: int, folder: Path = FOLDER) -> None:
    """Tell the golden story in a fresh ledger and write that version's two files."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'golden.sqlite'}"
        with fixed_ids_and_times():
            ledger = Ledger(env=ledger_env(url), today=Clock(START))
            seeded = random.Random(SEED)  # real encryption, the same bytes each time
            vault = KeyVault(url, bytes(32), random_bytes=seeded.randbytes)
            ledger.personal_data = vault
            tell_golden_story(ledger, ledger.today)
        models = ReadModels(url)
        models.catch_up(ledger)
        with log_file(version, folder).open("w", encoding="utf-8") as out:
            export(ledger.recorder, out)
        rows = read_model_rows(models.engine)
        text = json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False)
        read_models_file(version, folder).write_text(text + "\n", encoding="utf-8")
        models.close()
        vault.close()
        ledger.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, help="default: one after the newest in the folder")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="rewrite an existing version: only one that no released ledger has written",
    )
    parser.add_argument("--folder", type=Path, default=FOLDER)
    options = parser.parse_args(argv)
    version = options.version or max(versions(options.folder), default=0) + 1
    if log_file(version, options.folder).exists() and not options.overwrite:
        print(f"{log_file(version, options.folder)} exists: golden files are never rewritten")
        return 1
    generate(version, options.folder)
    print(
        f"wrote {log_file(version, options.folder)} and {read_models_file(version, options.folder)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
