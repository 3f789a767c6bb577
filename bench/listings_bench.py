"""The listings benchmark (``make bench-listings``): French full-text search through the gateway.

Seeds 100,000 listings on PostgreSQL with one ``INSERT ... SELECT`` (the generated ``tsvector``
and its GIN index are filled as rows go in), starts the listings web app and the gateway with
gunicorn on loopback, then measures ``GET /t/<tenant>/listings?q=...`` through the gateway:

* a mixed run of typical queries (words with and without accents, plurals, filters, browsing)
  driven by ``wrk`` for a bounded time at a few connections: throughput and p50/p95/p99;
* each query alone, one request at a time (``requests``): p50/p95 per query and its hit count.

Target: p95 under 50 ms for the mixed run. Everything it creates is removed at the end: the
database ``troc_listings_bench``, the processes, the temporary folder (keys, gateway SQLite).
Writes ``bench/results/listings.json`` (git-ignored); logs go to ``bench/out/listings/<time>/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import requests

from chassis.auth import MEMBER, Identity, identity_claims
from chassis.config import Settings
from chassis.keys import KeyStore
from chassis.testing.processes import ServiceProcess, free_port, wait_ready
from listings.domain import CATEGORY_BY_SLUG

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "listings.json"
DB_NAME = "troc_listings_bench"
NETWORK = "bench"
TENANTS = {
    "pie": ["75"],
    "fa-mgp": ["92", "93", "94"],
    "initiactive-95": ["78", "95"],
    "fa-77-91": ["77", "91"],
}
MEMBERS = 5_000
TARGET_P95_MS = 50.0

#: What companies of these networks publish: (category, title), mixed with the phrases below.
TITLES = [
    ("comptabilite", "Tenue de comptabilité et bilan annuel"),
    ("comptabilite", "Expert-comptable pour TPE et artisans"),
    ("comptabilite", "Déclarations de TVA et liasse fiscale"),
    ("juridique", "Conseil juridique et rédaction de statuts"),
    ("conseil", "Accompagnement stratégique des dirigeants"),
    ("ressources-humaines", "Recrutement et gestion des paies"),
    ("communication", "Stratégie de communication et réseaux sociaux"),
    ("graphisme-impression", "Création de logo et identité visuelle"),
    ("graphisme-impression", "Impression de flyers, affiches et cartes de visite"),
    ("photo-video", "Reportage photo et vidéo d'entreprise"),
    ("web-informatique", "Création de site web et référencement"),
    ("web-informatique", "Maintenance informatique et réseaux"),
    ("formation", "Formation Excel et bureautique"),
    ("formation", "Coaching et prise de parole en public"),
    ("evenementiel", "Organisation de séminaires et soirées"),
    ("locaux-salles", "Location de salle de réunion équipée"),
    ("locaux-salles", "Bureaux partagés et coworking"),
    ("materiel-machines", "Location de matériel et d'outillage"),
    ("mobilier-fournitures", "Mobilier de bureau d'occasion"),
    ("transport-logistique", "Transport de marchandises et livraisons"),
    ("transport-logistique", "Déménagement d'entreprise"),
    ("nettoyage", "Nettoyage de bureaux et de locaux"),
    ("artisanat-batiment", "Travaux de peinture et rénovation"),
    ("artisanat-batiment", "Menuiserie et agencement sur mesure"),
    ("electricite-energie", "Travaux d'électricité et mise aux normes"),
    ("electricite-energie", "Plomberie et chauffage"),
    ("espaces-verts", "Entretien d'espaces verts"),
    ("automobile", "Entretien et réparation de véhicules"),
    ("restauration-traiteur", "Traiteur pour événements et buffets"),
    ("restauration-traiteur", "Plateaux-repas livrés au bureau"),
    ("alimentation-boissons", "Bières et vins de producteurs locaux"),
    ("agriculture", "Légumes et produits de la ferme"),
    ("hebergement-tourisme", "Hébergement et gîte pour séminaires"),
    ("sante-bien-etre", "Massages et bien-être en entreprise"),
    ("textile-mode", "Vêtements de travail personnalisés"),
    ("traduction-redaction", "Traduction anglais et rédaction web"),
]
PHRASES = [
    "Intervention rapide en Île-de-France.",
    "Devis gratuit sous 48 heures.",
    "Nous travaillons avec de nombreuses associations et entreprises.",
    "Paiement en Actifs accepté, à 100 % ou 50 %.",
    "Disponible en semaine et le samedi.",
    "Références sur demande.",
    "Équipe de professionnels expérimentés.",
    "Petites et grandes quantités.",
    "Matériel fourni.",
    "Sur rendez-vous uniquement.",
    "Accompagnement personnalisé de A à Z.",
    "Prix dégressifs pour les adhérents du réseau.",
]
#: The mixed run's queries, as a member of "pie" types them.
QUERIES: list[dict[str, Any]] = [
    {"q": "comptabilité"},
    {"q": "comptable"},
    {"q": "electricite"},
    {"q": "salles de réunion"},
    {"q": "traiteur"},
    {"q": "site web"},
    {"q": "flyers"},
    {"q": "nettoyage bureaux"},
    {"q": "déménagement", "department": "92"},
    {"q": "formation", "kind": "offer"},
    {"category": "comptabilite"},
    {"kind": "need", "department": "75"},
    {},
    {"q": "peinture", "payment_mode": "50"},
    {"q": "vidéo"},
    {"q": "bières locales"},
]

SEED_SQL = """
INSERT INTO listings (id, network, tenant, member_id, kind, title, description, category,
                      category_label, price_type, price_amount, payment_mask, departments,
                      nationwide, visibility, status, status_reason, expires_at, created_at,
                      updated_at, published_at)
SELECT md5('listing-' || i)::uuid, %(network)s, t.tenant, md5('member-' || m)::uuid,
       CASE WHEN i %% 3 = 0 THEN 'need' ELSE 'offer' END,
       (%(titles)s::text[])[1 + (i * 31) %% %(ntitles)s]
         || CASE WHEN i %% 4 = 0 THEN ' à ' || t.city ELSE '' END,
       (%(phrases)s::text[])[1 + (i * 13) %% %(nphrases)s] || ' '
         || (%(phrases)s::text[])[1 + (i * 17) %% %(nphrases)s],
       (%(cats)s::text[])[1 + (i * 31) %% %(ntitles)s],
       (%(labels)s::text[])[1 + (i * 31) %% %(ntitles)s],
       (ARRAY['fixed', 'from', 'on_quote'])[1 + i %% 3],
       CASE WHEN i %% 3 = 2 THEN NULL ELSE 5000 + (i %% 200) * 1000 END,
       1 + i %% 3,
       CASE WHEN i %% 50 = 0 THEN '' ELSE t.departments[1 + i %% cardinality(t.departments)] END,
       i %% 50 = 0,
       CASE WHEN i %% 10 = 0 THEN 'tenant' ELSE 'network' END,
       CASE WHEN i %% 20 = 0 THEN 'paused' WHEN i %% 37 = 0 THEN 'archived' ELSE 'active' END,
       NULL,
       CASE WHEN i %% 3 = 0 THEN now() + make_interval(days => 1 + i %% 90) END,
       now() - make_interval(mins => i), now() - make_interval(mins => i),
       now() - make_interval(mins => i)
FROM generate_series(1, %(count)s) AS i
CROSS JOIN LATERAL (SELECT (i * 7919) %% %(members)s AS m) AS pick
JOIN (SELECT ord - 1 AS k, tenant, departments, city FROM unnest(
        %(tenants)s::text[], %(tenant_departments)s::text[], %(cities)s::text[])
        WITH ORDINALITY AS x(tenant, departments_text, city, ord)
        CROSS JOIN LATERAL (SELECT string_to_array(departments_text, ',') AS departments) d
     ) AS t ON t.k = pick.m %% 4
"""


def lua_list(items: list[str]) -> str:
    """A Lua table of ASCII strings (tokens, URL-encoded paths)."""
    return "{" + ", ".join(json.dumps(item) for item in items) + "}"


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def psql_url(database: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/{database}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="listings-bench-"))
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.out = ROOT / "bench" / "out" / "listings" / stamp
        self.out.mkdir(parents=True, exist_ok=True)
        self.processes: list[ServiceProcess] = []
        self.results: dict[str, Any] = {
            "started_at": stamp,
            "listings": args.listings,
            "target_p95_ms": TARGET_P95_MS,
        }

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB_NAME}"

    def env(self) -> dict[str, str]:
        return {
            "TROC_VAR_DIR": str(self.tmp),
            "TROC_LISTINGS_DATABASE_URL": self.database_url,
            "TROC_GATEWAY_DATABASE_URL": f"sqlite:///{self.tmp}/gateway.db",
            "TROC_BROKER_URL": "filesystem://",
            "TROC_LOG_LEVEL": "WARNING",
            "TROC_LISTINGS_DEMO": "0",
            "TROC_LISTINGS_PORT": str(self.listings_port),
            "TROC_LISTINGS_URL": f"http://127.0.0.1:{self.listings_port}",
            "TROC_GATEWAY_PORT": str(self.gateway_port),
            "PYTHONUNBUFFERED": "1",
        }

    # -- setup ----------------------------------------------------------------------------------
    def database(self) -> None:
        with psycopg.connect(psql_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')

    def drop_database(self) -> None:
        with psycopg.connect(psql_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')

    def run_python(self, name: str, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, *args],
            env={**os.environ, **self.env()},
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        (self.out / f"{name}.log").write_text(done.stdout + done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{done.stdout}{done.stderr}")

    def seed(self) -> None:
        cats = [c for c, _ in TITLES]
        params = {
            "network": NETWORK,
            "count": self.args.listings,
            "members": MEMBERS,
            "titles": [t for _, t in TITLES],
            "ntitles": len(TITLES),
            "cats": cats,
            "labels": [CATEGORY_BY_SLUG[c].label for c in cats],
            "phrases": PHRASES,
            "nphrases": len(PHRASES),
            "tenants": list(TENANTS),
            "tenant_departments": [",".join(d) for d in TENANTS.values()],
            "cities": ["Paris", "Montreuil", "Cergy", "Melun"],
        }
        started = time.monotonic()
        with psycopg.connect(psql_url(DB_NAME), autocommit=True) as conn:
            conn.execute(
                "INSERT INTO networks (slug, name, unit_code, unit_name, unit_symbol, "
                "payment_modes, need_expiry_days, updated_at) VALUES (%s, 'Bench', "
                "'ACT', 'Actif', 'A', '100,50', 90, now())",
                [NETWORK],
            )
            conn.execute(
                "INSERT INTO members (id, network, tenant, name, department, status, "
                "updated_at) SELECT md5('member-' || m)::uuid, %s, "
                "(%s::text[])[1 + m %% 4], 'Entreprise ' || m, '75', 'active', now() "
                "FROM generate_series(0, %s - 1) AS m",
                [NETWORK, list(TENANTS), MEMBERS],
            )
            conn.execute(SEED_SQL, params)
            conn.execute(
                "INSERT INTO listing_departments (listing_id, department) "
                "SELECT id, unnest(string_to_array(departments, ',')) FROM listings "
                "WHERE departments <> ''"
            )
            conn.execute("VACUUM ANALYZE")
            count = conn.execute("SELECT count(*) FROM listings").fetchone()[0]  # type: ignore[index]
            size = conn.execute(
                "SELECT pg_size_pretty(pg_relation_size('ix_listings_search'))"
            ).fetchone()[0]  # type: ignore[index]
        seconds = time.monotonic() - started
        self.results["seed"] = {"rows": count, "seconds": round(seconds, 1), "gin_index_size": size}
        log(f"seeded {count} listings in {seconds:.1f} s (GIN index {size})")

    def tokens(self, count: int) -> list[str]:
        """Member tokens of the gateway's key (distinct subjects: the per-user rate limit)."""
        settings = Settings.from_env("gateway", {**self.env(), "TROC_VAR_DIR": str(self.tmp)})
        store = KeyStore.from_settings(settings)
        store.ensure()
        minted = []
        for index in range(count):
            identity = Identity(
                subject=f"bench-{index}",
                roles=frozenset({MEMBER}),
                tenant="pie",
                network=NETWORK,
                member_id=uuid.uuid4(),
            )
            minted.append(
                store.sign(
                    identity_claims(
                        identity,
                        issuer=settings.jwt_issuer,
                        audience=settings.jwt_audience,
                        expires_in=3600,
                    )
                )
            )
        return minted

    def start(self) -> None:
        env = self.env()
        workers = str(self.args.workers)
        for name, app, port in [
            ("listings", "listings.api:create_app()", self.listings_port),
            ("gateway", "gateway.api:create_app()", self.gateway_port),
        ]:
            argv = [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                workers,
                "--no-control-socket",
                "--timeout",
                "30",
            ]
            process = ServiceProcess(name, argv, env, self.out).start()
            self.processes.append(process)
        for process, port in zip(
            self.processes, (self.listings_port, self.gateway_port), strict=True
        ):
            wait_ready(f"http://127.0.0.1:{port}", process, timeout=60)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()

    # -- measures -------------------------------------------------------------------------------
    def paths(self) -> list[str]:
        return [f"/t/pie/listings?{urlencode({**q, 'per_page': 20})}" for q in QUERIES]

    def per_query(self, tokens: list[str]) -> None:
        session = requests.Session()
        base = f"http://127.0.0.1:{self.gateway_port}"
        rows = []
        for index, query in enumerate(QUERIES):
            path = self.paths()[index]
            timings, total = [], 0
            for attempt in range(self.args.samples + 3):
                headers = {"Authorization": f"Bearer {tokens[attempt % len(tokens)]}"}
                started = time.perf_counter()
                response = session.get(base + path, headers=headers, timeout=10)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
                total = response.json()["total"]
                if attempt >= 3:  # the first ones warm the caches
                    timings.append(elapsed)
            rows.append(
                {
                    "query": query,
                    "hits": total,
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                }
            )
            log(
                f"{json.dumps(query, ensure_ascii=False):<48} {total:>7} hits   "
                f"p50 {rows[-1]['p50_ms']:6.1f} ms   p95 {rows[-1]['p95_ms']:6.1f} ms"
            )
        self.results["per_query"] = rows

    def mixed(self, tokens: list[str]) -> None:
        if shutil.which("wrk") is None:
            log("wrk is missing (apt-get install -y wrk): mixed run skipped")
            return
        script = self.tmp / "search.lua"
        script.write_text(
            WRK_LUA.replace("__TOKENS__", lua_list(tokens)).replace(
                "__PATHS__", lua_list(self.paths())
            )
        )
        url = f"http://127.0.0.1:{self.gateway_port}"
        for name, duration in (("warmup", self.args.warmup), ("mixed", self.args.duration)):
            argv = [
                "wrk",
                "-t",
                "2",
                "-c",
                str(self.args.connections),
                "-d",
                f"{duration}s",
                "--timeout",
                "5s",
                "-s",
                str(script),
                url,
            ]
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                check=False,  # noqa: S603
                timeout=duration + 60,
            )
            (self.out / f"wrk-{name}.txt").write_text(done.stdout + done.stderr)
            if done.returncode != 0:
                raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
        summary = json.loads(done.stdout.split("JSON ", 1)[1].splitlines()[0])
        summary["connections"] = self.args.connections
        summary["duration_s"] = self.args.duration
        self.results["mixed"] = summary
        log(
            f"mixed run: {summary['rps']:.0f} req/s, p50 {summary['p50_ms']:.1f} ms, "
            f"p95 {summary['p95_ms']:.1f} ms, p99 {summary['p99_ms']:.1f} ms, "
            f"{summary['errors']} errors / {summary['requests']} requests "
            f"({self.args.connections} connections)"
        )

    def run(self) -> int:
        self.listings_port, self.gateway_port = free_port(), free_port()
        try:
            log(f"database {DB_NAME}: migrate and seed {self.args.listings} listings")
            self.database()
            self.run_python("migrate-listings", "-m", "listings.cli", "migrate")
            self.run_python("migrate-gateway", "-m", "gateway.cli", "migrate")
            self.seed()
            tokens = self.tokens(self.args.tokens)
            log(f"starting listings and gateway (gunicorn, {self.args.workers} workers each)")
            self.start()
            self.per_query(tokens)
            self.mixed(tokens)
        finally:
            self.stop()
            if not self.args.keep:
                self.drop_database()
            shutil.rmtree(self.tmp, ignore_errors=True)
        mixed = self.results.get("mixed")
        self.results["target_met"] = bool(mixed and mixed["p95_ms"] < TARGET_P95_MS)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(self.results, indent=2, ensure_ascii=False) + "\n")
        log(
            f"results in {RESULTS.relative_to(ROOT)}; target p95 < {TARGET_P95_MS:.0f} ms: "
            f"{'met' if self.results['target_met'] else 'NOT met'}"
        )
        return 0


WRK_LUA = r"""
local tokens = __TOKENS__
local paths = __PATHS__
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'JSON {"requests": %d, "errors": %d, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
    '"p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, failed, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds of the mixed run")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per service")
    parser.add_argument("--samples", type=int, default=30, help="requests per query alone")
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return Bench(parser.parse_args(argv)).run()


if __name__ == "__main__":
    sys.exit(main())
