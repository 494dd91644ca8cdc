"""The public surface changes only on purpose: this list is the contract."""

from __future__ import annotations

import importlib
import subprocess
import sys

import jobmsg_i18n

PUBLIC = [
    "ApiError",
    "AuthenticationError",
    "CompiledTemplate",
    "ErrorDetail",
    "FetchResult",
    "InsecureTransportError",
    "InvalidRequestError",
    "InvalidResponseError",
    "Job",
    "JobMessage",
    "JobMessages",
    "JobMessagesError",
    "JobReport",
    "JobsClient",
    "LocalizedMessage",
    "LocalizedMessages",
    "Localizer",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "__version__",
    "available_locales",
    "collect_reports",
    "compile_template",
    "format_params",
    "install_localization",
    "negotiate_locale",
    "placeholders",
    "render_report",
]


def test_all_is_exactly_the_public_names() -> None:
    assert sorted(jobmsg_i18n.__all__) == PUBLIC


def test_every_public_name_resolves_and_is_listed_by_dir() -> None:
    for name in PUBLIC:
        assert getattr(jobmsg_i18n, name) is not None
        assert name in dir(jobmsg_i18n)


def test_star_import_gives_the_public_names() -> None:
    code = "from jobmsg_i18n import *\nprint(sorted(k for k in dir() if not k.startswith('__')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str([n for n in PUBLIC if not n.startswith("__")])


def test_an_unknown_name_is_an_attribute_error() -> None:
    module = importlib.import_module("jobmsg_i18n")
    try:
        module.NoSuchThing  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_every_exception_derives_from_the_base() -> None:
    for name in PUBLIC:
        value = getattr(jobmsg_i18n, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, jobmsg_i18n.JobMessagesError), name
