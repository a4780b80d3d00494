"""The matching engine: how well a mentor company (peterbedrijf) fits a school, and the ranking an adviser sees.

Pure: plain numpy arrays in, dataclasses out; nothing from Django. The caller builds `CompanyFeatures` once per
edition (and caches it) and a `SchoolFeatures` per school; `score_all` then scores every company for the school in a
few vectorised numpy operations. The formulas are documented in docs/matching.md.

Every score part lies in [0, 1] and the weights are normalised to sum 1, so a total lies in [0, 1] too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

PARTS = ("need", "proximity", "sector", "resources", "willingness", "continuity")
#: The 7 key elements (sleutelelementen) of the STEM School Label framework.
ELEMENTS = 7
#: Mean Earth radius (IUGG), in km.
EARTH_RADIUS_KM = 6371.0088
#: Proximity falls to 1/e (0.37) at this distance, to 0.14 at twice it; 25 km is a school's region in Flanders.
PROXIMITY_SCALE_KM = 25.0
#: The need part of every company when a school has no finalised baseline (nulmeting) yet.
NEUTRAL_NEED = 0.5
#: Denominator floor: a school without any need gets a need part of 0 for every company instead of 0/0.
EPS = 1e-12

#: Why a strong company is absent from a ranking, in the order the first applicable reason is reported.
REASONS = ("excluded_pair", "full_capacity", "beyond_distance", "other_study_area")


@dataclass(frozen=True)
class Weights:
    """The weight of each part, per edition, set by the coordinator. Only the proportions matter."""

    need: float = 0.30
    proximity: float = 0.25
    sector: float = 0.20
    resources: float = 0.10
    willingness: float = 0.10
    continuity: float = 0.05

    def normalised(self) -> np.ndarray:
        """The weights in `PARTS` order, scaled to sum 1 (shape (6,))."""
        values = np.array([getattr(self, part) for part in PARTS], dtype=np.float64)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError("weights must be finite and >= 0")
        total = values.sum()
        if total <= 0:
            raise ValueError("at least one weight must be > 0")
        return values / total


@dataclass(frozen=True, eq=False)
class CompanyFeatures:
    """The companies of an edition that offer mentoring, as arrays indexed by company row.

    A company's sites are contiguous in the site arrays: rows `site_start[i] : site_start[i] + site_count[i]`.
    """

    ids: np.ndarray  # (n,) int64 company ids
    expertise: np.ndarray  # (n, 7) float in [0, 1]: which key elements the company can help with
    study_areas: np.ndarray  # (n, A) bool: the study areas the company's activity fits
    resources: np.ndarray  # (n,) float in [0, 1]: time and staff the company can give
    willingness: np.ndarray  # (n,) float in [0, 1]: sharing knowledge, multi-year commitment
    capacity: np.ndarray  # (n,) int: schools it can still mentor this edition; <= 0 = full (< 0: overbooked)
    site_lat: np.ndarray  # (m,) radians
    site_lon: np.ndarray  # (m,) radians
    site_start: np.ndarray  # (n,) int
    site_count: np.ndarray  # (n,) int; 0 = no known site: distance inf, proximity 0
    # Derived once per edition in __post_init__ and reused by every score_all call (not part of the interface).
    _site_xyz: np.ndarray = field(init=False, repr=False)  # (3, m) unit vectors of the sites
    _with_site: np.ndarray = field(init=False, repr=False)  # companies with at least one site
    _single_rows: np.ndarray = field(init=False, repr=False)  # companies with exactly one site ...
    _single_sites: np.ndarray = field(init=False, repr=False)  # ... and that site
    _multi_rows: np.ndarray = field(init=False, repr=False)  # companies with several sites ...
    _multi_bounds: np.ndarray = field(init=False, repr=False)  # ... their (start, end) site bounds, interleaved
    _expertise_t: np.ndarray = field(init=False, repr=False)  # (7, n) contiguous: need @ expertise.T is fast
    _area_bits: np.ndarray | None = field(init=False, repr=False)  # (n,) uint64 bit set of study areas (A <= 64)
    _area_float: np.ndarray | None = field(init=False, repr=False)  # (n, A) float, used when A > 64
    _row_of: dict[int, int] = field(init=False, repr=False)  # company id -> row

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def __post_init__(self) -> None:
        n = self.ids.shape[0]
        for name in ("resources", "willingness", "capacity", "site_start", "site_count"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have shape ({n},)")
        if self.expertise.shape != (n, ELEMENTS):
            raise ValueError(f"expertise must have shape ({n}, {ELEMENTS})")
        if self.study_areas.ndim != 2 or self.study_areas.shape[0] != n:
            raise ValueError(f"study_areas must have shape ({n}, A)")
        if self.site_lat.shape != self.site_lon.shape:
            raise ValueError("site_lat and site_lon must have the same shape")
        for name in ("expertise", "resources", "willingness", "site_lat", "site_lon"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ValueError(f"{name} must be finite")
        counts = np.asarray(self.site_count, dtype=np.intp)
        starts = np.asarray(self.site_start, dtype=np.intp)
        m = self.site_lat.shape[0]
        if np.any(counts < 0) or np.any((counts > 0) & ((starts < 0) | (starts + counts > m))):
            raise ValueError("site_start/site_count point outside the site arrays")
        single = np.flatnonzero(counts == 1)
        multi = np.flatnonzero(counts > 1)
        bounds = np.empty(2 * multi.size, dtype=np.intp)
        bounds[0::2] = starts[multi]
        bounds[1::2] = starts[multi] + counts[multi]
        cos_lat = np.cos(self.site_lat)
        xyz = np.stack([cos_lat * np.cos(self.site_lon), cos_lat * np.sin(self.site_lon), np.sin(self.site_lat)])
        areas = np.asarray(self.study_areas, dtype=bool)
        if areas.shape[1] <= 64:
            bits = (areas.astype(np.uint64) << np.arange(areas.shape[1], dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
            area_float = None
        else:
            bits, area_float = None, areas.astype(np.float64)
        derived = {
            "_site_xyz": xyz,
            "_with_site": np.flatnonzero(counts > 0),
            "_single_rows": single,
            "_single_sites": starts[single],
            "_multi_rows": multi,
            "_multi_bounds": bounds,
            "_expertise_t": np.ascontiguousarray(self.expertise.T, dtype=np.float64),
            "_area_bits": bits,
            "_area_float": area_float,
            "_row_of": {int(company_id): row for row, company_id in enumerate(self.ids)},
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def rows_of(self, company_ids: frozenset[int] | set[int]) -> np.ndarray:
        """The rows of the given company ids (ids not in the edition are ignored)."""
        return np.array(sorted(self._row_of[c] for c in company_ids if c in self._row_of), dtype=np.intp)


@dataclass(frozen=True, eq=False)
class SchoolFeatures:
    id: int
    lat: float  # radians
    lon: float  # radians
    # (7,) in [0, 1]: how much each key element needs improving (computed by the caller from the baseline);
    # None = no finalised baseline yet: the need part is neutral.
    need: np.ndarray | None
    target_areas: np.ndarray  # (A,) bool: the study area(s) the improvement targets
    previous_partners: frozenset[int] = field(default_factory=frozenset)  # company ids of earlier partnerships


@dataclass(frozen=True, eq=False)
class Scores:
    total: np.ndarray  # (n,) in [0, 1]
    parts: np.ndarray  # (n, 6) in [0, 1], columns in PARTS order
    distance_km: np.ndarray  # (n,) to the nearest site; inf for a company without a site


@dataclass(frozen=True)
class RankedCompany:
    company_id: int
    company_row: int
    total: float
    parts: dict[str, float]
    distance_km: float


@dataclass(frozen=True)
class Ranking:
    rows: tuple[RankedCompany, ...]
    # (company id, reason code from REASONS) for companies that would rank in the top `limit` without the filters.
    excluded: tuple[tuple[int, str], ...]
    need_is_neutral: bool


@dataclass(frozen=True)
class Explanation:
    """What a sentence about one proposed company can say; the caller words it in Dutch."""

    company_id: int
    distance_km: float
    element: int | None  # 0-based key element: the company's strongest among the school's weakest; None if none
    study_areas: tuple[int, ...]  # indices into A: target areas of the school the company fits


def haversine_km(lat1: float | np.ndarray, lon1: float | np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between points given in radians (broadcasts)."""
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def nearest_site_km(school: SchoolFeatures, companies: CompanyFeatures) -> np.ndarray:
    """(n,) distance from the school to each company's nearest site; inf for companies without a site.

    The same great-circle distance as `haversine_km`, from the chord between unit vectors (precomputed per site):
    sin²(Δσ/2) = chord²/4. Differences of nearby coordinates keep full precision, and no trigonometry runs per site.
    """
    distance = np.full(len(companies), np.inf)
    xyz = companies._site_xyz
    if xyz.shape[1] == 0:
        return distance
    cos_lat = math.cos(school.lat)
    here = (cos_lat * math.cos(school.lon), cos_lat * math.sin(school.lon), math.sin(school.lat))
    chord2 = np.square(xyz[0] - here[0])
    chord2 += np.square(xyz[1] - here[1])
    chord2 += np.square(xyz[2] - here[2])
    nearest = np.empty(len(companies))
    nearest[companies._single_rows] = chord2[companies._single_sites]
    if companies._multi_rows.size:
        # A sentinel at the end lets every (start, end) pair serve as reduceat bounds, even one ending at m; the
        # odd-numbered results (from one company's end to the next one's start) are dropped.
        padded = np.append(chord2, np.inf)
        nearest[companies._multi_rows] = np.minimum.reduceat(padded, companies._multi_bounds)[0::2]
    # The distance is monotone in the chord: take the minimum first, then one arcsin per company.
    with_site = companies._with_site
    distance[with_site] = (2 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(np.sqrt(nearest[with_site]) * 0.5, 1.0))
    return distance


def _check_school(school: SchoolFeatures, companies: CompanyFeatures) -> None:
    if school.need is not None and np.shape(school.need) != (ELEMENTS,):
        raise ValueError(f"need must have shape ({ELEMENTS},) or be None")
    if np.shape(school.target_areas) != (companies.study_areas.shape[1],):
        raise ValueError("target_areas must have one entry per study area of the companies")


def score_all(school: SchoolFeatures, companies: CompanyFeatures, weights: Weights) -> Scores:
    """Every part and the total for every company, vectorised (no Python loop over companies)."""
    _check_school(school, companies)
    w = weights.normalised()
    n = len(companies)
    parts = np.empty((len(PARTS), n))  # one contiguous row per part; returned transposed as (n, 6)
    if school.need is None:
        parts[0] = NEUTRAL_NEED
    else:
        need = np.clip(np.asarray(school.need, dtype=np.float64), 0.0, 1.0)
        np.matmul(need / max(float(need.sum()), EPS), companies._expertise_t, out=parts[0])
        np.clip(parts[0], 0.0, 1.0, out=parts[0])  # rounding only: expertise in [0, 1] keeps the fit in [0, 1]
    distance = nearest_site_km(school, companies)
    np.exp(distance / -PROXIMITY_SCALE_KM, out=parts[1])
    target = np.asarray(school.target_areas, dtype=bool)
    wanted = int(target.sum())
    if not wanted:
        parts[2] = 0.0
    elif companies._area_bits is not None:
        mask = np.uint64((target.astype(np.uint64) << np.arange(target.size, dtype=np.uint64)).sum())
        np.divide(np.bitwise_count(companies._area_bits & mask), wanted, out=parts[2])
    else:
        np.matmul(companies._area_float, target / wanted, out=parts[2])
    np.clip(companies.resources, 0.0, 1.0, out=parts[3])
    np.clip(companies.willingness, 0.0, 1.0, out=parts[4])
    parts[5] = 0.0
    parts[5, companies.rows_of(school.previous_partners)] = 1.0
    total = w @ parts
    np.clip(total, 0.0, 1.0, out=total)
    return Scores(total=total, parts=parts.T, distance_km=distance)


#: Above this many values, `_top` first drops values below a threshold taken from a strided sample.
_PREFILTER_FROM = 2048


def _top(values: np.ndarray, ids: np.ndarray, limit: int) -> np.ndarray:
    """Rows of the `limit` largest values (-inf = not a candidate), by value descending, ties by id ascending.

    A strided sample's `limit`-th largest value is a safe threshold: those `limit` sample values are themselves in
    `values`, so at least `limit` values reach it. Keeping everything at or above it leaves a few hundred rows for
    np.argpartition and the final sort instead of all n.
    """
    rows = np.flatnonzero(values > -np.inf)
    if limit == 0 or rows.size == 0:
        return rows[:0]
    if rows.size > _PREFILTER_FROM and rows.size > 64 * limit:
        stride = rows.size // max(32 * limit, 1024)
        sample = values[rows[::stride]]
        threshold = np.partition(sample, sample.size - limit)[sample.size - limit]
        rows = rows[values[rows] >= threshold]
    if rows.size > limit:
        kept = values[rows]
        kth = kept[np.argpartition(kept, kept.size - limit)[kept.size - limit]]
        rows = rows[kept >= kth]  # every value tied with the k-th stays in: ties are broken by id below
    order = np.lexsort((ids[rows], -values[rows]))
    return rows[order[:limit]]


def rank(
    school: SchoolFeatures,
    companies: CompanyFeatures,
    weights: Weights,
    *,
    limit: int = 10,
    max_distance_km: float | None = None,
    study_area: int | None = None,
    excluded: frozenset[int] = frozenset(),
    held: frozenset[int] = frozenset(),
) -> Ranking:
    """The `limit` best companies for the school among those it can still get, and why strong others are absent.

    A candidate has capacity left, lies within `max_distance_km` (if given), fits `study_area` (an index into the
    study-area columns, if given) and is not in `excluded` (company ids). Rows are sorted by total descending, ties
    by company id ascending. `held` (company ids): companies whose capacity this school itself holds (its own open
    proposal), so they are not full for it. `excluded` of the ranking lists, in rank order, the companies of the
    unfiltered top `limit` that the filters removed, each with the first reason of `REASONS` that applies.
    """
    if limit < 0:
        raise ValueError("limit must be >= 0")
    scores = score_all(school, companies, weights)
    n = len(companies)
    excluded_mask = np.zeros(n, dtype=bool)
    excluded_mask[companies.rows_of(excluded)] = True
    full = companies.capacity <= 0
    full[companies.rows_of(held)] = False
    reasons = {
        "excluded_pair": excluded_mask,
        "full_capacity": full,
        "beyond_distance": scores.distance_km > max_distance_km if max_distance_km is not None else None,
        "other_study_area": ~companies.study_areas[:, study_area] if study_area is not None else None,
    }
    blocked = np.zeros(n, dtype=bool)
    for mask in reasons.values():
        if mask is not None:
            blocked |= mask
    ids = companies.ids
    best = _top(np.where(blocked, -np.inf, scores.total), ids, limit)
    rows = tuple(
        RankedCompany(
            company_id=int(ids[r]),
            company_row=int(r),
            total=float(scores.total[r]),
            parts=dict(zip(PARTS, (float(v) for v in scores.parts[r]), strict=True)),
            distance_km=float(scores.distance_km[r]),
        )
        for r in best
    )
    explanations = []
    if blocked.any():
        for r in _top(scores.total, ids, limit):
            if blocked[r]:
                reason = next(code for code in REASONS if reasons[code] is not None and reasons[code][r])
                explanations.append((int(ids[r]), reason))
    return Ranking(rows=rows, excluded=tuple(explanations), need_is_neutral=school.need is None)


def explain(row: int, school: SchoolFeatures, companies: CompanyFeatures, *, weakest: int = 3) -> Explanation:
    """Plain data for one company row: distance, its strongest key element among the school's `weakest` key
    elements (highest need), and the school's target study areas it fits."""
    _check_school(school, companies)
    distance = float(
        haversine_km(
            school.lat,
            school.lon,
            companies.site_lat[companies.site_start[row] : companies.site_start[row] + companies.site_count[row]],
            companies.site_lon[companies.site_start[row] : companies.site_start[row] + companies.site_count[row]],
        ).min(initial=np.inf)
    )
    element = None
    if school.need is not None:
        need = np.asarray(school.need, dtype=np.float64)
        # Weakest first; ties by element number so the choice is deterministic.
        weak = [int(e) for e in np.lexsort((np.arange(ELEMENTS), -need))[:weakest] if need[e] > 0]
        strong = [e for e in weak if companies.expertise[row, e] > 0]
        if strong:
            element = max(strong, key=lambda e: (companies.expertise[row, e], need[e], -e))
    areas = np.flatnonzero(companies.study_areas[row] & np.asarray(school.target_areas, dtype=bool))
    return Explanation(
        company_id=int(companies.ids[row]),
        distance_km=distance,
        element=element,
        study_areas=tuple(int(a) for a in areas),
    )


def score_one_loop(school: SchoolFeatures, companies: CompanyFeatures, weights: Weights) -> np.ndarray:
    """The same totals as `score_all`, company by company in plain Python: the test oracle and benchmark baseline."""
    w = [float(x) for x in weights.normalised()]
    need = None if school.need is None else [min(max(float(x), 0.0), 1.0) for x in school.need]
    target = [bool(x) for x in school.target_areas]
    wanted = sum(target)
    totals = np.empty(len(companies))
    for i in range(len(companies)):
        if need is None:
            need_part = NEUTRAL_NEED
        else:
            fit = sum(n * float(e) for n, e in zip(need, companies.expertise[i], strict=True))
            need_part = fit / max(sum(need), EPS)
        start, count = int(companies.site_start[i]), int(companies.site_count[i])
        nearest = math.inf
        for j in range(start, start + count):
            lat, lon = float(companies.site_lat[j]), float(companies.site_lon[j])
            a = (
                math.sin((lat - school.lat) / 2) ** 2
                + math.cos(school.lat) * math.cos(lat) * math.sin((lon - school.lon) / 2) ** 2
            )
            nearest = min(nearest, 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(a, 1.0))))
        proximity = math.exp(-nearest / PROXIMITY_SCALE_KM)
        fits = [bool(x) for x in companies.study_areas[i]]
        sector = sum(t and f for t, f in zip(target, fits, strict=True)) / wanted if wanted else 0.0
        continuity = 1.0 if int(companies.ids[i]) in school.previous_partners else 0.0
        parts = (need_part, proximity, sector, float(companies.resources[i]), float(companies.willingness[i]))
        parts = (*(min(max(p, 0.0), 1.0) for p in parts), continuity)
        totals[i] = min(max(sum(p * x for p, x in zip(parts, w, strict=True)), 0.0), 1.0)
    return totals
