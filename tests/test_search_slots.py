"""A flood of searches is shed, never queued: slots per worker, then a fast 503."""

from __future__ import annotations

import threading

import pytest

from portal import create_app
from portal.slots import Busy, Slots


def test_a_slot_is_refused_after_the_wait_and_freed_after_use():
    slots = Slots(1, 0.01)
    with slots.hold():
        with pytest.raises(Busy):
            with slots.hold():
                pass
    with slots.hold():
        pass


@pytest.fixture
def busy_app():
    app = create_app({"TESTING": True, "SEARCH_SLOTS": 1, "SEARCH_SLOT_WAIT": 0.05,
                      "SEARCH_RETRY_AFTER": 7})
    taken, release = threading.Event(), threading.Event()

    def occupy():
        with app.extensions["search_slots"].hold():
            taken.set()
            release.wait(30)

    thread = threading.Thread(target=occupy, daemon=True)
    thread.start()
    taken.wait(5)
    yield app, release
    release.set()
    thread.join(5)


def test_search_without_a_slot_gets_a_503_in_the_readers_language(busy_app):
    app, release = busy_app
    client = app.test_client()
    response = client.get("/so/search?q=shaqo")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    body = response.get_data(as_text=True)
    assert '<html lang="so"' in body
    assert 'href="/exit"' in body and 'href="tel:999"' in body
    assert 'href="tel:+448000121700"' in body
    # Pages and the exit never wait for a search slot.
    assert client.get("/so/").status_code == 200
    assert client.get("/exit").status_code == 303
    # An empty query needs no slot.
    assert client.get("/so/search").status_code == 200
    release.set()
    release_wait = app.extensions["search_slots"]
    release_wait.wait = 5.0  # until the occupier lets go
    with release_wait.hold():
        pass
    assert client.get("/so/search?q=shaqo").status_code == 200


def test_only_the_allowed_waiters_wait_for_a_slot_the_others_are_refused_at_once():
    import time

    slots = Slots(1, 2.0, waiters=1)
    holding, release = threading.Event(), threading.Event()
    outcomes = []

    def occupy():
        with slots.hold():
            holding.set()
            release.wait(10)

    def wait_for_slot():
        try:
            with slots.hold():
                outcomes.append("served")
        except Busy:
            outcomes.append("busy")

    threading.Thread(target=occupy, daemon=True).start()
    holding.wait(5)
    waiter = threading.Thread(target=wait_for_slot, daemon=True)
    waiter.start()
    time.sleep(0.2)  # the waiter is waiting now
    started = time.monotonic()
    with pytest.raises(Busy):
        with slots.hold():
            pass
    assert time.monotonic() - started < 0.5  # refused at once, not after the wait
    release.set()
    waiter.join(5)
    assert outcomes == ["served"]
