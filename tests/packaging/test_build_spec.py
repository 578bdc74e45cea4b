"""build.spec, read without running PyInstaller: what it puts in the bundle and where its version comes from."""

from __future__ import annotations

import ast
import importlib
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "build.spec"


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def spec_values(*names: str) -> dict[str, object]:
    """Run only the spec's top-level assignments to ``names`` (in order), as PyInstaller would."""
    wanted = [node for node in spec_tree().body
              if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in node.targets)]
    namespace: dict[str, object] = {"SPECPATH": str(REPO), "Path": Path, "tomllib": tomllib,
                                    "importlib": importlib}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)  # noqa: S102
    return {name: namespace[name] for name in names}


def pyproject_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_version_is_read_from_pyproject_not_written_in_the_spec() -> None:
    assert spec_values("ROOT", "PROJECT", "VERSION")["VERSION"] == pyproject_version()
    literals = {node.value for node in ast.walk(spec_tree()) if isinstance(node, ast.Constant)}
    assert pyproject_version() not in literals


def test_every_folder_read_at_run_time_goes_into_the_bundle() -> None:
    from bookdesk.data.catalog import _MIGRATIONS

    folders = spec_values("DATA_FOLDERS")["DATA_FOLDERS"]
    # Where the running code looks for them, relative to the bundle's root (sys._MEIPASS).
    needed = {_MIGRATIONS.relative_to(REPO).as_posix(): _MIGRATIONS.relative_to(REPO).as_posix(),
              "resources": "resources"}
    for source, target in needed.items():
        assert folders.get(source) == target, f"build.spec does not bundle {source}/ as {target}/"
        assert (REPO / source).is_dir()
    assert sorted((REPO / "bookdesk/data/migrations/versions").glob("*.py")), "no migration scripts to bundle"


def test_every_command_module_goes_into_the_bundle() -> None:
    from bookdesk.cli.commands import COMMANDS

    # Imported by name only when their command runs, so the analysis would not find them.
    assert set(spec_values("COMMAND_MODULES")["COMMAND_MODULES"]) == {command.module for command in COMMANDS}


def test_the_resources_are_found_where_the_spec_puts_them(monkeypatch) -> None:  # noqa: ANN001
    import sys

    from bookdesk.ui import resources

    monkeypatch.setattr(sys, "_MEIPASS", "/opt/bookdesk/_internal", raising=False)
    target = spec_values("DATA_FOLDERS")["DATA_FOLDERS"]["resources"]
    assert resources.resources_dir() == Path("/opt/bookdesk/_internal") / target


def test_no_qt_module_the_app_imports_is_left_out() -> None:
    imported = set()
    for path in (REPO / "bookdesk").rglob("*.py"):
        imported |= set(re.findall(r"(?:from|import) PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert imported, "expected the UI to import Qt modules"
    left_out = set(spec_values("UNUSED_QT")["UNUSED_QT"])
    assert not imported & left_out, f"build.spec leaves out Qt modules the app imports: {sorted(imported & left_out)}"


def test_the_bundle_is_named_bookdesk() -> None:
    names = {kw.value.value for node in ast.walk(spec_tree()) if isinstance(node, ast.Call)
             for kw in node.keywords if kw.arg == "name" and isinstance(kw.value, ast.Constant)}
    assert "bookdesk" in names  # dist/bookdesk/ and the executable dist/bookdesk/bookdesk
