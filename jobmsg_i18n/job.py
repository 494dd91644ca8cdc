"""A job of the v2 jobs APIs as ``GET .../jobs/{id}`` describes it: for reports and listings.

Read tolerantly: ``{"job": {...}}`` or the bare job object; fields the report needs are kept,
the rest stays in ``raw``. Dates are ISO 8601 strings in the API and :class:`datetime` here
(None when absent or unreadable).

>>> job = Job.from_json(b'{"job": {"id": "7f3a", "name": "Quarry", "type": "Full",'
...     b' "state": "Success", "createdDateTime": "2026-05-04T09:12:00Z"}}')
>>> job.state, job.created.isoformat()
('Success', '2026-05-04T09:12:00+00:00')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jobmsg_i18n.errors import InvalidResponseError
from jobmsg_i18n.models import parse_json

__all__ = ["JOB_STATES", "Job"]

JOB_STATES = (
    "Queued",
    "Active",
    "TerminatingOnCancel",
    "TerminatingOnFailure",
    "Cancelled",
    "Failed",
    "Success",
)


@dataclass(frozen=True, slots=True)
class Job:
    """One job: id, name, type, state (one of :data:`JOB_STATES`) and its dates."""

    id: str
    name: str = ""
    type: str = ""
    state: str = ""
    created: datetime | None = None
    started: datetime | None = None
    ended: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: str | bytes) -> Job:
        return cls.from_dict(parse_json(data))

    @classmethod
    def from_dict(cls, obj: object) -> Job:
        if isinstance(obj, Mapping) and isinstance(obj.get("job"), Mapping):
            obj = obj["job"]
        if not isinstance(obj, Mapping) or not isinstance(obj.get("id"), str):
            raise InvalidResponseError("expected a job object with a string id")
        execution = obj.get("executionInfo") or obj.get("execution") or {}
        if not isinstance(execution, Mapping):
            execution = {}
        return cls(
            id=obj["id"],
            name=_text(obj.get("name")),
            type=_text(obj.get("type")),
            state=_text(obj.get("state")),
            created=_date(obj.get("createdDateTime")),
            started=_date(execution.get("startedDateTime")),
            ended=_date(execution.get("endedDateTime")),
            raw=dict(obj),
        )

    def to_dict(self) -> dict[str, Any]:
        """The job in the API's JSON shape (the fields this class keeps)."""
        out: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        out["state"] = self.state
        if self.created:
            out["createdDateTime"] = _iso(self.created)
        execution = {}
        if self.started:
            execution["startedDateTime"] = _iso(self.started)
        if self.ended:
            execution["endedDateTime"] = _iso(self.ended)
        if execution:
            out["executionInfo"] = execution
        return out


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
