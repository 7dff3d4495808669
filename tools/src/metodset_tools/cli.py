"""`metodset`: the developer's command line (run the stack, mint a development token, load a demo region,
contracts, migrations)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from metodset_kit.scope import Role

from . import devissuer


def _token(args) -> int:
    try:
        print(devissuer.issue(args.role, municipality=args.municipality, organisation=args.organisation,
                              person=args.person, subject=args.subject, ttl_seconds=args.ttl))
    except ValueError as exc:
        print(f"metodset token: {exc}", file=sys.stderr)
        return 2
    return 0


def _run(args) -> int:
    from . import replay
    from .devstack import Infrastructure, Stack
    from .lifetime import PortTaken, ensure_free
    from .supervise import Supervisor

    data = devissuer.data_dir()
    os.environ.setdefault("LOG_FORMAT", "text")  # a developer's terminal; LOG_FORMAT=json for the production lines
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # a closed terminal stops the stack too
        signal.signal(sig, lambda *_: stop.set())
    base = args.port_base
    ports = {"gateway": base, "registry": base + 1, "events": base + 2, "monitoring": base + 3}
    infra = Infrastructure(data, kafka_port=args.kafka_port)
    stack = Stack(infra, ports=ports)
    try:
        ensure_free(ports)
        infra.start()
        if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):  # a fresh in-memory broker: publish the history again
            republished = replay.republish_sync(infra.database_url, stack.database_prefix)
            if any(republished.values()):
                print(f"metodset: outbox history published again into the fresh broker: {republished}", flush=True)
        stack.start()
        print(_banner(stack, devissuer.issue("regional_coordinator", base=data)), flush=True)
        supervisor = Supervisor(stack, say=lambda line: print(line, file=sys.stderr, flush=True))
        while not stop.wait(0.5):
            supervisor.check()
    except (PortTaken, RuntimeError) as exc:
        print(f"metodset: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        print("metodset: stopping...", file=sys.stderr, flush=True)
        stack.stop()
        infra.stop()
    return 0


def _banner(stack, token: str) -> str:
    p = stack.ports
    return "\n".join([
        "",
        "Metodset is running (Ctrl-C stops it):",
        f"  GraphQL + GraphiQL  http://127.0.0.1:{p['gateway']}/graphql",
        f"  registry            http://127.0.0.1:{p['registry']}/docs",
        f"  events              http://127.0.0.1:{p['events']}/docs",
        f"  monitoring          http://127.0.0.1:{p['monitoring']}/docs",
        f"  gateway OpenAPI     http://127.0.0.1:{p['gateway']}/docs",
        "  AsyncAPI            contracts/asyncapi.json",
        f"  database            {stack.infra.database_url}",
        f"  broker              {stack.infra.bootstrap_servers}",
        "",
        "Development token (regional coordinator; others: .venv/bin/metodset token --role ROLE):",
        token,
        "",
    ])


def _demo(args) -> int:
    from . import demo, region

    try:
        generated = region.generate(args.seed, args.municipalities, args.per_municipality, args.staff_scale)
    except ValueError as exc:
        print(f"metodset demo: {exc}", file=sys.stderr)
        return 2
    try:
        summary = demo.populate(generated, args.registry_url, devissuer.issue("regional_coordinator"),
                                say=lambda line: print(line, flush=True), events_url=args.events_url,
                                wait=args.wait, monitoring_url=args.monitoring_url,
                                methodist_token=lambda m: devissuer.issue("municipal_methodist", municipality=m))
    except demo.LoadError as exc:
        print(f"metodset demo: {exc}", file=sys.stderr)
        return 1
    print(demo.describe(summary, generated, args.gateway_url))
    return 0


def _contracts(args) -> int:
    from .contracts_tool import check, write

    root = Path(args.root).resolve()
    return check(root) if args.check else write(root)


def _migrations(args) -> int:
    from . import migrations_record

    path = Path(args.root).resolve() / migrations_record.RECORD
    if args.record:
        for name in migrations_record.record(path):
            print(f"recorded {name}")
        return 0
    problems = migrations_record.problems(path)
    print(*problems, sep="\n", file=sys.stderr)
    return 1 if problems else 0


def _replay(args) -> int:
    import asyncio

    from . import replay

    database_url = args.database_url or os.environ.get("DATABASE_URL")
    if not database_url:
        print("metodset replay: give --database-url or DATABASE_URL (the stack's PostgreSQL)", file=sys.stderr)
        return 2
    asyncio.run(replay.replay_monitoring(database_url, args.bootstrap, prefix=args.prefix, namespace=args.namespace,
                                         source=args.source, say=lambda line: print(line, flush=True)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="metodset")
    sub = parser.add_subparsers(dest="command", required=True)

    token = sub.add_parser("token", help="print a development token")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--municipality", help="OKTMO code (municipal methodist)")
    token.add_argument("--organisation", help="organisation id (organisation administrator)")
    token.add_argument("--person", help="the registry's person id (pedagogue)")
    token.add_argument("--subject")
    token.add_argument("--ttl", type=int, default=12 * 3600, help="seconds")
    token.set_defaults(func=_token)

    run = sub.add_parser("run", help="start the local stack")
    run.add_argument("--port-base", type=int, default=8000, help="gateway port; registry, events, monitoring follow")
    run.add_argument("--kafka-port", type=int, default=9092, help="port of the embedded broker")
    run.set_defaults(func=_run)

    demo = sub.add_parser("demo", help="load a small generated region into the running stack (`make run`)")
    demo.add_argument("--registry-url", default="http://127.0.0.1:8001")
    demo.add_argument("--events-url", default="http://127.0.0.1:8002",
                      help="the events service (the year of methodical work); empty: leave it out")
    demo.add_argument("--monitoring-url", default="http://127.0.0.1:8003",
                      help="the monitoring service (the students' count campaign); empty: leave it out")
    demo.add_argument("--wait", type=float, default=120,
                      help="seconds the events service may take to learn the organisations and staff from the registry")
    demo.add_argument("--gateway-url", default="http://127.0.0.1:8000", help="only for the hint printed at the end")
    demo.add_argument("--municipalities", type=int, default=3)
    demo.add_argument("--per-municipality", type=int, default=20, help="organisations in each municipality")
    demo.add_argument("--staff-scale", type=float, default=0.25,
                      help="1 staffs each organisation as a real one; 0 loads no staff and no bodies")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=_demo)

    contracts = sub.add_parser("contracts", help="write (or --check) the generated contracts")
    contracts.add_argument("--check", action="store_true")
    contracts.add_argument("--root", default=".")
    contracts.set_defaults(func=_contracts)

    migrations = sub.add_parser("migrations", help="check (or --record) the published migrations' checksums")
    migrations.add_argument("--record", action="store_true", help="append migrations not yet recorded")
    migrations.add_argument("--root", default=".")
    migrations.set_defaults(func=_migrations)

    rebuild = sub.add_parser("replay", help="rebuild a service's projections from the beginning (monitoring)")
    rebuild.add_argument("service", choices=["monitoring"])
    rebuild.add_argument("--source", choices=["auto", "topics", "outbox"], default="auto",
                         help="topics from offset zero, or the owners' outbox history; auto: the outboxes when "
                              "the broker holds fewer records than they wrote")
    rebuild.add_argument("--database-url", help="PostgreSQL server of the stack (default: DATABASE_URL)")
    rebuild.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    rebuild.add_argument("--prefix", default="metodset", help="database name prefix of the stack")
    rebuild.add_argument("--namespace", default=os.environ.get("KAFKA_NAMESPACE", ""), help="topic namespace")
    rebuild.set_defaults(func=_replay)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
