#!/usr/bin/env bash
# Set up woo-anon on a fresh Debian/Ubuntu machine: system tools (Tesseract with Dutch data for
# scanned pages, poppler's pdftotext and qpdf for independent verification) and a virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium: the headless browser Playwright drives in tests/test_review_app.py (review screen),
# and the intake's tagged PDF renditions of e-mail, text, CSV and HTML (intake/browser.py)
APT_PACKAGES="tesseract-ocr tesseract-ocr-nld poppler-utils qpdf chromium"
# intake: Office documents (.docx/.xlsx/.pptx/.odt/.doc/…) are converted to PDF by LibreOffice
APT_PACKAGES="$APT_PACKAGES libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui"
if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    missing=""
    for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        echo "setup: installing system packages (apt-get, a few minutes):$missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get install -y -q $missing >/dev/null 2>&1 || {
            $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q $missing >/dev/null 2>&1; } ||
            echo "warning: could not install$missing; scanned pages will be refused (exit 9) and OCR tests skipped" >&2
    else
        echo "setup: system packages present:$(printf ' %s' $APT_PACKAGES)" >&2
    fi
else
    echo "warning: apt-get not found; install Tesseract (nld), poppler-utils and qpdf yourself" >&2
fi
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || { echo "setup: creating the virtualenv .venv" >&2; "$PYTHON" -m venv .venv; }
echo "setup: installing woo-anon and its Python packages into .venv (pip; see pyproject.toml)" >&2
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[test,cluster]"
echo "setup: done" >&2
