"""One log: library loggers and the kit's structlog loggers come out through the same formatter."""
import json
import subprocess
import sys
import textwrap

_PROCESS = textwrap.dedent("""
    import logging, sys
    import faststream  # installs its own stderr handler at import, as uvicorn would with its log config
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from metodset_kit import logging as log

    log.configure("monitoring", sys.argv[1], sys.argv[2])
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42, extra={"color_message": "\x1b[36m"})
    logging.getLogger("uvicorn.access").info("127.0.0.1 - GET / 200")
    logging.getLogger("faststream").info("faststream says hello")
    logging.getLogger("faststream.access.kafka").error("Received", extra={"topic": "t1", "group_id": "g1"})
    logging.getLogger("asyncpg").debug("debug detail")
    log.get("consumer.x").info("consumer.dead_lettered", offset=3)
    trace.set_tracer_provider(TracerProvider())
    with trace.get_tracer("t").start_as_current_span("s") as span:
        print(format(span.get_span_context().trace_id, "032x"), flush=True)
        logging.getLogger("aiokafka").warning("Heartbeat failed for group %s", "g1")
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger("asyncpg").exception("pool trouble")
""")


def _run(level: str, fmt: str) -> tuple[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROCESS, level, fmt], capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout.strip(), [line for line in done.stderr.splitlines() if line.strip()]


def test_every_logger_writes_json_lines_with_the_service_level_and_trace_id():
    trace_id, lines = _run("INFO", "json")
    records = [json.loads(line) for line in lines]  # each non-empty line is one JSON document
    by_msg = {r["msg"]: r for r in records}
    assert set(by_msg) == {"Started server process [42]", "faststream says hello", "Received",
                           "consumer.dead_lettered", "Heartbeat failed for group g1", "pool trouble"}
    assert all(r["service"] == "monitoring" and r["timestamp"] for r in records)
    heartbeat = by_msg["Heartbeat failed for group g1"]
    assert (heartbeat["level"], heartbeat["logger"], heartbeat["trace_id"]) == ("warning", "aiokafka", trace_id)
    assert "trace_id" not in by_msg["faststream says hello"]
    assert (by_msg["Received"]["topic"], by_msg["Received"]["group_id"]) == ("t1", "g1")
    assert by_msg["consumer.dead_lettered"]["offset"] == 3
    assert by_msg["Started server process [42]"]["logger"] == "uvicorn.error"
    assert "color_message" not in by_msg["Started server process [42]"]
    assert "ZeroDivisionError" in by_msg["pool trouble"]["exception"]


def test_log_level_and_the_readable_text_format():
    _, lines = _run("DEBUG", "text")
    text = "\n".join(lines)
    assert "debug detail" in text  # LOG_LEVEL=DEBUG lets the libraries' debug lines through
    heartbeat = next(line for line in lines if "Heartbeat failed for group g1" in line)
    assert "warning" in heartbeat and "service=monitoring" in heartbeat and "[aiokafka]" in heartbeat
    assert not heartbeat.lstrip().startswith("{")
    assert "\x1b[" not in text  # no colour codes


def test_info_level_hides_debug_lines():
    _, lines = _run("INFO", "json")
    assert not any("debug detail" in line for line in lines)
