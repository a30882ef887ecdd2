"""Round history: what changed between the rounds of a negotiation, and by how much.

Pure Python like the engine it reads (no Django): each round is a snapshot of the offer's
negotiated fields and, where it can be computed, the engine's result for it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from offers.compensation import CompensationResult


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: object
    after: object
    delta: Decimal | None  # after - before, for numbers


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def changes_between(
    before: Mapping[str, object], after: Mapping[str, object], labels: Mapping[str, str]
) -> tuple[FieldChange, ...]:
    """Fields whose value differs between two snapshots, in `labels` order, with the change."""
    changes = []
    for field, label in labels.items():
        old, new = before.get(field), after.get(field)
        old_number, new_number = _number(old), _number(new)
        if old_number is not None and new_number is not None:
            if old_number == new_number:
                continue
            delta = new_number - old_number
        elif old == new or (old in (None, "") and new in (None, "")):
            continue
        else:
            delta = None
        changes.append(FieldChange(field, label, old, new, delta))
    return tuple(changes)


@dataclass(frozen=True)
class RoundEntry:
    number: int
    label: str
    who: str
    result: CompensationResult | None
    changes: tuple[FieldChange, ...]  # against the round before; empty for the first
    first_year_change: Decimal | None
    average_yearly_change: Decimal | None


def negotiation_rounds(
    versions: Sequence[tuple[int, str, str, Mapping[str, object], CompensationResult | None]],
    labels: Mapping[str, str],
) -> tuple[RoundEntry, ...]:
    """(number, label, who, snapshot, result) per version, oldest first → what changed."""
    rounds = []
    previous = None
    for number, label, who, snapshot, result in versions:
        changes: tuple[FieldChange, ...] = ()
        first_year = average = None
        if previous is not None:
            changes = changes_between(previous[0], snapshot, labels)
            if result is not None and previous[1] is not None:
                first_year = result.first_year_total - previous[1].first_year_total
                average = result.average_yearly_total - previous[1].average_yearly_total
        rounds.append(RoundEntry(number, label, who, result, changes, first_year, average))
        previous = (snapshot, result)
    return tuple(rounds)
