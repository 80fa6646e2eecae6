#!/usr/bin/env bash
# Reproduce src/woo_anon/models/nl_woo_ner (shipped inside the package) from licence-clean data (about 30 minutes on 2 cores).
# Needs: the project venv (scripts/setup.sh), ../shared/data, and Debian's Frog for the silver
# labels (apt-get install frog frogdata; GPL-3, used as a labelling tool, not shipped).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
command -v frog >/dev/null || { echo "frog not found: apt-get install frog frogdata" >&2; exit 1; }
$PY training/make_lexicon.py
$PY training/make_data.py build/ner-data
$PY training/frog_silver.py build/frog
$PY training/split.py
OMP_NUM_THREADS=1 $PY -m spacy train training/ner.cfg --output build/ner \
    --paths.train build/ner-train --paths.dev build/ner-dev --system.seed 0
rm -rf src/woo_anon/models/nl_woo_ner
cp -r build/ner/model-best src/woo_anon/models/nl_woo_ner
$PY benchmarks/quality.py --per-kind 0 --scanned 0   # prints PER scores on CoNLL-2002 ned.testb
