"""Tests for game.yamlio, the safe YAML loader for modder-written scenario and rules files."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import yamlio
from game.yamlio import Document, Problem, YamlError, format_path, load_file, load_text

NESTED = """\
# a small scenario
name: Khalkhin Gol
units:
  - id: rifle-1
    at: [3, 4]
  - id: tank-2
    at: [5, 6]
    tags: {armour: true}
empty:
"""


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(YamlError) as info:
        load_text(text, "test.yaml")
    assert info.value.problems, "a YamlError must carry at least one problem"
    return info.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def file_problem(path: Path, **kwargs: int) -> Problem:
    with pytest.raises(YamlError) as info:
        load_file(path, **kwargs)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


# --- data and positions ---------------------------------------------------------------------


def test_nested_data() -> None:
    doc = load_text(NESTED, "s.yaml")
    assert doc.file == "s.yaml"
    assert doc.data == {
        "name": "Khalkhin Gol",
        "units": [
            {"id": "rifle-1", "at": [3, 4]},
            {"id": "tank-2", "at": [5, 6], "tags": {"armour": True}},
        ],
        "empty": None,
    }


def test_value_positions() -> None:
    doc = load_text(NESTED)
    assert doc.locate(("name",)) == (2, 7)
    assert doc.locate(("units",)) == (4, 3)
    assert doc.locate(("units", 0)) == (4, 5)
    assert doc.locate(("units", 0, "id")) == (4, 9)
    assert doc.locate(("units", 0, "at")) == (5, 9)
    assert doc.locate(("units", 0, "at", 1)) == (5, 13)
    assert doc.locate(("units", 1, "at", 0)) == (7, 10)
    assert doc.locate(("units", 1, "tags", "armour")) == (8, 20)


def test_key_positions() -> None:
    doc = load_text(NESTED)
    assert doc.locate(("name",), key=True) == (2, 1)
    assert doc.locate(("units",), key=True) == (3, 1)
    assert doc.locate(("units", 1, "tags"), key=True) == (8, 5)
    assert doc.locate(("units", 1, "tags", "armour"), key=True) == (8, 12)
    assert doc.locate(("empty",), key=True) == (9, 1)
    # a sequence index has no key: the value position is used
    assert doc.locate(("units", 1), key=True) == (6, 5)


def test_locate_falls_back_to_longest_prefix() -> None:
    doc = load_text(NESTED)
    assert doc.locate(("units", 1, "hp")) == (6, 5)
    assert doc.locate(("units", 1, "hp"), key=True) == (6, 5)
    assert doc.locate(("units", 9, "at")) == (4, 3)
    assert doc.locate(("nothing", "here")) == (1, 1)
    assert doc.locate(()) == (1, 1)


def test_problem_helper_and_str() -> None:
    doc = load_text(NESTED, "maps/s.yaml")
    problem = doc.problem(("units", 0, "at"), "hex is off the map")
    assert problem == Problem("maps/s.yaml", 5, 9, "error", "hex is off the map")
    assert str(problem) == "maps/s.yaml:5:9: error: hex is off the map"
    warning = doc.problem(("units", 1, "tags", "armour"), "unknown key", "warning", key=True)
    assert str(warning) == "maps/s.yaml:8:12: warning: unknown key"


def test_format_path() -> None:
    assert format_path(("units", 12, "at")) == "units[12].at"
    assert format_path(("a", "b")) == "a.b"
    assert format_path((3, "x", 0, 1)) == "[3].x[0][1]"
    assert format_path(()) == ""


def test_scalar_types() -> None:
    doc = load_text("i: 12\nf: 1.5\nb: no\nn: ~\nd: 1939-05-11\ns: '12'\nhex: 0x1F\n")
    assert doc.data == {
        "i": 12,
        "f": 1.5,
        "b": False,
        "n": None,
        "d": datetime.date(1939, 5, 11),
        "s": "12",
        "hex": 31,
    }
    assert isinstance(doc.data, dict)
    assert type(doc.data["d"]) is datetime.date


def test_int_keys_are_kept_as_int() -> None:
    doc = load_text("terrain:\n  1: plain\n  2: hill\n")
    assert doc.data == {"terrain": {1: "plain", 2: "hill"}}
    assert doc.locate(("terrain", 2), key=True) == (3, 3)


def test_explicit_core_tags_allowed() -> None:
    doc = load_text("a: !!str 12\nb: !!int '7'\nc: !!float 2\nd: !!seq [1]\ne: !!map {x: 1}\n")
    assert doc.data == {"a": "12", "b": 7, "c": 2.0, "d": [1], "e": {"x": 1}}


def test_utf8_bom_and_non_ascii_columns(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffnom: Хайлар\nville: Zürich\n".encode())
    doc = load_file(path)
    assert doc.data == {"nom": "Хайлар", "ville": "Zürich"}
    assert doc.locate(("nom",)) == (1, 6)
    assert doc.locate(("ville",)) == (2, 8)


# --- aliases ----------------------------------------------------------------------------------


def test_small_aliases_work_and_are_copies() -> None:
    text = "template: &t {hp: 3, tags: [a, b]}\nunits:\n  - *t\n  - *t\n"
    doc = load_text(text)
    data = doc.data
    assert isinstance(data, dict)
    assert data["units"] == [{"hp": 3, "tags": ["a", "b"]}] * 2
    data["units"][0]["tags"].append("c")
    assert data["units"][1]["tags"] == ["a", "b"]
    assert data["template"]["tags"] == ["a", "b"]
    assert doc.locate(("units", 1)) == (4, 5)  # the alias itself
    assert doc.locate(("units", 1, "hp")) == (1, 19)  # inside: the template


def test_scalar_alias_and_alias_key() -> None:
    doc = load_text("k: &name rifle\nv: *name\n*name : 5\n")
    assert doc.data == {"k": "rifle", "v": "rifle", "rifle": 5}
    assert doc.locate(("rifle",), key=True) == (3, 1)


def test_billion_laughs_rejected_quickly() -> None:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    start = time.perf_counter()
    problem = only_problem("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 0.5
    assert problem.message.startswith("too many aliases: the expanded document")
    assert "(an alias bomb?)" in problem.message
    assert 2 <= problem.line <= 10
    assert lines[problem.line - 1][problem.col - 1] == "*"  # reported at an alias


def test_node_limit() -> None:
    text = "a: &a [" + ", ".join(["1"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 1001) + "]\n"
    start = time.perf_counter()
    problem = only_problem(text)
    assert time.perf_counter() - start < 0.5
    assert problem.message == (
        "too many aliases: the expanded document exceeds 1000000 nodes (an alias bomb?)"
    )
    assert problem.line == 2
    assert text.splitlines()[1][problem.col - 1 : problem.col + 1] == "*a"


def test_alias_use_limit() -> None:
    ok = "a: &a 1\nb: [" + ", ".join(["*a"] * 10_000) + "]\n"
    data = load_text(ok).data
    assert isinstance(data, dict) and len(data["b"]) == 10_000
    problem = only_problem(ok.replace("]", ", *a]"))
    assert problem.message.startswith("too many aliases: the expanded document uses more than")
    assert problem.line == 2


def test_recursive_alias_rejected() -> None:
    problem = only_problem("a: &x\n  - 1\n  - *x\n")
    assert problem.message == "recursive alias: *x is used inside itself"
    assert (problem.line, problem.col) == (3, 5)


def test_deep_nesting_via_aliases_rejected() -> None:
    text = "a: &a " + "[" * 150 + "]" * 150 + "\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n"
    problem = only_problem(text)
    assert problem.message == "nested too deeply (more than 200 levels)"
    assert (problem.line, problem.col) == (2, 64)


def test_unknown_alias() -> None:
    problem = only_problem("a: 1\nb: *nope\n")
    assert "unknown alias *nope" in problem.message
    assert (problem.line, problem.col) == (2, 4)


# --- rejected content ---------------------------------------------------------------------


def test_python_tag_rejected_without_side_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    calls: list[object] = []

    def fake_system(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(os, "system", fake_system)
    text = f"units: []\nx: !!python/object/apply:os.system ['touch {marker}']\n"
    problem = only_problem(text)
    assert problem.message == (
        "Python object tags are not allowed (found '!!python/object/apply:os.system')"
    )
    assert (problem.line, problem.col) == (2, 4)
    assert calls == []
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "fragment", "line", "col"),
    [
        ("a: 1\nb: !foo bar\n", "unknown tag '!foo'", 2, 4),
        ("a: !!binary aGk=\n", "unsupported tag '!!binary'", 1, 4),
        ("a: !!set {x}\n", "unsupported tag '!!set'", 1, 4),
        ("a: !!str [1]\n", "tag '!!str' cannot be used on a list", 1, 4),
        ("a: !!python/name:os.system\n", "Python object tags are not allowed", 1, 4),
        ("a: 1\nb: .nan\n", "not a finite number: '.nan'", 2, 4),
        ("a: [1.0, -.inf]\n", "not a finite number: '-.inf'", 1, 10),
        ("a: 1.0e+999\n", "not a finite number", 1, 4),
        ("a: !!int x1\n", "not a valid int: 'x1'", 1, 4),
        ("when: 1939-13-40\n", "not a valid date: '1939-13-40'", 1, 7),
        ("a: 1\n? [x, y]\n: 2\n", "keys must be text, not a list", 2, 3),
        ("a: 1\n? {x: 1}\n: 2\n", "keys must be text, not a mapping", 2, 3),
        ("a: 1\non: 2\n", "keys must be text (found 'on'; quote it", 2, 1),
        ("~: 1\n", "keys must be text", 1, 1),
        ("1.5: x\n", "keys must be text (found '1.5'", 1, 1),
        ("b: &b {x: 1}\nc:\n  <<: *b\n", "merge keys ('<<') are not supported", 3, 3),
        ("a: 1\n---\nb: 2\n", "expected a single YAML document", 2, 1),
        ("a: 1\nb: c: d\n", "YAML syntax error: mapping values are not allowed here", 2, 5),
        ("a:\n\tb: 1\n", "YAML syntax error: found character '\\t'", 2, 1),
        ("a: [1, 2\nb: 3\n", "YAML syntax error:", 2, 2),
        ("a: 'open\n", "YAML syntax error: found unexpected end of stream", 2, 1),
        ("a: 1\nb: x\x07y\n", "YAML syntax error: special character '\\x07' is not allowed", 2, 5),
        ("a: &x 1\nb: &x 2\n", "duplicate anchor &x (first on line 1)", 2, 4),
        ("[" * 300 + "]" * 300, "nested too deeply (more than 200 levels)", 1, 202),
    ],
)
def test_rejections(text: str, fragment: str, line: int, col: int) -> None:
    problem = only_problem(text)
    assert fragment in problem.message
    assert (problem.file, problem.line, problem.col) == ("test.yaml", line, col)
    assert problem.severity == "error"


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "# just a comment\n# another\n", "---\n", "--- # nothing\n...\n"]
)
def test_empty_documents(text: str) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.col, problem.message) == (1, 1, "the file is empty")


def test_deep_block_nesting() -> None:
    ok = "".join("  " * i + "a:\n" for i in range(150)) + "  " * 150 + "b: 1\n"
    assert load_text(ok).locate(("a",) * 150 + ("b",)) == (151, 304)
    deep = "".join("  " * i + "a:\n" for i in range(400))
    problem = only_problem(deep)
    assert problem.message == "nested too deeply (more than 200 levels)"
    assert problem.line == 201


def test_duplicate_key() -> None:
    problem = only_problem("name: a\nunits: []\nname: b\n")
    assert problem.message == "duplicate key 'name' (first on line 1)"
    assert (problem.line, problem.col) == (3, 1)


def test_several_problems_reported_together() -> None:
    with pytest.raises(YamlError) as info:
        load_text("a: 1\nb: .inf\na: 2\nc: !x 1\n", "r.yaml")
    messages = [(p.line, p.message.split(":")[0]) for p in info.value.problems]
    assert messages == [
        (2, "not a finite number"),
        (3, "duplicate key 'a' (first on line 1)"),
        (4, "unknown tag '!x'"),
    ]
    assert str(info.value) == "\n".join(str(p) for p in info.value.problems)
    assert str(info.value).count("\n") == 2


def test_problem_count_is_capped() -> None:
    text = "".join(f"k{i}: .nan\n" for i in range(200))
    problems = problems_of(text)
    assert len(problems) == yamlio.MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("too many errors")


# --- files ------------------------------------------------------------------------------------


def test_load_file_ok(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(NESTED, encoding="utf-8")
    doc = load_file(path)
    assert isinstance(doc, Document)
    assert doc.file == str(path)
    assert doc.locate(("units", 0, "at")) == (5, 9)
    assert load_file(str(path)).data == doc.data


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    problem = file_problem(path)
    assert str(problem) == f"{path}:1:1: error: cannot read: No such file or directory"


def test_directory(tmp_path: Path) -> None:
    problem = file_problem(tmp_path)
    assert problem.message == "cannot read: Is a directory"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(yamlio, "open", denied, raising=False)  # works even when run as root
    problem = file_problem(path)
    assert str(problem) == f"{path}:1:1: error: cannot read: Permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)  # opening it for reading would block forever
    assert file_problem(path).message == "cannot read: not a regular file"


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("".join(f"k{i}: {i}\n" for i in range(20)))  # 140 bytes
    problem = file_problem(path, max_bytes=139)
    assert problem.message == "file is 140 bytes, over the 139 bytes limit"
    assert load_file(path, max_bytes=140).data == {f"k{i}": i for i in range(20)}
    big = tmp_path / "huge.yaml"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    problem = file_problem(big)
    assert problem.message == "file is 22020096 bytes, over the 20 MB limit"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert file_problem(path).message == "the file is empty"


def test_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(b"a: 1\nbb: x\x00y\n")
    problem = file_problem(path)
    assert problem.message == "not a text file: binary data at byte 10"
    assert (problem.line, problem.col) == (2, 6)


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nname: Zürich\n".encode("latin-1"))
    problem = file_problem(path)
    assert problem.message == "not a text file: binary data at byte 12"
    assert (problem.line, problem.col) == (2, 8)


def test_utf16_hint(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("a: 1\n".encode("utf-16"))
    problem = file_problem(path)
    assert problem.message.startswith("not a text file: binary data at byte 0")
    assert "UTF-16" in problem.message


# --- fuzzing ----------------------------------------------------------------------------------

TOKENS = [
    "a",
    "b",
    ":",
    ": ",
    " ",
    "  ",
    "\n",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&x ",
    "*x",
    "&y ",
    "*y",
    "!!",
    "!!str ",
    "!foo ",
    "'",
    '"',
    "#",
    "? ",
    "1",
    "1.5",
    ".nan",
    "<<",
    "~",
    "on",
    "\t",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "|\n",
    ">-\n",
    "\\",
    "\x00",
    "\ufeff",
    "é",
    "!!python/object:os.system ",
    "2020-02-30",
    "!!binary ",
    "!!int ",
    "0x",
    "|2-\n",
]


def check_only_yaml_errors(load: Callable[..., Document], *args: object) -> None:
    try:
        doc = load(*args)
    except YamlError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.line >= 1 and problem.col >= 1
            assert problem.severity == "error" and problem.message
            assert "internal error" not in problem.message  # the last-resort guard hides bugs
    else:
        assert isinstance(doc, Document)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_raises_yaml_error(text: str) -> None:
    check_only_yaml_errors(load_text, text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_yaml_like_soup_only_raises_yaml_error(text: str) -> None:
    check_only_yaml_errors(load_text, text)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_yaml_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    check_only_yaml_errors(load_file, path)
