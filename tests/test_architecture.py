"""The dependency direction (CONVENTIONS.md, "Layout"), read from the imports with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
FRAMEWORK_PACKAGES = ("flask", "werkzeug", "wtforms", "pydantic")
ADAPTERS = ("app.web", "app.api", "app.cli")


def _modules(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    return _imports_in(path.read_text(), package)


def _imports_in(source: str, package: str) -> set[str]:
    """Every module `source` (a module of `package`) imports, made absolute; `from x import y`
    counts as `x` and `x.y`. Imports inside functions count too: `ast.walk` sees them."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def _is_framework(name: str) -> bool:
    top = name.split(".")[0]
    return top in FRAMEWORK_PACKAGES or top.startswith("flask_")


def test_the_architecture_test_sees_the_domain_modules():
    assert {path.stem for path in _modules("domain")} >= {"models", "rules", "accounts"}


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda path: path.name)
def test_the_domain_imports_no_web_framework_and_no_adapter(path):
    imports = _imports(path)

    assert sorted(name for name in imports if _is_framework(name)) == []
    assert sorted(name for name in imports if _within(name, ADAPTERS)) == []


@pytest.mark.parametrize(
    ("package", "other"), [("web", "app.api"), ("api", "app.web")], ids=["web", "api"]
)
def test_web_and_api_never_import_each_other(package, other):
    offenders = {
        _module_name(path): sorted(name for name in _imports(path) if _within(name, (other,)))
        for path in _modules(package)
    }

    assert {module: names for module, names in offenders.items() if names} == {}


def test_the_import_reader_resolves_relative_and_nested_imports():
    source = "from ..web import forms\nfrom . import rules\ndef f():\n    import flask_login\n"

    imports = _imports_in(source, "app.domain")

    assert {"app.web.forms", "app.domain.rules", "flask_login"} <= imports
    assert _within("app.web.forms", ("app.web",))
    assert not _within("app.webhooks", ("app.web",))


ERRORS_WITH_MESSAGE_SECOND = {"ValidationError", "InvalidId", "NotFound"}
ERRORS_WITH_MESSAGE_FIRST = {"Conflict", "Forbidden", "SlotUnavailable"}


def _literal_messages(source: str) -> list[int]:
    """Lines where a domain error gets its message as a plain or f-string literal, or a field's
    message list (`errors[...] = ["..."]`) holds one, instead of a `msg(...)` call."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        candidates: list[ast.expr] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            position = 1 if node.func.id in ERRORS_WITH_MESSAGE_SECOND else 0
            if node.func.id in ERRORS_WITH_MESSAGE_SECOND | ERRORS_WITH_MESSAGE_FIRST:
                candidates = node.args[position : position + 1]
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.List)
            and any(isinstance(target, ast.Subscript) for target in node.targets)
        ):
            candidates = list(node.value.elts)
        lines.extend(
            candidate.lineno
            for candidate in candidates
            if isinstance(candidate, ast.JoinedStr)
            or (isinstance(candidate, ast.Constant) and isinstance(candidate.value, str))
        )
    return sorted(lines)


def test_the_message_check_finds_literal_messages():
    source = 'raise ValidationError("email", f"{x} is wrong")\nerrors["a"] = ["bad"]\n'
    assert _literal_messages(source) == [1, 2]


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda path: path.name)
def test_domain_messages_are_built_with_msg_so_the_portal_can_translate_them(path):
    assert _literal_messages(path.read_text()) == [], f"{path.name}: use app.domain.messages.msg"
