"""Render deploy/k8s for ``podman kube play`` (``deploy/podman/kube-play.sh``): what Podman 4.3
runs, changed only where it must be, written to one folder as numbered files.

- PostgreSQL and RabbitMQ, which the manifests expect from the operator, become two Pods of the
  images of ``make image`` (the compose stack's configuration files, mounted from the checkout).
- Each migration Job becomes a Pod (``kube play`` runs no Jobs), and so does the health CronJob's
  job (run once, after the services).
- Deployments run one replica, on the image of ``make image``; every ``containerPort`` gets
  ``hostIP: 127.0.0.1`` and a free ``hostPort`` (``kube play`` would publish it on every address).
- Services are not run by ``kube play``: their names become network aliases of the pods they
  select (kube-play.sh connects them), so ``http://gateway:8000`` resolves as in a cluster.
- HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy have no Podman equivalent and
  are left out (listed in deploy/README.md).
- The Secret ``troc-secrets`` is written for ``podman secret create`` (``kube play`` reads secrets
  from Podman's store).

Usage: python kube_render.py <out dir> <troc image> <postgres image> <rabbitmq image>
Prints one line per Service: ``<alias> <pod> <container port> <port on 127.0.0.1>``.
"""

from __future__ import annotations

import base64
import copy
import socket
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
PASSWORD = "troc"  # noqa: S105 (a throw-away stack on the loopback)
DATABASES = ("gateway", "listings", "ledger", "invoices", "notifications")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def publish_on_loopback(pod_spec: dict[str, Any]) -> None:
    for container in pod_spec["containers"]:
        for port in container.get("ports", []):
            port["hostIP"] = "127.0.0.1"
            port["hostPort"] = free_port()


def as_pod(name: str, labels: dict[str, str], pod_spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(pod_spec)
    spec["restartPolicy"] = "Never"
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels}, "spec": spec}


def backends(postgres_image: str, rabbitmq_image: str) -> list[dict[str, Any]]:
    def host_file(name: str, path: Path) -> dict[str, Any]:
        return {"name": name, "hostPath": {"path": str(path), "type": "File"}}

    postgres = {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "postgres"},
        "spec": {"containers": [{
            "name": "postgres", "image": postgres_image,
            "env": [{"name": "POSTGRES_USER", "value": "troc"},
                    {"name": "POSTGRES_PASSWORD", "value": PASSWORD},
                    {"name": "POSTGRES_DB", "value": "postgres"},
                    {"name": "TROC_DATABASES",
                     "value": " ".join(f"troc_{d}" for d in DATABASES)}],
            "volumeMounts": [{"name": "init",
                              "mountPath": "/docker-entrypoint-initdb.d/10-init-databases.sh",
                              "readOnly": True}]}],
            "volumes": [host_file("init", ROOT / "deploy/postgres/init-databases.sh")]}}
    rabbit_dir = ROOT / "deploy" / "rabbitmq"
    rabbitmq = {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "rabbitmq"},
        "spec": {"hostname": "rabbitmq", "containers": [{
            "name": "rabbitmq", "image": rabbitmq_image,
            "volumeMounts": [
                {"name": "conf", "mountPath": "/etc/rabbitmq/rabbitmq.conf", "readOnly": True},
                {"name": "topology", "mountPath": "/etc/rabbitmq/definitions.d/10-topology.json",
                 "readOnly": True},
                {"name": "users", "mountPath": "/etc/rabbitmq/definitions.d/00-users.json",
                 "readOnly": True}]}],
            "volumes": [host_file("conf", rabbit_dir / "rabbitmq.conf"),
                        host_file("topology", rabbit_dir / "definitions.json"),
                        host_file("users", rabbit_dir / "compose-users.json")]}}
    return [postgres, rabbitmq]


def secret() -> dict[str, Any]:
    values = {"broker-url": "amqp://troc:troc@rabbitmq:5672//"}
    for name in DATABASES:
        values[f"{name}-database-url"] = (
            f"postgresql+psycopg://troc:{PASSWORD}@postgres:5432/troc_{name}")
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "troc-secrets"},
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}}


def main(out: Path, image: str, postgres_image: str, rabbitmq_image: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docs = [d for path in sorted(K8S.glob("*.yaml")) for d in yaml.safe_load_all(path.read_text())
            if d]
    files: dict[str, list[dict[str, Any]]] = {
        "00-backends": backends(postgres_image, rabbitmq_image), "10-migrate": [],
        "20-services": [], "30-health": [], "config": [], "secret": [secret()]}
    deployments: dict[str, dict[str, Any]] = {}
    services: list[dict[str, Any]] = []
    for doc in docs:
        kind = doc["kind"]
        for container in _containers(doc):
            container["image"] = image
        if kind == "ConfigMap":
            files["config"].append(doc)
        elif kind == "Job":
            spec = doc["spec"]["template"]["spec"]
            files["10-migrate"].append(as_pod(doc["metadata"]["name"],
                                              doc["spec"]["template"]["metadata"]["labels"], spec))
        elif kind == "CronJob":
            job = doc["spec"]["jobTemplate"]["spec"]["template"]
            files["30-health"].append(as_pod(doc["metadata"]["name"], job["metadata"]["labels"],
                                             job["spec"]))
        elif kind == "Deployment":
            doc["spec"]["replicas"] = 1
            publish_on_loopback(doc["spec"]["template"]["spec"])
            files["20-services"].append(doc)
            deployments[doc["metadata"]["name"]] = doc
        elif kind == "PersistentVolumeClaim":
            files["20-services"].insert(0, doc)
        elif kind == "Service":
            services.append(doc)
        # HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy: nothing to run.
    for name, content in files.items():
        (out / f"{name}.yaml").write_text(yaml.safe_dump_all(content, sort_keys=False))
    for service in services:
        selector = service["spec"]["selector"]
        for name, deployment in deployments.items():
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            if all(labels.get(k) == v for k, v in selector.items()):
                (container,) = deployment["spec"]["template"]["spec"]["containers"]
                port = container["ports"][0]
                print(service["metadata"]["name"], f"{name}-pod-0", port["containerPort"],
                      port["hostPort"])


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    template = spec.get("template", {}).get("spec", {})
    return list(template.get("containers", []))


if __name__ == "__main__":
    main(Path(sys.argv[1]), *sys.argv[2:5])
