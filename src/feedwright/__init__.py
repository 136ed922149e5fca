"""feedwright: correct, fast RSS 2.0 and Atom 1.0 feeds from a blog's archive,
and a validator for anyone's feeds.

The public API is what this module exports (plus the CLI and the JSON report
contract); everything else may change.

The build's names are imported when first asked for: ``feedwright validate``
never needs the renderer, the config or the readers (feedgen, PyYAML and a
process pool among them), and would otherwise pay for importing them on
every run (about 0.1 s of its 0.25 s start-up).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from feedwright.errors import ConfigError as ConfigError
from feedwright.errors import FeedwrightError as FeedwrightError
from feedwright.errors import InputError as InputError
from feedwright.errors import InvalidFeedError as InvalidFeedError
from feedwright.errors import RefusedError as RefusedError
from feedwright.errors import StaleFeedsError as StaleFeedsError
from feedwright.model import Author as Author
from feedwright.model import Entry as Entry
from feedwright.validate import Issue as Issue
from feedwright.validate import Report as Report
from feedwright.validate import validate as validate

if TYPE_CHECKING:
    from feedwright.build import BuildResult as BuildResult
    from feedwright.build import build as build
    from feedwright.config import Config as Config
    from feedwright.config import load_config as load_config
    from feedwright.readers import read_entries as read_entries

__all__ = [
    "Author", "BuildResult", "Config", "ConfigError", "Entry", "FeedwrightError", "InputError",
    "InvalidFeedError", "Issue", "RefusedError", "Report", "StaleFeedsError", "build",
    "load_config", "read_entries", "validate",
]

#: Public name → the module that defines it, imported on first use.
_LATER = {
    "BuildResult": "feedwright.build",
    "build": "feedwright.build",
    "Config": "feedwright.config",
    "load_config": "feedwright.config",
    "read_entries": "feedwright.readers",
}


def __getattr__(name: str) -> object:
    if name not in _LATER:
        raise AttributeError(f"module 'feedwright' has no attribute {name!r}")
    value = getattr(import_module(_LATER[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})


class _Package(ModuleType):
    """Keeps ``feedwright.build`` the function once its module is imported.

    Importing the module ``feedwright.build`` sets the package's attribute of
    that name to the module, whoever imports it first; the function is the
    public name.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "build" and isinstance(value, ModuleType):
            value = value.build
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
