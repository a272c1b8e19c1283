from __future__ import annotations

from core.pacing import Pacer, Rate


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_one_destination_is_paced_and_others_are_not():
    clock = Clock()
    pacer = Pacer({"telegram": Rate(per_destination=1.0)}, clock)
    assert pacer.reserve("telegram", "1", max_wait=5) == 0
    assert pacer.reserve("telegram", "1", max_wait=5) == 1.0
    assert pacer.reserve("telegram", "2", max_wait=5) == 0
    clock.now += 3
    assert pacer.reserve("telegram", "1", max_wait=5) == 0


def test_overall_rate_spaces_every_destination():
    clock = Clock()
    pacer = Pacer({"telegram": Rate(per_destination=None, overall=10.0)}, clock)
    waits = [pacer.reserve("telegram", str(i), max_wait=5) for i in range(3)]
    assert [round(w, 6) for w in waits] == [0, 0.1, 0.2]


def test_a_long_wait_is_not_booked_so_the_caller_can_reschedule():
    clock = Clock()
    pacer = Pacer({"slack": Rate(per_destination=0.1)}, clock)  # one per 10 s
    assert pacer.reserve("slack", "C1", max_wait=2) == 0
    assert pacer.reserve("slack", "C1", max_wait=2) == 10.0  # too long: not booked
    assert pacer.reserve("slack", "C1", max_wait=20) == 10.0  # booked now
    assert pacer.reserve("slack", "C1", max_wait=30) == 20.0


def test_unknown_platforms_are_not_paced():
    assert Pacer({}, Clock()).reserve("console", "x", max_wait=0) == 0
