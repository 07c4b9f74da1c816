"""The execution cache is keyed on what each chapter reads, not only on its code."""

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "cache_keys.py"


@pytest.fixture
def cache_keys(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("cache_keys", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for rel in ("src/recheck/a.py", "requirements.txt", "constraints.txt", "pyproject.toml",
                "data/ozcan/t.csv", "data/pallas/t.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n")
    for order, chapter in enumerate(("ozcan", "pallas"), start=1):
        (tmp_path / "data" / chapter / "paper.toml").write_text(
            f'[paper]\nid = "{chapter}"\ntitle = "t"\ncitation = "c"\nchapter = "{chapter}"\norder = {order}\n')
        (tmp_path / "book" / f"{chapter}.md").parent.mkdir(exist_ok=True)
        (tmp_path / "book" / f"{chapter}.md").write_text("---\nkernelspec:\n  name: python3\n---\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "KEYS", tmp_path / "_build" / "keys.json")
    monkeypatch.setattr(module, "CACHE", tmp_path / "_build" / "cache")
    return module


def test_data_change_touches_only_its_chapter(cache_keys, tmp_path):
    before = {nb: cache_keys.digest(nb) for nb in cache_keys.notebooks()}
    (tmp_path / "data/pallas/t.csv").write_text("y\n")
    after = {nb: cache_keys.digest(nb) for nb in cache_keys.notebooks()}
    assert before["book/ozcan.md"] == after["book/ozcan.md"]
    assert before["book/pallas.md"] != after["book/pallas.md"]


def test_engine_or_pin_change_touches_every_chapter(cache_keys, tmp_path):
    before = {nb: cache_keys.digest(nb) for nb in cache_keys.notebooks()}
    (tmp_path / "constraints.txt").write_text("numpy==9\n")
    after = {nb: cache_keys.digest(nb) for nb in cache_keys.notebooks()}
    assert all(before[nb] != after[nb] for nb in before)


def test_second_run_with_nothing_changed_marks_nothing(cache_keys, tmp_path, capsys):
    cache_keys.main()
    capsys.readouterr()
    mtime = (tmp_path / "book/ozcan.md").stat().st_mtime_ns
    cache_keys.main()
    assert "re-execute" not in capsys.readouterr().out
    assert (tmp_path / "book/ozcan.md").stat().st_mtime_ns == mtime
    (tmp_path / "src/recheck/a.py").write_text("changed\n")
    cache_keys.main()
    assert "book/ozcan.md" in capsys.readouterr().out


def test_a_cached_warning_fails_the_execution_step(monkeypatch, capsys):
    """tools/execute.py reads every chapter's cached execution: a cell that wrote to stderr (a
    warning, in a cell the page does not show) fails the step, naming chapter and cell; the same
    cache without it passes."""
    import sys
    import types

    import nbformat
    sys.path.insert(0, str(TOOL.parent))
    spec = importlib.util.spec_from_file_location("execute", TOOL.parent / "execute.py")
    execute = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(execute)
    monkeypatch.setattr(execute, "notebooks", lambda: ["book/a.md"])
    monkeypatch.setattr(execute, "_read", lambda path: None)
    cell = nbformat.v4.new_code_cell("import warnings; warnings.warn('w')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: w\n")]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1"), cell])
    cache = types.SimpleNamespace(match_cache_notebook=lambda nb: types.SimpleNamespace(pk=1),
                                  get_cache_bundle=lambda pk: types.SimpleNamespace(nb=nb))
    assert execute.stderr_report(cache) == 1
    assert "book/a.md: cell 2 writes to stderr: UserWarning: w" in capsys.readouterr().err
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="fine\n")]
    assert execute.stderr_report(cache) == 0
