"""Safe YAML loading for scenario and rules files written by modders.

Every problem with an input file (unreadable, binary, too large, bad syntax, forbidden tags, alias
bombs, duplicate keys, bad numbers ...) is raised as a `YamlError` holding `Problem`s with file,
1-based line and column; `load_file` and `load_text` never let any other exception out.

Data model: mappings become dicts, sequences lists, scalars str/int/float/bool/None/datetime.date
(datetime.datetime for full timestamps). Mapping keys must be text; integer keys are allowed too and
kept as int; any other key (true, null, 1.5, a date, a list ...) is an error. Only the YAML core
tags are accepted; merge keys ('<<') are not supported. Anchors and aliases are allowed: each alias
is expanded into an independent copy. The position of an alias value is the alias itself; positions
inside it are those of the anchored template.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.error import Mark, MarkedYAMLError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

MAX_NODES = 1_000_000  # nodes in the document after expanding aliases
MAX_ALIASES = 10_000  # alias uses after expanding aliases
MAX_DEPTH = 200  # nesting of lists/mappings
MAX_PROBLEMS = 50  # stop collecting after this many errors
_MB = 1024 * 1024
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset({"str", "int", "float", "bool", "null", "timestamp"})
_PLAIN = "only plain values are allowed (text, numbers, true/false, null, dates, lists, mappings)"
_TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels)"
_CONSTRUCTOR = SafeConstructor()  # used only for its stateless scalar conversions
_CONVERTERS: dict[str, Callable[[ScalarNode], object]] = {
    "null": _CONSTRUCTOR.construct_yaml_null,
    "bool": _CONSTRUCTOR.construct_yaml_bool,
    "int": _CONSTRUCTOR.construct_yaml_int,
    "float": _CONSTRUCTOR.construct_yaml_float,
    "timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}

Path = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass(frozen=True)
class Problem:
    """One problem in a file, printed as file:line:col: severity: message."""

    file: str  # path as given
    line: int  # 1-based
    col: int  # 1-based
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"


class YamlError(Exception):
    """One or more problems with a YAML file; str() lists them one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(path: Path) -> str:
    """("units", 12, "at") -> "units[12].at"; the empty path gives ""."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class Document:
    """A loaded YAML file: its plain data and where every value and key stands."""

    file: str
    data: object
    positions: dict[Path, Position] = field(default_factory=dict, repr=False)  # values
    key_positions: dict[Path, Position] = field(default_factory=dict, repr=False)  # mapping keys

    def locate(self, path: Path, key: bool = False) -> Position:
        """(line, col) of the value at `path`, or of its mapping key with key=True. A missing path
        falls back to its longest existing prefix; the empty path is the document start (1, 1)."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        for n in range(len(path), 0, -1):
            pos = self.positions.get(path[:n])
            if pos is not None:
                return pos
        return (1, 1)

    def problem(
        self, path: Path, message: str, severity: str = "error", key: bool = False
    ) -> Problem:
        line, col = self.locate(path, key)
        return Problem(self.file, line, col, severity, message)


class _Fail(Exception):
    """Internal: a fatal problem at a mark."""

    def __init__(self, mark: Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Alias(Node):
    """Stands in for an alias in the composed graph so that its own position is kept."""

    def __init__(self, target: Node, anchor: str, start: Mark, end: Mark) -> None:
        super().__init__(target.tag, target, start, end)
        self.anchor = anchor


class _Loader(yaml.SafeLoader):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.anchored: set[int] = set()  # ids of the nodes that carry an anchor

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        mark = cast(Mark, event.start_mark)
        if self.depth > MAX_DEPTH:
            raise _Fail(mark, _TOO_DEEP)
        anchor = event.anchor
        if isinstance(event, AliasEvent):
            self.get_event()
            if anchor not in self.anchors:
                raise _Fail(mark, f"unknown alias *{anchor} (no &{anchor} before it)")
            return _Alias(self.anchors[anchor], anchor, mark, cast(Mark, event.end_mark))
        if anchor is not None and anchor in self.anchors:
            first = self.anchors[anchor].start_mark.line + 1
            raise _Fail(mark, f"duplicate anchor &{anchor} (first on line {first})")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if anchor is not None:
            self.anchored.add(id(node))
        return node


def _pos(mark: Mark | None) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _tag_problem(node: Node) -> str | None:
    tag = node.tag
    name = tag[len(_CORE) :] if tag.startswith(_CORE) else None
    shown = tag if name is None else "!!" + name
    if "python/" in tag:
        return f"Python object tags are not allowed (found {shown!r})"
    if name is None:
        return f"unknown tag {shown!r}: {_PLAIN}"
    if isinstance(node, ScalarNode):
        kind, ok = "a single value", name in _SCALAR_TAGS or name in ("value", "merge")
    elif isinstance(node, SequenceNode):
        kind, ok = "a list", name == "seq"
    else:
        kind, ok = "a mapping", name == "map"
    if ok:
        return None
    if name in _SCALAR_TAGS or name in ("seq", "map"):
        return f"tag {shown!r} cannot be used on {kind}"
    return f"unsupported tag {shown!r}: {_PLAIN}"


def _check_expansion(root: Node, anchored: set[int]) -> None:
    """Fail at the first alias that makes the expanded document too big, too deep or recursive.
    Runs before anything is built; anchored nodes are measured once, so it is linear in the file."""
    nodes = aliases = 0
    memo: dict[int, tuple[int, int, int]] = {}  # anchored node -> (nodes, aliases, height)
    active: set[int] = set()  # anchored nodes being visited

    def visit(node: Node, depth: int) -> int:  # returns the height of the expanded node
        nonlocal nodes, aliases
        if isinstance(node, _Alias):
            if id(node.value) in active:
                raise _Fail(
                    node.start_mark, f"recursive alias: *{node.anchor} is used inside itself"
                )
            size, uses, height = memo.get(id(node.value), (1, 0, 0))
            nodes, aliases = nodes + size, aliases + uses + 1
            if nodes > MAX_NODES:
                msg = f"the expanded document exceeds {MAX_NODES} nodes"
                raise _Fail(node.start_mark, f"too many aliases: {msg} (an alias bomb?)")
            if aliases > MAX_ALIASES:
                msg = f"the expanded document uses more than {MAX_ALIASES} aliases"
                raise _Fail(node.start_mark, f"too many aliases: {msg} (an alias bomb?)")
            if depth + height > MAX_DEPTH:
                raise _Fail(node.start_mark, _TOO_DEEP)
            return height
        start = (nodes, aliases)
        nodes += 1
        if id(node) in anchored:
            active.add(id(node))
        height = 0
        children = node.value if isinstance(node, SequenceNode) else []
        if isinstance(node, MappingNode):
            children = [child for pair in node.value for child in pair]
        for child in children:
            height = max(height, visit(child, depth + 1) + 1)
        if id(node) in anchored:
            active.discard(id(node))
            memo[id(node)] = (nodes - start[0], aliases - start[1], height)
        return height

    visit(root, 0)


class _Builder:
    """Turns the composed node graph into plain data, recording positions and problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[Path, Position] = {}
        self.key_positions: dict[Path, Position] = {}
        self.problems: list[Problem] = []

    def error(self, mark: Mark | None, message: str) -> None:
        problem = Problem(self.file, *_pos(mark), "error", message)
        if problem not in self.problems:
            self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Fail(mark, f"too many errors, stopped after {MAX_PROBLEMS}")

    def value(self, node: Node, path: Path) -> object:
        self.positions[path] = _pos(node.start_mark)
        return self.walk(node.value if isinstance(node, _Alias) else node, path)

    def walk(self, node: Node, path: Path) -> object:
        bad = _tag_problem(node)
        if bad is not None:
            self.error(node.start_mark, bad)
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.mapping(cast(MappingNode, node), path)

    def mapping(self, node: MappingNode, path: Path) -> object:
        result: dict[str | int, object] = {}
        first: dict[str | int, int] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in first:
                message = f"duplicate key {key!r} (first on line {first[key]})"
                self.error(key_node.start_mark, message)
                continue
            first[key] = key_node.start_mark.line + 1
            self.key_positions[(*path, key)] = _pos(key_node.start_mark)
            result[key] = self.value(value_node, (*path, key))
        return result

    def key(self, node: Node) -> str | int | None:
        mark = node.start_mark
        if isinstance(node, _Alias):
            node = node.value
        if node.tag == _CORE + "merge":
            self.error(mark, "merge keys ('<<') are not supported; write the keys out")
            return None
        if not isinstance(node, ScalarNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            self.error(mark, f"keys must be text, not {kind}")
            return None
        bad = _tag_problem(node)
        if bad is not None:
            self.error(mark, bad)
            return None
        key = self.scalar(node, mark)
        if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)):
            return key
        if key is not _BAD:
            found = f"found {_show(node.value)}" if node.value else "found an empty key"
            self.error(mark, f"keys must be text ({found}; quote it if it is meant as text)")
        return None

    def scalar(self, node: ScalarNode, mark: Mark | None = None) -> object:
        mark = mark or node.start_mark
        name = node.tag[len(_CORE) :]
        if name in ("str", "value", "merge"):  # '=' and '<<' are text outside of keys
            return str(node.value)
        try:
            value = _CONVERTERS[name](node)
        except Exception:  # any failure of the stock conversions means a bad value
            what = "date" if name == "timestamp" else name
            message = f"not a valid {what}: {_show(node.value)} (quote it if it is meant as text)"
            self.error(mark, message)
            return _BAD
        if isinstance(value, float) and not math.isfinite(value):
            self.error(mark, f"not a finite number: {_show(node.value)}")
            return _BAD
        return value


_BAD = object()  # marks a scalar that was reported as an error


def _text_pos(text: str, index: int) -> Position:
    start = text.rfind("\n", 0, index) + 1
    return (text.count("\n", 0, index) + 1, index - start + 1)


def _syntax_message(exc: MarkedYAMLError) -> str:
    message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    if exc.problem and exc.context and exc.context_mark is not None:
        message += f" ({exc.context} on line {exc.context_mark.line + 1})"
    if "'\\t'" in message:
        message += "; use spaces, not tabs, for indentation"
    return message


def _fail(file: str, position: Position, message: str) -> YamlError:
    return YamlError([Problem(file, position[0], position[1], "error", message)])


def _load(text: str, file: str) -> Document:
    if not text.strip(" \t\r\n\ufeff"):
        raise _fail(file, (1, 1), "the file is empty")
    loader: _Loader | None = None
    builder = _Builder(file)
    try:
        loader = _Loader(text)
        if not loader.check_node():
            raise _fail(file, (1, 1), "the file is empty")
        root = loader.get_node()
        if loader.check_node():
            raise _Fail(loader.peek_event().start_mark, "expected a single YAML document")
        if root is None or (root.tag == _CORE + "null" and root.value == ""):
            raise _fail(file, (1, 1), "the file is empty")
        _check_expansion(root, loader.anchored)
        data = builder.walk(root, ())
    except ReaderError as exc:
        char = chr(exc.character) if isinstance(exc.character, int) else repr(exc.character)
        message = f"YAML syntax error: special character {char!r} is not allowed"
        raise _fail(file, _text_pos(text, exc.position), message) from None
    except MarkedYAMLError as exc:
        position = _pos(exc.problem_mark or exc.context_mark)
        raise _fail(file, position, _syntax_message(exc)) from None
    except _Fail as exc:
        builder.problems.append(Problem(file, *_pos(exc.mark), "error", exc.message))
        raise YamlError(builder.problems) from None
    except RecursionError:
        raise _fail(file, (1, 1), "nested too deeply (recursion limit reached)") from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.problems:
        raise YamlError(builder.problems)
    return Document(file, data, builder.positions, builder.key_positions)


def load_text(text: str, file: str = "<string>") -> Document:
    """Parse YAML text; raises YamlError (and nothing else) for any problem."""
    try:
        return _load(text, file)
    except YamlError:
        raise
    except Exception as exc:  # last-resort guard: a modder's file must never crash the game
        message = f"internal error while reading YAML: {type(exc).__name__}: {exc}"
        raise _fail(file, (1, 1), message) from exc


def _size(n: int) -> str:
    return f"{n // _MB} MB" if n % _MB == 0 else f"{n} bytes"


def _read_text(path: str | os.PathLike[str], file: str, max_bytes: int) -> str:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            raise _fail(file, (1, 1), "cannot read: not a regular file")
        if info.st_size > max_bytes:
            limit = f"over the {_size(max_bytes)} limit"
            raise _fail(file, (1, 1), f"file is {info.st_size} bytes, {limit}")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _fail(file, (1, 1), f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # e.g. a NUL character in the path
        raise _fail(file, (1, 1), f"cannot read: {exc}") from None
    if len(data) > max_bytes:
        limit = f"over the {_size(max_bytes)} limit"
        raise _fail(file, (1, 1), f"file is more than {max_bytes} bytes, {limit}")
    bad = data.find(b"\0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start if bad < 0 else min(bad, exc.start)
        text = ""
    if bad < 0:
        return text
    start = data.rfind(b"\n", 0, bad) + 1
    position = (data.count(b"\n", 0, bad) + 1, len(data[start:bad].decode("utf-8", "replace")) + 1)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    hint = " (it looks like UTF-16; save it as UTF-8)" if utf16 else ""
    raise _fail(file, position, f"not a text file: binary data at byte {bad}{hint}")


def load_file(path: str | os.PathLike[str], max_bytes: int = 20 * _MB) -> Document:
    """Read and parse a YAML file; raises YamlError (and nothing else) for any problem."""
    file = str(path)
    try:
        text = _read_text(path, file, max_bytes)
    except YamlError:
        raise
    except Exception as exc:  # last-resort guard, as in load_text
        raise _fail(file, (1, 1), f"cannot read: {type(exc).__name__}: {exc}") from exc
    return load_text(text, file)
