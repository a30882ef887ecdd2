from django.core.management.base import BaseCommand

from benchmarks.backtest import REPORTED_POINTS, KindResult, backtest_newest_release
from benchmarks.models import BacktestFigure

_HEADERS = (
    "kind",
    "hidden cells",
    "derivations",
    "median error",
    "90th pct error",
    "25th: median / 90th",
    "75th: median / 90th",
)
_KIND_NAMES = {
    BacktestFigure.Kind.METRO: "metro and nonmetro areas",
    BacktestFigure.Kind.STATE: "states",
    BacktestFigure.Kind.INDUSTRY: "national industries",
}


class Command(BaseCommand):
    help = (
        "Measure how far derived bands land from official ones: hide each official metro, "
        "state and industry cell of the newest release, derive it from the national band × "
        "another occupation's factor, and store the median and 90th-percentile error per kind "
        "(the figures a derived band quotes). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown", action="store_true", help="Also print the table as Markdown."
        )

    def handle(self, *args, markdown: bool, **options):
        measured = backtest_newest_release()
        if measured is None:
            self.stdout.write("No official bands to back-test.")
            return
        source, results = measured
        rows = [_row(results[kind]) for kind in BacktestFigure.Kind.values if kind in results]
        self.stdout.write(
            f"Back-test of {source}: derived medians (and 25th, 75th) against the official "
            f"cells hidden from them; absolute error in %"
        )
        self.stdout.write(_plain_table(rows))
        if markdown:
            self.stdout.write("")
            self.stdout.write(_markdown_table(rows))


def _row(result: KindResult) -> tuple[str, ...]:
    median = result.errors[50]
    others = [
        f"{result.errors[p].median}% / {result.errors[p].p90}%" if p in result.errors else "—"
        for p in REPORTED_POINTS
        if p != 50
    ]
    return (
        _KIND_NAMES[result.kind],
        f"{result.hidden_cells:,}",
        f"{result.derivations:,}",
        f"{median.median}%",
        f"{median.p90}%",
        *others,
    )


def _plain_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(_HEADERS, *rows, strict=True)]
    lines = [_HEADERS, *rows]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in lines
    )


def _markdown_table(rows: list[tuple[str, ...]]) -> str:
    lines = [
        "| " + " | ".join(_HEADERS) + " |",
        "| --- |" + " ---: |" * (len(_HEADERS) - 1),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(lines)
