"""Job messages as the v2 jobs APIs return them, read tolerantly from JSON.

``GET .../jobs/{id}/messages`` answers ``{"messages": {"errors": [...], "warnings": [...]}}``, each
message ``{"code", "title", "message", "params"}``. Reading is tolerant by default: a message with a
gap is kept, the gap filled as below, and the gap recorded in ``problems`` with its JSON path.

* a missing or null ``code``, ``title`` or ``message`` becomes ``""``; a number or boolean becomes
  its JSON text;
* a missing ``params`` becomes ``()``; a single value where a list belongs becomes a one-item list;
* a param that is not a string becomes its JSON text (``3``, ``1.5``, ``true``), and null ``""``;
* an entry that is a bare string is kept as a message with that text and an empty code;
  any other entry that is not an object is left out;
* unknown fields are ignored without a word.

``strict=True`` raises one :class:`InvalidResponseError` that lists every problem instead.

>>> msgs = JobMessages.from_json('{"messages": {"errors": [{"code": "InputData_Invalid",'
...     ' "title": "Invalid input data", "message": "Bad (%1)", "params": [3]}], "warnings": []}}')
>>> msgs.errors[0].params
('3',)
>>> msgs.problems
('messages.errors[0].params[0]: expected string, got number',)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Literal, NamedTuple

from jobmsg_i18n.errors import InvalidResponseError

__all__ = ["JobMessage", "JobMessages", "Severity", "parse_json"]

Severity = Literal["error", "warning"]


class JobMessage(NamedTuple):
    """One error or warning of a job; ``message`` is an English template filled from ``params``."""

    code: str
    title: str
    message: str
    params: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The message in the API's own JSON shape."""
        return {
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "params": list(self.params),
        }


class JobMessages:
    """The errors and warnings of one job, in the order the server gave them. Immutable.

    ``problems`` says what was wrong with the input, one line each, naming the JSON path; it
    takes no part in equality.
    """

    __slots__ = ("errors", "problems", "warnings")
    errors: tuple[JobMessage, ...]
    warnings: tuple[JobMessage, ...]
    problems: tuple[str, ...]

    def __init__(
        self,
        errors: Iterable[JobMessage] = (),
        warnings: Iterable[JobMessage] = (),
        problems: Iterable[str] = (),
    ) -> None:
        object.__setattr__(self, "errors", tuple(errors))
        object.__setattr__(self, "warnings", tuple(warnings))
        object.__setattr__(self, "problems", tuple(problems))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"JobMessages is immutable: cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JobMessages):
            return NotImplemented
        return (self.errors, self.warnings) == (other.errors, other.warnings)

    def __hash__(self) -> int:
        return hash((self.errors, self.warnings))

    def __repr__(self) -> str:
        return f"JobMessages(errors={self.errors!r}, warnings={self.warnings!r})"

    @classmethod
    def from_json(cls, data: str | bytes, *, strict: bool = False) -> JobMessages:
        """Read the body of ``GET .../jobs/{id}/messages`` (or the bare messages object)."""
        return cls.from_dict(parse_json(data), strict=strict)

    @classmethod
    def from_dict(cls, obj: object, *, strict: bool = False) -> JobMessages:
        """Build from parsed JSON: the 200 body, or the bare ``{"errors", "warnings"}`` object."""
        if not isinstance(obj, Mapping):
            raise InvalidResponseError(f"expected a JSON object, got {_json_type(obj)}")
        root, prefix = obj, ""
        if "messages" in obj:
            root, prefix = obj["messages"], "messages."
            if not isinstance(root, Mapping):
                raise InvalidResponseError(f"messages: expected object, got {_json_type(root)}")
        elif "error" in obj and isinstance(obj["error"], Mapping):
            error = obj["error"]
            raise InvalidResponseError(
                "this is an API error response, not job messages: "
                f"{error.get('code', '?')}: {error.get('message', '')}"
            )
        if "errors" not in root and "warnings" not in root:
            raise InvalidResponseError(
                f"no {prefix}errors and no {prefix}warnings: this is not a job messages response"
            )
        problems: list[str] = []
        errors = _read_list(root, "errors", prefix, problems)
        warnings = _read_list(root, "warnings", prefix, problems)
        if strict and problems:
            count = len(problems)
            raise InvalidResponseError(
                f"{count} problem{'s' if count > 1 else ''} in job messages: "
                + "; ".join(problems),
                problems,
            )
        return cls(errors, warnings, tuple(problems))

    def to_dict(self) -> dict[str, Any]:
        """The messages in the API's JSON shape (the 200 body)."""
        return {
            "messages": {
                "errors": [m.to_dict() for m in self.errors],
                "warnings": [m.to_dict() for m in self.warnings],
            }
        }

    def __len__(self) -> int:
        return len(self.errors) + len(self.warnings)


def parse_json(data: str | bytes) -> object:
    """``json.loads``, with every way it can fail as one :class:`InvalidResponseError`."""
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise InvalidResponseError(
            f"not JSON: the text is not valid UTF-8 ({exc.reason})"
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidResponseError(
            f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise InvalidResponseError("not JSON that can be read: nested too deeply") from None


def _read_list(
    root: Mapping[str, Any], key: str, prefix: str, problems: list[str]
) -> tuple[JobMessage, ...]:
    path = prefix + key
    if key not in root:
        problems.append(f"{path}: missing")
        return ()
    entries = root[key]
    if entries is None:
        problems.append(f"{path}: expected array, got null")
        return ()
    if not isinstance(entries, list):
        problems.append(f"{path}: expected array, got {_json_type(entries)}")
        return ()
    messages: list[JobMessage] = []
    for index, entry in enumerate(entries):
        where = f"{path}[{index}]"
        if isinstance(entry, Mapping):
            messages.append(_read_message(entry, where, problems))
        elif isinstance(entry, str):
            problems.append(f"{where}: expected object, got string (kept as the message text)")
            messages.append(JobMessage("", "", entry, ()))
        else:
            problems.append(f"{where}: expected object, got {_json_type(entry)} (left out)")
    return tuple(messages)


def _read_message(entry: Mapping[str, Any], where: str, problems: list[str]) -> JobMessage:
    code = _read_text(entry, "code", where, problems)
    title = _read_text(entry, "title", where, problems)
    message = _read_text(entry, "message", where, problems)
    if "params" not in entry:
        problems.append(f"{where}.params: missing")
        return JobMessage(code, title, message, ())
    raw = entry["params"]
    if not isinstance(raw, list):
        problems.append(f"{where}.params: expected array, got {_json_type(raw)}")
        raw = [] if raw is None else [raw]
        where_item = f"{where}.params"
        return JobMessage(
            code, title, message, tuple(_as_text(v, where_item, problems) for v in raw)
        )
    params = tuple(_as_text(v, f"{where}.params[{i}]", problems) for i, v in enumerate(raw))
    return JobMessage(code, title, message, params)


def _read_text(entry: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    if key not in entry:
        problems.append(f"{where}.{key}: missing")
        return ""
    return _as_text(entry[key], f"{where}.{key}", problems)


def _as_text(value: object, where: str, problems: list[str]) -> str:
    if isinstance(value, str):
        return value
    problems.append(f"{where}: expected string, got {_json_type(value)}")
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
