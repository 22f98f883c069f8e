"""Rounds of racing actions: each action in a thread of its own, all released together each round.

The threads live for the whole run, each with its own session (or test client), so hundreds of
rounds take seconds: a round is the arrangement plus the racing actions, nothing more.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

State = TypeVar("State")
Resource = TypeVar("Resource")

# How long a thread waits for the others at a barrier before the run counts as hung.
BARRIER_TIMEOUT = 30


class Rounds(Generic[State, Resource]):
    """Run `rounds` rounds: `arrange(index)` makes a round's state in the calling thread, then
    each of `actions` gets `(resource, state)` in its own thread, all released at once, and
    returns its outcome (a string). `resource()` makes each thread's session or client once;
    `release(resource)` ends it. `outcomes[i]` lists round i's outcomes, one per action;
    an exception an action raises is recorded as its repr, never raised in its thread."""

    def __init__(
        self,
        actions: Sequence[Callable[[Resource, State], str]],
        resource: Callable[[], Resource],
        release: Callable[[Resource], None] = lambda _resource: None,
    ) -> None:
        self.actions = actions
        self.resource = resource
        self.release = release
        self.outcomes: list[list[str]] = []

    def run(self, rounds: int, arrange: Callable[[int], State]) -> list[list[str]]:
        """Run the rounds; returns `outcomes`. Raises AssertionError if a thread hung."""
        count = len(self.actions)
        start, done = threading.Barrier(count + 1), threading.Barrier(count + 1)
        state: list[State] = []
        self.outcomes = [["" for _ in range(count)] for _ in range(rounds)]

        def work(slot: int) -> None:
            resource = self.resource()
            try:
                for index in range(rounds):
                    start.wait(timeout=BARRIER_TIMEOUT)
                    try:
                        outcome = self.actions[slot](resource, state[0])
                    except Exception as error:  # noqa: BLE001  # reported by the caller's asserts
                        outcome = repr(error)
                    self.outcomes[index][slot] = outcome
                    done.wait(timeout=BARRIER_TIMEOUT)
            except threading.BrokenBarrierError:
                return
            finally:
                self.release(resource)

        threads = [threading.Thread(target=work, args=(slot,)) for slot in range(count)]
        for thread in threads:
            thread.start()
        try:
            for index in range(rounds):
                state[:] = [arrange(index)]
                start.wait(timeout=BARRIER_TIMEOUT)
                done.wait(timeout=BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            raise AssertionError(f"a racing thread hung: {self.outcomes}") from None
        except BaseException:  # the arrangement failed: let the threads go before reporting it
            start.abort()
            done.abort()
            raise
        finally:
            for thread in threads:
                thread.join(timeout=BARRIER_TIMEOUT)
        return self.outcomes
