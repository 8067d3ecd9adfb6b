"""A real Apache Kafka broker (KRaft, one broker+controller) on loopback, fetched from Maven Central.

Used by the demo, the tests and CI. The broker jars are resolved by Maven from
`deploy/kafka/pom.xml` into a git-ignored cache once; later starts reuse them. The JVM is started in
its own process group with PR_SET_PDEATHSIG so it dies with the Python process that started it:
no orphan JVMs, even after `kill -9` of the parent.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
POM = REPO_ROOT / "deploy" / "kafka" / "pom.xml"
DEFAULT_CACHE = REPO_ROOT / ".cache" / "kafka"
KAFKA_VERSION = "4.1.1"
_PR_SET_PDEATHSIG = 1

_LOG4J2 = """<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <File name="file" fileName="${sys:kafka.logs.dir}/server.log">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="WARN"/>
  </Loggers>
</Configuration>
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(cache_dir: Path = DEFAULT_CACHE) -> Path:
    """Resolve the broker jars with Maven into `cache_dir/<version>/libs` (no-op when cached)."""
    libs = cache_dir / KAFKA_VERSION / "libs"
    marker = libs / ".complete"
    if marker.exists():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("Maven (mvn) is required to fetch Apache Kafka; install it or set BW_KAFKA_BOOTSTRAP")
    if libs.exists():
        shutil.rmtree(libs)
    libs.mkdir(parents=True)
    log.info("kafka.fetch.start", version=KAFKA_VERSION, into=str(libs))
    started = time.monotonic()
    subprocess.run(
        [mvn, "-q", "-B", "-f", str(POM), f"-Dkafka.version={KAFKA_VERSION}",
         "dependency:copy-dependencies", f"-DoutputDirectory={libs}", "-DincludeScope=runtime"],
        check=True,
    )
    marker.write_text(KAFKA_VERSION)
    log.info("kafka.fetch.done", seconds=round(time.monotonic() - started, 1))
    return libs


def _port_open(port: int | None) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port or 0)) == 0


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: ask the kernel to SIGTERM the JVM when we die.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class LocalKafka:
    """One KRaft broker+controller on 127.0.0.1. Use as a context manager or start()/stop()."""

    cache_dir: Path = DEFAULT_CACHE
    data_dir: Path | None = None
    port: int | None = None
    heap: str = "768m"
    extra_config: dict[str, str] = field(default_factory=dict)
    listeners: dict[str, int] = field(default_factory=dict)
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False, repr=False)
    _controller_port: int = field(default=0, init=False)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_dir(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir / "logs"

    def _java(self) -> str:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
        if not java:
            raise RuntimeError("Java 17+ is required to run the local Apache Kafka broker")
        return java

    def _write_config(self) -> Path:
        assert self.data_dir is not None and self.port is not None
        listeners = [f"PLAINTEXT://127.0.0.1:{self.port}", f"CONTROLLER://127.0.0.1:{self._controller_port}"]
        protocol_map = ["PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT"]
        advertised = [f"PLAINTEXT://127.0.0.1:{self.port}"]
        for name, lport in self.listeners.items():
            listeners.append(f"{name}://127.0.0.1:{lport}")
            advertised.append(f"{name}://127.0.0.1:{lport}")
        config = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{self._controller_port}",
            "listeners": ",".join(listeners),
            "advertised.listeners": ",".join(advertised),
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": ",".join(protocol_map),
            "log.dirs": str(self.data_dir / "data"),
            "num.partitions": "6",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "6",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "true",
            "log.retention.hours": "720",
            "log.cleaner.backoff.ms": "1000",
        }
        config.update(self.extra_config)
        path = self.data_dir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
        (self.data_dir / "log4j2.xml").write_text(_LOG4J2)
        return path

    def start(self, timeout: float = 90.0) -> str:
        libs = fetch(self.cache_dir)
        if self.data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="bw-kafka-")
            self.data_dir = Path(self._tmp.name)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        self.port = self.port or free_port()
        self._controller_port = free_port()
        config = self._write_config()
        classpath = f"{libs}/*"
        java = self._java()
        jvm = [java, f"-Xmx{self.heap}", f"-Xms{self.heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
               f"-Dkafka.logs.dir={self.log_dir}",
               f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.xml'}", "-cp", classpath]
        if not (self.data_dir / "data" / "meta.properties").exists():
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            subprocess.run([*jvm, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = (self.log_dir / "stdout.log").open("ab")
        self._proc = subprocess.Popen(
            [*jvm, "kafka.Kafka", str(config)], stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent, start_new_session=True,
        )
        out.close()
        self._wait_ready(timeout)
        log.info("kafka.started", bootstrap=self.bootstrap, pid=self._proc.pid)
        return self.bootstrap

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise RuntimeError(f"Kafka exited with {self._proc.returncode}; see {self.log_dir}/server.log")
            if _port_open(self.port) and asyncio.run(answers_metadata(self.bootstrap)):
                return
            time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"Kafka did not answer a metadata request within {timeout}s")

    def stop(self, timeout: float = 30.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        log.info("kafka.stopped")

    def kill(self) -> None:
        """Hard-stop the broker (fault tests); data_dir is kept so start() resumes it."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(10)
            self._proc = None

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self.data_dir = None

    def __enter__(self) -> LocalKafka:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


async def answers_metadata(bootstrap: str, **client_kwargs: object) -> bool:
    """True when the broker answers a metadata request."""
    from aiokafka import AIOKafkaClient  # local: keeps `borderwatch --help` fast

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=3000, **client_kwargs)
    try:
        await client.bootstrap()
        metadata = await client.fetch_all_metadata()
        return len(metadata.brokers()) > 0
    except Exception:
        return False
    finally:
        await client.close()


@contextlib.contextmanager
def running_kafka(**kwargs: object) -> Iterator[LocalKafka]:
    kafka = LocalKafka(**kwargs)  # type: ignore[arg-type]
    with kafka:
        yield kafka
