"""Importing IMDb's dataset files at their real size: a generated title.basics of 12 million
rows (mostly episodes, as the real one is) with its crew and names, imported by
`cinebot catalogue` in a child process. Reports the time, the rows per second, the peak
memory, and a baseline from the same run: reading the same file line by line and splitting
it on tabs, the least any importer has to do.

    make bench-catalogue                     -> benchmarks/CATALOGUE.md
    make bench-catalogue ARGS="--rows 200000"  (a quick run)
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKDIR = REPO / "data" / "bench" / "imdb-datasets"
GENRES = [
    "Action",
    "Comedy",
    "Drama",
    "Crime",
    "Thriller",
    "Horror",
    "Romance",
    "Documentary",
    "Short",
    "Sci-Fi",
    "Animation",
    "Family",
    "News",
    "Reality-TV",
]
KINDS = [
    ("tvEpisode", 0.62),
    ("short", 0.08),
    ("movie", 0.06),
    ("video", 0.02),
    ("tvSeries", 0.02),
    ("tvMovie", 0.01),
    ("videoGame", 0.01),
    ("tvSpecial", 0.01),
]


def generate(folder: Path, rows: int, seed: int = 7) -> dict[str, int]:
    """title.basics with `rows` rows; crew and names for its films. Written once per size."""
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / f"rows-{rows}"
    if done.is_file():
        return json.loads(done.read_text())
    rng = random.Random(seed)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    films = 0
    with (
        open(folder / "title.basics.tsv", "w", encoding="utf-8") as basics,
        open(folder / "title.crew.tsv", "w", encoding="utf-8") as crew,
    ):
        basics.write(
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\t"
            "endYear\truntimeMinutes\tgenres\n"
        )
        crew.write("tconst\tdirectors\twriters\n")
        for n in range(1, rows + 1):
            kind = rng.choices(kinds, weights)[0]
            title = f"Generated Title {n}"
            year = rng.randint(1900, 2026)
            genres = ",".join(rng.sample(GENRES, rng.randint(1, 3)))
            runtime = str(rng.randint(5, 200)) if rng.random() < 0.7 else "\\N"
            adult = "1" if rng.random() < 0.02 else "0"
            basics.write(
                f"tt{n:08d}\t{kind}\t{title}\t{title}\t{adult}\t{year}\t\\N\t{runtime}\t{genres}\n"
            )
            crew.write(f"tt{n:08d}\tnm{rng.randint(1, 500_000):07d}\t\\N\n")
            films += kind in {"movie", "tvMovie"}
    with open(folder / "name.basics.tsv", "w", encoding="utf-8") as names:
        names.write(
            "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"
        )
        for n in range(1, 500_001):
            names.write(f"nm{n:07d}\tPerson {n}\t\\N\t\\N\tdirector\t\\N\n")
    facts = {"rows": rows, "films": films}
    done.write_text(json.dumps(facts))
    return facts


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from config import Settings
from index import Engine
started = time.perf_counter()
engine = Engine(Settings(index_dir=Path(sys.argv[2])))
done = engine.import_catalogue([Path(sys.argv[1])], tmdb=False)
report = next(iter(done.sources.values()))
print(json.dumps({"seconds": time.perf_counter() - started, "rows": report.rows, "kept": report.kept,
                  "skipped": report.skipped, "films": done.films,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def import_in_child(folder: Path, index_dir: Path) -> dict[str, float]:
    """`cinebot catalogue` on the folder, in a fresh process (so its peak memory is its own)."""
    import shutil

    shutil.rmtree(index_dir, ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), str(index_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def baseline(folder: Path) -> float:
    """Seconds to read title.basics line by line and split each line on tabs."""
    started = time.perf_counter()
    with open(folder / "title.basics.tsv", encoding="utf-8") as handle:
        for line in handle:
            line.rstrip("\n").split("\t")
    return time.perf_counter() - started


def run(rows: int, out: Path | None, workdir: Path = WORKDIR) -> str:
    folder = workdir / f"{rows}"
    facts = generate(folder, rows)
    floor = baseline(folder)
    measured = import_in_child(folder, folder.parent / f"index-{rows}")
    size = (folder / "title.basics.tsv").stat().st_size
    lines = [
        "# Importing IMDb's dataset files",
        "",
        f"A generated title.basics of {rows:,} rows ({size / 2**20:,.0f} MiB; {facts['films']:,} "
        "of them films: movie or tvMovie, the rest episodes, series, shorts, videos and games, "
        "in about the real file's proportions), with title.crew and a name.basics of 500,000 "
        "people. `cinebot catalogue` imports it in a fresh process.",
        "",
        "| step | seconds | rows/s | vs baseline | peak memory MiB |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| baseline: read title.basics line by line and split on tabs | {floor:,.1f} | "
        f"{rows / floor:,.0f} | 1.00x | - |",
        f"| `cinebot catalogue` (basics, crew and names; catalogue written) | "
        f"{measured['seconds']:,.1f} | {rows / measured['seconds']:,.0f} | "
        f"{measured['seconds'] / floor:.2f}x | {measured['peak_mib']:,.0f} |",
        "",
        f"Rows read {measured['rows']:,}; films kept {measured['kept']:,}; rows skipped "
        f"{measured['skipped']:,} (not films, or adult); films in the catalogue {measured['films']:,}.",
        "",
        "Memory stays bounded because each file is read once, line by line: only the kept "
        "films' ids (as integers) and the people they need are held in memory, and rows go "
        "to a scratch SQLite file in batches.",
        "",
    ]
    report = "\n".join(lines)
    if out is not None:
        out.write_text(report, encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=12_000_000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "CATALOGUE.md")
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    args = parser.parse_args()
    print(run(args.rows, args.out, args.workdir))


if __name__ == "__main__":
    main()
