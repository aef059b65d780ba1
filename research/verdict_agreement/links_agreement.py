"""Agreement between two independent evidence-link annotations of one scenario file.

    .venv/bin/python research/verdict_agreement/links_agreement.py data/scenarios/links/scenarios_test38.links.jsonl \
        research/verdict_agreement/links_scenarios_test38_second.jsonl

Both files have the format of ``data/scenarios/links`` (one line per claim). A link is (organisation, claim,
practice sentence, side). Prints the links of each, those they share, the Jaccard overlap, and how many practice
sentences both link to the same claim but on opposite sides.

Result (2026-11-24, fourteenth session): ``scenarios_test38`` was linked twice after its held-out run, by two helper
sessions with the same prompt that saw neither each other's output nor any model output (the first to finish was
committed as the file's links). 114 and 114 links, 113 shared, Jaccard 0.983, no sentence on opposite sides. So the
links the reader and the evidence models learn from are close to unambiguous for these files.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from _links import read_jsonl  # noqa: E402


def links(path: Path) -> set[tuple[str, int, int, str]]:
    rows = read_jsonl(path)
    return {(r["org"], r["claim"], p, side) for r in rows for side in ("supports", "contradicts") for p in r[side]}


def main(argv: list[str] | None = None) -> int:
    first, second = (links(Path(p)) for p in (argv or sys.argv[1:]))
    shared = first & second
    rows_first = {t[:3] for t in first}
    rows_second = {t[:3] for t in second}
    both = rows_first & rows_second
    opposite = sum(((*t, "supports") in first) != ((*t, "supports") in second) for t in both)
    print(f"links {len(first)} / {len(second)}, shared {len(shared)}, Jaccard {len(shared) / len(first | second):.3f}, "
          f"linked by both on opposite sides {opposite}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
