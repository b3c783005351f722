"""Settings are typed and checked once: a misspelt key or a wrong type stops the run with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import GenerationSettings, load_settings
from pipeline.errors import ConfigError


def _settings(tmp_path: Path, text: str):
    path = tmp_path / "seo.toml"
    path.write_text(text)
    return load_settings(path, workspace=tmp_path / "ws", env={})


def test_sections_are_typed_with_one_default_each(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "[generation]\nmodel = \"gpt-4.1-mini\"\nconcurrency = 8\n[push]\nchunk_size = 50\n")
    assert settings.generation.model == "gpt-4.1-mini"
    assert settings.generation.concurrency == 8
    assert settings.generation.attempts == GenerationSettings.attempts  # untouched keys keep the one default
    assert settings.push.chunk_size == 50
    assert settings.links.links_max == 5


def test_a_misspelt_key_names_the_file_the_key_and_the_nearest_valid_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _settings(tmp_path, "[generation]\nconcurrancy = 8\n")
    message = str(caught.value)
    assert str(tmp_path / "seo.toml") in message and "'concurrancy'" in message and "'concurrency'" in message


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown section \[generaton\].*'generation'"):
        _settings(tmp_path, "[generaton]\nmodel = \"x\"\n")


@pytest.mark.parametrize(("text", "expected"), [
    ("[push]\nchunk_size = \"big\"\n", r"\[push\] chunk_size = 'big' is not an integer"),
    ("[links]\ninclude_collections = 1\n", r"\[links\] include_collections = 1 is not true or false"),
    ("[brand]\nbanned_words = [\"a\", 2]\n", r"\[brand\] banned_words .* is not a list of strings"),
    ("[links]\nlinks_min = 6\nlinks_max = 5\n", r"links_min = 6 and links_max = 5"),
    ("[pricing.\"m\"]\ninput = 1\n", r"\[pricing.\"m\"\] needs numbers input and output"),
])
def test_wrong_values_are_one_line_errors(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        _settings(tmp_path, text)


def test_older_limit_keys_are_still_read(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "[audit]\ntitle_max_chars = 65\n")
    assert settings.limits.title_max_chars == 65


def test_the_cli_prints_one_line_and_exits_2_on_a_bad_key(tmp_path: Path) -> None:
    config = tmp_path / "seo.toml"
    config.write_text("[review]\nprot = 9000\n")
    done = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(config), "--workspace",
                           str(tmp_path / "ws"), "audit"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "'prot'" in done.stderr and "'port'" in done.stderr


def test_allow_dropped_names_fact_classes_and_an_unknown_one_is_one_line(tmp_path):
    config = tmp_path / "seo.toml"
    config.write_text('[generation]\nallow_dropped = ["care", "warranty"]\n', encoding="utf-8")
    assert load_settings(config).generation.allow_dropped == ("care", "warranty")
    config.write_text('[generation]\nallow_dropped = ["colour"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"allow_dropped: unknown fact class 'colour' \(known: material"):
        load_settings(config)
