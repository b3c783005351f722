"""The house rules of the layout (docs/architecture.md), checked on the source so a move that breaks them fails:

- `pipeline/llm/` is transport: it imports nothing from `pipeline.stages` or `pipeline.gates`;
- a stage imports another stage only through that stage's package (its `run` and what `__init__` exposes),
  never its internals;
- no import cycles between modules, counting imports inside functions (they hid two cycles before).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every pipeline module `name` imports, at any depth of its body, resolved to a module we have."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets = [base if alias.name in _bound_in(base) else f"{base}.{alias.name}" for alias in node.names]
            targets.append(base)
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target.startswith("pipeline") and target != name:
                yield target


def _bound_in(package: str) -> set[str]:
    """Names a package's __init__ binds itself: `from package import name` then means the name, not a module."""
    path = MODULES.get(package)
    if path is None or path.name != "__init__.py":
        return set()
    bound = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            bound |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
    return bound


GRAPH = {name: sorted(set(_imports(name, path))) for name, path in MODULES.items()}


def _stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "stages" else None


def test_llm_is_transport_only() -> None:
    offences = [f"{name} imports {target}" for name, targets in GRAPH.items() if name.startswith("pipeline.llm")
                for target in targets if target.startswith(("pipeline.stages", "pipeline.gates"))]
    assert offences == []


def test_no_stage_reaches_into_another_stages_internals() -> None:
    offences = []
    for name, targets in GRAPH.items():
        own = _stage_of(name)
        for target in targets:
            other = _stage_of(target)
            if other and other != own and target != f"pipeline.stages.{other}":
                offences.append(f"{name} imports {target}")
    assert offences == []


def test_no_import_cycles() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in GRAPH.get(node, []):
            if target.startswith(node + "."):
                continue  # a package importing its own submodules is not a cycle
            if state.get(target) == 1 and not node.startswith(target + "."):
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in GRAPH:
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("stage", sorted({s for m in MODULES if (s := _stage_of(m))}))
def test_every_stage_exposes_run_with_its_artefacts_named(stage: str) -> None:
    from importlib import import_module

    module = import_module(f"pipeline.stages.{stage}")
    run = getattr(module, "run", None)
    assert callable(run), f"pipeline.stages.{stage} has no run()"
    assert run.__doc__ and "Reads" in run.__doc__ and "Writes" in run.__doc__
