"""The NER model ships inside the package: a wheel built from this tree contains it, and a
non-editable install of that wheel into a fresh virtual environment loads the model from its
install location and finds a name that only the model finds (the rules alone do not)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from woo_anon import nlp

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILES = ("config.cfg", "meta.json", "tokenizer", "ner/model", "ner/cfg", "tok2vec/model",
               "vocab/strings.json")
# A name the rules do not find (no title, no known first name) but the shipped model does.
ONLY_MODEL = "Ook Adebayo Ogunleye was aanwezig bij het gesprek."


def test_model_is_package_data():
    model = Path(nlp.resolve_model(None))
    package = Path(nlp.__file__).resolve().parent
    assert package in model.parents, f"default model {model} is not inside the package"
    for name in MODEL_FILES:
        assert (model / name).is_file(), f"shipped model lacks {name}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a clean copy of the tree (no build litter in the checkout)."""
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(work / "dist"), str(tree)],
                   check=True, capture_output=True, timeout=600)
    return next((work / "dist").glob("woo_anon-*.whl"))


def test_wheel_contains_model(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in MODEL_FILES:
        assert f"woo_anon/models/nl_woo_ner/{name}" in names, f"wheel lacks model file {name}"
    assert "woo_anon/data/grounds.toml" in names


CHECK = """
import json, sys
from pathlib import Path
import woo_anon, woo_anon.nlp as nlp
from woo_anon.detect import Detector
from woo_anon.model import Page
page = Page(1, sys.argv[1], (), ())
found = lambda d: [s.text for s in d.detect_page(page) if s.entity == "PERSON"]
print(json.dumps({"package": woo_anon.__file__, "model": nlp.resolve_model(None),
                  "model_finds": found(Detector.create(None)),
                  "rules_find": found(Detector.create("blank"))}))
"""


def test_wheel_install_loads_model_from_install_location(wheel, tmp_path):
    """pip install (not editable) into a fresh venv; dependencies are borrowed from the test
    environment through a .pth line, so nothing is downloaded and the source tree is not used."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, timeout=600)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WOO_ANON_MODEL")}
    done = subprocess.run([python, "-c", CHECK, ONLY_MODEL], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(result["package"]).is_relative_to(site), result["package"]
    assert Path(result["model"]).is_relative_to(site / "woo_anon" / "models"), result["model"]
    assert "Adebayo Ogunleye" in result["model_finds"]
    assert "Adebayo Ogunleye" not in result["rules_find"]
