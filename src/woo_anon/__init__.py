"""woo-anon: redact personal data from Dutch government documents released under the Woo.

The public API (see README "Python API") is importable from here; it loads lazily, so
`import woo_anon` and `woo-anon --help` stay fast:

    from woo_anon import Settings, redact_request
"""

import logging

__version__ = "0.1.0"


def _not_pikepdf_bridge(record: logging.LogRecord) -> bool:
    """pikepdf logs "C++ to Python logger bridge initialized" at INFO when it is imported: a
    line in every benchmark's and API user's log that says nothing about a document. That one
    record is dropped at pikepdf's logger; no level or handler of the user's is touched."""
    return "logger bridge initialized" not in record.getMessage()


logging.getLogger("pikepdf._core").addFilter(_not_pikepdf_bridge)

_API = {"Settings", "Engine", "DocumentResult", "RequestResult", "redact_request", "plan_request",
        "apply_request", "verify_file", "learn_lists", "redact_file", "exit_code_for", "Item",
        "write_report", "duplicates_summary"}
_ERRORS = {"ExitCode", "WooAnonError"}

__all__ = sorted(_API | _ERRORS | {"DiwooOptions", "TEXT_OPERATORS"}) + ["__version__"]


_OTHER = {"DiwooOptions": ("woo_anon.diwoo", "Options"),  # DiWoo metadata settings
          "TEXT_OPERATORS": ("woo_anon.rendition", "OPERATORS")}  # text-rendition operators


def __getattr__(name: str):
    if name in _OTHER:
        from importlib import import_module

        module, attribute = _OTHER[name]
        return getattr(import_module(module), attribute)
    if name in _API:
        from woo_anon import api

        return getattr(api, name)
    if name in _ERRORS:
        from woo_anon import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'woo_anon' has no attribute {name!r}")
