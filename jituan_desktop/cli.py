"""Command line: global options, and the headless subcommands (same services as the GUI).

``jituan-desktop`` alone opens the GUI; ``--demo`` opens the demo database; ``--data-dir``
puts the database, backups and settings in another folder; global options may stand before
or after a subcommand: ``jituan-desktop --demo export-json --out a.json``.

The language is chosen before the parser is built (``--lang``, else ``JITUAN_LANG``, else the
settings of the data folder), so ``--help`` and the messages are in the user's language.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from jituan_desktop import i18n, paths
from jituan_desktop.i18n import _
from jituan_desktop.settings import Settings

log = logging.getLogger(__name__)

LOCK_WAIT_MS = 200


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own headings and help option are translated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message)
                  + "\n")


class _PreParseError(Exception):
    pass


class _PreParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _PreParseError(message)


def install_language(argv: Sequence[str]) -> None:
    """Activate the language of this run before any message is built."""
    pre = _PreParser(add_help=False, allow_abbrev=False)
    pre.add_argument("--lang")
    pre.add_argument("--data-dir", type=Path)
    try:
        known, _rest = pre.parse_known_args(list(argv))
    except _PreParseError:  # the real parser reports it, in the saved language
        known = argparse.Namespace(lang=None, data_dir=None)
    option = known.lang if known.lang in i18n.SUPPORTED_LOCALES else None
    settings = Settings.load(paths.DataPaths(known.data_dir or paths.default_data_dir()).settings)
    language = settings.language_for_run(option)
    if language not in i18n.SUPPORTED_LOCALES:
        language = i18n.DEFAULT_LOCALE
    i18n.install(language, paths.catalogs_dir())


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--demo", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help=_("open the ready-made demo group (its own database)"))
    parser.add_argument("--data-dir", type=Path, default=default, metavar="DIR",
                        help=_("folder for the database, backups and settings"))
    parser.add_argument("--lang", choices=i18n.SUPPORTED_LOCALES, default=default,
                        help=_("user-interface language for this run"))
    parser.add_argument("-v", "--verbose", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help=_("log progress to the console"))


def build_parser() -> argparse.ArgumentParser:
    """The parser, with help texts in the active language (see ``install_language``)."""
    parser = _Parser(
        prog="jituan-desktop",
        description="集团化办学工作台 Jituan Desktop. " + _("Without a subcommand it opens "
                                                        "the window."))
    _add_global_options(parser, suppress=False)
    parser.add_argument("--smoke-test", action="store_true",
                        help=_("build everything, show the main window, exit 0"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = sub.add_parser("export-json", help=_("write the whole dataset to a JSON file"))
    export.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help=_("the JSON file to write"))
    imp = sub.add_parser("import-json", help=_("replace the dataset with a JSON file "
                                               "(checked first; the old data is backed up)"))
    imp.add_argument("file", type=Path, metavar="FILE", help=_("the JSON file to import"))
    for subparser in (export, imp):
        _add_global_options(subparser, suppress=True)
    from jituan_desktop.cli_agreement import add_parser as add_agreement_parser

    add_agreement_parser(sub, _add_global_options)
    return parser


def data_paths(args: argparse.Namespace) -> paths.DataPaths:
    return paths.DataPaths(args.data_dir or paths.default_data_dir(), demo=bool(args.demo))


def lock_data_folder(data: paths.DataPaths) -> Any:
    """Take the data folder's lock (the GUI takes the same one); the QLockFile, or None when
    another copy of the program holds it. The folder must exist."""
    from PySide6.QtCore import QLockFile

    lock = QLockFile(str(data.lock))
    lock.setStaleLockTime(0)  # a lock left by a crash is detected by its process id instead
    return lock if lock.tryLock(LOCK_WAIT_MS) else None


def _error(message: object) -> int:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return 1


def _not_imported(file: Path, problems: Sequence[str]) -> int:
    print(_("Nothing was imported. Problems in {file}:").format(file=file), file=sys.stderr)
    for problem in problems[:50]:
        print(f"  - {problem}", file=sys.stderr)
    if len(problems) > 50:
        print(_("  … and {n} more").format(n=len(problems) - 50), file=sys.stderr)
    return 1


def run_command(args: argparse.Namespace) -> int:
    """Run a headless subcommand; return the process exit code."""
    from jituan_desktop.bootstrap import ensure_writable, load_settings, open_services
    from jituan_desktop.persistence.errors import StorageError
    from jituan_desktop.services.dataset import DatasetError

    data = data_paths(args)
    settings = load_settings(data, args.lang)
    if args.command == "import-json":
        try:  # before anything is created: a missing file must not leave an empty database
            with args.file.open("rb"):
                pass
        except OSError as exc:
            return _not_imported(args.file, [_("The file cannot be read: {error}").format(
                error=exc)])
    try:
        ensure_writable(data.database.parent)
    except StorageError as exc:
        return _error(exc)
    lock = lock_data_folder(data)
    if lock is None:
        return _error(_("Jituan Desktop is already open with this data folder ({folder}). "
                        "Close it and run the command again; two copies must not change the "
                        "same data at once.").format(folder=data.database.parent))
    try:
        try:
            services = open_services(data, settings)
        except StorageError as exc:
            return _error(exc)
        try:
            return _run(args, services)
        except DatasetError as exc:
            return _not_imported(args.file, exc.problems)
        except (OSError, StorageError) as exc:
            return _error(exc)
        finally:
            services.close()
    finally:
        lock.unlock()


def _run(args: argparse.Namespace, services: Any) -> int:
    from jituan_desktop.services.dataset import counts_text

    if args.command == "agreement":
        from jituan_desktop.cli_agreement import run as run_agreement

        return run_agreement(args, services, settings_of(args))
    if args.command == "export-json":
        counts = services.dataset.export_json(args.out)
        print(_("Wrote {file} ({counts}).").format(file=args.out, counts=counts_text(counts)))
    elif args.command == "import-json":
        summary, _changes = services.dataset.import_json(args.file)
        print(_("Imported {file} ({counts}). The previous data was backed up to {backup}.")
              .format(file=args.file, counts=counts_text(summary.counts),
                      backup=summary.backup))
    return 0


def settings_of(args: argparse.Namespace) -> Settings:
    return Settings.load(data_paths(args).settings)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    argv = sys.argv[1:] if argv is None else list(argv)
    install_language(argv)
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return args
