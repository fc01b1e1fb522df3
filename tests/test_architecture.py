"""The house rules of DESIGN.md that a test can enforce."""

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parent.parent / "game"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_ui_imports_pygame():
    offenders = [
        str(p.relative_to(GAME.parent))
        for p in GAME.rglob("*.py")
        if "ui" not in p.relative_to(GAME).parts[:1]
        and imported_modules(p) & {"pygame", "pygame_gui"}
    ]
    assert offenders == []


def test_the_check_sees_a_pygame_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom pygame import Rect\n")
    assert "pygame" in imported_modules(sample)


def test_the_engine_never_imports_the_ai_or_the_ui():
    for path in GAME.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("game.ai", "game.ui")) or path.name in (
                    "simulate.py",
                    "cli.py",
                ), f"{path.name} imports {node.module}"


def test_computer_players_get_a_view_not_the_engine():
    for path in (GAME / "ai").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert "Engine" not in names and "GameState" not in names, path.name
