"""``jituan-desktop agreement render|sign|verify``: agreements headless, for automation.

* ``render [--id ID] --out FILE.pdf``: the agreement as a PDF with empty signature fields
  (without ``--id``: the current group's most recent agreement). This FINALISES the agreement
  (its content is frozen for signing), as exporting the PDF on the Agreements page does, and
  says so. ``--draft`` writes a PDF for review instead: the agreement stays a draft and the PDF
  has no signature fields, so it cannot be signed.
* ``sign FILE.pdf --identity P12 --party N --out FILE``: party N (in signing order) signs.
  The passphrase comes from the environment variable ``JITUAN_P12_PASSPHRASE`` or a prompt
  (or one line on standard input when that is not a terminal) — never from an argument, which
  would end up in the shell history and the process list.
* ``verify FILE [--format json]``: every signature, and a verdict.

Exit codes: 0 success (verify: every signature intact and unchanged); 1 refused, failed, or
(verify) a signature broken, changed, or no signature at all; 2 wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jituan_desktop.i18n import _

PASSPHRASE_ENV = "JITUAN_P12_PASSPHRASE"


def add_parser(sub: Any, add_global_options: Callable[..., None]) -> None:
    """Register ``agreement`` and its actions on the main parser's subparsers."""
    agreement = sub.add_parser("agreement", help=_("render, sign and verify cooperation "
                                                   "agreements (PDF)"))
    actions = agreement.add_subparsers(dest="agreement_command", metavar="ACTION",
                                       required=True)
    render = actions.add_parser("render", help=_("write an agreement as a PDF ready for "
                                                 "signing"))
    render.add_argument("--id", type=int, metavar="ID", dest="agreement_id",
                        help=_("the agreement (default: the current group's most recent one)"))
    render.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help=_("the PDF file to write"))
    render.add_argument("--draft", action="store_true",
                        help=_("write a PDF for review only: the agreement stays a draft and "
                               "the PDF has no signature fields (without --draft the agreement "
                               "is finalised for signing)"))
    sign = actions.add_parser("sign", help=_("add one party's digital signature to an "
                                             "agreement PDF"))
    sign.add_argument("file", type=Path, metavar="FILE", help=_("the agreement PDF to sign"))
    sign.add_argument("--identity", type=Path, required=True, metavar="P12",
                      help=_("the signing identity (PKCS#12 file); the passphrase is asked "
                             "for, or taken from {env}").format(env=PASSPHRASE_ENV))
    sign.add_argument("--party", type=int, required=True, metavar="N",
                      help=_("the party that signs, by signing order (1 = 甲方)"))
    sign.add_argument("--out", type=Path, required=True, metavar="FILE",
                      help=_("the signed PDF to write (the input is not changed)"))
    sign.add_argument("--name", default="", help=_("the signer's name shown (default: from "
                                                   "the certificate)"))
    sign.add_argument("--role", default="", help=_("the signer's role, e.g. 校长"))
    sign.add_argument("--reason", default="", help=_("the reason shown (default: 签署合作协议)"))
    sign.add_argument("--seal", type=Path, metavar="PNG",
                      help=_("the school's seal: a PNG with a transparent background"))
    sign.add_argument("--seal-mm", type=float, metavar="MM",
                      help=_("the seal's diameter in millimetres (default 42)"))
    verify = actions.add_parser("verify", help=_("check the signatures of an agreement PDF"))
    verify.add_argument("file", type=Path, metavar="FILE", help=_("the PDF to check"))
    verify.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("text for people (default) or json for programs"))
    for parser in (agreement, render, sign, verify):
        add_global_options(parser, suppress=True)


def read_passphrase(identity: Path) -> str:
    """From JITUAN_P12_PASSPHRASE, else a prompt (a line of standard input if not a tty)."""
    if PASSPHRASE_ENV in os.environ:
        return os.environ[PASSPHRASE_ENV]
    prompt = _("Passphrase for {file}: ").format(file=identity.name)
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _error(message: object) -> int:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return 1


def run(args: argparse.Namespace, services: Any, settings: Any) -> int:
    from jituan_desktop.domain.validation import ValidationError
    from jituan_desktop.services.base import NotFound
    from jituan_desktop.signing.errors import SigningError

    try:
        if args.agreement_command == "render":
            return _render(args, services, settings)
        if args.agreement_command == "sign":
            return _sign(args, services)
        return _verify(args, services)
    except SigningError as exc:
        return _error(exc)
    except NotFound:
        return _error(_("There is no agreement with the id {id}.").format(
            id=args.agreement_id))
    except ValidationError as exc:
        return _error(exc.report.text())


def _render(args: argparse.Namespace, services: Any, settings: Any) -> int:
    from jituan_desktop.bootstrap import current_group_id

    agreements = getattr(services, "agreements", None)
    if agreements is None:
        return _error(_("This build has no agreement documents."))
    agreement_id = args.agreement_id
    if agreement_id is None:
        group_id = current_group_id(services, settings)
        agreement_id = agreements.latest_for_group(group_id) if group_id is not None else None
        if agreement_id is None:
            return _error(_("The current group has no agreement yet; create one on the "
                            "Agreements page or give --id."))
    if args.draft:
        # for review: the rendered draft as is, without signature fields; nothing is finalised
        from jituan_desktop.atomic import write_bytes_atomic

        rendered = agreements.render_draft(agreements.get(agreement_id))
        write_bytes_atomic(args.out, rendered.data)
        print(_("Wrote {file}: a draft for review, without signature fields; the agreement "
                "is still a draft and can be edited.").format(file=args.out))
        return 0
    # the document side's export: the PDF with empty signature fields, written atomically,
    # and the agreement finalised (its content frozen for signing)
    rendered = agreements.export_pdf(agreement_id, args.out, finalise=True)
    print(_("Wrote {file}: ready for signing by {n} parties.").format(
        file=args.out, n=len(rendered.signature_boxes)))
    print(_("Note: the agreement is now finalised: its content is frozen for signing and can "
            "no longer be edited. Use --draft to render a draft for review without "
            "finalising it."))
    return 0


def _sign(args: argparse.Namespace, services: Any) -> int:
    if not args.file.is_file():
        return _error(_("The file {file} does not exist.").format(file=args.file))
    if not args.identity.is_file():
        return _error(_("The identity file {file} does not exist.").format(file=args.identity))
    passphrase = read_passphrase(args.identity)
    outcome = services.signing.sign_agreement_file(
        args.file, args.out, passphrase=passphrase, party=args.party, p12=args.identity,
        signer_name=args.name, role=args.role, reason=args.reason, seal_png=args.seal,
        seal_mm=args.seal_mm)
    for warning in outcome.warnings:
        print(_("Warning: {message}").format(message=warning), file=sys.stderr)
    print(_("{label} {school} signed ({n} of {total}); wrote {file}.").format(
        label=outcome.party_label, school=outcome.school_name, n=outcome.party_order,
        total=outcome.parties, file=outcome.output))
    if outcome.locked:
        print(_("This was the last signature: it locked the document (锁定), so no further "
                "changes or signatures are allowed."))
    return 0


def _verify(args: argparse.Namespace, services: Any) -> int:
    from jituan_desktop.signing.verify import report_as_dict

    report = services.signing.verify_file(args.file)
    if args.format == "json":
        print(json.dumps(report_as_dict(report), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0 if report.ok else 1


def format_report(report: Any) -> str:
    """The verification report as text for a terminal, in the active language."""
    from jituan_desktop.signing.identities import format_fingerprint

    lines = [_("File: {file}").format(file=report.file_name)]
    if report.agreement is not None and report.agreement.number:
        lines.append(_("Agreement: {number}").format(number=report.agreement.number))
    for s in report.signatures:
        party = f"{s.party.label} {s.party.school_name}" if s.party else s.field_name
        lines += ["", f"[{party}]",
                  "  " + _("Signer: {name} ({organisation})").format(
                      name=s.signer_name, organisation=s.signer_organisation),
                  "  " + _("Certificate fingerprint (SHA-256):"),
                  *("    " + line for line in format_fingerprint(s.fingerprint).splitlines()),
                  "  " + (_("Known identity: {label}").format(label=s.known_identity)
                          if s.known_identity else _("Known identity: no")),
                  "  " + _("Time: {time}").format(time=s.time_text()),
                  "  " + _("Verdict: {verdict}").format(verdict=s.verdict())]
    for party in report.unsigned:
        lines += ["", f"[{party.label} {party.school_name}]", "  " + _("not signed yet")]
    lines += ["", _("Result: {verdict}").format(verdict=report.verdict())]
    return "\n".join(lines)
