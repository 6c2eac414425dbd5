"""A realistic manager-dashboard summary payload, as `dashboard_summary(year=2022)` builds it
(the contract in DEVELOPERS.md terms: every number a decimal string, labels translated into
the language active when it was built), for the tests of what draws or prints it.

- `SAMPLE_PAYLOAD`: the city, the verification of 2022 data, built in English;
- `SAMPLE_PAYLOAD_ZH`: the same figures built in Simplified Chinese;
- `SAMPLE_PAYLOADS`: both, keyed by language code, as `briefing_pdf` takes them;
- `EMPTY_PAYLOAD`: a year with nothing recorded yet: every list empty, no target, no price.

The figures are the story's: 118,770 t gained by verification, worth 9,432,713.40 yuan at the
CEA close of 2023-12-29 (79.42 yuan/t); 46 on-site and 90 remote assistance sessions by
January 2024. A test that changes a payload takes its own copy from `sample_payload()`,
`sample_payloads()` or `empty_payloads()`.
"""

import copy

_ENTERPRISES = [
    # id, zh name, en name, district key, industry key, tonnes, yuan (tonnes × 79.42)
    (7, "包头铝业有限公司", "Baotou Aluminium Co., Ltd.", "donghe", "aluminium", "38420.000", "3051316.40"),
    (3, "包钢集团热电厂", "Baotou Iron and Steel Thermal Power Plant", "kundulun", "power", "29615.500", "2352063.01"),
    (12, "内蒙古希铝有限公司", "Inner Mongolia Xi Aluminium Co., Ltd.", "jiuyuan", "aluminium", "26110.250", "2073676.06"),
    (15, "包头白云选矿有限公司", "Baotou Baiyun Mineral Processing Co., Ltd.", "baiyun_obo", "mining", "12384.250", "983557.14"),
    (21, "华电包头发电有限公司", "Huadian Baotou Power Generation Co., Ltd.", "jiuyuan", "power", "7840.000", "622652.80"),
    (9, "北方联合电力包头第一热电厂", "Northern United Power Baotou No. 1 Thermal Power Plant", "qingshan", "power", "4400.000", "349448.00"),
]  # fmt: skip

_DISTRICTS = [
    # key, zh, en, tonnes, yuan — by yuan, largest first
    ("donghe", "东河区", "Donghe District", "38420.000", "3051316.40"),
    ("jiuyuan", "九原区", "Jiuyuan District", "33950.250", "2696328.86"),
    ("kundulun", "昆都仑区", "Kundulun District", "29615.500", "2352063.01"),
    ("baiyun_obo", "白云鄂博矿区", "Bayan Obo Mining District", "12384.250", "983557.14"),
    ("qingshan", "青山区", "Qingshan District", "4400.000", "349448.00"),
]

_INDUSTRIES = [
    ("aluminium", "电解铝", "Aluminium smelting", "64530.250", "5124992.46"),
    ("power", "发电", "Power generation", "41855.500", "3324163.81"),
    ("mining", "采矿与选矿", "Mining and mineral processing", "12384.250", "983557.14"),
]

_MEASURES = [
    ("verification", "核查", "Verification", "118770.000", "9432713.40", "/verification/cases/?year=2022"),
    ("cross_check", "配额数据交叉核对", "Cross-verification of allocation data", "0.000", "0.00", "/allocation/cross-checks/?year=2022"),
    ("relief_advance", "配额预支", "Allowance advance", "0.000", "0.00", "/allocation/relief/?kind=advance"),
    ("relief_individual", "个性化纾困", "Individual relief", "0.000", "0.00", None),
    ("assistance", "帮扶", "Assistance", "0.000", "0.00", "/assistance/progress/"),
]  # fmt: skip

_RELIEF = [
    ("granted", "已批准", "Granted", 3),
    ("forwarded", "已报送自治区生态环境厅", "Forwarded to the province", 1),
]

_SHORTFALL = [
    ("none", "无缺口", "No shortfall", 22),
    ("under_10", "缺口低于 10%", "Shortfall under 10%", 1),
    ("10_to_20", "缺口 10%–20%", "Shortfall of 10–20%", 2),
]

_MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + ["2024-01"]
_ONSITE = [2, 3, 4, 5, 4, 3, 5, 4, 4, 3, 4, 3, 2]  # 46
_REMOTE = [5, 6, 7, 8, 7, 6, 8, 9, 8, 7, 8, 6, 5]  # 90


def _build(zh: bool) -> dict:
    pick = 1 if zh else 2
    return {
        "year": 2022,
        "district": None,
        "district_label": None,
        "computed_at": "2026-12-03T02:00:00+08:00",
        "price": {
            "yuan_per_t": "79.42",
            "on": "2023-12-29",
            "label": "2023-12-29 全国碳市场收盘价" if zh else "CEA close on 2023-12-29",
        },
        "headline": {
            "gain_t": "118770.000",
            "savings_yuan": "9432713.40",
            "shortfall_enterprises": 3,
            "projected_shortfall_enterprises": 2,
            "listed_enterprises": 25,
        },
        "assistance": {
            "period_start": "2023-01-01",
            "period_end": "2024-01-31",
            "onsite": {"done": 46, "target": 40},
            "remote": {"done": 90, "target": 80},
            "trainings": {"done": 3, "target": 3},
            "enterprises_covered": 20,
            "enterprises_listed": 25,
        },
        "relief_by_status": [
            {"status": row[0], "label": row[pick], "count": row[3], "url": f"/allocation/relief/?status={row[0]}"}
            for row in _RELIEF
        ],
        "evidence": {"expected": 300, "accepted": 280, "share": "0.933"},
        "measures": [
            {"measure": row[0], "label": row[pick], "tonnes": row[3], "yuan": row[4], "url": row[5]}
            for row in _MEASURES
        ],
        "by_enterprise": [
            {"enterprise_id": row[0], "name": row[pick], "tonnes": row[5], "yuan": row[6], "url": f"/enterprises/{row[0]}/"}
            for row in _ENTERPRISES
        ],
        "by_district": [
            {"key": row[0], "label": row[pick], "tonnes": row[3], "yuan": row[4], "url": f"/enterprises/?district={row[0]}"}
            for row in _DISTRICTS
        ],
        "by_industry": [
            {"key": row[0], "label": row[pick], "tonnes": row[3], "yuan": row[4], "url": None}
            for row in _INDUSTRIES
        ],
        "assistance_by_month": [
            {"month": month, "onsite": onsite, "remote": remote}
            for month, onsite, remote in zip(_MONTHS, _ONSITE, _REMOTE, strict=True)
        ],
        "shortfall_distribution": [
            {"bucket": row[0], "label": row[pick], "count": row[3], "url": f"/allocation/positions/?bucket={row[0]}"}
            for row in _SHORTFALL
        ],
    }  # fmt: skip


def _empty() -> dict:
    payload = _build(zh=False)
    payload.update(computed_at=None, price=None)
    payload["headline"] = {
        "gain_t": "0.000",
        "savings_yuan": "0.00",
        "shortfall_enterprises": 0,
        "projected_shortfall_enterprises": 0,
        "listed_enterprises": 0,
    }
    payload["assistance"] = {
        "period_start": "2023-01-01",
        "period_end": "2024-01-31",
        "onsite": {"done": 0, "target": None},
        "remote": {"done": 0, "target": None},
        "trainings": {"done": 0, "target": None},
        "enterprises_covered": 0,
        "enterprises_listed": 0,
    }
    payload["evidence"] = {"expected": 0, "accepted": 0, "share": None}
    for measure in payload["measures"]:
        measure.update(tonnes="0.000", yuan="0.00")
    for key in (
        "relief_by_status",
        "by_enterprise",
        "by_district",
        "by_industry",
        "assistance_by_month",
        "shortfall_distribution",
    ):
        payload[key] = []
    return payload


SAMPLE_PAYLOAD = _build(zh=False)
SAMPLE_PAYLOAD_ZH = _build(zh=True)
SAMPLE_PAYLOADS = {"zh-hans": SAMPLE_PAYLOAD_ZH, "en": SAMPLE_PAYLOAD}
EMPTY_PAYLOAD = _empty()


def sample_payload(*, zh: bool = False) -> dict:
    """A fresh copy of SAMPLE_PAYLOAD (or SAMPLE_PAYLOAD_ZH) to change in a test."""
    return copy.deepcopy(SAMPLE_PAYLOAD_ZH if zh else SAMPLE_PAYLOAD)


def sample_payloads() -> dict[str, dict]:
    return copy.deepcopy(SAMPLE_PAYLOADS)


def empty_payloads() -> dict[str, dict]:
    return {"zh-hans": copy.deepcopy(EMPTY_PAYLOAD), "en": copy.deepcopy(EMPTY_PAYLOAD)}
