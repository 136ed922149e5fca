"""The command line: a thin click shell over the library; no logic of its own.

Every FeedwrightError is caught in one place and printed as one line naming
the file and line, with the exit code the error class carries (0 ok, 1
refused on its merits, 2 could not run).  A traceback is a bug.
"""

from __future__ import annotations

import gc

# Importing the CLI (click and what it imports) makes tens of thousands of
# objects and no garbage; the cycle collector's passes over them cost
# `feedwright validate feed.xml` about a twentieth of its run.  It is held
# off while this module is imported, and set back as it was at its end (a
# program that imports the CLI keeps its own setting); `validate` holds it
# off while it runs (`cycles.held`).
_COLLECTING = gc.isenabled()
gc.disable()

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402
from typing import Any  # noqa: E402

import click  # noqa: E402

from feedwright import __version__  # noqa: E402
from feedwright.errors import FeedwrightError  # noqa: E402
from feedwright.errors import UsageError  # noqa: E402
from feedwright.fetch import DEFAULT_MAX_BYTES  # noqa: E402
from feedwright.fetch import DEFAULT_TIMEOUT  # noqa: E402

if TYPE_CHECKING:
    from feedwright.websub import Pinged

# Each command imports what it needs when it runs: `feedwright --version`
# needs none of it, `validate` neither the build nor the HTTP client unless
# it reads a URL (tests/test_startup.py holds it so).

#: ``ctx.meta`` key: the exit code a command has decided on before it prints
#: (``validate``'s verdict), kept when a reader stops reading early.
_VERDICT = "feedwright.verdict"


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # `feedwright validate … | head`: the reader has all it wants.  End
            # quietly with the verdict already reached; stdout goes to /dev/null
            # so the interpreter's last flush cannot complain either.
            _silence_stdout()
            ctx.exit(ctx.meta.get(_VERDICT, 0))
        except FeedwrightError as exc:
            click.echo(f"feedwright: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so in one line, trace only on request
            if os.environ.get("FEEDWRIGHT_DEBUG"):
                raise
            click.echo(
                f"feedwright: internal error: {type(exc).__name__}: {exc} — this is a bug; "
                "please report it (set FEEDWRIGHT_DEBUG=1 to see the traceback)",
                err=True,
            )
            ctx.exit(2)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (CliRunner): nothing left to flush
        pass


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="feedwright")
def cli() -> None:
    """Build correct RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from a blog's archive, and validate
    any feed."""


@cli.command()
@click.option("--config", "config_path", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The site's config file [default: feedwright.yaml, else config.yaml].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write the feeds here instead of the config's output directory.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if the feeds on disk differ from a fresh build.")
@click.option("--no-cache", is_flag=True,
              help="Render and check every entry afresh; remember nothing for the next build.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to render and check with [default: all cores].")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
@click.option("--drafts", is_flag=True, help="Publish drafts too (a preview).")
@click.option("--future", is_flag=True,
              help="Publish posts dated in the future too (a preview).")
@click.option("--no-wait", is_flag=True,
              help="Exit 2 at once if another build is writing the output folder.")
@click.option("--allow-id-change", is_flag=True,
              help="Write feeds that change a published post's id (readers will show it again).")
@click.option("--ping", is_flag=True,
              help="After writing, tell the config's WebSub hubs which feeds changed.")
@click.option("--ping-timeout", type=click.FloatRange(min=0.1), default=10.0,
              show_default=True, help="Seconds each WebSub hub may take to answer.")
@click.option("--ping-later", is_flag=True,
              help="Keep the changed feeds for `feedwright ping` (run it after the upload).")
def build(config_path: Path | None, out: Path | None, check: bool, no_cache: bool,
          jobs: int | None, quiet: bool, drafts: bool, future: bool, no_wait: bool,
          allow_id_change: bool, ping: bool, ping_timeout: float, ping_later: bool) -> None:
    """Build the main and per-tag feeds; nothing is written unless all of them are valid."""
    from feedwright import build as run_build  # not imported for `validate` (see __init__)
    from feedwright.config import Config
    from feedwright.config import find_config
    from feedwright.config import load_config
    from feedwright.feedset import is_archive_path
    from feedwright.validator.report import counted

    config = config_path or find_config(Path.cwd())
    ping_config: Config | None = None  # with --ping: the config, loaded and checked first
    if ping and ping_later:
        raise UsageError("--ping tells the hubs now, --ping-later after the upload: use one")
    if ping or ping_later:  # refused before anything is built
        # The HTTP client (urllib, http.client): a build that tells no hub
        # paid ~50 ms of imports for it before it could start reading.
        from feedwright import websub

        ping_config = load_config(config)
        websub.check_ping(ping_config, check=check, flag="--ping" if ping else "--ping-later")
    with _StageBars(enabled=not quiet and _interactive()) as bars:
        result = run_build(ping_config or config, out=out, check=check, cache=not no_cache,
                           jobs=jobs, progress=bars.advance, drafts=drafts, future=future,
                           wait=not no_wait, allow_id_change=allow_id_change)
    for notice in result.notices:
        click.echo(f"feedwright: note: {notice}", err=True)
    if not quiet:
        total = len(result.documents) + len(result.files)
        if check:
            are = "is" if total == 1 else "are"
            click.echo(f"{counted(total, 'file')} in {result.output} {are} up to date")
        else:
            click.echo(
                f"wrote {len(result.changed)} of {counted(total, 'file')} to "
                f"{result.output} ({total - len(result.changed)} unchanged)"
            )
    for orphan in result.orphans:
        click.echo(
            f"feedwright: note: {result.output / orphan} is no longer built ("
            + ("its archive page is gone: fewer entries, another archives.per_page, or "
               "archives off" if is_archive_path(orphan) else
               "its tag or its format is gone from the config") + "); "
            "delete it if you no longer want to serve it",
            err=True,
        )
    if ping_config is not None and ping_later:
        kept = websub.remember(ping_config, result)
        if not quiet and kept:
            click.echo(f"kept {counted(len(kept), 'changed feed')} for `feedwright ping`")
    elif ping_config is not None:  # --ping: the feeds are written; now tell the hubs
        _pinged(websub.ping(ping_config, result, timeout=ping_timeout), quiet)


def _pinged(pinged: Pinged, quiet: bool, nothing: str = "no feed changed") -> None:
    """Say what ``websub.ping`` told."""
    from feedwright.validator.report import counted

    if not quiet:
        click.echo(f"notified {counted(len(pinged.hubs), 'WebSub hub')} of "
                   f"{counted(len(pinged.topics), 'changed feed')}" if pinged.topics
                   else f"{nothing}: no WebSub hub notified")


@cli.command()
@click.option("--config", "config_path", default=None,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The site's config file [default: feedwright.yaml, else config.yaml].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0,
              show_default=True, help="Seconds each WebSub hub may take to answer.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def ping(config_path: Path | None, timeout: float, quiet: bool) -> None:
    """Tell the config's WebSub hubs of the feeds `build --ping-later` kept (and of
    any an earlier ping could not tell them): run it once the feeds are uploaded."""
    from feedwright import websub
    from feedwright.config import find_config
    from feedwright.config import load_config

    config = load_config(config_path or find_config(Path.cwd()))
    websub.check_ping(config, flag="feedwright ping")
    _pinged(websub.ping(config, timeout=timeout), quiet, "nothing kept to tell")


def _interactive() -> bool:
    """Progress bars only for a person at a terminal, never in CI or a pipe."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class _StageBars:
    """One click progress bar per long build stage, on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.stage = ""
        self.done = 0
        self.bar: Any = None

    def advance(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=total, label=stage, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> _StageBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format; json follows the documented contract.")
@click.option("--strict", is_flag=True,
              help="Hold feeds to feedwright's own standard: warnings count as errors.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
              show_default=True, help="Refuse inputs larger than this.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds to wait for a URL.")
@click.option("--explain", is_flag=True,
              help="After the issues, say why each problem matters and how to fix it.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to check many inputs with [default: all cores].")
@click.option("--all", "every", is_flag=True,
              help="List every issue; by default a code repeated more than 3 times in one "
                   "input is one line with its count and first positions.")
@click.option("-q", "--quiet", is_flag=True,
              help="Print only each input's verdict line and the summary.")
@click.option("--discover", is_flag=True,
              help="For an HTML page, validate the feeds its <link rel=\"alternate\"> tags "
                   "name instead.")
@click.pass_context
def validate(ctx: click.Context, inputs: tuple[str, ...], fmt: str, strict: bool,
             max_bytes: int, timeout: float, explain: bool, jobs: int | None, every: bool,
             quiet: bool, discover: bool) -> None:
    """Validate feeds: files, URLs (http/https) or - for stdin.

    Exit 0 when every input is valid, 2 when any could not be read at all
    (missing file, failed download), else 1 when any is invalid.
    """
    from feedwright import cycles

    with cycles.held(freeze=True):
        _validate(ctx, inputs, fmt, strict, max_bytes, timeout, explain, jobs, every, quiet,
                  discover)


def _validate(ctx: click.Context, inputs: tuple[str, ...], fmt: str, strict: bool,
              max_bytes: int, timeout: float, explain: bool, jobs: int | None, every: bool,
              quiet: bool, discover: bool) -> None:
    from feedwright.validator.report import exit_code
    from feedwright.validator.report import to_json
    from feedwright.validator.report import to_text
    from feedwright.validator.sources import validate_sources

    if len(inputs) > 1 and _interactive():
        with click.progressbar(length=len(inputs), label="validating", file=sys.stderr) as bar:
            reports = validate_sources(inputs, strict=strict, max_bytes=max_bytes,
                                       timeout=timeout, jobs=jobs, discover=discover,
                                       on_report=lambda _: bar.update(1))
    else:  # no bar to draw: click's progress bar module is not even imported
        reports = validate_sources(inputs, strict=strict, max_bytes=max_bytes, timeout=timeout,
                                   jobs=jobs, discover=discover)
    code = exit_code(reports)
    ctx.meta[_VERDICT] = code
    if fmt == "json":
        click.echo(to_json(reports))
    else:
        click.echo(to_text(reports, every=every, quiet=quiet))
        if explain:
            codes = dict.fromkeys(i.code for r in reports for i in r.issues)
            for issue_code in codes:
                click.echo(f"\n{_explanation(issue_code)}")
    if code:
        sys.exit(code)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format (json: one object, README).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
              show_default=True, help="Refuse inputs larger than this.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds to wait for a URL.")
@click.option("-q", "--quiet", is_flag=True,
              help="Leave out what is normal (items added, re-dated, fallen off the end).")
def diff(old: str, new: str, fmt: str, max_bytes: int, timeout: float, quiet: bool) -> None:
    """Compare two snapshots of one feed (files, URLs or - for stdin): ids that
    changed or moved to another post, duplicates, items added and removed.

    Exit 0 when readers will show no post twice, 1 when an id changed or
    names another post, 2 when an input cannot be read or is not a feed.
    """
    import json

    from feedwright.validator.compare import compare_sources
    from feedwright.validator.compare import to_text as diff_text

    result = compare_sources(old, new, max_bytes=max_bytes, timeout=timeout)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(diff_text(result, show_info=not quiet))
    if result.problems:
        sys.exit(1)


def _explanation(code: str) -> str:
    from feedwright.validator import RULES

    rule = RULES.get(code)
    if rule is None:
        return f"{code}: see docs/rules.md"
    body = rule.doc.replace("## Why it matters", "Why it matters:").replace(
        "## How to fix", "How to fix:"
    )
    w3c = f"\n\nW3C's validator reports it as {', '.join(rule.w3c)}." if rule.w3c else ""
    return f"{code} ({rule.severity}): {rule.message}\n{body}{w3c}"


@cli.command()
@click.argument("codes", nargs=-1)
def explain(codes: tuple[str, ...]) -> None:
    """Say why a rule's problem matters and how to fix it (no CODE: list every rule).

    CODE is one of our rule codes or a W3C Feed Validation Service message
    class (NotHtml, InvalidContact…), answered with the rules that report it.
    """
    from feedwright.validator import RULES

    if not codes:
        for code, rule in sorted(RULES.items()):
            click.echo(f"{code:45} {rule.severity:8} {rule.message}")
        return
    for name in codes:
        for code in _rule_codes(name):
            click.echo(_explanation(code) + "\n")


def _rule_codes(name: str) -> list[str]:
    """Our rule codes for ``name``: a code, or a W3C class the rules declare (``Rule.w3c``)."""
    import difflib

    from feedwright.validator import RULES
    from feedwright.validator.rules import by_w3c_class

    if name in RULES:
        return [name]
    w3c = by_w3c_class()
    folded = {k.lower(): k for k in [*RULES, *w3c]}
    exact = folded.get(name.lower())
    if exact is not None and exact in RULES:
        return [exact]
    if exact is not None:
        rules = w3c[exact]
        click.echo(f"W3C's {exact} is reported here as "
                   f"{', '.join(r.code for r in rules)}:\n")
        return [r.code for r in rules]
    close = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.6)
    hint = f"; did you mean {folded[close[0]]!r}?" if close else ""
    raise UsageError(f"unknown rule code or W3C message class {name!r}{hint} "
                     "(`feedwright explain` lists every rule)")


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write feedwright.yaml again if it exists.")
def init(folder: Path, force: bool) -> None:
    """Write FOLDER/feedwright.yaml for the Hugo site, Jekyll site or Markdown folder there."""
    from feedwright.scaffold import init as write_config  # not imported for `validate`

    target, made = write_config(folder, force=force)
    click.echo(f"wrote {target} for a {made.kind} site", err=True)
    for line in made.missing:
        click.echo(f"feedwright: note: fill in {line}", err=True)


@cli.command("import")
@click.argument("pages", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the entries file here (default: stdout).")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
def import_(pages: tuple[Path, ...], output: Path | None, force: bool) -> None:
    """Turn archive listing pages into a YAML entries file to add tags and URLs to by hand.

    Each entry's slug is written out, so editing its title later keeps its URL and ids.
    """
    from feedwright.io import atomic_write
    from feedwright.readers.pages import read_page  # not imported for `validate` (see __init__)
    from feedwright.readers.structured import dump_yaml
    from feedwright.readers.structured import pin_slugs
    from feedwright.validator.report import counted

    if output is not None and not force and output.exists():
        # an entries file holds hand-made tags and URLs: never replace it unasked
        raise UsageError("already exists; pass --force to overwrite it", str(output))
    entries = [e for page in pages for e in read_page(page)]
    text = dump_yaml(pin_slugs(entries))
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text.encode("utf-8"))
        click.echo(f"wrote {counted(len(entries), 'entry', 'entries')} to {output}", err=True)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="feedwright")
    finally:
        # The program ends here (click exits with SystemExit): what is still
        # alive lives until the process ends, so the collector is told never
        # to look at it again.  The interpreter's collections at exit then do
        # not walk it all (~15 ms after a build); its teardown is otherwise
        # the same: files are closed, stdout and stderr flushed as before.
        gc.freeze()


# Imported (see the top): what the import made lives as long as the program,
# so the collector is told never to look at it again (gc.freeze: otherwise
# its first pass after this line would walk all of it), then set as it was.
gc.freeze()
if _COLLECTING:
    gc.enable()
