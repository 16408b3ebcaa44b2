from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

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
