"""No unsafe loading anywhere in the package (issue 7).

A static scan of every module under mtrepair/ with the ``ast`` module:
- no pickle/marshal/shelve/dill loading, no ``eval``/``exec``;
- YAML only through a safe loader (``yaml.safe_load``, ``SafeLoader``/``CSafeLoader``, or ``compose``
  with one of them);
- ``numpy.load`` never with ``allow_pickle=True``; ``torch.load`` only with ``weights_only=True``;
- every ``from_pretrained`` says ``trust_remote_code=False`` explicitly;
- no regular expression compiled from a value read at run time (user patterns use the glossary's
  token language, which cannot backtrack): the first argument of ``re``/``regex`` compile and match
  functions is a literal, a module constant, or built from literals only.
A failure names file:line and the construct.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mtrepair"
MODULES = sorted(PACKAGE.rglob("*.py"))

FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
SAFE_YAML_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}
REGEX_FUNCS = {"compile", "match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return ""


def _kw(call: ast.Call, name: str):
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def _is_static(node: ast.AST, constants: set[str]) -> bool:
    """Built only from literals, module-level constants and imported constants (no run-time input)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            if sub.id not in constants and not sub.id.isupper():
                return False
        if isinstance(sub, ast.Call):
            last = _name(sub.func).rsplit(".", 1)[-1]
            if last not in {"escape", "join", "sub", "format", "replace"}:
                return False
    return True


def _module_constants(tree: ast.Module) -> set[str]:
    """Names bound at module level: assignments, imports, classes (not function parameters)."""
    names: set[str] = {"re", "regex"}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            if isinstance(t, ast.Name):
                names.add(t.id)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _safe_loader_classes(tree: ast.Module) -> set[str]:
    """Names of safe YAML loaders in the module: subclasses of one, and aliases of one."""
    safe = set(SAFE_YAML_LOADERS)
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name not in safe:
                if any(_name(b).rsplit(".", 1)[-1] in safe for b in node.bases):
                    safe.add(node.name)
                    changed = True
            if isinstance(node, ast.Assign) and _name(node.value).rsplit(".", 1)[-1] in safe:
                for t in node.targets:  # an alias: _Loader = yaml.CSafeLoader
                    if isinstance(t, ast.Name) and t.id not in safe:
                        safe.add(t.id)
                        changed = True
    return safe


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    rel = path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE.parent) else path
    constants = _module_constants(tree)
    safe_loaders = _safe_loader_classes(tree)
    out: list[str] = []
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for n in names:
                if n.split(".")[0] in FORBIDDEN_MODULES:
                    out.append(f"{where}: imports {n} (unsafe deserialisation)")
        if not isinstance(node, ast.Call):
            continue
        fn = _name(node.func)
        last = fn.rsplit(".", 1)[-1]
        if fn in {"eval", "exec"}:
            out.append(f"{where}: calls {fn}")
        if fn in {"yaml.load", "yaml.load_all", "yaml.compose", "yaml.compose_all", "yaml.parse"}:
            loader = _kw(node, "Loader") or (node.args[1] if len(node.args) > 1 else None)
            if loader is None or _name(loader).rsplit(".", 1)[-1] not in safe_loaders:
                out.append(f"{where}: {fn} without a safe Loader")
        if fn in {"yaml.unsafe_load", "yaml.full_load", "yaml.unsafe_load_all", "yaml.full_load_all"}:
            out.append(f"{where}: calls {fn}")
        if last == "load" and fn.split(".")[0] in {"np", "numpy"}:
            v = _kw(node, "allow_pickle")
            if v is not None and not (isinstance(v, ast.Constant) and v.value is False):
                out.append(f"{where}: numpy.load with allow_pickle")
        if fn == "torch.load":
            v = _kw(node, "weights_only")
            if not (isinstance(v, ast.Constant) and v.value is True):
                out.append(f"{where}: torch.load without weights_only=True")
        v = _kw(node, "trust_remote_code")
        if v is not None and not (isinstance(v, ast.Constant) and v.value is False):
            out.append(f"{where}: trust_remote_code is not the literal False")
        if last == "from_pretrained" and v is None:
            out.append(f"{where}: {fn} without an explicit trust_remote_code=False")
        if fn.split(".")[0] in {"re", "regex", "_re"} and last in REGEX_FUNCS and node.args:
            if not _is_static(node.args[0], constants):
                out.append(f"{where}: {fn} on a pattern built at run time: {ast.unparse(node.args[0])[:80]}")
    return out


def test_package_modules_found():
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_no_unsafe_loading(path):
    problems = _problems(path)
    assert not problems, "\n".join(problems)


UNSAFE_SAMPLE = """
import pickle, yaml, re
import numpy as np
def f(path, user):
    yaml.load(open(path))
    np.load(path, allow_pickle=True)
    AutoModel.from_pretrained(path, trust_remote_code=True)
    AutoTokenizer.from_pretrained(path)
    torch.load(path)
    re.compile(user)
    eval(user)
"""


def test_the_scan_catches_unsafe_code(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(UNSAFE_SAMPLE, encoding="utf-8")
    found = "\n".join(_problems(bad))
    for needle in ("imports pickle", "yaml.load without a safe Loader", "numpy.load with allow_pickle",
                   "trust_remote_code is not the literal False", "without an explicit trust_remote_code=False",
                   "torch.load without weights_only", "re.compile on a pattern built at run time",
                   "calls eval"):
        assert needle in found, needle
