"""feedwright: correct, fast RSS 2.0 and Atom 1.0 feeds from a blog's archive,
and a validator for anyone's feeds.

The public API is what this module exports (plus the CLI and the JSON report
contract); everything else may change.
"""

from __future__ import annotations

__version__ = "0.1.0"

from feedwright.build import BuildResult as BuildResult
from feedwright.build import build as build
from feedwright.config import Config as Config
from feedwright.config import load_config as load_config
from feedwright.errors import ConfigError as ConfigError
from feedwright.errors import FeedwrightError as FeedwrightError
from feedwright.errors import InputError as InputError
from feedwright.errors import InvalidFeedError as InvalidFeedError
from feedwright.errors import RefusedError as RefusedError
from feedwright.errors import StaleFeedsError as StaleFeedsError
from feedwright.model import Author as Author
from feedwright.model import Entry as Entry
from feedwright.readers import read_entries as read_entries
from feedwright.validate import Issue as Issue
from feedwright.validate import Report as Report
from feedwright.validate import validate as validate
