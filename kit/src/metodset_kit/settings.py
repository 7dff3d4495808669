"""Settings read from environment variables and validated at start."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_ISSUER = "metodset-dev"
DEFAULT_AUDIENCE = "metodset"


class CommonSettings(BaseSettings):
    """What every process needs: where it listens and whom it trusts."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str
    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    jwt_issuer: str = DEV_ISSUER
    jwt_audience: str = DEFAULT_AUDIENCE
    jwt_jwks_url: str | None = None
    jwt_jwks_file: Path | None = None
    # Assets of the documentation pages (Swagger UI, GraphiQL); unset: web/static of the source checkout.
    static_dir: Path | None = None

    # Largest request body a service takes (a registry batch of 5000 organisations is about 1.5 MB).
    max_request_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"  # text: readable console lines for development
    # The one shutdown budget: HTTP drain, background work and the relay's batch limit derive from it, and the
    # orchestrator's kill deadline (terminationGracePeriodSeconds) must be longer.
    shutdown_grace_seconds: float = Field(default=20.0, gt=0, le=600)
    # Net allocations before the garbage collector's youngest generation is collected (heap.py; CPython: 700)
    # At 50,000 the monitoring consumer still spent 9 % of its CPU collecting (perf, during the pipeline bench): a
    # batch's events live until its commit, so each collection walked them; four times fewer collections now.
    gc_young_threshold: int = Field(default=200_000, ge=100, le=10_000_000)

    @model_validator(mode="after")
    def _check_auth(self) -> CommonSettings:
        if not (self.jwt_jwks_url or self.jwt_jwks_file):
            raise ValueError("JWT_JWKS_URL or JWT_JWKS_FILE must be set")
        if self.environment == "production" and self.jwt_issuer == DEV_ISSUER:
            raise ValueError("the development token issuer must not be trusted in production (JWT_ISSUER)")
        return self

    @property
    def shutdown(self) -> ShutdownBudget:
        return shutdown_budget(self.shutdown_grace_seconds)


@dataclass(frozen=True)
class ShutdownBudget:
    """Stages of a graceful stop, one after the other; together they fit in the grace period."""

    http_drain: float  # uvicorn waits this long for requests in flight
    consumer_drain: float  # then the consumers this long for a batch in hand to be applied and acknowledged
    background_wait: float  # then each background task (relay, retention) this long
    relay_batch_timeout: float  # a relay batch in flight gives up after this long, before it is cancelled


def shutdown_budget(grace: float) -> ShutdownBudget:
    """Split the grace period so that draining HTTP, the consumers and the background work fit inside it."""
    background_wait = grace / 2
    return ShutdownBudget(http_drain=grace / 4, consumer_drain=grace / 4, background_wait=background_wait,
                          relay_batch_timeout=background_wait * 0.8)


class ServiceSettings(CommonSettings):
    """A service that owns a database and talks to the broker."""

    database_url: str
    database_name: str | None = None
    database_create: bool = True
    database_pool_min: int = Field(default=2, ge=1)
    database_pool_max: int = Field(default=10, ge=1)
    # How long a starting service waits for PostgreSQL and the broker to become reachable before it gives up.
    startup_wait_seconds: float = Field(default=120, ge=0)

    kafka_bootstrap_servers: str
    kafka_idempotence: bool = False
    # Partitions of the topics the services create: at least one per consumer of a group, or some stand idle and one
    # replica gets twice the share of another. deploy/ runs 2 replicas of one member each: 2 consumers, room for 4.
    kafka_topic_partitions: int = Field(default=4, ge=1)
    kafka_replication_factor: int = Field(default=1, ge=1)
    # Prefix of topics and consumer groups, so that several stacks (staging, tests) can share one cluster.
    kafka_namespace: str = Field(default="", pattern=r"^[a-z0-9_-]*$")

    # Largest file an import takes (tabular/api.py); MAX_REQUEST_BYTES bounds the whole request as well.
    import_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    # Finished import jobs (with the uploaded file, which may hold personal data) are deleted after this; 0: kept
    import_retention_days: int = Field(default=30, ge=0)

    relay_enabled: bool = True
    # Rows per relay transaction and events per consumer transaction. Each batch costs a fixed number of round
    # trips (the relay's claim and mark, the consumer's inbox, projection and commit): at 1,000 rather than 500
    # the pipeline bench spent 105 instead of 116 µs of CPU per event. Record batches stay within the producer's
    # request size (the relay splits them), and a consumer holds at most this many events until its commit.
    relay_batch_size: int = Field(default=1000, ge=1, le=10_000)
    relay_poll_interval: float = Field(default=1.0, gt=0)
    relay_workers: int = Field(default=2, ge=1, le=16)
    consumer_batch_size: int = Field(default=1000, ge=1, le=10_000)
    inbox_retention_days: int = Field(default=30, ge=0)  # 0: keep for ever
    outbox_retention_days: int = Field(default=0, ge=0)  # 0: keep the history for replays
    # Members of each consumer group in one process: its partitions are applied side by side (ordered within each).
    # More than one pays off where applying waits on the database (monitoring: deploy/ runs it with 2); each
    # member is one more consumer joining the group, polling the broker and rebalancing at start.
    consumer_members: int = Field(default=1, ge=1, le=16)
    # How long the broker may hold a fetch when no data is there; Kafka answers early when data arrives.
    consumer_fetch_max_wait_ms: int = Field(default=500, ge=1, le=30_000)
    # Offsets of applied batches are committed at most this often (0: after every batch), and when the consumer
    # stops: each commit is a request the broker writes. A crash redelivers at most this much; the inbox skips it.
    consumer_commit_interval_ms: int = Field(default=1000, ge=0, le=60_000)
    # A projection failure that is not the database's or the broker's: tries before the event is parked in
    # `<topic>.dlq`; waits double from the base up to the max. Database/broker failures are retried for ever.
    consumer_max_attempts: int = Field(default=5, ge=1, le=100)
    consumer_retry_backoff_seconds: float = Field(default=0.5, gt=0)
    consumer_retry_backoff_max_seconds: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> ServiceSettings:
        if self.database_pool_min > self.database_pool_max:
            raise ValueError("DATABASE_POOL_MIN must not exceed DATABASE_POOL_MAX")
        if self.consumer_retry_backoff_max_seconds >= self.shutdown_grace_seconds:
            raise ValueError("CONSUMER_RETRY_BACKOFF_MAX_SECONDS must be shorter than SHUTDOWN_GRACE_SECONDS")
        return self

    @property
    def dsn(self) -> str:
        """The service's own database: DATABASE_URL with its database replaced by DATABASE_NAME."""
        return with_database(self.database_url, self.database_name) if self.database_name else self.database_url

    def topic(self, name: str) -> str:
        return f"{self.kafka_namespace}.{name}" if self.kafka_namespace else name

    @property
    def bootstrap_servers(self) -> list[str]:
        return [s.strip() for s in self.kafka_bootstrap_servers.split(",") if s.strip()]


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"
