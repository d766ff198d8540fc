"""The shape of the code, as rules a reviewer would otherwise check by eye: the project
knows both apps, the reader app uses the desk and the desk knows nothing of it, no two
modules import each other (an import inside a function is still an import), and no private
Wagtail name is used outside the one adapter module."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("newsroom", "explainers")
DESK = "newsroom.desk"
READER = "explainers"
PROJECT_MODULES = ("newsroom.settings", "newsroom.urls", "newsroom.api", "newsroom.wsgi")
WAGTAIL_ADAPTER = "newsroom.desk.wagtail_internals"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


MODULES = project_modules()


def resolve(importer, node):
    """The project modules one import statement (anywhere in a module) reaches."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    base = node.module or ""
    if node.level:
        # A relative import counts from the importer's package (a package's own
        # __init__ is its package).
        package = importer.split(".")
        if MODULES[importer].name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    reached = set()
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        if candidate in MODULES:
            reached.add(candidate)
        elif base in MODULES:
            reached.add(base)
    return reached


def parsed(name):
    return parse(MODULES[name])


def parse(path):
    return ast.parse(path.read_text(), filename=str(path))


def import_graph():
    graph = {}
    for name in MODULES:
        edges = set()
        for node in ast.walk(parsed(name)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= resolve(name, node)
        graph[name] = edges - {name}
    return graph


GRAPH = import_graph()


def reachable(start):
    seen, stack = set(), [start]
    while stack:
        for target in GRAPH[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def cycles():
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def in_package(name, package):
    return name == package or name.startswith(package + ".")


def test_the_graph_sees_imports_inside_functions():
    # The desk's app config is read by Django; the reader's connects its receivers in
    # ready(), an import inside a method, which the graph must see.
    assert "explainers.signal_handlers" in GRAPH["explainers.apps"]


def test_the_desk_knows_nothing_of_explainers():
    leaks = {
        name: sorted(target for target in reachable(name) if in_package(target, READER))
        for name in MODULES
        if in_package(name, DESK)
    }
    assert {name: targets for name, targets in leaks.items() if targets} == {}


@pytest.mark.parametrize("app", [DESK, READER])
def test_apps_do_not_import_the_project(app):
    leaks = {
        name: sorted(
            target
            for target in GRAPH[name]
            if any(in_package(target, project) for project in PROJECT_MODULES)
        )
        for name in MODULES
        if in_package(name, app)
    }
    assert {name: targets for name, targets in leaks.items() if targets} == {}


def test_the_reader_app_uses_the_desk():
    assert any(
        in_package(target, DESK)
        for name in MODULES
        if in_package(name, READER)
        for target in GRAPH[name]
    )


def test_no_import_cycles():
    assert cycles() == []


def wagtail_names(tree):
    """Names a module binds from Wagtail, and the private ones it imports by name."""
    bound, private = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wagtail"):
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if alias.name.startswith("_"):
                    private.add(f"{node.module}.{alias.name}")
    return bound, private


def private_wagtail_uses(path):
    tree = parse(path)
    bound, private = wagtail_names(tree)
    uses = set(private)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr != "_meta"  # Django's documented Options API
        ):
            uses.add(f"{node.value.id}.{node.attr}")
    return sorted(uses)


def test_private_wagtail_names_only_in_the_adapter():
    # The apps, and the benchmarks and scripts that build data beside them.
    paths = [path for name, path in MODULES.items() if name != WAGTAIL_ADAPTER]
    paths += [*(ROOT / "benchmarks").rglob("*.py"), *(ROOT / "scripts").rglob("*.py")]
    uses = {str(path.relative_to(ROOT)): private_wagtail_uses(path) for path in paths}
    assert {name: found for name, found in uses.items() if found} == {}


def test_the_check_finds_the_adapters_private_names():
    # The adapter exists for private names; if the check could not see them there, it
    # could not see them anywhere.
    assert private_wagtail_uses(MODULES[WAGTAIL_ADAPTER])
