"""Is the pinned Admin API version still supported? Asked once when a run connects, never fatal.

Shopify supports each quarterly version for at least 12 months (2026-01 until about 2027-01). A request for a
version it no longer supports is answered as the oldest version it still supports, so nothing fails on that
day: the answers may simply change shape. `publicApiVersions` lists the versions with a `supported` flag
(`unstable` and the release candidate are listed as not supported). When the pinned version is not among the
supported ones, one warning line names it, the newest supported version and the setting to change.

The check costs one small query, sent once, and never stops the run. If Shopify answers it with an error, one
line says the version could not be checked and the run goes on. A failure the run's own requests would meet
and report anyway says nothing here, so that a store that is down or refuses the credentials still ends with
the one error line: refused credentials, and what the connector retries (HTTP 429 and 5xx, THROTTLED, a
dropped connection or a timeout). The next run checks again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from pipeline.errors import ConfigError, StoreError
from pipeline.shopify.errors import AuthError, RetryableStoreError


def _warn_on_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _is_stable(handle: str) -> bool:
    year, dash, month = handle.partition("-")
    return bool(dash) and len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()


def supported_versions(answer: dict[str, Any]) -> list[str]:
    """The stable (YYYY-MM) versions the answer marks supported, oldest first."""
    versions = answer.get("publicApiVersions") or []
    return sorted(v["handle"] for v in versions
                  if isinstance(v, dict) and v.get("supported") is True and isinstance(v.get("handle"), str)
                  and _is_stable(v["handle"]))


def version_warning(pinned: str, supported: list[str]) -> str | None:
    """The one warning line for `pinned` given the supported versions (oldest first), or None when it is fine."""
    if pinned in supported:
        return None
    if not supported:
        return (f"warning: Shopify lists no supported API version, so api_version {pinned} could not be "
                "checked; continuing")
    newest = supported[-1]
    if pinned > newest:
        return (f"warning: Shopify API version {pinned} is not a supported version yet (the newest is {newest}); "
                f"set api_version = \"{newest}\" under [shopify] in seo.toml")
    return (f"warning: Shopify no longer supports API version {pinned} (it answers such requests as "
            f"{supported[0]}, its oldest supported version); set api_version = \"{newest}\" (the newest supported) "
            "under [shopify] in seo.toml")


def check_api_version(client: Any, pinned: str, *, warn: Callable[[str], None] = _warn_on_stderr) -> str | None:
    """Ask the store which versions it supports and warn in one line if `pinned` is not one of them.

    Returns the line written (None when there was nothing to say). An error answer is one line too, and the run
    goes on; refused credentials and passing faults say nothing (the run's own requests report them if they last).
    """
    line: str | None
    try:
        answer = client.run("public_api_versions", max_attempts=1)
    except (AuthError, ConfigError, RetryableStoreError):
        return None
    except StoreError as exc:
        line = f"warning: could not check whether Shopify still supports API version {pinned} ({exc}); continuing"
    else:
        line = version_warning(pinned, supported_versions(answer))
    if line is not None:
        warn(line)
    return line
