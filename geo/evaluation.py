"""Score observations against gold annotations, exactly as ``../shared/eval/score.py`` does.

The shared scorer is the yardstick the product is accepted on; this module
re-implements its matching rules (name folding with the same variant table,
25 km matching for gold cities, ``also_ok`` and ``optional`` places) inside the
package, so that ``python -m geo eval`` and the tests do not depend on a file
outside the repository, and adds what a developer needs on top: precision and
recall per status, and the list of misses and wrong predictions.
``tests/test_evaluation.py`` pins the figures to ones the reference scorer
printed, so the two cannot drift apart unnoticed.
"""
from __future__ import annotations

import json
import math
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo.observations import STATUSES

#: Spellings that name the same place; keys and values are folded forms (the reference table).
VARIANTS = {
    "kiev": "kyiv", "kyyiv": "kyiv", "kiew": "kyiv",
    "odessa": "odesa",
    "mykolayiv": "mykolaiv", "nikolaev": "mykolaiv", "nikolayev": "mykolaiv", "mikolaiv": "mykolaiv",
    "kharkov": "kharkiv",
    "donbass": "donbas", "donbas region": "donbas",
    "dnieper river": "dnieper", "dnipro river": "dnieper", "dnepr": "dnieper", "river dnieper": "dnieper",
    "azov sea": "sea of azov", "sea of azov": "sea of azov",
    "ussr": "soviet union",
    "chernigov": "chernihiv", "zaporozhye": "zaporizhzhia", "zaporizhia": "zaporizhzhia",
    "zaporizhzhya": "zaporizhzhia", "severodonetsk": "sievierodonetsk", "sieverodonetsk": "sievierodonetsk",
    "izyum": "izium", "artemivsk": "bakhmut", "artyomovsk": "bakhmut", "lisichansk": "lysychansk",
    "lysychans'k": "lysychansk", "avdiyivka": "avdiivka", "avdeevka": "avdiivka", "melitopol'": "melitopol",
    "berdyansk": "berdiansk", "kupyansk": "kupiansk", "kup'iansk": "kupiansk", "enerhodar": "enerhodar",
    "energodar": "enerhodar", "vugledar": "vuhledar", "bucha": "bucha", "irpen": "irpin",
    "gostomel": "hostomel", "sumy": "sumy", "kherson": "kherson", "kerch": "kerch",
    "crimean peninsula": "crimea", "the crimea": "crimea", "krym": "crimea",
    "turkiye": "turkey", "türkiye": "turkey", "russian federation": "russia",
    "united states": "united states", "us": "united states", "u.s.": "united states", "usa": "united states",
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
}

RADIUS_KM = 25.0


def fold(name: object) -> str:
    """Case- and accent-folded name, leading "the " dropped, through :data:`VARIANTS`."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower().strip()
    s = s.replace("’", "'").replace("`", "'")
    if s.startswith("the "):
        s = s[4:]
    s = " ".join(s.split())
    return VARIANTS.get(s, s)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class GoldError(ValueError):
    """A gold or prediction file that cannot be scored (the message names the line)."""


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise GoldError(f"{path}:{n}: not JSON: {e}") from e
    return rows


def article_key(value: object) -> str:
    return os.path.basename(str(value))


def group_predictions(rows: Iterable[dict]) -> dict[str, dict[str, dict]]:
    """article -> {folded name: {"name", "lat", "lon", "statuses"}}"""
    out: dict[str, dict[str, dict]] = {}
    for r in rows:
        if "article" not in r or "place" not in r:
            raise GoldError(f"prediction without article/place: {r}")
        places = out.setdefault(article_key(r["article"]), {})
        key = fold(r["place"])
        entry = places.setdefault(key, {"name": r["place"], "lat": r.get("lat"), "lon": r.get("lon"),
                                        "statuses": set()})
        if entry["lat"] is None and r.get("lat") is not None:
            entry["lat"], entry["lon"] = r.get("lat"), r.get("lon")
        if r.get("status"):
            entry["statuses"].add(r["status"])
    return out


def match(gold_places: list[dict], pred_places: dict[str, dict]) -> tuple[dict[int, list[str]], set[str]]:
    """Gold index -> matching prediction keys (by folded name or alias, else a city within 25 km)."""
    by_name = {fold(g["name"]): i for i, g in enumerate(gold_places)}
    for i, g in enumerate(gold_places):
        for alias in g.get("aliases", []):
            by_name.setdefault(fold(alias), i)
    matched: dict[int, list[str]] = {}
    used: set[str] = set()
    for key, p in pred_places.items():
        i = by_name.get(key)
        if i is None and p.get("lat") is not None and p.get("lon") is not None:
            best = None
            for j, g in enumerate(gold_places):
                if g.get("kind", "city") != "city":
                    continue
                d = km(p["lat"], p["lon"], g["lat"], g["lon"])
                if d <= RADIUS_KM and (best is None or d < best[0]):
                    best = (d, j)
            if best:
                i = best[1]
        if i is not None:
            matched.setdefault(i, []).append(key)
            used.add(key)
    return matched, used


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


@dataclass
class Report:
    """The reference scorer's result, plus per-status counts."""

    articles: int
    places: dict
    geocoding: dict
    statuses: dict
    per_status: dict[str, dict] = field(default_factory=dict)
    unknown_statuses: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        """The reference scorer's last line, character for character."""
        pl, g, st = self.places, self.geocoding, self.statuses
        return (f"places P/R/F1 {pl['precision']:.3f}/{pl['recall']:.3f}/{pl['f1']:.3f}  "
                f"geocoding acc@25km {g['acc_at_25km']:.3f} (n={g['cities']}, median {g['median_km']} km)  "
                f"statuses P/R/F1 {st['precision']:.3f}/{st['recall']:.3f}/{st['f1']:.3f}")

    def status_table(self) -> str:
        """Per-status precision/recall/F1 with their counts, one line each."""
        lines = [f"{'status':<11} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
        for status in STATUSES:
            c = self.per_status.get(status, {"tp": 0, "fp": 0, "fn": 0})
            p, r, f = prf(c["tp"], c["fp"], c["fn"])
            lines.append(f"{status:<11} {p:6.3f} {r:6.3f} {f:6.3f} {c['tp']:4d} {c['fp']:4d} {c['fn']:4d}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"articles": self.articles, "places": self.places, "geocoding": self.geocoding,
                "statuses": self.statuses, "per_status": self.per_status,
                "unknown_statuses": self.unknown_statuses, "misses": self.misses, "wrong": self.wrong}


def score(gold_rows: list[dict], pred_rows: list[dict]) -> Report:
    """Score predictions (observation records) against gold articles."""
    preds = group_predictions(pred_rows)
    pl = {"tp": 0, "fp": 0, "fn": 0}
    st = {"tp": 0, "fp": 0, "fn": 0}
    per = {s: {"tp": 0, "fp": 0, "fn": 0} for s in STATUSES}
    errors_km: list[float] = []
    misses: list[str] = []
    wrong: list[str] = []
    unknown = sorted({r.get("status") for r in pred_rows if r.get("status") and r.get("status") not in STATUSES})

    def count(statuses: Iterable[str], outcome: str) -> None:
        for s in statuses:
            per.setdefault(s, {"tp": 0, "fp": 0, "fn": 0})[outcome] += 1

    for g in gold_rows:
        art = article_key(g["article"])
        gp = g["places"]
        pp = preds.get(art, {})
        matched, used = match(gp, pp)
        for i, place in enumerate(gp):
            keys = matched.get(i, [])
            req, ok = set(place.get("statuses", [])), set(place.get("also_ok", []))
            if place.get("optional"):
                continue
            if not keys:
                pl["fn"] += 1
                st["fn"] += len(req)
                count(req, "fn")
                misses.append(f"{art}: place {place['name']} not found")
                continue
            pl["tp"] += 1
            got = set().union(*(pp[k]["statuses"] for k in keys))
            st["tp"] += len(got & req)
            st["fn"] += len(req - got)
            st["fp"] += len(got - req - ok)
            count(got & req, "tp")
            count(req - got, "fn")
            count(got - req - ok, "fp")
            for s in sorted(req - got):
                misses.append(f"{art}: {place['name']} missing status {s}")
            for s in sorted(got - req - ok):
                wrong.append(f"{art}: {place['name']} wrong status {s}")
            if place.get("kind", "city") == "city":
                cands = [pp[k] for k in keys if pp[k].get("lat") is not None]
                if cands:
                    errors_km.append(min(km(c["lat"], c["lon"], place["lat"], place["lon"]) for c in cands))
                else:
                    errors_km.append(float("inf"))
        for key, p in pp.items():
            if key in used:
                continue
            pl["fp"] += 1
            st["fp"] += len(p["statuses"])
            count(p["statuses"], "fp")
            wrong.append(f"{art}: extra place {p['name']}" + (f" {sorted(p['statuses'])}" if p["statuses"] else ""))
    errors_km.sort()
    median = errors_km[len(errors_km) // 2] if errors_km else None
    acc25 = sum(e <= RADIUS_KM for e in errors_km) / len(errors_km) if errors_km else 0.0
    p, r, f = prf(**pl)
    sp, sr, sf = prf(**st)
    return Report(
        articles=len(gold_rows),
        places={"precision": p, "recall": r, "f1": f, **pl},
        geocoding={"cities": len(errors_km), "acc_at_25km": round(acc25, 4),
                   "median_km": None if median is None else round(median, 2)},
        statuses={"precision": sp, "recall": sr, "f1": sf, **st},
        per_status=per,
        unknown_statuses=unknown,
        misses=misses,
        wrong=wrong,
    )


def score_files(gold: str | Path, predictions: str | Path) -> Report:
    return score(read_jsonl(gold), read_jsonl(predictions))
