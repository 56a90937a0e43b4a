"""Telling a rename from a loss: a removed resource and an added one of the same type that look
like one resource under a new address, and how to keep it.

Terraform identifies a resource by its address; when the address changes without a ``moved``
block, it destroys the object at the old address and creates one at the new ("Refactor modules",
https://developer.hashicorp.com/terraform/language/modules/develop/refactoring). A construct
renamed (its ``name`` prop, or the construct id in a cdktf default address) moves every address
under it. Two fixes keep the objects: keep the old name, or a ``moved { from, to }`` block per
address, which cdktf 0.21 writes with ``stack.add_override("moved", [...])`` or, on a resource you
create, ``resource.move_from_id("<old address>")`` (``TerraformResource.moveFromId``, "Refactoring",
https://developer.hashicorp.com/terraform/cdktf/examples-and-guides/refactoring).

A pair is offered only when the two bodies are the same apart from what a rename changes: the
references to other resources (renamed too), tags, and the renamed words in names (``shop-db``
and ``store-db`` for ``aws_db_instance.shop_db`` -> ``aws_db_instance.store_db``), or when both
carry the same literal name of a kind that two live objects cannot share (an RDS identifier, a
bucket name: the caller says which attributes those are, per type). A removed resource beside an
added one with other settings is a removal, not a rename.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: What a rename changes besides names: the resource's tags.
_IGNORED_KEYS = frozenset({"tags", "tags_all"})
#: cdktf's default logical id ends with a hash of the construct path.
_PATH_HASH = re.compile(r"_[0-9A-F]{8}$")
_WORD = re.compile(r"[A-Za-z0-9]+")
#: ``aws_kms_key.shop_db_key`` in ``${aws_kms_key.shop_db_key.arn}`` (not ``data.aws_region.x``).
_REFERENCE = re.compile(r"(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]*)\.[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Rename:
    """``old`` looks like ``new`` under a new address. ``same_object``: only the address changed,
    or both carry the same literal name; else the names changed with it (``changed``: the
    attributes that differ besides references and tags). ``forcing``: those of ``changed`` that
    replace the resource even after a ``moved`` block (set by the replacement guard)."""

    old: str
    new: str
    changed: tuple[str, ...] = ()
    same_object: bool = True
    forcing: tuple[str, ...] = ()


def type_of(address: str) -> str:
    """The resource type of an address: ``aws_vpc`` of ``aws_vpc.main`` (a Terraform name has
    no dot)."""
    return address.partition(".")[0]


def _words(address: str) -> tuple[str, ...]:
    """The words of a resource name, lower case, without cdktf's path hash."""
    return tuple(word.lower() for word in _WORD.findall(_PATH_HASH.sub("", address.partition(".")[2])))


def _common_lead(before: tuple[str, ...], after: tuple[str, ...]) -> int:
    """How many leading words the two names share."""
    lead = 0
    while lead < min(len(before), len(after)) and before[lead] == after[lead]:
        lead += 1
    return lead


def _name_change(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of the old name that became other words in the new one (common leading and
    trailing words dropped): ``shop_db_log_upgrade`` -> ``store_db_log_upgrade``: shop, store."""
    lead = _common_lead(before, after)
    trail = 0
    while trail < min(len(before), len(after)) - lead and before[-1 - trail] == after[-1 - trail]:
        trail += 1
    return before[lead : len(before) - trail], after[lead : len(after) - trail]


def _phrase(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words as they appear in a value: joined by one separator or none (``store-front``)."""
    joined = r"[^A-Za-z0-9]?".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![A-Za-z0-9]){joined}(?![A-Za-z0-9])", re.IGNORECASE)


Masks = tuple[re.Pattern[str], ...]


def _masks(before: tuple[str, ...], after: tuple[str, ...]) -> list[tuple[Masks, Masks]]:
    """What to mask in the old and in the new body, as alternatives: the words that changed
    (``shop`` and ``store``). A word added or dropped (``team_worker`` -> ``team_jobs_worker``)
    has nothing on the other side to stand for it, so a word next to it goes with it (``team``
    and ``team-jobs``, or ``worker`` and ``jobs-worker``), then that word alone on both sides (it
    stays in the names the rename did not touch, such as ``team-db``). Either neighbour may be
    the one that tells: with a queue ``team-jobs`` beside the worker, only ``worker`` does."""
    old, new = _name_change(before, after)
    if old and new:
        return [((_phrase(old),), (_phrase(new),))]
    if not (old or new):
        return [((), ())]
    lead = _common_lead(before, after)
    alternatives: list[tuple[Masks, Masks]] = []
    if lead:  # the word before the change
        anchor = before[lead - 1 : lead]
        alternatives.append(
            ((_phrase(anchor + old), _phrase(anchor)), (_phrase(anchor + new), _phrase(anchor)))
        )
    anchor = after[lead + len(new) : lead + len(new) + 1]  # the word after it
    if anchor:
        alternatives.append(
            ((_phrase(old + anchor), _phrase(anchor)), (_phrase(new + anchor), _phrase(anchor)))
        )
    return alternatives or [((), ())]


def _cut(text: str, phrases: Masks) -> list[str]:
    """``text`` cut at each of ``phrases`` in turn (the pieces around them, no placeholder)."""
    pieces = [text]
    for phrase in phrases:
        pieces = [part for piece in pieces for part in phrase.split(piece)]
    return pieces


def _masked(value: Any, phrases: Masks = ()) -> Any:
    """``value`` with references and tags masked, then the renamed words (``phrases``). A string
    becomes its pieces: the text around each reference and the reference's resource type, and
    each piece cut at the renamed words (no placeholder that a literal ``*`` in the other value
    could match)."""
    if isinstance(value, str):
        return [_cut(piece, phrases) for piece in _REFERENCE.split(value)]
    if isinstance(value, dict):
        return {key: _masked(item, phrases) for key, item in value.items() if key not in _IGNORED_KEYS}
    if isinstance(value, list):
        return [_masked(item, phrases) for item in value]
    return value


def _literal(value: Any) -> bool:
    """A name known at synthesis (not ``${...}``, which two objects may resolve differently)."""
    return isinstance(value, str) and bool(value) and "${" not in value


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key)))


#: How many added resources of the same type, closest names first, are tried as a removed one's
#: renamed self (and as the same object): a rename keeps most words of a name, and the bound keeps a
#: diff of stacks with hundreds of resources of one type fast.
CLOSEST_CANDIDATES = 20


def find_renames(
    removed: list[str],
    added: list[str],
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    identity_keys: Mapping[str, Iterable[str]],
) -> list[Rename]:
    """Each removed address paired with at most one added address of the same type that looks
    like it renamed, best first: the same object (same settings, or the same literal value of one
    of its type's ``identity_keys``), then the smallest change of words, then the change most other
    pairs of the stack share."""
    words = {address: _words(address) for address in (*removed, *added)}
    plain = {address: _masked(before[address]) for address in removed}
    plain |= {address: _masked(after[address]) for address in added}
    by_type: dict[str, list[str]] = {}
    same_settings: dict[tuple[str, str], list[str]] = {}
    same_name: dict[tuple[str, str, Any], list[str]] = {}
    for new in added:
        by_type.setdefault(type_of(new), []).append(new)
        same_settings.setdefault((type_of(new), json.dumps(plain[new], sort_keys=True)), []).append(new)
        for key in identity_keys.get(type_of(new), ()):
            if _literal(value := after[new].get(key)):
                same_name.setdefault((type_of(new), key, value), []).append(new)

    candidates: list[tuple[Rename, tuple[tuple[str, ...], tuple[str, ...]]]] = []
    for old in removed:
        resource_type = type_of(old)
        objects = same_settings.get((resource_type, json.dumps(plain[old], sort_keys=True)), [])
        for key in identity_keys.get(resource_type, ()):
            if _literal(value := before[old].get(key)):
                objects = objects + same_name.get((resource_type, key, value), [])
        distance = {
            new: sum(map(len, _name_change(words[old], words[new]))) for new in by_type.get(resource_type, [])
        }
        closest = sorted(distance, key=lambda new: (distance[new], new))[:CLOSEST_CANDIDATES]
        objects = sorted(set(objects), key=lambda new: (distance[new], new))[:CLOSEST_CANDIDATES]
        for new in dict.fromkeys([*objects, *closest]):
            change = _name_change(words[old], words[new])
            same_object = new in objects
            if not same_object and not any(
                _masked(before[old], old_masks) == _masked(after[new], new_masks)
                for old_masks, new_masks in _masks(words[old], words[new])
            ):
                continue
            rename = Rename(old, new, _changed(plain[old], plain[new]), same_object=same_object)
            candidates.append((rename, change))
    shared = Counter(change for _, change in candidates)

    def preference(candidate: tuple[Rename, tuple[tuple[str, ...], tuple[str, ...]]]) -> tuple[Any, ...]:
        rename, change = candidate
        return (not rename.same_object, sum(map(len, change)), -shared[change], rename.old, rename.new)

    candidates.sort(key=preference)
    taken: set[str] = set()
    chosen: dict[str, Rename] = {}
    for rename, _ in candidates:
        if rename.old not in chosen and rename.new not in taken:
            chosen[rename.old] = rename
            taken.add(rename.new)
    return [chosen[old] for old in removed if old in chosen]


#: The first line of the advice for resources that look renamed; the moved blocks follow.
LOOKS_RENAMED_ADVICE = (
    "LOOKS RENAMED: {count} removed resource(s) look like added ones under a new address. To keep "
    "them, keep the old name (the construct's `name` prop, or a plain cdktf resource's construct "
    "id), or carry their state to the new addresses with a moved block per resource, such as"
)


def rename_advice(renames: list[Rename]) -> list[str]:
    """How to keep resources that look renamed: keep the old name, or a ``moved`` block per
    resource (as Terraform reads it, and the cdktf call that writes them all), and which ones a
    moved block cannot save (a name that forces a new resource changes with the address)."""
    if not renames:
        return []
    first = renames[0]
    lines = [
        LOOKS_RENAMED_ADVICE.format(count=len(renames)),
        "  moved {",
        f"    from = {first.old}",
        f"    to   = {first.new}",
        "  }",
        "which a cdktf app (Python) writes for all of them from its stack:",
        '  stack.add_override("moved", [',
        *(f'      {{"from": "{rename.old}", "to": "{rename.new}"}},' for rename in renames),
        "  ])",
        f'or one by one, on a resource the app creates itself: resource.move_from_id("{first.old}")',
    ]
    forced = [f"{rename.old} ({', '.join(rename.forcing)})" for rename in renames if rename.forcing]
    if forced:
        lines.append(
            "A moved block carries the state, but these also change an attribute that forces a new "
            f"resource, so they are replaced anyway: {', '.join(forced)}. Keep the old name for them."
        )
    return lines
