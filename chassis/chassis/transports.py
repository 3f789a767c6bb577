"""kombu transports: ``connection_for`` and the two embedded transports it may choose.

``amqp://`` (RabbitMQ, production and CI) is kombu's own. ``filesystem://`` (the broker-less
default shared by the processes of one machine, under ``var/bus``) and ``memory://`` (one process:
unit tests) are kombu's virtual transports with the fixes below. ``connection_for`` is the only
place that builds a kombu ``Connection``. Imports ``config`` of the chassis, never a service.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import deque
from pathlib import Path
from queue import Empty
from typing import Any

from kombu import Connection
from kombu.transport import filesystem as kombu_filesystem
from kombu.transport import memory as kombu_memory
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

from chassis.config import Settings

AMQP_SCHEMES = frozenset({"amqp", "amqps", "pyamqp"})

#: Key under which the virtual transports below remember the queue a message was read from.
_ORIGIN = "x-origin-queue"


def scheme_of(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else url.lower()


def is_amqp(url: str) -> bool:
    return scheme_of(url) in AMQP_SCHEMES


class _RestoreToOriginQueue:
    """Requeue a message onto the queue it was read from.

    kombu's virtual channels restore a rejected or unacked message by routing it through its
    exchange again, which on a topic exchange also copies it into every other consumer's queue.
    """

    def _stamp(self, queue: str, payload: dict[str, Any]) -> dict[str, Any]:
        # The memory transport puts one dict into several queues: copy before marking it.
        properties = dict(payload.get("properties") or {})
        info = dict(properties.get("delivery_info") or {})
        info[_ORIGIN] = queue
        properties["delivery_info"] = info
        return {**payload, "properties": properties}

    def _restore(self, message: Any) -> None:
        queue = (message.delivery_info or {}).get(_ORIGIN)
        if not queue:
            super()._restore(message)  # type: ignore[misc]
            return
        payload = message.serializable()
        payload["redelivered"] = True
        self._put(queue, payload)  # type: ignore[attr-defined]


class _MemoryChannel(_RestoreToOriginQueue, kombu_memory.Channel):
    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        return self._stamp(queue, super()._get(queue, timeout))


class MemoryTransport(kombu_memory.Transport):
    """kombu's ``memory://`` whose requeue goes back to the origin queue."""

    Channel = _MemoryChannel
    can_parse_url = True  # there is no URL to parse: no "No hostname" warning, a plain as_uri

    def as_uri(self, uri: str, include_password: bool = False, mask: str = "**") -> str:
        return "memory://"


class _FilesystemChannel(_RestoreToOriginQueue, kombu_filesystem.Channel):
    """kombu's filesystem channel with atomic, ordered writes and race-free reads.

    A message file is written under ``staging_folder`` and renamed into the data folder, so a
    reader never sees half a file. Its name starts with a per-process strictly increasing
    nanosecond stamp, so one producer's messages are read in the order it sent them (kombu names
    files by millisecond, then a random uuid). A reader claims a file by renaming it into
    ``claim_folder`` (same file system: atomic), so two consumers never both get it.
    """

    _lock = threading.Lock()
    _last_stamp = 0
    _counter = itertools.count()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backlogs: dict[str, deque[str]] = {}

    @classmethod
    def _next_name(cls, queue: str) -> str:
        with cls._lock:
            stamp = max(time.time_ns(), cls._last_stamp + 1)
            cls._last_stamp = stamp
        return f"{stamp:020d}-{os.getpid():08d}-{next(cls._counter):012d}.{queue}.msg"

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = self._next_name(queue)
        staged = os.path.join(self.transport_options["staging_folder"], name)
        try:
            with open(staged, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(staged, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            raise kombu_filesystem.ChannelError(f"cannot write message file {name!r}") from exc

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        suffix = f"{queue}.msg"
        backlog = self._backlogs.setdefault(queue, deque())
        for _ in range(2):  # the cached listing first, then one fresh listing
            if not backlog:
                backlog.extend(
                    sorted(
                        n for n in os.listdir(self.data_folder_in) if n.partition(".")[2] == suffix
                    )
                )
            while backlog:
                name = backlog.popleft()
                claimed = os.path.join(self.transport_options["claim_folder"], name)
                try:
                    os.rename(os.path.join(self.data_folder_in, name), claimed)
                except FileNotFoundError:
                    continue  # another consumer took it
                try:
                    with open(claimed, "rb") as f:
                        payload = loads(bytes_to_str(f.read()))
                finally:
                    os.remove(claimed)
                return self._stamp(queue, payload)
        raise Empty()

    def get_table(self, exchange: str) -> list[Any]:
        """The exchange's bindings; a bindings file being created by another process is empty."""
        file = self._exchange_file(exchange)
        try:
            with file.open("rb") as f_obj:
                kombu_filesystem.lock(f_obj, kombu_filesystem.LOCK_SH)
                try:
                    raw = f_obj.read()
                finally:
                    kombu_filesystem.unlock(f_obj)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise kombu_filesystem.ChannelError(f"cannot read {file}") from exc
        table = loads(bytes_to_str(raw)) if raw.strip() else []
        return [kombu_filesystem.exchange_queue_t(*q) for q in table]

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str, queue: str) -> None:
        """Add a binding under an exclusive lock taken before anything is read or truncated.

        kombu opens a new bindings file with ``"wb"`` (truncating) before locking it, so two
        processes declaring the topology at once could read half a file or erase each other's
        bindings.
        """
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        binding = kombu_filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            with file.open("a+b", buffering=0) as f_obj:
                kombu_filesystem.lock(f_obj, kombu_filesystem.LOCK_EX)
                try:
                    f_obj.seek(0)
                    raw = f_obj.read()
                    table = loads(bytes_to_str(raw)) if raw.strip() else []
                    bindings = [kombu_filesystem.exchange_queue_t(*q) for q in table]
                    if binding not in bindings:
                        bindings.insert(0, binding)
                        f_obj.seek(0)
                        f_obj.truncate()
                        f_obj.write(str_to_bytes(dumps(bindings)))
                finally:
                    kombu_filesystem.unlock(f_obj)
        except OSError as exc:
            raise kombu_filesystem.ChannelError(f"cannot write {file}") from exc

    def _size(self, queue: str) -> int:
        suffix = f"{queue}.msg"
        return sum(1 for n in os.listdir(self.data_folder_in) if n.partition(".")[2] == suffix)

    def _purge(self, queue: str) -> int:
        self._backlogs.pop(queue, None)
        return int(super()._purge(queue))


class FilesystemTransport(kombu_filesystem.Transport):
    """kombu's ``filesystem://`` with the channel above."""

    Channel = _FilesystemChannel
    can_parse_url = True

    def as_uri(self, uri: str, include_password: bool = False, mask: str = "**") -> str:
        return "filesystem://"


def filesystem_folders(bus_dir: Path) -> dict[str, str]:
    """Folders of the filesystem transport under ``bus_dir`` (shared by every process)."""
    data = bus_dir / "data"
    return {
        "data_folder_in": str(data),
        "data_folder_out": str(data),
        "control_folder": str(bus_dir / "control"),
        "staging_folder": str(bus_dir / "staging"),
        "claim_folder": str(bus_dir / "claimed"),
    }


def connection_for(
    broker: Settings | str,
    bus_dir: Path | str | None = None,
    *,
    confirm_publish: bool = True,
) -> Connection:
    """Build the kombu connection for a broker URL or a service's settings (not connected yet).

    On amqp, ``confirm_publish`` makes every channel wait for the broker's ack of each publish;
    the ``Publisher`` turns it off because it waits for a whole batch's acks at once.
    """
    if isinstance(broker, Settings):
        url = broker.broker_url or "filesystem://"
        bus_dir = broker.bus_dir if bus_dir is None else bus_dir
    else:
        url = broker
    scheme = scheme_of(url)
    if scheme in AMQP_SCHEMES:
        return Connection(
            url, transport_options={"confirm_publish": confirm_publish}, connect_timeout=5
        )
    if scheme == "filesystem":
        if bus_dir is None:
            raise ValueError("filesystem:// needs a bus folder (Settings.bus_dir)")
        folders = filesystem_folders(Path(bus_dir))
        for folder in folders.values():
            Path(folder).mkdir(parents=True, exist_ok=True)
        # Polling the folder every 20 ms keeps latency low; listing an idle folder is cheap.
        return Connection(
            transport=FilesystemTransport, transport_options={**folders, "polling_interval": 0.02}
        )
    if scheme == "memory":
        return Connection(transport=MemoryTransport, transport_options={"polling_interval": 0.002})
    raise ValueError(f"unsupported broker URL {url!r}: use amqp://, filesystem:// or memory://")
