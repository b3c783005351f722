"""The command line as a new user meets it: --help lists the stages in the order they run, and a store name that
is empty or has a space is refused in one line (by `make` and by the pipeline), never taken for the sample."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from pipeline.cli import COMMANDS, RUN_ORDER, build_parser, main
from tests.conftest import PROJECT_ROOT

STAGES_IN_RUN_ORDER = ["pull", "audit", "keywords", "links", "estimate", "generate", "review", "push"]


def test_help_lists_the_stages_in_the_order_they_run(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    listed = re.findall(r"^    ([a-z-]+) ", text, flags=re.MULTILINE)  # the subcommand list, one per line
    assert listed[:8] == STAGES_IN_RUN_ORDER
    assert sorted(listed) == sorted(COMMANDS)  # and every other command after them
    description = " ".join(text.split())
    assert "in the order they run: pull -> audit -> keywords -> links -> estimate -> generate -> review -> push;" \
        in description
    assert list(RUN_ORDER) == STAGES_IN_RUN_ORDER
    assert build_parser().parse_args(["links"]).stage == "links"


@pytest.mark.parametrize("store", ["", " ", "\t"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_an_empty_store_name_is_an_error_never_the_sample(tmp_path, capsys, store, where):
    options = ["--workspace", str(tmp_path / "ws"), "--store", store]
    code = main([*options, "audit"] if where == "before" else ["audit", *options])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == ("error: the store name is empty; give --store NAME (letters, digits, '.', '_' or '-', like "
                   "my-shop), or leave --store out for the bundled sample\n")
    assert not (tmp_path / "ws").exists()  # no workspace made, the sample's least of all


def test_a_store_name_with_a_space_is_refused_with_the_name_to_use(tmp_path, capsys):
    code = main(["--workspace", str(tmp_path / "ws"), "--store", "kiln street", "audit"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == "error: store name 'kiln street' must be letters, digits, '.', '_' or '-' (no spaces: " \
                  "'kiln-street')\n"
    assert not (tmp_path / "ws" / "kiln street").exists()


def make(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`make -n` (print the commands, run nothing) in the project, as a user would type it."""
    return subprocess.run(["make", "--no-print-directory", "-n", *arguments], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60)


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
@pytest.mark.parametrize("store", ["", "kiln street"])
@pytest.mark.parametrize("target", ["pull", "demo", "review-export"])
def test_make_refuses_an_empty_store_or_one_with_a_space_in_one_line(store, target):
    result = make(target, f"STORE={store}")
    assert result.returncode != 0
    assert "-m pipeline" not in result.stdout  # (an out-of-date .venv would show its install commands first)
    assert result.stderr.count("\n") == 1
    assert (f"STORE='{store}': a store name is one word of letters, digits, '.', '_' or '-', like STORE=my-shop; "
            "leave STORE out for the bundled sample.  Stop.") in result.stderr


@needs_make
def test_make_targets_that_do_not_run_the_pipeline_ignore_the_store():
    result = make("help", "STORE=")
    assert result.returncode == 0 and result.stderr == ""


@needs_make
def test_make_passes_the_store_name_quoted_and_the_sample_by_default():
    assert "-m pipeline --store 'kiln-street' pull" in make("pull", "STORE=kiln-street").stdout
    assert "-m pipeline --store 'sample' pull" in make("pull").stdout
    # a quote in the name reaches the pipeline whole, to be refused there in one line, not run by the shell
    assert "--store 'o'\\''neil' pull" in make("pull", "STORE=o'neil").stdout
