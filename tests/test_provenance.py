"""What a reconstructed file's ``inputs`` digest covers: the code that makes the cohort, and
nothing else of its paper's module."""

import importlib.util
import textwrap

from recheck.reconstruct import _code_closure

MODULE = '''
import math

SIZE = 10
LABEL = "chapter only"


def _draw(n):
    return [math.sqrt(i) for i in range(n)]


def reconstruct(paper):
    return _draw(SIZE)


def chapter_table(paper):
    return LABEL
'''


def _load(tmp_path, source, name="fake_paper"):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_closure_holds_what_reconstruct_reaches(tmp_path):
    parts = _code_closure(_load(tmp_path, MODULE))
    assert [p.split(":")[0].split("=")[0] for p in parts] == ["SIZE", "_draw", "reconstruct"]


def test_an_edit_outside_the_closure_keeps_the_digest(tmp_path):
    before = _code_closure(_load(tmp_path, MODULE, "a"))
    assert _code_closure(_load(tmp_path, MODULE.replace('"chapter only"', '"renamed"'), "b")) == before
    assert _code_closure(_load(tmp_path, MODULE.replace("return LABEL", "return LABEL * 2"), "c")) == before


def test_an_edit_inside_the_closure_changes_it(tmp_path):
    before = _code_closure(_load(tmp_path, MODULE, "a"))
    assert _code_closure(_load(tmp_path, MODULE.replace("SIZE = 10", "SIZE = 11"), "b")) != before
    assert _code_closure(_load(tmp_path, MODULE.replace("math.sqrt(i)", "math.sqrt(i + 1)"), "c")) != before
