"""The deployment files agree with the code: RabbitMQ definitions, compose file, Kubernetes.

Validated without a Docker engine or a cluster (ECOSYSTEM.md §3): the compose file against the
compose specification (check-jsonschema), the manifests with ``kubernetes-validate --strict``.
The images are built and the stack booted for real by ``make container-smoke``
(tests/containers/smoke.py, CI's container stage); these tests keep the files honest in between.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from chassis.config import SERVICE_PORTS
from contracts.definitions import render
from contracts.topology import platform_topology

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = ROOT / "docker-compose.yml"
DEFINITIONS = DEPLOY / "rabbitmq" / "definitions.json"
RABBITMQ_CONF = DEPLOY / "rabbitmq" / "rabbitmq.conf"
PODMAN = DEPLOY / "podman"
K8S = DEPLOY / "k8s"
PROMETHEUS = DEPLOY / "prometheus" / "prometheus.yml"
GRAFANA = DEPLOY / "grafana"
#: The workers' own metrics listener in compose and Kubernetes (TROC_METRICS_PORT).
WORKER_METRICS_PORT = 9464


def _package_dirs() -> dict[str, Path]:
    """Each service of the checkout and the folder of its Python package."""
    found = {"gateway": ROOT / "gateway" / "gateway"}
    for pyproject in sorted((ROOT / "services").glob("*/pyproject.toml")):
        name = pyproject.parent.name
        found[name] = pyproject.parent / name
    return found


def _deployable() -> dict[str, dict[str, bool]]:
    """Services the code defines, with the processes they have (web, worker, migrations)."""
    services = {}
    for name, pkg in _package_dirs().items():
        kinds = {
            "web": (pkg / "api.py").exists(),
            "worker": (pkg / "consumer.py").exists(),
            "migrate": (pkg.parent / "migrations").is_dir() and (pkg / "cli.py").exists(),
        }
        # A service still being written (settings only) is not deployable yet.
        if kinds["web"] or kinds["worker"]:
            services[name] = kinds
    return services


SERVICES = _deployable()


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make install` (requirements/dev.txt)")
    return found


@functools.cache
def _compose() -> dict[str, Any]:
    """The compose file, parsed once (tests only read it)."""
    return yaml.safe_load(COMPOSE.read_text())


# --- RabbitMQ definitions ------------------------------------------------------------------------


def test_definitions_json_is_generated_from_the_code_topology() -> None:
    assert DEFINITIONS.read_text() == render(), (
        "deploy/rabbitmq/definitions.json is stale: run `make definitions` and commit it"
    )


def test_definitions_declare_quorum_queues_with_a_dead_letter_policy_each() -> None:
    document = json.loads(DEFINITIONS.read_text())
    topology = platform_topology()
    queues = {q["name"]: q for q in document["queues"]}
    policies = {p["pattern"]: p["definition"] for p in document["policies"]}
    for spec in topology.queues:
        for name in (spec.name, spec.dlq):
            assert queues[name]["arguments"]["x-queue-type"] == "quorum"
            assert queues[name]["durable"] is True
        policy = policies[f"^{spec.name.replace('.', chr(92) + '.')}$"]
        assert policy["dead-letter-exchange"] == ""
        assert policy["dead-letter-routing-key"] == spec.dlq


def test_rabbitmq_config_starts_on_3_10_and_quorum_stays_the_default_queue_type() -> None:
    """RabbitMQ 3.10 (Debian bookworm's) refuses ``default_queue_type`` in rabbitmq.conf; the
    virtual host of the definitions carries it instead (3.11+), and every queue names its type."""
    settings = [
        line.split("=", 1)[0].strip()
        for line in RABBITMQ_CONF.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "default_queue_type" not in settings
    (vhost,) = json.loads(DEFINITIONS.read_text())["vhosts"]
    assert vhost["default_queue_type"] == "quorum"
    assert vhost["metadata"]["default_queue_type"] == "quorum"


# --- docker-compose.yml --------------------------------------------------------------------------


def _is_troc_image(svc: dict[str, Any]) -> bool:
    """A process of the project's image (``${TROC_IMAGE:-troc-actif:...}``)."""
    return "troc-actif:" in str(svc.get("image", ""))


#: ``${VARIABLE:-default}`` in an image reference: the default is what must be pinned.
_DEFAULTED = re.compile(r"^\$\{(?P<var>[A-Z0-9_]+):-(?P<default>[^}]+)\}$")


def _pinned(reference: str) -> bool:
    """A digest, or a tag that names a version (digits), never ``latest`` nor a bare name."""
    if "@sha256:" in reference:
        return True
    name, _, tag = reference.rpartition(":")
    return bool(name) and "/" not in tag and tag != "latest" and any(c.isdigit() for c in tag)


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own file)
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_compose_runs_every_process_of_every_service(service: str) -> None:
    compose = _compose()["services"]
    kinds = SERVICES[service]
    if kinds["migrate"]:
        migrate = compose[f"{service}-migrate"]
        assert migrate["command"][-2:] == [f"{service}.cli", "migrate"]
        assert migrate["restart"] == "no"
    if kinds["web"]:
        web = compose[service]
        assert web["command"][:4] == ["python", "-m", "chassis.serve", f"{service}.api:create_app"]
        assert f"0.0.0.0:{SERVICE_PORTS[service]}" in web["command"]
        assert f":{SERVICE_PORTS[service]}/readyz" in " ".join(web["healthcheck"]["test"])
        if kinds["migrate"]:
            assert web["depends_on"][f"{service}-migrate"] == {
                "condition": "service_completed_successfully"
            }
    if kinds["worker"]:
        worker = compose[f"{service}-worker"]
        assert worker["command"] == ["python", "-m", f"{service}.consumer"]
    databases = compose["postgres"]["environment"]["TROC_DATABASES"].split()
    assert f"troc_{service}" in databases


def test_compose_gateway_reaches_every_service_and_is_the_only_published_app() -> None:
    compose = _compose()["services"]
    env = compose["gateway"]["environment"]
    for service, kinds in SERVICES.items():
        if service != "gateway" and kinds["web"]:
            assert env[f"TROC_{service.upper()}_URL"] == (
                f"http://{service}:{SERVICE_PORTS[service]}"
            )
    published = sorted(
        name
        for name, svc in compose.items()
        if svc.get("ports")
        and name not in {"rabbitmq", "mailpit", "postgres"}
        and not svc.get("profiles")  # Prometheus and Grafana, on the operator's loopback
    )
    assert published == ["gateway"]


def test_compose_images_are_pinned_by_version_and_overridable() -> None:
    for name, svc in _compose()["services"].items():
        if "image" not in svc:
            continue
        reference = str(svc["image"])
        defaulted = _DEFAULTED.match(reference)
        if defaulted:
            assert defaulted["var"].startswith("TROC_"), (name, reference)
            reference = defaulted["default"]
        if _is_troc_image(svc):
            assert "build" in svc, name  # troc-actif:local is built from this checkout
            continue
        assert _pinned(reference), (name, reference)


def test_compose_publishes_on_the_loopback_only_on_configurable_ports() -> None:
    for name, svc in _compose()["services"].items():
        for port in svc.get("ports", []):
            address, rest = str(port).split(":", 1)
            host_port = rest.rsplit(":", 1)[0]
            assert address == "127.0.0.1", (name, port)  # never 0.0.0.0
            assert re.fullmatch(r"\$\{TROC_[A-Z_]+_PUBLISHED_PORT:-\d+\}", host_port), (name, port)


def test_compose_sends_the_e_mails_to_mailpit() -> None:
    compose = _compose()["services"]
    env = compose["notifications-worker"]["environment"]
    assert (env["TROC_SMTP_HOST"], env["TROC_SMTP_PORT"]) == ("mailpit", "1025")
    assert "1025" in [str(p) for p in compose["mailpit"]["expose"]]
    assert compose["mailpit"]["healthcheck"]["test"] == ["CMD", "/mailpit", "readyz"]
    # The sink of deploy/podman answers the same health command as Mailpit's image.
    assert (PODMAN / "mailsink" / "mailpit").exists()


def test_compose_waits_for_healthy_backends_and_mounts_the_generated_definitions() -> None:
    compose = _compose()["services"]
    for name, svc in compose.items():
        for dependency, condition in (svc.get("depends_on") or {}).items():
            assert condition["condition"] in {
                "service_healthy",
                "service_completed_successfully",
            }, (name, dependency)
    for backend in ("postgres", "rabbitmq", "mailpit"):
        assert "healthcheck" in compose[backend]
    mounts = " ".join(compose["rabbitmq"]["volumes"])
    assert "./deploy/rabbitmq/definitions.json:" in mounts
    assert "./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf" in mounts


# --- Kubernetes manifests ------------------------------------------------------------------------


@functools.cache
def _manifests() -> dict[tuple[str, str], dict[str, Any]]:
    """Every resource of deploy/k8s by (kind, name), parsed once (tests only read them)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                key = (doc["kind"], doc["metadata"]["name"])
                assert key not in found, f"{key} declared twice"
                found[key] = doc
    return found


def _container(resource: dict[str, Any]) -> dict[str, Any]:
    (container,) = resource["spec"]["template"]["spec"]["containers"]
    return container


def test_manifests_are_valid_kubernetes_strictly() -> None:
    files = sorted(str(p) for p in K8S.glob("*.yaml"))
    assert files
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own files)
        [_tool("kubernetes-validate"), "--strict", "--quiet", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_manifests_run_every_process_of_every_service(service: str) -> None:
    resources = _manifests()
    kinds = SERVICES[service]
    if kinds["migrate"]:
        job = resources[("Job", f"{service}-migrate")]
        assert _container(job)["command"][-2:] == [f"{service}.cli", "migrate"]
    if kinds["web"]:
        web = _container(resources[("Deployment", service)])
        assert web["command"][:4] == ["python", "-m", "chassis.serve", f"{service}.api:create_app"]
        assert web["ports"][0]["containerPort"] == SERVICE_PORTS[service]
        assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert (
            resources[("Service", service)]["spec"]["ports"][0]["port"] == (SERVICE_PORTS[service])
        )
        assert ("HorizontalPodAutoscaler", service) in resources
        assert ("PodDisruptionBudget", service) in resources
    if kinds["worker"]:
        worker = _container(resources[("Deployment", f"{service}-worker")])
        assert worker["command"] == ["python", "-m", f"{service}.consumer"]


def _pod_containers(resource: dict[str, Any]) -> list[dict[str, Any]]:
    spec = resource["spec"]
    if resource["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return list(spec["template"]["spec"]["containers"])


def test_manifests_pin_their_images_by_version_or_digest() -> None:
    for (kind, name), resource in _manifests().items():
        if kind not in {"Deployment", "Job", "CronJob"}:
            continue
        for container in _pod_containers(resource):
            assert _pinned(container["image"]), (kind, name, container["image"])


@pytest.mark.parametrize("service", sorted(s for s, kinds in SERVICES.items() if kinds["worker"]))
def test_workers_have_a_liveness_probe_on_their_metrics_listener(service: str) -> None:
    worker = _container(_manifests()[("Deployment", f"{service}-worker")])
    probe = worker["livenessProbe"]["httpGet"]
    ports = {p["name"]: p["containerPort"] for p in worker["ports"]}
    assert ports[probe["port"]] == WORKER_METRICS_PORT
    assert probe["path"] == "/metrics"


#: Ranges the notifications worker (webhooks to tenants' URLs, SMTP) must never reach.
PRIVATE_RANGES = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
]


def test_a_network_policy_keeps_the_notifications_worker_off_private_ranges() -> None:
    resources = _manifests()
    worker = resources[("Deployment", "notifications-worker")]
    pod_labels = worker["spec"]["template"]["metadata"]["labels"]
    policies = [
        r
        for (kind, _), r in resources.items()
        if kind == "NetworkPolicy"
        and all(pod_labels.get(k) == v for k, v in r["spec"]["podSelector"]["matchLabels"].items())
    ]
    assert policies, "no NetworkPolicy selects the notifications worker"
    for policy in policies:
        assert "Egress" in policy["spec"]["policyTypes"]
        for rule in policy["spec"]["egress"]:
            assert rule.get("to"), "an egress rule without `to` allows everything"
            for peer in rule["to"]:
                block = peer.get("ipBlock")
                if block is None:
                    continue  # pods of the namespace, the cluster DNS
                allowed = ipaddress.ip_network(block["cidr"])
                excepted = [ipaddress.ip_network(c) for c in block.get("except", [])]
                for private in map(ipaddress.ip_network, PRIVATE_RANGES):
                    if private.version != allowed.version or not private.overlaps(allowed):
                        continue
                    assert any(private.subnet_of(e) for e in excepted), (block, private)


def test_manifests_take_urls_with_credentials_from_secrets_and_run_as_non_root() -> None:
    for (kind, name), resource in _manifests().items():
        if kind not in {"Deployment", "Job"}:
            continue
        pod = resource["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        container = _container(resource)
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
        assert container["resources"]["requests"] and container["resources"]["limits"], name
        assert container["envFrom"] == [{"configMapRef": {"name": "troc-config"}}], name
        env = {e["name"]: e for e in container["env"]}
        service = resource["metadata"]["labels"]["app.kubernetes.io/instance"]
        for var in (f"TROC_{service.upper()}_DATABASE_URL", "TROC_BROKER_URL"):
            assert env[var]["valueFrom"]["secretKeyRef"]["name"] == "troc-secrets", (name, var)
    config = _manifests()[("ConfigMap", "troc-config")]["data"]
    assert not any("URL" in k and "@" in v for k, v in config.items()), "credentials in ConfigMap"
    for service, kinds in SERVICES.items():
        if service != "gateway" and kinds["web"]:
            assert config[f"TROC_{service.upper()}_URL"] == (
                f"http://{service}:{SERVICE_PORTS[service]}"
            )


# --- metrics: per-process folders, worker ports, Prometheus, Grafana ------------------------------


def _processes() -> list[tuple[str, str, int]]:
    """(compose service / Deployment name, kind, metrics port) of every web process and worker."""
    found = []
    for service, kinds in SERVICES.items():
        if kinds["web"]:
            found.append((service, "web", SERVICE_PORTS[service]))
        if kinds["worker"]:
            found.append((f"{service}-worker", "worker", WORKER_METRICS_PORT))
    return found


def _declared_ports(svc: dict[str, Any]) -> set[int]:
    """Container ports a compose service declares (``expose``, the container side of ``ports``)."""
    ports = {int(str(p).split("/")[0]) for p in svc.get("expose", [])}
    ports |= {int(str(p).rsplit(":", 1)[-1].split("/")[0]) for p in svc.get("ports", [])}
    return ports


@pytest.mark.parametrize(("name", "kind", "port"), _processes())
def test_compose_gives_each_process_its_own_metrics_folder_and_workers_a_port(
    name: str, kind: str, port: int
) -> None:
    svc = _compose()["services"][name]
    env = svc["environment"]
    # Per container, empty at each start, writable by the process after a restart too.
    assert f"{env['TROC_METRICS_DIR']}:mode=1777" in svc["tmpfs"], name
    assert port in _declared_ports(svc), name
    if kind == "worker":
        assert env["TROC_METRICS_PORT"] == str(port)
    else:
        assert "TROC_METRICS_PORT" not in env  # the web processes serve /metrics themselves


def _scrape_targets() -> dict[str, list[tuple[str, int]]]:
    """Every job of deploy/prometheus/prometheus.yml with its (host, port) targets."""
    config = yaml.safe_load(PROMETHEUS.read_text())
    jobs: dict[str, list[tuple[str, int]]] = {}
    for job in config["scrape_configs"]:
        targets = [
            (name, int(sd["port"])) for sd in job.get("dns_sd_configs", []) for name in sd["names"]
        ]
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, port = target.rsplit(":", 1)
                targets.append((host, int(port)))
        assert targets, job["job_name"]
        assert job["job_name"] not in jobs, f"job {job['job_name']} twice"
        jobs[job["job_name"]] = targets
    return jobs


def test_prometheus_scrapes_every_process_on_a_port_its_compose_service_declares() -> None:
    compose = _compose()["services"]
    jobs = _scrape_targets()
    for job, targets in jobs.items():
        for host, port in targets:
            if host == "localhost" and job == "prometheus":
                continue  # Prometheus itself
            assert host in compose, (job, host)
            assert port in _declared_ports(compose[host]), (job, host, port)
    scraped = {target for targets in jobs.values() for target in targets}
    for name, _kind, port in _processes():
        assert (name, port) in scraped, f"nothing scrapes {name}:{port}"
    for path in [p for t in (compose["prometheus"], compose["grafana"]) for p in t["volumes"]]:
        source = path.split(":", 1)[0]
        if source.startswith("./"):
            assert (ROOT / source).exists(), path
    assert (
        "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro"
        in (compose["prometheus"]["volumes"])
    )
    assert compose["prometheus"]["profiles"] == compose["grafana"]["profiles"] == ["observability"]


def test_prometheus_sends_the_gateway_its_metrics_token() -> None:
    """The gateway's public port serves /metrics only with TROC_METRICS_TOKEN (else 404)."""
    compose = _compose()["services"]
    gateway_token = compose["gateway"]["environment"]["TROC_METRICS_TOKEN"]
    prometheus = compose["prometheus"]
    assert gateway_token and prometheus["environment"]["TROC_METRICS_TOKEN"] == gateway_token
    (job,) = [
        j
        for j in yaml.safe_load(PROMETHEUS.read_text())["scrape_configs"]
        if j["job_name"] == "gateway"
    ]
    credentials = job["authorization"]["credentials_file"]
    assert job["authorization"].get("type", "Bearer") == "Bearer"
    # Prometheus' entrypoint writes the token to that file, on a tmpfs of its own, then starts.
    entrypoint = " ".join(prometheus["entrypoint"])
    assert f"> {credentials}" in entrypoint and "$$TROC_METRICS_TOKEN" in entrypoint
    assert "exec /bin/prometheus" in entrypoint
    assert any(t.startswith(str(Path(credentials).parent)) for t in prometheus["tmpfs"])
    # The other services' ports are internal: no token asked, none sent.
    for name, svc in compose.items():
        if name not in {"gateway", "prometheus"}:
            assert "TROC_METRICS_TOKEN" not in (svc.get("environment") or {}), name

    resources = _manifests()
    env = {e["name"]: e for e in _container(resources[("Deployment", "gateway")])["env"]}
    secret = env["TROC_METRICS_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert secret["name"] == "troc-secrets" and not secret.get("optional", False)
    data = resources[("ConfigMap", "troc-prometheus-gateway")]["data"]
    (k8s_job,) = yaml.safe_load(data["gateway-scrape.yml"])
    assert k8s_job["authorization"]["credentials_file"].endswith(
        f"/{secret['name']}/{secret['key']}"
    )
    kept = {
        (tuple(r["source_labels"]), r["regex"])
        for r in k8s_job["relabel_configs"]
        if r["action"] == "keep"
    }
    assert (("__meta_kubernetes_pod_label_app_kubernetes_io_instance",), "gateway") in kept
    assert (("__meta_kubernetes_pod_container_port_number",), "8000") in kept


def test_grafana_is_provisioned_with_the_prometheus_datasource_and_the_dashboard() -> None:
    compose = _compose()["services"]
    datasources = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )["datasources"]
    (source,) = datasources
    assert source["type"] == "prometheus" and source["isDefault"] is True
    assert source["url"] == "http://prometheus:9090"
    assert 9090 in _declared_ports(compose["prometheus"])
    (provider,) = yaml.safe_load(
        (GRAFANA / "provisioning" / "dashboards" / "troc-actif.yml").read_text()
    )["providers"]
    folder = provider["options"]["path"]
    assert (
        f"./deploy/grafana/troc-actif.json:{folder}/troc-actif.json:ro"
        in (compose["grafana"]["volumes"])
    )
    assert (
        "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro"
        in (compose["grafana"]["volumes"])
    )


def test_kubernetes_pods_announce_their_metrics_port_and_keep_metrics_in_memory() -> None:
    resources = _manifests()
    folder = resources[("ConfigMap", "troc-config")]["data"]["TROC_METRICS_DIR"]
    for (kind, name), resource in resources.items():
        if kind not in {"Deployment", "Job"}:
            continue
        pod = resource["spec"]["template"]["spec"]
        container = _container(resource)
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert volumes[mounts[folder]]["emptyDir"]["medium"] == "Memory", name
    for name, kind, port in _processes():
        resource = resources[("Deployment", name)]
        annotations = resource["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true", name
        assert annotations["prometheus.io/port"] == str(port), name
        assert annotations["prometheus.io/path"] == "/metrics", name
        container = _container(resource)
        assert port in {p["containerPort"] for p in container["ports"]}, name
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env.get("TROC_METRICS_PORT") == (str(port) if kind == "worker" else None), name


def test_every_process_knows_every_web_url_so_the_health_command_runs_anywhere() -> None:
    """``docker compose run --rm ledger python -m ops.health`` checks every /readyz."""
    wanted = {
        f"TROC_{service.upper()}_URL": f"http://{service}:{SERVICE_PORTS[service]}"
        for service, kinds in SERVICES.items()
        if kinds["web"]
    }
    # The gateway's web process reaches its own API over the loopback (trusted proxy).
    own = {"TROC_GATEWAY_URL": f"http://127.0.0.1:{SERVICE_PORTS['gateway']}"}
    for name, svc in _compose()["services"].items():
        if _is_troc_image(svc):
            env = svc["environment"]
            expected = {**wanted, **own} if name == "gateway" else wanted
            assert {k: env.get(k) for k in wanted} == expected, name
    config = _manifests()[("ConfigMap", "troc-config")]["data"]
    assert {k: config.get(k) for k in wanted} == wanted


def test_a_kubernetes_cronjob_runs_the_health_command_with_every_database() -> None:
    cron = _manifests()[("CronJob", "troc-health")]
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"] == ["python", "-m", "ops.health"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["envFrom"] == [{"configMapRef": {"name": "troc-config"}}]
    env = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"]}
    for service in SERVICES:  # every outbox, and the ledger's invariants
        assert env[f"TROC_{service.upper()}_DATABASE_URL"] == {
            "name": "troc-secrets",
            "key": f"{service}-database-url",
        }
    assert env["TROC_BROKER_URL"]["key"] == "broker-url"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
