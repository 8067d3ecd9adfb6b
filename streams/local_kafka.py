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
import secrets
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


_LOG4J2_TOOLS = """<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="err" target="SYSTEM_ERR"><PatternLayout pattern="%p %m (%c)%n"/></Console></Appenders>
  <Loggers><Root level="WARN"><AppenderRef ref="err"/></Root></Loggers>
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


SCRAM_MECHANISM = "SCRAM-SHA-512"
STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"


@dataclass
class KafkaSecurity:
    """Secured mode of the local broker: SASL/SCRAM-SHA-512 clients, StandardAuthorizer ACLs, optional TLS.

    `users` maps SCRAM user names to passwords; every user is created when the storage is formatted
    (`kafka-storage format --add-scram`), `admin` is the only super user. Passwords are generated at
    start when not given, and are written only to 0600 files in the broker's data directory (never
    logged). With `tls`, a throw-away CA and a broker certificate for 127.0.0.1 are made with openssl,
    and a SASL_SSL listener is added next to SASL_PLAINTEXT. The controller listener stays PLAINTEXT on
    loopback; its principal (User:ANONYMOUS) is a super user so that the broker can register itself.
    """

    users: dict[str, str | None] = field(default_factory=lambda: {"admin": None})
    tls: bool = True
    admin: str = "admin"
    ca_file: Path | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.users = {self.admin: None, **self.users}

    def password(self, user: str) -> str:
        value = self.users[user]
        if value is None:
            value = self.users[user] = secrets.token_hex(16)
        return value


def _make_tls(directory: Path) -> tuple[Path, Path]:
    """A self-signed CA and a broker key+certificate (PEM) for 127.0.0.1/localhost. Returns (ca, keystore)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl is required for the TLS listener of the secured local broker")
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_pem = directory / "ca.key", directory / "ca.pem"
    keystore = directory / "broker-keystore.pem"  # PKCS#8 key + certificate chain, ssl.keystore.type=PEM
    if keystore.exists() and ca_pem.exists():  # restart of the same broker: clients keep trusting the CA
        return ca_pem, keystore
    key, csr, crt = directory / "broker.key", directory / "broker.csr", directory / "broker.crt"
    ext = directory / "broker.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                   "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                   "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca_pem),
        "-days", "3", "-subj", "/CN=BorderWatch local test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca_pem), "-CAkey", str(ca_key), "-CAcreateserial",
        "-out", str(crt), "-days", "3", "-extfile", str(ext))
    keystore.write_text(key.read_text() + crt.read_text() + ca_pem.read_text())
    for private in (ca_key, key, keystore):
        private.chmod(0o600)
    return ca_pem, keystore


@dataclass
class LocalKafka:
    """One KRaft broker+controller on 127.0.0.1. Use as a context manager or start()/stop()."""

    cache_dir: Path = DEFAULT_CACHE
    data_dir: Path | None = None
    port: int | None = None
    heap: str = "768m"
    extra_config: dict[str, str] = field(default_factory=dict)
    listeners: dict[str, int] = field(default_factory=dict)
    security: KafkaSecurity | bool | None = None
    ssl_port: int | None = None
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
        sec = self._security
        client = "SASL_PLAINTEXT" if sec else "PLAINTEXT"
        listeners = [f"{client}://127.0.0.1:{self.port}", f"CONTROLLER://127.0.0.1:{self._controller_port}"]
        protocol_map = [f"{client}:{client}", "CONTROLLER:PLAINTEXT"]
        advertised = [f"{client}://127.0.0.1:{self.port}"]
        if sec and sec.tls:
            listeners.append(f"SASL_SSL://127.0.0.1:{self.ssl_port}")
            advertised.append(f"SASL_SSL://127.0.0.1:{self.ssl_port}")
            protocol_map.append("SASL_SSL:SASL_SSL")
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
            "inter.broker.listener.name": client,
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
        if sec:
            config.update(self._security_config(sec))
        config.update(self.extra_config)
        path = self.data_dir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
        if sec:
            path.chmod(0o600)  # holds the inter-broker (admin) SCRAM password
        (self.data_dir / "log4j2.xml").write_text(_LOG4J2)
        return path

    @property
    def _security(self) -> KafkaSecurity | None:
        if self.security is True:
            self.security = KafkaSecurity()
        return self.security or None

    @property
    def ssl_bootstrap(self) -> str:
        """The SASL_SSL listener (secured mode with TLS)."""
        return f"127.0.0.1:{self.ssl_port}"

    def _security_config(self, sec: KafkaSecurity) -> dict[str, str]:
        assert self.data_dir is not None
        jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required"
        admin_jaas = f'{jaas} username="{sec.admin}" password="{sec.password(sec.admin)}";'
        config = {
            "sasl.enabled.mechanisms": SCRAM_MECHANISM,
            "sasl.mechanism.inter.broker.protocol": SCRAM_MECHANISM,
            f"listener.name.sasl_plaintext.{SCRAM_MECHANISM.lower()}.sasl.jaas.config": admin_jaas,
            "authorizer.class.name": STANDARD_AUTHORIZER,
            "super.users": f"User:{sec.admin};User:ANONYMOUS",
            "allow.everyone.if.no.acl.found": "false",
            "auto.create.topics.enable": "false",
        }
        if sec.tls:
            ca, keystore = _make_tls(self.data_dir / "tls")
            sec.ca_file = ca
            config.update({
                f"listener.name.sasl_ssl.{SCRAM_MECHANISM.lower()}.sasl.jaas.config": f"{jaas};",
                "listener.name.sasl_ssl.ssl.keystore.type": "PEM",
                "listener.name.sasl_ssl.ssl.keystore.location": str(keystore),
                "listener.name.sasl_ssl.ssl.client.auth": "none",
            })
        return config

    def _format_args(self) -> list[str]:
        sec = self._security
        if not sec:
            return []
        args: list[str] = []
        for user in sec.users:
            args += ["--add-scram", f"{SCRAM_MECHANISM}=[name={user},password={sec.password(user)}]"]
        return args

    def password_file(self, user: str) -> Path:
        """A 0600 file holding `user`'s SCRAM password (for BW_KAFKA_SASL_PASSWORD_FILE)."""
        sec = self._security
        assert sec is not None and self.data_dir is not None, "secured mode only"
        path = self.data_dir / "secrets" / f"{user}.password"
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(sec.password(user))
        return path

    def client_kwargs(self, user: str | None = None, *, tls: bool = False,
                      password: str | None = None) -> dict[str, object]:
        """aiokafka connection kwargs for `user` (default: admin) on the SASL_PLAINTEXT or SASL_SSL listener."""
        sec = self._security
        if not sec:
            return {"bootstrap_servers": self.bootstrap}
        user = user or sec.admin
        kwargs: dict[str, object] = {
            "bootstrap_servers": self.ssl_bootstrap if tls else self.bootstrap,
            "security_protocol": "SASL_SSL" if tls else "SASL_PLAINTEXT",
            "sasl_mechanism": SCRAM_MECHANISM, "sasl_plain_username": user,
            "sasl_plain_password": password if password is not None else sec.password(user),
        }
        if tls:
            from aiokafka.helpers import create_ssl_context

            kwargs["ssl_context"] = create_ssl_context(cafile=str(sec.ca_file))
        return kwargs

    def settings_env(self, user: str, *, tls: bool = False) -> dict[str, str]:
        """BW_* environment for a BorderWatch process connecting as `user` (password by file)."""
        sec = self._security
        if not sec:
            return {"BW_KAFKA_BOOTSTRAP": self.bootstrap}
        env = {"BW_KAFKA_BOOTSTRAP": self.ssl_bootstrap if tls else self.bootstrap,
               "BW_KAFKA_SECURITY_PROTOCOL": "SASL_SSL" if tls else "SASL_PLAINTEXT",
               "BW_KAFKA_SASL_MECHANISM": SCRAM_MECHANISM, "BW_KAFKA_SASL_USERNAME": user,
               "BW_KAFKA_SASL_PASSWORD_FILE": str(self.password_file(user))}
        if tls:
            env["BW_KAFKA_SSL_CAFILE"] = str(sec.ca_file)
        return env

    def admin_properties(self) -> Path:
        """A Java client properties file for the admin user (AclCommand/ConfigCommand --command-config)."""
        sec = self._security
        assert sec is not None and self.data_dir is not None, "secured mode only"
        path = self.data_dir / "secrets" / "admin-client.properties"
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(
            "security.protocol=SASL_PLAINTEXT\n"
            f"sasl.mechanism={SCRAM_MECHANISM}\n"
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="{sec.admin}" password="{sec.password(sec.admin)}";\n')
        return path

    def run_tool(self, main_class: str, *args: str, timeout: float = 120.0) -> str:
        """Run a Kafka command-line tool class (e.g. org.apache.kafka.tools.AclCommand) on the broker's jars."""
        libs = fetch(self.cache_dir)
        assert self.data_dir is not None
        cmd = [self._java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
               f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2-tools.xml'}", "-cp", f"{libs}/*",
               main_class, *args]
        (self.data_dir / "log4j2-tools.xml").write_text(_LOG4J2_TOOLS)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"{main_class} failed ({done.returncode}): {done.stderr[-2000:] or done.stdout[-2000:]}")
        return done.stdout

    def start(self, timeout: float = 90.0) -> str:
        libs = fetch(self.cache_dir)
        if self.data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="bw-kafka-")
            self.data_dir = Path(self._tmp.name)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        self.port = self.port or free_port()
        self._controller_port = free_port()
        if self._security and self._security.tls:
            self.ssl_port = self.ssl_port or free_port()
        config = self._write_config()
        classpath = f"{libs}/*"
        java = self._java()
        jvm = [java, f"-Xmx{self.heap}", f"-Xms{self.heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
               f"-Dkafka.logs.dir={self.log_dir}",
               f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.xml'}", "-cp", classpath]
        if not (self.data_dir / "data" / "meta.properties").exists():
            cluster_id = "-"
            while cluster_id.startswith("-"):  # a leading '-' would be parsed as an option by StorageTool
                cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            formatted = subprocess.run([*jvm, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
                                        str(config), *self._format_args()],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if formatted.returncode != 0:
                raise RuntimeError(f"kafka-storage format failed: {formatted.stderr[-2000:]}")
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
            if _port_open(self.port) and asyncio.run(self._answers()):
                return
            time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"Kafka did not answer a metadata request within {timeout}s")

    async def _answers(self) -> bool:
        kwargs = self.client_kwargs()
        return await answers_metadata(str(kwargs.pop("bootstrap_servers")), **kwargs)

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

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=3000,
                            **client_kwargs)
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
