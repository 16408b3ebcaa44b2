"""Materialised measures: a plan's measured criterion inputs are kept in the
cache and used only while the plan's data are unchanged.

Computing every criterion of a plan live takes one query per measure
window; the dashboard, the staff activity page and the reports all need
them, for pages read far more often than anything is registered. So the
inputs (``criterion_inputs``: the measured series of every criterion, as of
one day) are stored in Django's cache under a key that holds the plan's
*data token*, and every write that can change them gives the plan a new
token. A stored value is therefore only ever read back for exactly the data
it was computed from; tests/plans/test_freshness.py checks that the stored
and the live computation agree after every kind of write.

Tokens are random (not counters): a token lost from the cache is replaced
by a new one, which can never name an old value. Because the token changes
again when the writing transaction commits, a reader cannot keep values
computed from data older than the token it stores them under.

Writes reach here two ways: Django's model signals for every model of the
domain apps (``connect_signals``, called by the plans app's ``ready``), and
``plan_data_changed`` called by the bulk paths that bypass signals
(bulk_create, queryset update and delete, raw SQL in the importers).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete

from .history import is_change_history


def _code_version() -> str:
    """Changes whenever the code that computes the stored values changes (a
    new release, or an edited file on a developer's machine), so values
    stored by other code are never read: the file cache outlives a restart."""
    import hashlib
    from importlib.metadata import version
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(version("fremdrift").encode())
    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(
                f"{path.relative_to(package)}:{path.stat().st_mtime_ns}".encode()
            )
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()
# Apps whose rows feed measures, verdicts and reports.
DOMAIN_APPS = ("plans", "registrations", "statistics", "evidence", "reports")
# A day: a stored value unused for a day is recomputed on the next read.
STORED_SECONDS = 24 * 3600
EVERY_PLAN = "all"
# Keys made by this thread (plan_data_changed: was anything read since?).
_thread = threading.local()


def _token_key(plan_id: int | str) -> str:
    return f"fremdrift:plan-data-token:{plan_id}"


def _token(plan_id: int | str) -> str:
    key = _token_key(plan_id)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        # add, not set: two readers that both missed agree on one token.
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token
    return str(token)


def data_key(plan_id: int, *parts: object) -> str:
    """A cache key for a value computed from plan ``plan_id``'s data (and
    ``parts``: the day, the settings), valid until the plan's data change."""
    _thread.keys_made = getattr(_thread, "keys_made", 0) + 1
    tokens = f"{_token(EVERY_PLAN)}.{_token(plan_id)}"
    detail = ".".join(str(p) for p in parts)
    return f"fremdrift:plan-data:{CODE_VERSION}:{plan_id}:{tokens}:{detail}"


def _renew(plan_ids: Iterable[int | str]) -> None:
    cache.set_many(
        {_token_key(i): uuid.uuid4().hex for i in set(plan_ids)}, timeout=None
    )


class _RenewAtCommit:
    """The plans a transaction wrote to, renewed when it commits; and how
    many keys this thread had made when they were last renewed."""

    def __init__(self) -> None:
        self.ids: set[int | str] = set()
        self.keys_made = -1

    def __call__(self) -> None:
        _renew(self.ids)


def plan_data_changed(plan_ids: int | Iterable[int] | None) -> None:
    """Call after a write to plan(s) ``plan_ids`` that did not go through
    ``Model.save``/``delete`` (bulk and raw writes); ``None`` means every
    plan.

    The tokens change at once, so that this transaction's own later reads
    miss, and again when it commits, so that no reader keeps what it
    computed before the commit under a token it read in between. Within one
    transaction each plan is renewed once however many rows it writes."""
    if plan_ids is None:
        ids: set[int | str] = {EVERY_PLAN}
    elif isinstance(plan_ids, int):
        ids = {plan_ids}
    else:
        ids = set(plan_ids)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _renew(ids)
        return
    # The transaction's own callback, if it has one yet (a rolled-back
    # transaction's callbacks are dropped with it).
    at_commit = next(
        (f for _, f, _ in connection.run_on_commit if isinstance(f, _RenewAtCommit)),
        None,
    )
    if at_commit is None:
        at_commit = _RenewAtCommit()
        transaction.on_commit(at_commit)
    made = getattr(_thread, "keys_made", 0)
    fresh = ids - at_commit.ids if made == at_commit.keys_made else ids
    if fresh:
        _renew(fresh)
        at_commit.ids |= fresh
        at_commit.keys_made = made


T = TypeVar("T")


def stored(key: str, compute: Callable[[], T]) -> T:
    """The value stored under ``key``, computed and stored if missing."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=STORED_SECONDS)
    return value


# -- from a row to its plan ---------------------------------------------------


def _path_to_plan(model: type[models.Model]) -> list[str] | None:
    """The shortest chain of foreign keys from ``model`` to Plan, as field
    names (Attendance: session, activity, plan); None when there is none."""
    plan_model = apps.get_model("plans", "Plan")
    if model is plan_model:
        return []
    queue: list[tuple[type[models.Model], list[str]]] = [(model, [])]
    seen = {model}
    while queue:
        current, path = queue.pop(0)
        for field in current._meta.fields:
            if not (field.many_to_one and field.related_model):
                continue
            target = field.related_model
            if target is plan_model:
                return [*path, field.name]
            if target not in seen and target._meta.app_label in DOMAIN_APPS:
                seen.add(target)
                queue.append((target, [*path, field.name]))
    return None


_PATHS: dict[type[models.Model], list[str] | None] = {}


def plan_id_of(instance: models.Model) -> int | None:
    """The plan a row belongs to (None: no plan, or the row's parent is gone)."""
    model = type(instance)
    if model not in _PATHS:
        _PATHS[model] = _path_to_plan(model)
    path = _PATHS[model]
    if path is None:
        return None
    if not path:
        return int(instance.pk)
    first = instance._meta.get_field(path[0])
    first_id = getattr(instance, first.attname)
    if first_id is None:
        return None
    if len(path) == 1:
        return int(first_id)
    related = first.related_model
    assert isinstance(related, type)
    found = (
        related._default_manager.filter(pk=first_id)
        .values_list("__".join(path[1:]), flat=True)
        .first()
    )
    return None if found is None else int(found)


def _saved(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if _PATHS.setdefault(sender, _path_to_plan(sender)) is None:
        # Rows above plans (organisations): every plan may show them.
        plan_data_changed(None)
        return
    plan_id = plan_id_of(instance)
    plan_data_changed(None if plan_id is None else plan_id)


def _deleted(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    path = _PATHS.setdefault(sender, _path_to_plan(sender))
    if path is not None and len(path) <= 1:
        plan_data_changed(plan_id_of(instance))
    else:
        # A cascade deletes thousands of rows; finding each one's plan would
        # cost a query per row. Deletes are rare: every plan is renewed.
        plan_data_changed(None)


def _m2m_changed(sender: Any, instance: models.Model, action: str, **_: Any) -> None:
    if action.startswith("post_"):
        _saved(type(instance), instance)


# Rows written and deleted by the thousand, only in bulk: a delete signal
# on them would make Django fetch and signal every row it deletes (no fast
# delete). The code that bulk-writes them calls plan_data_changed; a delete
# of their parent row (a session, a response, an import batch) is signalled.
BULK_MODELS = frozenset(
    {
        ("registrations", "attendance"),
        ("registrations", "answer"),
        ("statistics", "observation"),
        ("statistics", "observationchange"),
    }
)


# Rows that hold what was made from the data, not data: writing them must
# not make what they hold stale (a rendered report saved under a token
# would otherwise renew that very token).
DERIVED_MODELS = frozenset(
    {
        ("reports", "renderedreport"),
        ("reports", "typesettingslot"),
        ("reports", "issuerequest"),
    }
)


def connect_signals() -> None:
    """Renew a plan's token on every save and delete of a row of the domain
    apps (pre_delete: the row's parents still exist to find the plan)."""
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if (model._meta.app_label, model._meta.model_name) in DERIVED_MODELS:
                continue
            if is_change_history(model):
                # What was: writing history changes nothing a plan shows.
                continue
            uid = f"fremdrift-freshness-{model._meta.label_lower}"
            post_save.connect(_saved, sender=model, dispatch_uid=uid)
            if (model._meta.app_label, model._meta.model_name) not in BULK_MODELS:
                pre_delete.connect(_deleted, sender=model, dispatch_uid=uid)
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    _m2m_changed, sender=field.remote_field.through, dispatch_uid=uid
                )
