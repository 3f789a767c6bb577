"""Scrape a running process's ``/metrics`` in tests and compare the samples."""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families

#: (sample name, its labels) -> value
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str, timeout: float = 10.0) -> Samples:
    """Every sample of the Prometheus text at ``url`` (public: no token)."""
    response = requests.get(url, timeout=timeout)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the ``name`` samples whose labels include ``labels``."""
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= ls)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return total(after, name, **labels) - total(before, name, **labels)
