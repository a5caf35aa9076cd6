"""The deployment files say what the distributed mode needs: checked on what kustomize renders
(k8s/, both flavours) and on docker-compose.yml as written.

The sandbox worker is the one component that runs untrusted code: its container must never be
privileged and gets exactly the capabilities nsjail uses; it reaches Redis and DNS only; the
autoscaler reads the lag of the stream and consumer group the code uses.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate  # type: ignore[import-untyped]

from verifier_service.config import Settings
from verifier_service.queue import keys

ROOT = Path(__file__).resolve().parents[2]
FLAVOURS = {"keda": ROOT / "k8s", "hpa": ROOT / "k8s" / "overlays" / "hpa"}
COMPOSE_FILE = ROOT / "docker-compose.yml"

# What nsjail (run as root, no user namespace) and the worker use; each one was checked by
# running the sandbox and code test suites with a bounding set lacking it: every one fails.
NSJAIL_CAPABILITIES = frozenset(
    {"SYS_ADMIN", "SETPCAP", "SETUID", "SETGID", "NET_ADMIN", "CHOWN", "DAC_OVERRIDE", "KILL"}
)
LONGEST_ITEM_S = 600
# Oldest Kubernetes the manifests are written for (securityContext.appArmorProfile), and the
# newest kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.30", kubernetes_validate.latest_version())
KEDA_API = "keda.sh/v1alpha1"
REDIS_PORT = 6379
DNS_PORT = 53

Doc = dict[str, Any]


@functools.cache
def rendered(flavour: str) -> tuple[Doc, ...]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail(
            "kubectl is missing: `make install` installs it (scripts/install_deploy_tools.sh)"
        )
    done = subprocess.run(
        [kubectl, "kustomize", str(FLAVOURS[flavour])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return tuple(doc for doc in yaml.safe_load_all(done.stdout) if doc)


@functools.cache
def compose() -> Doc:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def of_kind(docs: tuple[Doc, ...], kind: str) -> list[Doc]:
    return [doc for doc in docs if doc["kind"] == kind]


def named(docs: tuple[Doc, ...], kind: str, name: str) -> Doc:
    found = [doc for doc in of_kind(docs, kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"{len(found)} {kind} named {name}"
    return found[0]


def worker(docs: tuple[Doc, ...]) -> Doc:
    return named(docs, "Deployment", "verifier-worker")


def api(docs: tuple[Doc, ...]) -> Doc:
    return named(docs, "Deployment", "verifier-api")


def pod_labels(workload: Doc) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"]["metadata"]["labels"]
    return labels


def selects(selector: Doc | None, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels only: these manifests use nothing else) matches."""
    selector = selector or {}
    assert set(selector) <= {"matchLabels"}, f"unsupported selector {selector}"
    wanted: dict[str, str] = selector.get("matchLabels") or {}
    return all(labels.get(key) == value for key, value in wanted.items())


def containers(workload: Doc) -> list[Doc]:
    spec = workload["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def environment(container: Doc) -> dict[str, str]:
    return {entry["name"]: entry.get("value", "") for entry in container.get("env", [])}


def both_flavours() -> Iterator[tuple[str, tuple[Doc, ...]]]:
    for flavour in FLAVOURS:
        yield flavour, rendered(flavour)


# --- autoscaling --------------------------------------------------------------------------


def test_each_flavour_scales_the_workers_with_exactly_one_autoscaler() -> None:
    keda, hpa = rendered("keda"), rendered("hpa")
    assert [o["metadata"]["name"] for o in of_kind(keda, "ScaledObject")] == ["verifier-worker"]
    assert of_kind(keda, "HorizontalPodAutoscaler") == []
    assert of_kind(hpa, "ScaledObject") == []
    (autoscaler,) = of_kind(hpa, "HorizontalPodAutoscaler")
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "verifier-worker",
    }
    (metric,) = autoscaler["spec"]["metrics"]
    assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
    for _, docs in both_flavours():
        # The autoscaler owns the replica count: `kubectl apply` must not reset it.
        assert "replicas" not in worker(docs)["spec"]


def test_keda_scales_on_the_lag_of_the_stream_the_workers_read() -> None:
    docs = rendered("keda")
    (scaled,) = of_kind(docs, "ScaledObject")
    assert scaled["apiVersion"] == KEDA_API
    assert scaled["spec"]["scaleTargetRef"]["name"] == worker(docs)["metadata"]["name"]
    assert scaled["spec"]["scaleTargetRef"].get("kind", "Deployment") == "Deployment"
    assert scaled["spec"]["minReplicaCount"] <= scaled["spec"]["maxReplicaCount"]
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "redis-streams"
    metadata = trigger["metadata"]
    not_strings = {key: value for key, value in metadata.items() if not isinstance(value, str)}
    assert not_strings == {}, "KEDA's CRD takes every trigger metadata value as a string"
    assert metadata["stream"] == keys.STREAM == "verifier:work"
    assert metadata["consumerGroup"] == keys.GROUP == "verifier-workers"
    assert re.fullmatch(r"[1-9][0-9]*", metadata["lagCount"]), metadata["lagCount"]
    assert "pendingEntriesCount" not in metadata and "streamLength" not in metadata
    assert ("address" in metadata) != ("addressFromEnv" in metadata)
    if "address" in metadata:
        # The operator runs in its own namespace: the address names Redis's namespace too.
        namespace = scaled["metadata"]["namespace"]
        host, port = metadata["address"].rsplit(":", 1)
        assert host.split(".")[:2] == ["redis", namespace] and port == str(REDIS_PORT)
        named(docs, "Service", "redis")
    else:
        variables = environment(containers(worker(docs))[0])
        assert metadata["addressFromEnv"] in variables


def test_every_resource_but_keda_validates_against_the_kubernetes_schemas() -> None:
    for flavour, docs in both_flavours():
        for doc in docs:
            for version in KUBERNETES_VERSIONS:
                where = f"{flavour}: {doc['kind']}/{doc['metadata']['name']} on {version}"
                if doc["apiVersion"] == KEDA_API:
                    # kubernetes-validate ships no CRD schema: it skips the kind with a warning
                    # (the tests above check the ScaledObject's content instead).
                    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
                        kubernetes_validate.validate(doc, version, strict=True)
                    continue
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                except kubernetes_validate.SchemaNotFoundError as error:
                    pytest.fail(f"{where}: no schema, so nothing was validated: {error.message}")
                except kubernetes_validate.ValidationError as error:
                    pytest.fail(f"{where}: {'.'.join(map(str, error.path))}: {error.message}")


# --- the sandbox worker -------------------------------------------------------------------


def test_worker_pod_is_isolated_and_never_privileged() -> None:
    for flavour, docs in both_flavours():
        pod = worker(docs)["spec"]["template"]["spec"]
        assert pod.get("automountServiceAccountToken") is False, flavour
        assert pod.get("enableServiceLinks") is False, flavour
        for host_namespace in ("hostPID", "hostIPC", "hostNetwork", "hostUsers"):
            assert pod.get(host_namespace) in (None, False), host_namespace
        assert pod["terminationGracePeriodSeconds"] >= LONGEST_ITEM_S, flavour
        assert not [volume for volume in pod.get("volumes", []) if "hostPath" in volume]
        pod_context = pod.get("securityContext", {})
        for container in containers(worker(docs)):
            context = container["securityContext"]
            assert context.get("privileged") is not True
            assert context.get("procMount") in (None, "Default")
            capabilities = context["capabilities"]
            assert capabilities["drop"] == ["ALL"]
            assert set(capabilities["add"]) <= NSJAIL_CAPABILITIES
            assert set(capabilities["add"]) == NSJAIL_CAPABILITIES, "nsjail needs each of them"
            assert context["readOnlyRootFilesystem"] is True
            seccomp = context.get("seccompProfile", pod_context.get("seccompProfile"))
            assert seccomp == {"type": "Unconfined"}
            apparmor = context.get("appArmorProfile", pod_context.get("appArmorProfile"))
            annotations = worker(docs)["spec"]["template"]["metadata"].get("annotations", {})
            annotation = annotations.get(
                f"container.apparmor.security.beta.kubernetes.io/{container['name']}"
            )
            assert apparmor == {"type": "Unconfined"} or annotation == "unconfined"
            assert container["resources"]["limits"]["memory"]


def test_worker_writes_only_to_its_own_empty_dirs() -> None:
    for _, docs in both_flavours():
        pod = worker(docs)["spec"]["template"]["spec"]
        empty_dirs = {volume["name"] for volume in pod["volumes"] if "emptyDir" in volume}
        (container,) = pod["containers"]
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        sandbox_dir = environment(container)["VERIFIER_SANDBOX_DIR"]
        for path in ("/tmp", sandbox_dir):
            assert mounts.get(path) in empty_dirs, f"{path} is not a writable emptyDir"
        # Programs run from these: a memory-backed emptyDir would count against the limit.
        for volume in pod["volumes"]:
            assert volume.get("emptyDir", {}).get("medium") in (None, "")


def test_worker_reads_the_stream_from_the_redis_service() -> None:
    for _, docs in both_flavours():
        (container,) = worker(docs)["spec"]["template"]["spec"]["containers"]
        assert container["args"][:2] == ["verifier-service", "worker"]
        assert "--redis-url" in container["args"]
        assert environment(container)["VERIFIER_REDIS_URL"].startswith("redis://redis:6379")
        ports = {port["containerPort"] for port in container["ports"]}
        metrics_port = int(environment(container)["VERIFIER_WORKER_METRICS_PORT"])
        assert metrics_port in ports
        # Probes and Prometheus come from outside the pod: not the loopback default.
        assert environment(container)["VERIFIER_WORKER_METRICS_HOST"] == "0.0.0.0"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_every_verifier_variable_names_a_setting() -> None:
    """Settings ignore unknown VERIFIER_ variables: a misspelt one would be dropped silently."""
    fields = set(Settings.model_fields)
    names: set[str] = set()
    for _, docs in both_flavours():
        for workload in (api(docs), worker(docs)):
            for container in containers(workload):
                names |= set(environment(container))
    for service in compose()["services"].values():
        names |= set(service.get("environment") or {})
    prefixed = {name for name in names if name.startswith("VERIFIER_")}
    assert prefixed, "no VERIFIER_ variable found"
    unknown = {name for name in prefixed if name.removeprefix("VERIFIER_").lower() not in fields}
    assert unknown == set()


# --- network ------------------------------------------------------------------------------


def policies_for(docs: tuple[Doc, ...], labels: dict[str, str]) -> list[Doc]:
    return [
        policy
        for policy in of_kind(docs, "NetworkPolicy")
        if selects(policy["spec"]["podSelector"], labels)
    ]


def policy_types(policy: Doc) -> list[str]:
    """A policy's types; left out, Ingress, plus Egress when it has egress rules."""
    spec = policy["spec"]
    default = ["Ingress", "Egress"] if "egress" in spec else ["Ingress"]
    types: list[str] = spec.get("policyTypes", default)
    return types


def assert_egress_only_to_redis_and_dns(docs: tuple[Doc, ...], workload: Doc) -> None:
    labels = pod_labels(workload)
    policies = policies_for(docs, labels)
    assert any("Egress" in policy_types(policy) for policy in policies), (
        "no policy restricts the egress of these pods"
    )
    redis_labels = pod_labels(named(docs, "StatefulSet", "redis"))
    # Egress rules count only in a policy whose policyTypes name Egress (Kubernetes ignores
    # them otherwise); the default deny contributes none.
    rules = [
        rule
        for policy in policies
        if "Egress" in policy_types(policy)
        for rule in policy["spec"].get("egress", [])
    ]
    kinds = set()
    for rule in rules:
        peers, ports = rule.get("to", []), rule.get("ports", [])
        assert peers and ports, f"egress rule open to any peer or port: {rule}"
        port_numbers = {(port["port"], port.get("protocol", "TCP")) for port in ports}
        for peer in peers:
            assert "ipBlock" not in peer, f"egress to addresses: {rule}"
            if "namespaceSelector" in peer:
                assert peer["namespaceSelector"] == {
                    "matchLabels": {"kubernetes.io/metadata.name": "kube-system"}
                }
                assert peer["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
                assert port_numbers <= {(DNS_PORT, "UDP"), (DNS_PORT, "TCP")}
                kinds.add("dns")
            else:
                assert selects(peer["podSelector"], redis_labels) and peer["podSelector"]
                assert port_numbers == {(REDIS_PORT, "TCP")}
                kinds.add("redis")
    assert kinds == {"redis", "dns"}


def test_workers_reach_only_redis_and_dns() -> None:
    for _, docs in both_flavours():
        assert_egress_only_to_redis_and_dns(docs, worker(docs))


def test_api_takes_requests_on_8000_and_reaches_only_redis_and_dns() -> None:
    for _, docs in both_flavours():
        assert_egress_only_to_redis_and_dns(docs, api(docs))
        policies = policies_for(docs, pod_labels(api(docs)))
        ingress_ports = {
            port["port"]
            for policy in policies
            for rule in policy["spec"].get("ingress", [])
            for port in rule.get("ports", [])
        }
        assert ingress_ports == {8000}


def test_redis_takes_connections_from_the_service_only() -> None:
    for flavour, docs in both_flavours():
        redis = named(docs, "StatefulSet", "redis")
        peers = [
            peer
            for policy in policies_for(docs, pod_labels(redis))
            for rule in policy["spec"].get("ingress", [])
            for peer in rule.get("from", [{}])
        ]
        assert peers, "nothing may reach Redis"
        for peer in peers:
            if "namespaceSelector" in peer:  # the KEDA operator reads the lag
                assert flavour == "keda"
                assert peer == {
                    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "keda"}}
                }
            else:
                assert selects(peer["podSelector"], pod_labels(worker(docs))) or selects(
                    peer["podSelector"], pod_labels(api(docs))
                )


# --- API and Redis ------------------------------------------------------------------------


def test_api_has_health_probes_a_disruption_budget_and_no_privilege() -> None:
    for _, docs in both_flavours():
        deployment = api(docs)
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        (port,) = container["ports"]
        assert port["containerPort"] == 8000
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            assert container[probe]["httpGet"]["path"] == path
            assert container[probe]["httpGet"]["port"] in (port["name"], 8000)
        context = container["securityContext"]
        assert context["capabilities"] == {"drop": ["ALL"]}
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        (budget,) = of_kind(docs, "PodDisruptionBudget")
        assert selects(budget["spec"]["selector"], pod_labels(deployment))
        assert budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]
        service = named(docs, "Service", "verifier-api")
        assert selects({"matchLabels": service["spec"]["selector"]}, pod_labels(deployment))


def test_redis_persists_the_queue() -> None:
    for _, docs in both_flavours():
        redis = named(docs, "StatefulSet", "redis")
        (container,) = redis["spec"]["template"]["spec"]["containers"]
        arguments = " ".join([*container.get("command", []), *container.get("args", [])])
        assert "--appendonly yes" in arguments
        assert "--maxmemory-policy noeviction" in arguments
        (data,) = [m for m in container["volumeMounts"] if m["mountPath"] == "/data"]
        claims = {claim["metadata"]["name"] for claim in redis["spec"]["volumeClaimTemplates"]}
        assert data["name"] in claims
        service = named(docs, "Service", "redis")
        assert [port["port"] for port in service["spec"]["ports"]] == [REDIS_PORT]
        assert selects({"matchLabels": service["spec"]["selector"]}, pod_labels(redis))


def test_no_manifest_names_an_ip_address() -> None:
    address = re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b")
    texts = [path.read_text() for path in (ROOT / "k8s").rglob("*.yaml")]
    texts += [COMPOSE_FILE.read_text()]
    for text in texts:
        assert {m.group(0) for m in address.finditer(text)} <= {"127.0.0.1", "0.0.0.0"}


# --- docker-compose.yml -------------------------------------------------------------------


def grace_seconds(duration: str) -> float:
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, duration
    return sum(float(number) * units[unit] for number, unit in parts)


def test_compose_worker_has_the_same_minimal_capabilities_and_no_privilege() -> None:
    service = compose()["services"]["worker"]
    assert service.get("privileged") is not True
    assert service["cap_drop"] == ["ALL"]
    assert set(service["cap_add"]) == NSJAIL_CAPABILITIES
    assert set(service["security_opt"]) == {"seccomp:unconfined", "apparmor:unconfined"}
    for host_mode in ("pid", "ipc", "network_mode", "userns_mode", "cgroup"):
        assert service.get(host_mode) != "host", host_mode
    assert not [
        v for v in service.get("volumes", []) if str(v).startswith(("/", ".")) and ":" in str(v)
    ], "no host path reaches the worker"
    assert service.get("read_only") is True
    assert grace_seconds(service["stop_grace_period"]) >= LONGEST_ITEM_S
    assert service["command"][:2] == ["verifier-service", "worker"]


def test_compose_redis_is_healthchecked_and_persistent() -> None:
    redis = compose()["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    test = " ".join(redis["healthcheck"]["test"])
    assert "redis-cli" in test and "ping" in test
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert any(str(volume).endswith(":/data") for volume in redis["volumes"])


def test_compose_api_and_worker_wait_for_a_healthy_redis() -> None:
    services = compose()["services"]
    for name in ("api", "worker"):
        assert services[name]["depends_on"]["redis"] == {"condition": "service_healthy"}
    api_service = services["api"]
    assert api_service["ports"] == ["127.0.0.1:8000:8000"]
    assert "/healthz" in " ".join(api_service["healthcheck"]["test"])
    assert api_service["cap_drop"] == ["ALL"] and "cap_add" not in api_service
    assert services["worker"]["networks"] == ["queue"]
    assert compose()["networks"]["queue"]["internal"] is True


def test_compose_file_is_accepted_by_docker_compose() -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is missing: `make install` installs it")
    done = subprocess.run(
        [binary, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


# --- images -------------------------------------------------------------------------------


def dockerignore_allows(path: str) -> bool:
    """The context is an allow-list: `*`, then `!path` entries (a directory allows its files)."""
    allowed = [
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    ]
    return any(path == entry or path.startswith(entry + "/") for entry in allowed)


@pytest.mark.parametrize("image", ["api", "worker"])
def test_dockerfile_copies_only_what_the_context_holds(image: str) -> None:
    dockerfile = (ROOT / "docker" / f"Dockerfile.{image}").read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in dockerfile
    assert "pip install ." in dockerfile
    copies = re.findall(r"^COPY (?!--from)(.+)$", dockerfile, flags=re.MULTILINE)
    assert copies
    for copy in copies:
        *sources, _ = copy.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert dockerignore_allows(source), f"{source} is excluded by .dockerignore"
    last_stage = dockerfile.rsplit("\nFROM ", 1)[1]
    user = re.findall(r"^USER (\S+)", last_stage, flags=re.MULTILINE)[-1]
    if image == "api":
        assert user.split(":")[0] not in ("root", "0")
        assert "install_toolchains" not in dockerfile
    else:
        # Root inside the container: nsjail drops each jailed program to uid 65534.
        assert user == "root"
        assert "install_toolchains.sh" in last_stage
        assert "worker-entrypoint" in last_stage


def test_worker_entrypoint_is_valid_shell() -> None:
    script = ROOT / "docker" / "worker-entrypoint.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    assert script.stat().st_mode & 0o111, "the entrypoint must be executable"
    assert script.read_text().rstrip().endswith('exec "$@"')
