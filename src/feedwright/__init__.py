"""feedwright: correct, fast RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from a blog's
archive, and a validator for anyone's feeds.

The public API is what this module exports (plus the CLI and the JSON report
contract); everything else may change.

Every name but the errors is imported when first asked for: ``feedwright
validate`` never needs the model, the renderer, the config or the readers
(feedgen, PyYAML and a process pool among them), ``feedwright --version``
not even the validator, and each would otherwise pay for importing them on
every run, most of its start-up (benchmarks/README.md, "Figures the code
relies on").  So is ``validate_sources`` (the HTTP client and the process
pool), which a program that validates bytes it already has never needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from feedwright.errors import ConfigError as ConfigError
from feedwright.errors import FeedwrightError as FeedwrightError
from feedwright.errors import InputError as InputError
from feedwright.errors import InvalidFeedError as InvalidFeedError
from feedwright.errors import RefusedError as RefusedError
from feedwright.errors import StaleFeedsError as StaleFeedsError
from feedwright.errors import WriteError as WriteError

if TYPE_CHECKING:
    from feedwright.config import Config as Config
    from feedwright.config import load_config as load_config
    from feedwright.model import Author as Author
    from feedwright.model import Entry as Entry
    from feedwright.pipeline import BuildResult as BuildResult
    from feedwright.pipeline import build as build
    from feedwright.readers import read_entries as read_entries
    from feedwright.validator import Issue as Issue
    from feedwright.validator import Report as Report
    from feedwright.validator import validate as validate
    from feedwright.validator.sources import validate_sources as validate_sources

__all__ = [
    "Author", "BuildResult", "Config", "ConfigError", "Entry", "FeedwrightError", "InputError",
    "InvalidFeedError", "Issue", "RefusedError", "Report", "StaleFeedsError", "WriteError",
    "build", "load_config", "read_entries", "validate", "validate_sources",
]

#: Public name → the module that defines it, imported on first use.
_LATER = {
    "Author": "feedwright.model",
    "Entry": "feedwright.model",
    "Issue": "feedwright.validator",
    "Report": "feedwright.validator",
    "validate": "feedwright.validator",
    "BuildResult": "feedwright.pipeline",
    "build": "feedwright.pipeline",
    "Config": "feedwright.config",
    "load_config": "feedwright.config",
    "read_entries": "feedwright.readers",
    "validate_sources": "feedwright.validator.sources",
}


def __getattr__(name: str) -> object:
    if name not in _LATER:
        raise AttributeError(f"module 'feedwright' has no attribute {name!r}")
    value = getattr(import_module(_LATER[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})

