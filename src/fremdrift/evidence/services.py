from __future__ import annotations

import hashlib

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from fremdrift.accounts.policy import may_register
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.services import access_log
from fremdrift.plans.models import Activity, Criterion, Plan
from fremdrift.registrations.models import Session

from .content import check_evidence_file
from .models import Evidence


@transaction.atomic
def evidence_attach(
    *,
    plan: Plan,
    data: bytes,
    description: str,
    consent: str,
    uploaded_by: str,
    activity: Activity | None = None,
    session: Session | None = None,
    criterion: Criterion | None = None,
) -> Evidence:
    """Check the file by its content, strip a photo's metadata, and attach
    it. Raises EvidenceFileError (a Danish message for the form) when the
    file is refused, and ValueError when it is attached to nothing or to
    another plan's rows."""
    targets = [t for t in (activity, session, criterion) if t is not None]
    if not targets:
        raise ValueError(
            "evidence must be attached to an activity, a session or a criterion"
        )
    for target in targets:
        owner = (
            target.activity.plan_id if isinstance(target, Session) else target.plan_id
        )
        if owner != plan.pk:
            raise ValueError("evidence can only be attached within its own plan")
    if consent not in Evidence.Consent.values:
        raise ValueError(f"unknown consent basis {consent!r}")
    checked = check_evidence_file(data)
    digest = hashlib.sha256(checked.content).hexdigest()
    evidence = Evidence(
        plan=plan,
        activity=activity,
        session=session,
        criterion=criterion,
        description=description.strip(),
        consent=consent,
        content_type=checked.content_type,
        extension=checked.extension,
        size=len(checked.content),
        sha256=digest,
        uploaded_by=uploaded_by,
    )
    evidence.file.save(
        f"{digest}.{checked.extension}", ContentFile(checked.content), save=False
    )
    evidence.save()
    return evidence


@transaction.atomic
def evidence_upload(
    *,
    activity: Activity,
    data: bytes,
    description: str,
    consent: str,
    user: User | AnonymousUser,
    session: Session | None = None,
    criterion: Criterion | None = None,
) -> Evidence:
    """Attach a photo or document to the activity (and a session or a
    criterion of it); refused files raise EvidenceFileError."""
    if not may_register(user, activity):
        raise PermissionDenied("Du kan ikke registrere for denne aktivitet.")
    if session is not None and session.activity_id != activity.pk:
        raise PermissionDenied("Mødegangen hører ikke til aktiviteten.")
    if criterion is not None and criterion.activity_id != activity.pk:
        raise PermissionDenied("Succeskriteriet hører ikke til aktiviteten.")
    evidence = evidence_attach(
        plan=activity.plan,
        data=data,
        description=description,
        consent=consent,
        uploaded_by=user.get_username(),
        activity=activity,
        session=session,
        criterion=criterion,
    )
    # A photo may show participants: its upload is logged like a change.
    access_log(
        user=user,
        plan=activity.plan,
        action=AccessLogEntry.Action.CREATE,
        object_type="evidence",
        object_id=evidence.pk,
        purpose=AccessLogEntry.Purpose.ACTIVITY,
    )
    return evidence
