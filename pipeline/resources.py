"""Where the files the package ships are found: prompts/, the default seo.toml and the sample catalogue.

They live once, at the top of the repository. Run from a checkout (`python -m pipeline`, `make`, an editable
install) they are read there; an installed wheel (`pipx install .`, `pip install <wheel>`) carries a copy of them
as package data in pipeline/_bundled/, put there when the wheel is built (pipeline/_build.py lists them). Both
folders have the same layout, so callers only ask for `resource_root()`.

The working folder overrides the packaged settings and prompts: ./seo.toml (else the packaged one) and ./prompts
(else the packaged folder). `seo-pipeline init` writes the commented seo.toml there to start from.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "_bundled"  # in an installed wheel; absent from a checkout
CONFIG_NAME = "seo.toml"
PROMPTS_NAME = "prompts"


def _is_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / PROMPTS_NAME).is_dir() and \
        (folder / CONFIG_NAME).is_file()


def resource_root() -> Path:
    """The folder holding seo.toml, prompts/ and catalog_samples/: the repository checkout, else the wheel's copy."""
    checkout = PACKAGE_DIR.parent
    if _is_checkout(checkout):
        return checkout
    return BUNDLED_DIR


def packaged_config() -> Path:
    """The default, commented seo.toml the package ships (what `init` copies)."""
    return resource_root() / CONFIG_NAME


def packaged_prompts() -> Path:
    return resource_root() / PROMPTS_NAME


def default_config(cwd: Path | None = None) -> Path:
    """The settings file used without --config: ./seo.toml in the working folder, else the packaged one."""
    local = (cwd or Path.cwd()) / CONFIG_NAME
    return local if local.is_file() else packaged_config()


def prompts_dir(cwd: Path | None = None) -> Path:
    """The prompt templates: ./prompts in the working folder, else the packaged ones."""
    local = (cwd or Path.cwd()) / PROMPTS_NAME
    return local if local.is_dir() else packaged_prompts()


__all__ = ["resource_root", "packaged_config", "packaged_prompts", "default_config", "prompts_dir", "BUNDLED_DIR"]
