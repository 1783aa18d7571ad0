"""Command line: global options, and the headless subcommands (same services as the GUI).

``jituan-desktop`` alone opens the GUI; ``--demo`` opens the demo database; ``--data-dir``
puts the database, backups and settings in another folder; global options may stand before
or after a subcommand: ``jituan-desktop --demo export-json --out a.json``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from jituan_desktop import paths
from jituan_desktop.i18n import _

log = logging.getLogger(__name__)


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--demo", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="open the ready-made demo group (its own database)")
    parser.add_argument("--data-dir", type=Path, default=default, metavar="DIR",
                        help="folder for the database, backups and settings")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=default,
                        help="user-interface language for this run")
    parser.add_argument("-v", "--verbose", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="log progress to the console")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jituan-desktop",
        description="集团化办学工作台 Jituan Desktop. Without a subcommand it opens the window.")
    _add_global_options(parser, suppress=False)
    parser.add_argument("--smoke-test", action="store_true",
                        help="build everything, show the main window, exit 0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = sub.add_parser("export-json", help="write the whole dataset to a JSON file")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    imp = sub.add_parser("import-json", help="replace the dataset with a JSON file "
                                             "(checked first; the old data is backed up)")
    imp.add_argument("file", type=Path, metavar="FILE")
    for subparser in (export, imp):
        _add_global_options(subparser, suppress=True)
    return parser


def data_paths(args: argparse.Namespace) -> paths.DataPaths:
    return paths.DataPaths(args.data_dir or paths.default_data_dir(), demo=bool(args.demo))


def run_command(args: argparse.Namespace) -> int:
    """Run a headless subcommand; return the process exit code."""
    from jituan_desktop.bootstrap import load_settings, open_services
    from jituan_desktop.persistence.errors import StorageError
    from jituan_desktop.services.dataset import DatasetError

    data = data_paths(args)
    try:
        settings = load_settings(data, args.lang)
        services = open_services(data, settings)
    except StorageError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    try:
        if args.command == "export-json":
            counts = services.dataset.export_json(args.out)
            print(_("Wrote {file}: {schools} schools, {teachers} teachers, {groups} groups.")
                  .format(file=args.out, schools=counts["schools"],
                          teachers=counts["teachers"], groups=counts["groups"]))
        elif args.command == "import-json":
            summary, _changes = services.dataset.import_json(args.file)
            print(_("Imported {file}: {schools} schools, {teachers} teachers, {groups} groups. "
                    "The previous data was backed up to {backup}.").format(
                        file=args.file, schools=summary.counts["schools"],
                        teachers=summary.counts["teachers"], groups=summary.counts["groups"],
                        backup=summary.backup))
        return 0
    except DatasetError as exc:
        print(_("Nothing was imported. Problems in {file}:").format(file=args.file),
              file=sys.stderr)
        for problem in exc.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        if len(exc.problems) > 50:
            print(_("  … and {n} more").format(n=len(exc.problems) - 50), file=sys.stderr)
        return 1
    except OSError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    finally:
        services.close()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return args
