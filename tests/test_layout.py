"""The house rules of the code's layout, checked on every module's imports (top-level and
inside functions alike)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The engine's stages in the order data flows; a module imports only from its own stage or
# earlier ones. "base" modules (shared types, errors, telemetry) come before all of them.
STAGES = ["base", "knowledge", "reading", "embedding", "storage", "answering", "pipeline", "api"]
BASE = {"types", "results", "errors", "telemetry", "text"}
PIPELINE = {"ingest", "cataloguing", "libraries", "taste", "engine", "conversation"}
SEAM = "index.storage.vectors"
# The Qdrant stores: only the seam picks them; each library is imported by its own module.
QDRANT = (
    "index.storage.qdrant_vectors",
    "index.storage.qdrant_edge_vectors",
    "index.storage.qdrant_payloads",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[str]:
    """Every module this file imports, as dotted names (`from a import b` gives a and a.b)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "api"
    if parts[1] in BASE:
        return "base"
    if parts[1] in PIPELINE:
        return "pipeline"
    return parts[1]


def test_front_ends_use_only_the_engines_public_api():
    wrong = [
        f"{module_name(path)} imports {name}"
        for path in sources("bot")
        for name in imports(path)
        if name.startswith("index.") and name.removeprefix("index.") not in _public_names()
    ]
    assert not wrong, wrong


def _public_names() -> set[str]:
    import index

    return set(index.__all__)


def test_only_the_store_seam_imports_the_qdrant_store():
    wrong = [
        f"{module_name(path)} imports {name}"
        for package in ("index", "bot", "config")
        for path in sources(package)
        for name in imports(path)
        if name.startswith(QDRANT) and module_name(path) not in (SEAM, *QDRANT)
    ]
    assert not wrong, wrong
    clients = [module_name(p) for p in sources("index") if "qdrant_client" in imports(p)]
    assert clients == ["index.storage.qdrant_vectors"]
    engines = [module_name(p) for p in sources("index") if "qdrant_edge" in imports(p)]
    assert engines == ["index.storage.qdrant_edge_vectors"]


def test_the_engine_never_imports_discord_or_the_front_ends():
    wrong = [
        f"{module_name(path)} imports {name}"
        for path in sources("index")
        for name in imports(path)
        if name.split(".")[0] in {"discord", "bot"}
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("path", sources("index"), ids=lambda p: module_name(p))
def test_each_stage_imports_only_earlier_stages(path):
    own = STAGES.index(stage_of(module_name(path)))
    later = [
        name
        for name in imports(path)
        if name.startswith("index.") and STAGES.index(stage_of(name)) > own
    ]
    assert not later, f"{module_name(path)} reaches forward to {later}"


def test_every_module_is_in_a_readme_with_its_tests():
    """index/README.md and bot/README.md name every module (a row per module)."""
    for package in ("index", "bot"):
        readme = (ROOT / package / "README.md").read_text(encoding="utf-8")
        missing = [
            str(path.relative_to(ROOT / package))
            for path in sources(package)
            if path.name != "__init__.py" and f"`{path.relative_to(ROOT / package)}`" not in readme
        ]
        assert not missing, f"{package}/README.md does not mention {missing}"


def test_the_tests_a_readme_names_exist():
    import re

    for package in ("index", "bot"):
        readme = (ROOT / package / "README.md").read_text(encoding="utf-8")
        named = set(
            re.findall(r"`((?:tests/|benchmarks/)?[\w/]*test_\w+\.py|benchmarks/\w+\.py)`", readme)
        )
        assert named
        missing = [
            n for n in named if not (ROOT / n).is_file() and not list((ROOT / "tests").rglob(n))
        ]
        assert not missing, f"{package}/README.md names tests that do not exist: {missing}"


def test_answering_imports_nothing_from_the_engine():
    wrong = [
        f"{module_name(path)} imports {name}"
        for path in sources("index/answering")
        for name in imports(path)
        if name.startswith(("index.engine", "index.conversation", "index.libraries"))
    ]
    assert not wrong, wrong


def _calls_on_engine(path: Path) -> set[str]:
    """Attributes the module takes from anything named engine (`self.bot.engine.ask`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute | ast.Name):
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
            if owner == "engine":
                found.add(node.attr)
    return found


def test_front_ends_ask_questions_one_way():
    """A question reaches the engine through `ask` only: the CLI, Discord's /search and the
    chat (the conversation) alike; nobody parses and searches in two steps."""
    front = [*sources("bot"), ROOT / "index" / "conversation.py"]
    used = {path: _calls_on_engine(path) for path in front}
    wrong = [
        f"{module_name(p)} calls engine.{a}"
        for p, attributes in used.items()
        for a in attributes
        if a in {"parse", "search"}
    ]
    assert not wrong, wrong
    askers = {module_name(p) for p, attributes in used.items() if "ask" in attributes}
    assert {"bot.terminal.cli", "bot.discord.cogs.search._cog", "index.conversation"} <= askers


# Filter keys that are no fact's name: spelled only where filters are declared and read.
def _filter_only_names() -> set[str]:
    from index.knowledge import filters as registry

    facts = {fact.name for fact in registry.FACTS}
    fields = {name for f in registry.FILTERS for name in (f.key, *f.all_fields)}
    return fields - facts


def test_no_filter_key_is_spelled_outside_the_registry_and_the_steps_that_read_it():
    allowed = ("index/knowledge/filters.py", "index/answering/question/", "index/types.py")
    names = _filter_only_names()
    wrong = []
    for package in ("index", "bot", "config"):
        for path in sources(package):
            if str(path.relative_to(ROOT)).startswith(allowed):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                spelled = (
                    node.value
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)
                    else node.attr
                    if isinstance(node, ast.Attribute)
                    else None
                )
                if spelled in names:
                    wrong.append(f"{module_name(path)}:{node.lineno} spells {spelled!r}")
    assert not wrong, wrong


@pytest.mark.parametrize("package", ["index", "bot", "config"])
def test_no_function_is_longer_than_sixty_lines(package):
    long = [
        f"{module_name(path)}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for path in sources(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > 60
    ]
    assert not long, long


def test_the_engine_keeps_under_twenty_methods():
    from index.engine import Engine

    own = [
        name
        for name, value in vars(Engine).items()
        if callable(value) or isinstance(value, property)
    ]
    assert len(own) < 20, own
