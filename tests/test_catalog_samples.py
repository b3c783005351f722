"""The committed sample files are what their generators write: an edit to a catalogue's data.py, or to the
translation export's builder, without rebuilding the files fails here rather than in a benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "catalog_samples"


@pytest.mark.parametrize("script", ["build_hand_catalogues.py", "build_translations.py"])
def test_generated_sample_files_are_up_to_date(script: str) -> None:
    done = subprocess.run([sys.executable, str(SAMPLES / script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
