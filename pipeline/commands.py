"""How a message names the command to run next: `make pull` to someone who runs make, `seo-pipeline pull` to
someone who installed the tool (pipx, a wheel, Windows) and has no make.

Every make target is a thin wrapper of a `seo-pipeline` command; the Makefile runs the pipeline with
SEO_PIPELINE_VIA_MAKE=1, so a message can answer in the form its reader typed.
"""

from __future__ import annotations

import os

VIA_MAKE = "SEO_PIPELINE_VIA_MAKE"


def via_make() -> bool:
    return os.environ.get(VIA_MAKE) == "1"


def command_text(cli: str, make: str | None = None) -> str:
    """`cli` after "seo-pipeline", or `make` (default: the same words) after "make":
    command_text("pull") -> "seo-pipeline pull" or "make pull";
    command_text("rollback --run 7", "rollback RUN=7") -> "seo-pipeline rollback --run 7" or "make rollback RUN=7"."""
    return f"make {make if make is not None else cli}" if via_make() else f"seo-pipeline {cli}"


def command(cli: str, make: str | None = None) -> str:
    """The command in backticks, for a one-line message."""
    return f"`{command_text(cli, make)}`"
