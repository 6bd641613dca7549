"""The command line: parses arguments and calls the service or a tool. Exit codes: 0 success,
1 a failure the user can fix (printed as one line), 2 bad usage or configuration."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant import __version__, config as config_module, logs
from assistant.config import Config, ConfigError


from assistant.errors import UserError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        if args.func is cmd_setup:      # the wizard reads the file itself, so it can repair one that does not load
            return cmd_setup(args, None) or 0
        config = config_module.load(getattr(args, "config", None))
        logs.setup("DEBUG" if getattr(args, "verbose", False) else config.assistant.log_level)
        return args.func(args, config) or 0
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="configuration file (default: $ASSISTANT_CONFIG or ./config.toml)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="debug logging on standard error")
    parser = argparse.ArgumentParser(
        prog="assistant", parents=[common],
        description="A self-hosted AI business assistant that lives in your Telegram chat.")
    parser.add_argument("--version", action="version", version=f"assistant {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("parse", parents=[common], help="turn requests into items (JSON)",
                       description="Parse requests into items. With no TEXT, reads one request per line from "
                                   "standard input and writes one result per line, in order.")
    p.add_argument("text", nargs="*", metavar="TEXT", help="the request (words are joined)")
    p.add_argument("--now", metavar="ISO", help="the current time, e.g. 2026-03-10T09:00:00+01:00")
    p.add_argument("--tz", metavar="ZONE", help="the owner's IANA time zone (default: from the configuration)")
    p.add_argument("--json", action="store_true", help="print one JSON object per request")
    p.add_argument("--offline", action="store_true", help="use the offline parser only (no LLM)")
    p.add_argument("--edit", action="append", metavar="TEXT",
                   help="apply this reply to the item, as a reply to its preview would (repeatable, in order)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("chat", parents=[common], help="talk to the assistant in this terminal",
                       description="The console channel: the bot's pipeline, one request per line. Answer a "
                                   "preview with yes, no or what to change; /today and /week list events.")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("export", parents=[common], help="export the built-in calendar",
                       description="Write the built-in local calendar as iCalendar.")
    p.add_argument("--ics", metavar="FILE", required=True, help="output file, or - for standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("week", parents=[common], help="the next 7 days, as a list and a picture",
                       description="The week's agenda (as /week shows it) from the built-in calendar and the "
                                   "calendar cache; with --png also the picture, written to FILE.")
    p.add_argument("--png", metavar="FILE", help="write the week as a PNG picture here")
    p.add_argument("--start", metavar="DATE", help="the first day, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_week)

    p = sub.add_parser("transcribe", parents=[common], help="speech to text",
                       description="Transcribe audio files, one line per file in order; the model loads once.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true",
                   help='print {"text", "engine", "language", "duration", "seconds"} per file')
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("vault", parents=[common], help="the encrypted secrets",
                       description="rotate: re-encrypt every stored secret under a new master key.")
    p.add_argument("action", choices=["rotate"])
    p.set_defaults(func=cmd_vault)

    p = sub.add_parser("connect", parents=[common], help="sign a calendar or notes entry in (OAuth)",
                       description="Authorise the [[calendars]] / [[notes]] entry NAME (Google, …) on a loopback "
                                   "redirect; the tokens go to the encrypted vault.")
    p.add_argument("name", metavar="NAME", help="the entry's name in the configuration")
    p.add_argument("--no-browser", action="store_true",
                   help="print the address instead of opening a browser; also accept the redirected address "
                        "pasted here (a headless box reached over SSH)")
    p.set_defaults(func=cmd_connect)

    p = sub.add_parser("run", parents=[common], help="run the Telegram bot (long polling)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("setup", parents=[common], help="configure the assistant (a terminal wizard)",
                       description="A step-by-step wizard in the terminal (works over SSH): Telegram, pairing, "
                                   "time zone, speech, language model, calendars and notes, routing, working "
                                   "hours. Esc leaves without writing; the review step writes config.toml.")
    p.set_defaults(func=cmd_setup)
    p = sub.add_parser("status", parents=[common], help="integrations, the outbox and the metrics",
                       description="Each integration's health and last sync, the outbox, the metrics of the last "
                                   "day and week, recent errors, the models and memory in use.")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("doctor", parents=[common], help="check the configuration and connections",
                       description="Health check: exit 0 when healthy, 1 with problems.")
    p.set_defaults(func=cmd_doctor)
    return parser


def cmd_parse(args: argparse.Namespace, config: Config) -> int:
    """Each request through the understanding pipeline (each --edit applied in turn, as replies to its
    preview would be); one JSON object (or preview) per request, in order, whatever a request holds."""
    from assistant.understanding import Context, Understanding, from_config

    zone = _zone(args.tz or config.assistant.timezone)
    now = _now(args.now, zone)
    understanding = Understanding() if args.offline else from_config(config)
    texts = [" ".join(args.text)] if args.text else None
    lines = texts if texts is not None else (line.rstrip("\n") for line in sys.stdin)
    for text in lines:
        try:
            out = _parsed(understanding, Context(now=now, zone=zone), text, args.edit or [], args.json, config)
        except Exception as exc:  # noqa: BLE001 (last line of defence: one bad request must not end the batch)
            error = f"{type(exc).__name__}: {exc}"
            out = (json.dumps({"kind": "unknown", "needs_clarification": True, "source_text": text,
                               "error": error}, ensure_ascii=False)
                   if args.json else f"(not understood: {error})")
        print(out, flush=texts is None)
    return 0


def _parsed(understanding, context, text: str, edits: list[str], as_json: bool, config: Config) -> str:
    from assistant.core import render
    from assistant.core.item import Kind
    from assistant.core.routing import route

    first, *more = understanding.read(text, context)
    for edit in edits:
        first = understanding.edit(first, edit, context) or first
    if as_json:
        data = first.to_dict()
        if more:
            data["more"] = [item.to_dict() for item in more]
        return json.dumps(data, ensure_ascii=False)
    if first.kind == Kind.UNKNOWN:
        return "(not understood)"
    return render.preview(first, context.zone, route(first, config.routing, set(config.target_names()))).text


def cmd_chat(args: argparse.Namespace, config: Config) -> int:
    from assistant.channels.console import Console
    from assistant.runtime import Runtime

    if not getattr(args, "verbose", False):
        logs.setup("WARNING")
    usecases = _usecases(config)
    console = Console(usecases)
    runtime = Runtime(usecases, console.notify)
    try:
        runtime.start()
        console.run(sys.stdin)
    finally:
        runtime.stop()
        usecases.close()
    return 0


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    from assistant.connectors.local import export_ics

    data = export_ics(_store(config), config.zone)
    if args.ics == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(args.ics).write_bytes(data)
        except OSError as exc:
            raise UserError(f"cannot write {args.ics}: {exc.strerror}") from None
    return 0


def cmd_week(args: argparse.Namespace, config: Config) -> int:
    """The week's list on standard output; with --png the picture written to FILE and its path printed."""
    from datetime import date

    try:
        start = date.fromisoformat(args.start) if args.start else None
    except ValueError:
        raise ConfigError(f"--start: {args.start!r} is not a date like 2026-03-09") from None
    usecases = _usecases(config)
    try:
        agenda = usecases.agenda
        reply = agenda.week() if start is None else agenda.picture(start, title=f"Week of {start:%a %d %b %Y}")
    finally:
        usecases.close()
    print(reply.text)
    if args.png:
        if reply.photo is None:
            raise UserError("the picture could not be drawn (see the log with -v)")
        try:
            Path(args.png).write_bytes(reply.photo)
        except OSError as exc:
            raise UserError(f"cannot write {args.png}: {exc.strerror}") from None
        print(f"picture: {Path(args.png).resolve()}")
    return 0


def cmd_transcribe(args: argparse.Namespace, config: Config) -> int:
    from assistant.speech import run_transcribe_command

    return run_transcribe_command(config, args.files, args.json)


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    if not config.telegram.token:
        where = config.path or config_module.default_path()
        raise ConfigError(f"{where}: 'telegram.token' must be a bot token from @BotFather (or set "
                          "ASSISTANT_TELEGRAM_TOKEN), got nothing")
    from assistant.channels import telegram

    return telegram.run(config)


def cmd_vault(args: argparse.Namespace, config: Config) -> int:
    from assistant.errors import VaultError
    from assistant.vault import Vault

    store = _store(config)
    try:
        vault = Vault(store, config.data_dir)
        count = vault.rotate()
    except VaultError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    print(f"re-encrypted {count} secret(s) under a new master key (kept in the {vault.source.value})")
    return 0


def cmd_connect(args: argparse.Namespace, config: Config) -> int:
    from assistant.connect import run

    return run(config, args.name, no_browser=args.no_browser)


def cmd_setup(args: argparse.Namespace, config: Config | None) -> int:
    from assistant.wizard import run as run_wizard

    path = Path(args.config) if getattr(args, "config", None) else config_module.default_path()
    return run_wizard(path)


def cmd_status(args: argparse.Namespace, config: Config) -> int:
    from assistant import status

    store = _store(config)
    try:
        report = status.collect(config, store)
    finally:
        store.close()
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else status.text(report))
    return 0


def cmd_doctor(args: argparse.Namespace, config: Config) -> int:
    from assistant.doctor import run_checks

    problems = 0
    for check in run_checks(config):
        mark = "ok " if check.ok else "FAIL"
        print(f"[{mark}] {check.name}: {check.detail}")
        problems += not check.ok
    print("healthy" if not problems else f"{problems} problem(s)")
    return 0 if not problems else 1


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"--tz: unknown time zone {name!r} (expected an IANA name such as Europe/Berlin)") from None


def _now(value: str | None, zone: ZoneInfo) -> datetime:
    if not value:
        return datetime.now(zone)
    try:
        now = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now: {value!r} is not an ISO time like 2026-03-10T09:00:00+01:00") from None
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


def _store(config: Config):
    from assistant.store import Store, StoreError

    try:
        return Store(config.db_path)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _usecases(config: Config):
    from assistant.store import StoreError
    from assistant.usecases import build

    try:
        return build(config)
    except StoreError as exc:
        raise UserError(str(exc)) from None


if __name__ == "__main__":
    sys.exit(main())
