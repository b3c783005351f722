"""Installs like a tool: the built wheel, in a fresh virtual environment, works in an empty folder.

How the install is made, fast and without a network-heavy step:
- the wheel is built from a copy of the sources (so no build/ or egg-info lands in the checkout) with
  `pip wheel --no-deps`; pip's build isolation takes setuptools from the registry or pip's cache. Where neither can
  be reached the test skips, saying so; any other build failure fails it.
- a fresh venv (`python -m venv --without-pip`) gets the wheel with `pip --python VENV install --no-deps`, and one
  .pth line that appends this project's .venv site-packages, so the dependencies (pandas, pyarrow, scipy, ...:
  hundreds of MB, minutes to download) come from there. A path added by a .pth line has its own .pth files
  ignored, so .venv's editable install of this checkout stays off: `pipeline` is imported from the wheel, which
  the test checks before anything else.
Then, in an empty folder: `seo-pipeline init`, `seo-pipeline demo`, and stages on their own (`pull` of the
packaged sample, then `audit`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.config import load_settings
from pipeline.resources import BUNDLED_DIR, default_config, packaged_config, packaged_prompts, prompts_dir
from pipeline.stages.generate.prompts import Prompts

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Signs that pip could not fetch the build requirements (offline, no cache), not that our build is broken.
OFFLINE = ("Could not find a version that satisfies", "No matching distribution found", "NewConnectionError",
           "Failed to establish a new connection", "Network is unreachable", "Temporary failure in name resolution",
           "ProxyError", "Max retries exceeded")
# Variables that would steer a run elsewhere (a store, an OpenAI key, another workspace or settings file).
STEERING = ("PYTHONPATH", "STORE", "SEO_WORKSPACE", "SHOPIFY_STORE", "SHOPIFY_ACCESS_TOKEN", "SHOPIFY_CLIENT_ID",
            "SHOPIFY_CLIENT_SECRET", "OPENAI_API_KEY", "OPENAI_BASE_URL", "VIRTUAL_ENV")


def _copy_sources(target: Path) -> None:
    from pipeline._build import BUNDLED

    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "README.md", "pipeline", *BUNDLED):
        source, dest = PROJECT_ROOT / name, target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=ignore)
        else:
            shutil.copy2(source, dest)


def _build_wheel(tmp_path: Path) -> Path:
    sources, out = tmp_path / "src", tmp_path / "dist"
    _copy_sources(sources)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(sources), "--no-deps", "-w", str(out),
                           "--quiet", "--disable-pip-version-check"], capture_output=True, text=True, timeout=240)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if any(sign in output for sign in OFFLINE):
            pytest.skip("the wheel cannot be built here: pip cannot fetch the build requirements (setuptools>=68, "
                        "wheel) from the registry or its cache")
        pytest.fail(f"pip wheel failed:\n{output[-4000:]}")
    wheels = sorted(out.glob("shopify_seo_pipeline-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _venv_with(wheel: Path, root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    python = root / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", "--disable-pip-version-check", str(wheel)], check=True, timeout=120)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_ships_prompts_settings_and_the_sample(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("pipeline/_bundled/seo.toml", "pipeline/_bundled/prompts/system.j2",
                     "pipeline/_bundled/prompts/product.j2", "pipeline/_bundled/prompts/locale/default.j2",
                     "pipeline/_bundled/catalog_samples/products.csv",
                     "pipeline/_bundled/catalog_samples/gsc_queries.csv",
                     "pipeline/stages/review/templates/base.html.j2",
                     "pipeline/shopify/graphql/products_read.graphql"):
        assert expected in names, expected
    shipped = {n.removeprefix("pipeline/_bundled/") for n in names if n.startswith("pipeline/_bundled/prompts/")}
    in_repo = {p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "prompts").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts}
    assert shipped == in_repo  # prompts/ at the top of the repository is what the package ships
    assert not any(n.startswith(("prompts/", "catalog_samples/", "seo.toml", "tests/")) for n in names)


def test_installed_wheel_runs_init_demo_and_a_stage_in_an_empty_folder(wheel, tmp_path):
    python = _venv_with(wheel, tmp_path / "venv")
    script = python.parent / ("seo-pipeline.exe" if os.name == "nt" else "seo-pipeline")
    folder = tmp_path / "shop"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in STEERING}

    def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], cwd=folder, env=env, capture_output=True, text=True,
                              timeout=timeout)

    where = subprocess.run([str(python), "-c", "import pipeline, pipeline.resources as r; "
                            "print(pipeline.__file__); print(r.resource_root())"],
                           cwd=folder, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert Path(where[0]).is_relative_to(tmp_path / "venv"), f"pipeline imported from {where[0]}, not the wheel"
    assert Path(where[1]).name == "_bundled" and Path(where[1]).is_relative_to(tmp_path / "venv")

    init = run("init")
    assert init.returncode == 0, init.stderr
    assert (folder / "seo.toml").read_bytes() == (PROJECT_ROOT / "seo.toml").read_bytes()
    assert "seo-pipeline demo" in init.stdout
    again = run("init")
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr

    demo = run("demo")
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert demo.stdout.strip().splitlines()[-1].startswith("demo: finished"), demo.stdout[-2000:]
    pull = run("pull")  # no --csv, no store: [pull] sample_csv, found in the package
    assert pull.returncode == 0 and pull.stdout.startswith("pull: "), pull.stderr
    audit = run("audit")
    assert audit.returncode == 0, audit.stderr
    assert audit.stdout.startswith("audit: ") and (folder / "workspace" / "sample" / "audit.parquet").is_file()
    assert sorted(p.name for p in folder.iterdir()) == ["seo.toml", "workspace"]
    print("\n".join(["$ seo-pipeline init", init.stdout.rstrip(), "$ seo-pipeline init  (again)", again.stderr.rstrip(),
                     "$ seo-pipeline demo", demo.stdout.rstrip(), "$ seo-pipeline pull", pull.stdout.rstrip(),
                     "$ seo-pipeline audit", audit.stdout.rstrip()]))


# -- where settings and prompts come from, without a wheel -------------------------------------------------
def test_the_working_folder_overrides_the_packaged_settings_and_prompts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_config() == packaged_config() and prompts_dir() == packaged_prompts()
    assert load_settings(env={}).config_path == packaged_config()
    (tmp_path / "seo.toml").write_text('[pipeline]\nlocales = ["de"]\n', encoding="utf-8")
    shutil.copytree(packaged_prompts(), tmp_path / "prompts")
    assert default_config() == tmp_path / "seo.toml" and prompts_dir() == tmp_path / "prompts"
    assert load_settings(env={}).locales == ("de",)
    assert Prompts().directory == tmp_path / "prompts"
    explicit = tmp_path / "other.toml"
    explicit.write_text('[pipeline]\nlocales = ["fr"]\n', encoding="utf-8")
    assert load_settings(explicit, env={}).locales == ("fr",)  # --config still wins
    assert load_settings(env={}).workspace_base == tmp_path / "workspace"


def test_a_checkout_reads_its_own_files_not_a_bundle():
    from pipeline.resources import resource_root

    assert resource_root() == PROJECT_ROOT and not BUNDLED_DIR.exists()
    assert packaged_prompts() == PROJECT_ROOT / "prompts" and packaged_config() == PROJECT_ROOT / "seo.toml"


def test_init_writes_the_commented_settings_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init"]) == 0
    assert (tmp_path / "seo.toml").read_text(encoding="utf-8") == packaged_config().read_text(encoding="utf-8")
    assert "next:" in capsys.readouterr().out
    (tmp_path / "seo.toml").write_text("[pipeline\n", encoding="utf-8")  # broken: init reads no settings
    assert cli.main(["init"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert (tmp_path / "seo.toml").read_text(encoding="utf-8") == "[pipeline\n"
    assert cli.main(["init", "--force", "--prompts"]) == 0
    assert (tmp_path / "seo.toml").read_text(encoding="utf-8") == packaged_config().read_text(encoding="utf-8")
    assert (tmp_path / "prompts" / "system.j2").read_text(encoding="utf-8") == \
        (packaged_prompts() / "system.j2").read_text(encoding="utf-8")
    assert cli.main(["init", "--prompts"]) == 2  # both exist now


def test_every_make_target_is_a_thin_wrapper_of_a_command():
    """Nothing needs make: a stage target runs `$(PIPELINE) <the same command> ...` (python -m pipeline), and what
    else runs Python is the venv and test tooling or a benchmark script (bench targets, for developers)."""
    lines = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    wrapped = {}
    for number, line in enumerate(lines):
        if line.startswith("\t$(PIPELINE) "):
            target = next(t.split(":")[0] for t in reversed(lines[:number]) if t and not t.startswith(("\t", "#")))
            wrapped[target] = line.split()[1]
    assert wrapped, "no make target runs $(PIPELINE)"
    assert set(wrapped.values()) <= set(cli.COMMANDS), wrapped
    assert all(target == command or target.startswith(command + "-") for target, command in wrapped.items()), wrapped
    assert {"pull", "audit", "keywords", "links", "estimate", "generate", "review", "push", "demo"} <= set(wrapped)
    tools = ("-m pip ", "-m ruff ", "-m mypy", "-m pytest", "benchmarks/", "tests/e2e/")
    others = [line for line in lines if line.startswith("\t$(PY) ") and not any(t in line for t in tools)]
    assert others == []
    assert any(line.startswith("PIPELINE") and "-m pipeline" in line for line in lines)
