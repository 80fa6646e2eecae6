"""Exit codes and the exceptions that map onto them.

Every failure the user can cause ends in one line on stderr and one of these codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of the `woo-anon` command (also listed in the README)."""

    OK = 0  # every document redacted and verified
    INTERNAL_ERROR = 1  # a bug: please report it
    USAGE = 2  # wrong command-line usage (typer/click)
    BAD_INPUT = 3  # input missing, empty folder, not a PDF, damaged, encrypted
    OUTPUT_EXISTS = 4  # an output file exists and --force was not given
    VERIFICATION_FAILED = 5  # redacted text was still readable; output not delivered
    PARTIAL = 6  # a batch where some documents failed and others succeeded
    PLAN_MISMATCH = 7  # a plan made for another file (sha256 differs) or unreadable plan
    TIMEOUT = 8  # a document took longer than the per-document time limit
    OCR_UNAVAILABLE = 9  # image-only pages and no Tesseract: cannot be redacted safely
    INTERRUPTED = 130  # Ctrl-C; finished documents are kept, nothing half-written


def short(exc: BaseException, limit: int = 160) -> str:
    """One line describing an unexpected exception: its type and the first line of its text."""
    text = (str(exc).splitlines() or [""])[0][:limit]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class WooAnonError(Exception):
    """Base class: an expected failure with an exit code and a one-line message."""

    exit_code = ExitCode.INTERNAL_ERROR


class UsageError(WooAnonError):
    """The command cannot run as asked (e.g. --cluster without Dask or without a scheduler)."""

    exit_code = ExitCode.USAGE


class InternalError(WooAnonError):
    """An unexpected failure on one document (a library error on an odd PDF)."""

    exit_code = ExitCode.INTERNAL_ERROR


class BadInputError(WooAnonError):
    exit_code = ExitCode.BAD_INPUT


class ManifestError(BadInputError):
    """A manifest that is missing, unreadable or has no file-name column (checked before the
    batch starts)."""


class OutputExistsError(WooAnonError):
    exit_code = ExitCode.OUTPUT_EXISTS


class VerificationError(WooAnonError):
    exit_code = ExitCode.VERIFICATION_FAILED


class PlanMismatchError(WooAnonError):
    exit_code = ExitCode.PLAN_MISMATCH


class DocumentTimeoutError(WooAnonError):
    exit_code = ExitCode.TIMEOUT


class OcrUnavailableError(WooAnonError):
    exit_code = ExitCode.OCR_UNAVAILABLE
