"""Who holds what, when: a pure function of (seed, time) over the estate.

Time is cut into 15-minute slots. Each (feature, slot) has its own random generator seeded
from the seed, the feature and the slot number, which draws the requests arriving in that
slot (start, length, user, seats, handle). The arrival rate follows the working day in the
server's local time (morning and after-lunch peaks, quiet nights, weekends at a tenth).

Requests are served first come, first served: a request holds its seats from the moment
the seats of earlier requests still present leave room (``granted``) until it ends; until
then it is queued, and if that moment never comes before it ends it was never served. The
same :func:`schedule` builds the live status and the demo's history, so both agree.
"""

from __future__ import annotations

import bisect
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from monitoring.simulator import estate
from monitoring.simulator.estate import FeatureSpec, ServerSpec

SLOT = 15 * 60
MIN_LENGTH = 10 * 60
MAX_LENGTH = 10 * 3600
#: Requests present at T started after T - MAX_LENGTH, the requests ahead of those in the
#: queue after T - 2 * MAX_LENGTH, and the ones that make those repeats (see
#: :func:`drop_repeats`) after T - 3 * MAX_LENGTH: that much history decides the status at T.
LOOKBACK = 3 * MAX_LENGTH
_SIGMA = 0.7
#: Arrival intensity by local hour (weekday), relative to the morning peak.
DAY_CURVE = (0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.1, 0.55, 1.0, 0.9, 0.6, 0.4,
             0.3, 0.7, 0.55, 0.4, 0.25, 0.12, 0.06, 0.04, 0.03, 0.02, 0.01, 0.01)  # fmt: skip
WEEKDAY_FACTOR = (1.0, 1.0, 1.0, 1.0, 0.85, 0.12, 0.06)


@dataclass(frozen=True, slots=True)
class Request:
    """One checkout request. ``granted`` is when it got its seats (``None``: never)."""

    start: int  # seconds since the epoch, UTC
    end: int
    user: str
    host: str
    licenses: int
    handle: int
    granted: int | None = None


def _survival(hours: float, median: float) -> float:
    """P(length > hours) for the lognormal checkout length."""
    if hours <= 0:
        return 1.0
    z = (math.log(hours) - math.log(median)) / _SIGMA
    return 0.5 * math.erfc(z / math.sqrt(2))


@cache
def _peak_presence(median: float) -> float:
    """Requests present at the busiest weekday moment per unit of arrival rate."""
    best = 0.0
    for minute in range(0, 24 * 60, 15):
        total = 0.0
        for back in range(0, int(MAX_LENGTH / 60), 15):
            hour = ((minute - back) // 60) % 24
            total += DAY_CURVE[hour] * 0.25 * _survival((back + 7.5) / 60, median)
        best = max(best, total)
    return best


@cache
def _rate(feature: FeatureSpec) -> float:
    """Arrivals per hour at a curve value of 1, so that peak demand is about load x issued."""
    if not feature.issued or feature.load <= 0:
        return 0.0
    seats = sum(feature.licenses) / 2
    return feature.load * feature.issued / seats / _peak_presence(feature.hours)


@cache
def _pool(feature: FeatureSpec, seed: int) -> tuple[tuple[estate.UserSpec, ...], list[float]]:
    """The users who may ask for ``feature`` and their cumulative weights."""
    app = estate.application(feature.app)
    srv = estate.server(feature.server)
    sites = srv.serves or (srv.site,)
    people = [u for u in estate.users(seed) if u.department in app.departments]
    local = tuple(u for u in people if u.site in sites) or tuple(people)
    cumulative, total = [], 0.0
    for person in local:
        total += person.weight
        cumulative.append(total)
    return local, cumulative


@cache
def _zone(server_name: str) -> ZoneInfo:
    return ZoneInfo(estate.site(estate.server(server_name).site).timezone)


def local_time(server: ServerSpec, moment: int) -> datetime:
    """The server clock (naive, local) at ``moment`` seconds since the epoch."""
    return datetime.fromtimestamp(moment, _zone(server.name)).replace(tzinfo=None)


_MASK = (1 << 64) - 1


def _mix(value: int) -> int:
    """SplitMix64 finaliser: a well-spread 64-bit hash of ``value``."""
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    value = (value ^ (value >> 27)) * 0x94D049BB133111EB & _MASK
    return value ^ (value >> 31)


class _Rng:
    """A small counter-based generator keyed by integers: seeding costs a hash, not the
    14 µs of ``random.Random``, which matters over 90 days x 96 slots x 60 features."""

    __slots__ = ("state",)

    def __init__(self, *keys: int) -> None:
        state = 0x9E3779B97F4A7C15
        for key in keys:
            state = _mix((state ^ key) & _MASK)
        self.state = state

    def random(self) -> float:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        return (_mix(self.state) >> 11) * (1.0 / (1 << 53))

    def below(self, limit: int) -> int:
        return int(self.random() * limit)

    def lognormal(self, log_median: float, sigma: float) -> float:
        u1, u2 = self.random() or 1e-12, self.random()
        normal = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
        return math.exp(log_median + sigma * normal)


def _poisson(rng: _Rng, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit and count < 30:
        count += 1
        product *= rng.random()
    return count


@dataclass(frozen=True, slots=True)
class _Plan:
    """Per-feature constants of the arrival model, computed once."""

    key: int
    rate: float
    zone: ZoneInfo
    people: tuple[estate.UserSpec, ...]
    weights: tuple[float, ...]
    log_median: float


@cache
def _plan(feature: FeatureSpec, seed: int) -> _Plan:
    people, weights = _pool(feature, seed)
    key = zlib.crc32(f"{feature.server}|{feature.vendor}|{feature.name}".encode())
    return _Plan(
        key=_mix(seed) ^ key,
        rate=_rate(feature),
        zone=_zone(feature.server),
        people=people,
        weights=tuple(weights),
        log_median=math.log(feature.hours * 3600),
    )


@cache
def _clock(zone: ZoneInfo, hour: int) -> float:
    """Arrival intensity of the local hour that contains UTC hour number ``hour``."""
    local = datetime.fromtimestamp(hour * 3600, zone)
    return DAY_CURVE[local.hour] * WEEKDAY_FACTOR[local.weekday()]


@cache
def _day_factor(key: int, day: int) -> float:
    """Some days are busier than others (deadlines, holidays): 0.75 to 1.2."""
    return 0.75 + 0.45 * _Rng(key, day, 1).random()


def _arrivals(feature: FeatureSpec, plan: _Plan, slot: int) -> list[Request]:
    begin = slot * SLOT
    intensity = _clock(plan.zone, begin // 3600) * _day_factor(plan.key, begin // 86400)
    rng = _Rng(plan.key, slot)
    count = _poisson(rng, plan.rate * intensity * SLOT / 3600)
    if not count:
        return []
    low, high = feature.licenses
    found = []
    for index in range(count):
        start = begin + rng.below(SLOT)
        length = rng.lognormal(plan.log_median, _SIGMA)
        length = int(min(max(length, MIN_LENGTH), MAX_LENGTH))
        pick = rng.random() * plan.weights[-1]
        person = plan.people[min(bisect.bisect_right(plan.weights, pick), len(plan.people) - 1)]
        seats = low + rng.below(high - low + 1)
        # Distinct for any two requests present together (slots < 37 apart would need
        # 37 requests in one slot to collide).
        handle = 100 + (slot * 37 + index * 7 + len(feature.name) * 13) % 90000
        found.append(Request(start, start + length, person.username, person.host, seats, handle))
    return found


def slot_requests(feature: FeatureSpec, slot: int, seed: int = estate.SEED) -> list[Request]:
    """The requests arriving for ``feature`` in 15-minute slot number ``slot``."""
    plan = _plan(feature, seed)
    return _arrivals(feature, plan, slot) if plan.rate else []


def requests_between(
    feature: FeatureSpec, begin: int, end: int, seed: int = estate.SEED
) -> list[Request]:
    """Every request arriving in ``[begin, end)``, sorted by start."""
    plan = _plan(feature, seed)
    if not plan.rate:
        return []
    found = []
    for slot in range(begin // SLOT, -(-end // SLOT)):
        found += _arrivals(feature, plan, slot)
    return sorted((r for r in found if begin <= r.start < end), key=lambda r: (r.start, r.handle))


def drop_repeats(requests: list[Request]) -> list[Request]:
    """Leave out a request made while an earlier request of the same user on the same host
    is still open (the tools count a user's second checkout of a feature once).

    Decided on the raw requests only, never on what was left out, so a window of history
    gives the same answer as the whole of it."""
    kept, open_until = [], {}
    for request in requests:
        key = (request.user, request.host)
        if open_until.get(key, -1) <= request.start:
            kept.append(request)
        open_until[key] = max(open_until.get(key, -1), request.end)
    return kept


def schedule(requests: Iterable[Request], issued: int | None) -> list[Request]:
    """``requests`` (sorted by start) with ``granted`` filled in, first come first served;
    repeats (:func:`drop_repeats`) are left out."""
    result: list[Request] = []
    present: list[Request] = []
    for request in drop_repeats(list(requests)):
        present = [r for r in present if r.end > request.start]
        if issued is None:
            granted: int | None = request.start
        else:
            held = sum(r.licenses for r in present) + request.licenses
            granted = request.start
            for earlier in sorted(present, key=lambda r: r.end):
                if held <= issued:
                    break
                held -= earlier.licenses
                granted = earlier.end
            if held > issued or granted >= request.end:
                granted = None
        served = Request(**{**_fields(request), "granted": granted})
        present.append(served)
        result.append(served)
    return result


def _fields(request: Request) -> dict:
    return {name: getattr(request, name) for name in Request.__slots__}


def state_at(feature: FeatureSpec, moment: int, seed: int = estate.SEED):
    """``(holding, queued)`` for ``feature`` at ``moment``: requests present, by start."""
    arrived = requests_between(feature, moment - LOOKBACK, moment + 1, seed)
    requests = schedule(arrived, feature.issued)
    present = [r for r in requests if r.start <= moment < r.end]
    holding = [r for r in present if r.granted is not None and r.granted <= moment]
    queued = [r for r in present if r.granted is None or r.granted > moment]
    return holding, queued


def _outage(server: ServerSpec, host: str, day: int, rate: float, seed: int):
    rng = _Rng(_mix(seed), zlib.crc32(f"outage|{server.name}|{host}".encode()), day)
    if rng.random() >= rate:
        return None
    begin = day * 86400 + rng.below(86400)
    return begin, begin + 15 * 60 + rng.below(105 * 60)


def outages(server: ServerSpec, begin: int, end: int, host: str | None = None, seed=estate.SEED):
    """``(start, end)`` windows in ``[begin, end)`` when ``server`` (or one ``host`` of its
    triad, for its flaky member) does not answer."""
    rate = server.outages_per_day if host is None else (0.5 if host == server.flaky_member else 0)
    windows = []
    for day in range(begin // 86400 - 1, end // 86400 + 1):
        window = _outage(server, host or "*", day, rate, seed)
        if window and window[1] > begin and window[0] < end:
            windows.append(window)
    return windows


def is_down(server: ServerSpec, moment: int, host: str | None = None, seed=estate.SEED) -> bool:
    return any(a <= moment < b for a, b in outages(server, moment, moment + 1, host, seed))


def expiry(feature: FeatureSpec, today):
    """The expiry date printed on ``today``: the next renewal day, or ``None`` (permanent)."""
    if feature.renews_on is None:
        return None
    month, day = feature.renews_on
    candidate = today.replace(month=month, day=day)
    return candidate if candidate >= today else candidate.replace(year=today.year + 1)


def epoch(moment: datetime) -> int:
    """Seconds since the epoch; a naive ``moment`` is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
