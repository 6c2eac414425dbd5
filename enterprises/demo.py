"""Demonstration data for the registry, loaded by `manage.py seed_demo`.

Baotou's key emitting enterprises as a bureau would meet them: the four groups whose captive
power plants entered the 2021–2022 scheme (DOMAIN §1), the city's public power and heating
plants, and other heavy industry spread over all nine districts. Names are plausible, not an
official list; credit codes and registry accounts are synthetic but valid and the same on
every run, so records can be found again by their natural keys.

`seed()` is idempotent: a record is created when missing, updated only when a field differs,
and left alone otherwise, so a second run writes nothing (and adds no history rows).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from baotou_carbon.core.audit import save_audited

from .models import (
    AllocationCategory,
    Contact,
    Cooling,
    District,
    Enterprise,
    Facility,
    FacilityKind,
    Fuel,
    GeneratingUnit,
    Industry,
    KeyEmitterListing,
    OperatingMode,
    VerificationAgency,
)
from .validators import USCC_ALPHABET, uscc_check_character

FIRST_LISTING_YEAR = 2021  # the story's first year; the demo lists every year since


def listing_years(today: date) -> range:
    """The years the demo enterprises are listed as key emitters: from the story's first to
    the one the demo is seeded in (a year's listing is published at its start)."""
    return range(FIRST_LISTING_YEAR, today.year + 1)


# Registration authority 9 (industry and commerce) + entity type 1 (company).
USCC_PREFIX = "91"

M = TypeVar("M", bound=models.Model)

# Outcome of one upsert, counted per model for the command's summary.
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def demo_uscc(region: str, key: str) -> str:
    """A valid credit code, the same for `key` on every run: "91" + the 6-digit region code
    + a 9-character organisation code derived from `key` + the GB 32100 check character."""
    digest = hashlib.sha256(key.encode()).digest()
    organisation = "".join(USCC_ALPHABET[b % len(USCC_ALPHABET)] for b in digest[:9])
    first17 = f"{USCC_PREFIX}{region}{organisation}"
    return first17 + uscc_check_character(first17)


def upsert(model: type[M], *, actor, tally: Counter, defaults: dict[str, Any], **lookup) -> M:
    """Find the row by its natural key `lookup`; create it, or update the fields of `defaults`
    that differ. Every write is validated and its history row names `actor`."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **defaults)
        outcome = CREATED
    else:
        changed = {k: v for k, v in defaults.items() if getattr(instance, k) != v}
        for name, value in changed.items():
            setattr(instance, name, value)
        outcome = UPDATED if changed else UNCHANGED
    if outcome != UNCHANGED:
        save_audited(instance, actor=actor)
    tally[f"{model._meta.model_name} {outcome}"] += 1
    return instance


# The data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUnit:
    code: str
    category: str
    capacity_mw: str
    cooling: str
    mode: str
    fuel: str
    commissioned_on: date | None = None
    is_cfb: bool = False


@dataclass(frozen=True)
class DemoFacility:
    name_zh: str
    name_en: str
    kind: str
    units: tuple[DemoUnit, ...] = ()


@dataclass(frozen=True)
class DemoContact:
    name: str
    position: str
    phone: str
    email: str


@dataclass(frozen=True)
class DemoEnterprise:
    key: str  # stable seed of the synthetic credit code and registry account
    name_zh: str
    name_en: str
    district: str
    industry: str
    address: str
    contacts: tuple[DemoContact, ...]  # the first one is the primary contact
    facilities: tuple[DemoFacility, ...] = field(default=())

    @property
    def uscc(self) -> str:
        return demo_uscc(self.district, self.key)

    @property
    def holds_power_units(self) -> bool:
        return any(facility.units for facility in self.facilities)


def _pair(
    category: str,
    capacity: str,
    cooling: str,
    mode: str,
    fuel: str,
    commissioned: tuple[date, date],
    *,
    is_cfb: bool = False,
    first: int = 1,
) -> tuple[DemoUnit, ...]:
    """Two identical units #first and #first+1, as plants are usually built."""
    return tuple(
        DemoUnit(f"#{first + i}", category, capacity, cooling, mode, fuel, commissioned[i], is_cfb)
        for i in range(2)
    )


A300 = AllocationCategory.COAL_ABOVE_300
B300 = AllocationCategory.COAL_300_AND_BELOW
UNCONV = AllocationCategory.UNCONVENTIONAL_COAL
GAS = AllocationCategory.GAS
WATER, AIR, BACK = Cooling.WATER, Cooling.AIR, Cooling.BACK_PRESSURE
CHP, COND = OperatingMode.CHP, OperatingMode.CONDENSING


def _contact(name: str, position: str, phone: str, mailbox: str, domain: str) -> DemoContact:
    return DemoContact(name, position, f"0472-{phone}", f"{mailbox}@{domain}.example.cn")


ENTERPRISES: tuple[DemoEnterprise, ...] = (
    # The four holders of captive power units of DOMAIN §1 (allowance advance, relief).
    DemoEnterprise(
        key="xilv",
        name_zh="内蒙古希铝新材料科技有限公司",
        name_en="Inner Mongolia Xi Aluminium New Materials Technology Co., Ltd.",
        district=District.JIUYUAN,
        industry=Industry.ALUMINIUM,
        address="内蒙古自治区包头市九原区哈林格尔镇铝业产业园",
        contacts=(
            _contact("张志强", "能源环保部部长", "6921001", "zhangzq", "xilv"),
            _contact("刘静", "碳排放管理专员", "6921015", "liujing", "xilv"),
        ),
        facilities=(
            DemoFacility(
                "希铝自备电厂",
                "Xi Aluminium captive power plant",
                FacilityKind.CAPTIVE_POWER,
                _pair(A300, "350", AIR, COND, Fuel.COAL, (date(2017, 6, 30), date(2017, 9, 28)))
                + _pair(
                    A300,
                    "350",
                    AIR,
                    COND,
                    Fuel.COAL,
                    (date(2018, 3, 15), date(2018, 6, 20)),
                    first=3,
                ),
            ),
            DemoFacility("希铝电解铝厂", "Xi Aluminium smelter", FacilityKind.PRODUCTION),
        ),
    ),
    DemoEnterprise(
        key="baotou-aluminium",
        name_zh="包头铝业有限公司",
        name_en="Baotou Aluminum Co., Ltd.",
        district=District.DONGHE,
        industry=Industry.ALUMINIUM,
        address="内蒙古自治区包头市东河区毛其来",
        contacts=(
            _contact("王海军", "安全环保部主任", "4762201", "wanghj", "btly"),
            _contact("赵丽", "碳资产管理岗", "4762236", "zhaoli", "btly"),
        ),
        facilities=(
            DemoFacility(
                "包头铝业自备电厂",
                "Baotou Aluminum captive power plant",
                FacilityKind.CAPTIVE_POWER,
                _pair(B300, "135", WATER, CHP, Fuel.COAL, (date(2004, 11, 8), date(2005, 4, 26)))
                # Exactly 300 MW belongs to "300 MW and below" (DOMAIN §4).
                + _pair(
                    B300,
                    "300",
                    AIR,
                    CHP,
                    Fuel.COAL,
                    (date(2008, 10, 12), date(2009, 1, 18)),
                    first=3,
                ),
            ),
            DemoFacility("包头铝业电解铝厂", "Baotou Aluminum smelter", FacilityKind.PRODUCTION),
        ),
    ),
    DemoEnterprise(
        key="baogang-thermal",
        name_zh="包钢集团热电有限责任公司",
        name_en="Baotou Iron and Steel Group Thermal Power Co., Ltd.",
        district=District.KUNDULUN,
        industry=Industry.STEEL,
        address="内蒙古自治区包头市昆都仑区河西工业区",
        contacts=(_contact("李卫东", "生产技术部部长", "2183306", "liweidong", "bgrd"),),
        facilities=(
            DemoFacility(
                "包钢热电厂",
                "Baotou Steel thermal power plant",
                FacilityKind.CAPTIVE_POWER,
                _pair(B300, "200", WATER, CHP, Fuel.COAL, (date(2006, 7, 1), date(2006, 12, 5)))
                + _pair(
                    A300,
                    "350",
                    AIR,
                    CHP,
                    Fuel.COAL,
                    (date(2016, 8, 22), date(2016, 12, 1)),
                    first=3,
                ),
            ),
        ),
    ),
    DemoEnterprise(
        key="baiyun-processing",
        name_zh="白云鄂博选矿有限责任公司",
        name_en="Baiyun Mineral Processing Co., Ltd.",
        district=District.BAIYUN_OBO,
        industry=Industry.MINING,
        address="内蒙古自治区包头市白云鄂博矿区通阳道街",
        contacts=(
            _contact("孟庆华", "动力车间主任", "8512760", "mengqh", "byxk"),
            _contact("高娜", "统计员", "8512771", "gaona", "byxk"),
        ),
        facilities=(
            DemoFacility(
                "白云选矿自备电厂",
                "Baiyun Mineral Processing captive power plant",
                FacilityKind.CAPTIVE_POWER,
                _pair(
                    UNCONV,
                    "50",
                    BACK,
                    CHP,
                    Fuel.COAL_GANGUE,
                    (date(2011, 10, 20), date(2012, 5, 16)),
                    is_cfb=True,
                ),
            ),
        ),
    ),
    # Public power and heating plants.
    DemoEnterprise(
        key="nupc-baotou-1",
        name_zh="北方联合电力有限责任公司包头第一热电厂",
        name_en="Northern United Power Co., Ltd. Baotou No. 1 Thermal Power Plant",
        district=District.QINGSHAN,
        industry=Industry.POWER,
        address="内蒙古自治区包头市青山区富强北路",
        contacts=(
            _contact("杨建平", "燃料管理部经理", "3391102", "yangjp", "nupc-bt1"),
            _contact("周敏", "环保专工", "3391130", "zhoumin", "nupc-bt1"),
        ),
        facilities=(
            DemoFacility(
                "包头第一热电厂",
                "Baotou No. 1 Thermal Power Plant",
                FacilityKind.PUBLIC_POWER,
                _pair(A300, "350", AIR, CHP, Fuel.COAL, (date(2015, 11, 2), date(2016, 1, 20))),
            ),
        ),
    ),
    DemoEnterprise(
        key="nupc-baotou-2",
        name_zh="北方联合电力有限责任公司包头第二热电厂",
        name_en="Northern United Power Co., Ltd. Baotou No. 2 Thermal Power Plant",
        district=District.DONGHE,
        industry=Industry.POWER,
        address="内蒙古自治区包头市东河区南门外大街",
        contacts=(_contact("何振华", "安环部主任", "4171588", "hezh", "nupc-bt2"),),
        facilities=(
            DemoFacility(
                "包头第二热电厂",
                "Baotou No. 2 Thermal Power Plant",
                FacilityKind.PUBLIC_POWER,
                _pair(B300, "200", WATER, CHP, Fuel.COAL, (date(2003, 9, 9), date(2004, 3, 30))),
            ),
        ),
    ),
    DemoEnterprise(
        key="nupc-baotou-3",
        name_zh="北方联合电力有限责任公司包头第三热电厂",
        name_en="Northern United Power Co., Ltd. Baotou No. 3 Thermal Power Plant",
        district=District.KUNDULUN,
        industry=Industry.POWER,
        address="内蒙古自治区包头市昆都仑区卜尔汉图镇",
        contacts=(
            _contact("韩冬梅", "计划经营部经理", "2571219", "handm", "nupc-bt3"),
            _contact("郭鹏", "碳排放专责", "2571240", "guopeng", "nupc-bt3"),
        ),
        facilities=(
            DemoFacility(
                "包头第三热电厂",
                "Baotou No. 3 Thermal Power Plant",
                FacilityKind.PUBLIC_POWER,
                _pair(A300, "330", AIR, CHP, Fuel.COAL, (date(2010, 12, 6), date(2011, 6, 28))),
            ),
        ),
    ),
    DemoEnterprise(
        key="huadian-baotou",
        name_zh="内蒙古华电包头发电有限公司",
        name_en="Inner Mongolia Huadian Baotou Power Generation Co., Ltd.",
        district=District.JIUYUAN,
        industry=Industry.POWER,
        address="内蒙古自治区包头市九原区麻池镇",
        contacts=(_contact("陈立新", "设备部主任", "5386620", "chenlx", "hdbt"),),
        facilities=(
            DemoFacility(
                "华电包头发电厂",
                "Huadian Baotou power station",
                FacilityKind.PUBLIC_POWER,
                _pair(A300, "600", AIR, COND, Fuel.COAL, (date(2005, 12, 18), date(2006, 6, 8))),
            ),
        ),
    ),
    DemoEnterprise(
        key="datang-donghua",
        name_zh="内蒙古大唐国际包头东华热电有限公司",
        name_en="Inner Mongolia Datang International Baotou Donghua Thermal Power Co., Ltd.",
        district=District.DONGHE,
        industry=Industry.POWER,
        address="内蒙古自治区包头市东河区沙尔沁工业园区",
        contacts=(
            _contact("马俊", "发电部部长", "4633805", "majun", "dtdh"),
            _contact("孙晓燕", "节能环保专工", "4633818", "sunxy", "dtdh"),
        ),
        facilities=(
            DemoFacility(
                "东华热电厂",
                "Donghua thermal power plant",
                FacilityKind.PUBLIC_POWER,
                _pair(B300, "300", AIR, CHP, Fuel.COAL, (date(2009, 8, 14), date(2009, 11, 30))),
            ),
        ),
    ),
    DemoEnterprise(
        key="huaneng-tumed-right",
        name_zh="华能内蒙古土默特右旗发电有限公司",
        name_en="Huaneng Inner Mongolia Tumed Right Banner Power Generation Co., Ltd.",
        district=District.TUMED_RIGHT,
        industry=Industry.POWER,
        address="内蒙古自治区包头市土默特右旗萨拉齐镇",
        contacts=(_contact("白永刚", "生产副总工", "8829107", "baiyg", "hntyq"),),
        facilities=(
            DemoFacility(
                "土右发电厂",
                "Tumed Right power station",
                FacilityKind.PUBLIC_POWER,
                _pair(A300, "660", AIR, COND, Fuel.COAL, (date(2018, 10, 25), date(2019, 4, 12))),
            ),
        ),
    ),
    DemoEnterprise(
        key="shiguai-gangue",
        name_zh="包头市石拐煤矸石热电有限公司",
        name_en="Baotou Shiguai Coal Gangue Thermal Power Co., Ltd.",
        district=District.SHIGUAI,
        industry=Industry.POWER,
        address="内蒙古自治区包头市石拐区大发街",
        contacts=(_contact("乔文斌", "总经理助理", "8724416", "qiaowb", "sgmgs"),),
        facilities=(
            DemoFacility(
                "石拐煤矸石热电厂",
                "Shiguai coal gangue thermal power plant",
                FacilityKind.PUBLIC_POWER,
                _pair(
                    UNCONV,
                    "135",
                    AIR,
                    CHP,
                    Fuel.COAL_GANGUE,
                    (date(2012, 9, 3), date(2013, 1, 11)),
                    is_cfb=True,
                ),
            ),
        ),
    ),
    DemoEnterprise(
        key="beifang-gas-chp",
        name_zh="包头北方燃气热电有限公司",
        name_en="Baotou Beifang Gas-fired Thermal Power Co., Ltd.",
        district=District.QINGSHAN,
        industry=Industry.POWER,
        address="内蒙古自治区包头市青山区装备制造产业园区",
        contacts=(
            _contact("吴凯", "运行部经理", "3126650", "wukai", "bfrq"),
            _contact("林小雨", "安全环保员", "3126671", "linxy", "bfrq"),
        ),
        facilities=(
            DemoFacility(
                "北方燃气热电厂",
                "Beifang gas-fired CHP plant",
                FacilityKind.HEATING,
                _pair(
                    GAS, "120", WATER, CHP, Fuel.NATURAL_GAS, (date(2020, 11, 1), date(2021, 1, 15))
                ),
            ),
        ),
    ),
    DemoEnterprise(
        key="guyang-huasheng",
        name_zh="固阳县华升热电有限公司",
        name_en="Guyang Huasheng Thermal Power Co., Ltd.",
        district=District.GUYANG,
        industry=Industry.POWER,
        address="内蒙古自治区包头市固阳县金山镇",
        contacts=(_contact("郝建军", "总工程师", "8123388", "haojj", "gyhs"),),
        facilities=(
            DemoFacility(
                "华升热电厂",
                "Huasheng thermal power plant",
                FacilityKind.HEATING,
                _pair(B300, "25", BACK, CHP, Fuel.COAL, (date(2014, 10, 10), date(2014, 10, 30))),
            ),
        ),
    ),
    DemoEnterprise(
        key="darhan-bailingmiao",
        name_zh="达茂旗百灵庙热电有限责任公司",
        name_en="Darhan Muminggan Bailingmiao Thermal Power Co., Ltd.",
        district=District.DARHAN_MUMINGGAN,
        industry=Industry.POWER,
        address="内蒙古自治区包头市达尔罕茂明安联合旗百灵庙镇",
        contacts=(
            _contact("乌日娜", "办公室主任", "8433120", "wurina", "blmrd"),
            _contact("巴特尔", "锅炉车间主任", "8433166", "bateer", "blmrd"),
        ),
        facilities=(
            DemoFacility(
                "百灵庙热电厂",
                "Bailingmiao thermal power plant",
                FacilityKind.HEATING,
                # CFB boilers on ordinary coal: conventional coal, CFB recorded (DOMAIN §4 [?]).
                _pair(
                    B300,
                    "50",
                    AIR,
                    CHP,
                    Fuel.COAL,
                    (date(2013, 9, 26), date(2013, 10, 18)),
                    is_cfb=True,
                ),
            ),
        ),
    ),
    DemoEnterprise(
        key="chn-energy-baotou-coal-chemical",
        name_zh="国能包头煤化工有限责任公司",
        name_en="CHN Energy (Shenhua) Baotou Coal Chemical Co., Ltd.",
        district=District.JIUYUAN,
        industry=Industry.CHEMICALS,
        address="内蒙古自治区包头市九原区哈林格尔镇",
        contacts=(
            _contact("邓光明", "热电中心主任", "5157702", "denggm", "gnbtmh"),
            _contact("许婷", "碳排放管理员", "5157725", "xuting", "gnbtmh"),
        ),
        facilities=(
            DemoFacility(
                "煤化工热电中心",
                "Coal chemical CHP centre",
                FacilityKind.CAPTIVE_POWER,
                (
                    *_pair(
                        B300, "100", BACK, CHP, Fuel.COAL, (date(2010, 5, 18), date(2010, 6, 25))
                    ),
                    DemoUnit("#3", B300, "100", BACK, CHP, Fuel.COAL, date(2016, 9, 9)),
                ),
            ),
        ),
    ),
    # Other heavy industry on the local lists (no generating units of their own here).
    DemoEnterprise(
        key="baogang-group",
        name_zh="包头钢铁（集团）有限责任公司",
        name_en="Baotou Iron and Steel (Group) Co., Ltd.",
        district=District.KUNDULUN,
        industry=Industry.STEEL,
        address="内蒙古自治区包头市昆都仑区河西工业区",
        contacts=(
            _contact("黄志刚", "能源环保部部长", "2181002", "huangzg", "baogang"),
            _contact("冯雪", "碳资产管理中心", "2181047", "fengxue", "baogang"),
        ),
    ),
    DemoEnterprise(
        key="northern-rare-earth",
        name_zh="中国北方稀土（集团）高科技股份有限公司",
        name_en="China Northern Rare Earth (Group) High-Tech Co., Ltd.",
        district=District.KUNDULUN,
        industry=Industry.RARE_EARTH,
        address="内蒙古自治区包头市昆都仑区黄河大街",
        contacts=(_contact("曹洪涛", "安全环保部经理", "2352018", "caoht", "nre"),),
    ),
    DemoEnterprise(
        key="huamei-rare-earth",
        name_zh="包头华美稀土高科有限公司",
        name_en="Baotou Huamei Rare Earth High-Tech Co., Ltd.",
        district=District.JIUYUAN,
        industry=Industry.RARE_EARTH,
        address="内蒙古自治区包头市九原区稀土应用产业园区",
        contacts=(_contact("田雨", "环保主管", "5190133", "tianyu", "huamei"),),
    ),
    DemoEnterprise(
        key="jidong-cement-baotou",
        name_zh="包头冀东水泥有限公司",
        name_en="Baotou Jidong Cement Co., Ltd.",
        district=District.SHIGUAI,
        industry=Industry.CEMENT,
        address="内蒙古自治区包头市石拐区五当召镇",
        contacts=(
            _contact("尹国庆", "生产部经理", "8726301", "yingq", "btjd"),
            _contact("潘红", "化验室主任", "8726322", "panhong", "btjd"),
        ),
    ),
    DemoEnterprise(
        key="first-machinery",
        name_zh="内蒙古第一机械集团股份有限公司",
        name_en="Inner Mongolia First Machinery Group Co., Ltd.",
        district=District.QINGSHAN,
        industry=Industry.OTHER,
        address="内蒙古自治区包头市青山区民主路",
        contacts=(_contact("罗振宇", "动力能源处处长", "3392245", "luozy", "yiji"),),
    ),
    DemoEnterprise(
        key="yaxin-longshun",
        name_zh="内蒙古亚新隆顺特钢有限公司",
        name_en="Inner Mongolia Yaxin Longshun Special Steel Co., Ltd.",
        district=District.TUMED_RIGHT,
        industry=Industry.STEEL,
        address="内蒙古自治区包头市土默特右旗新型工业园区",
        contacts=(
            _contact("秦德胜", "安环处处长", "8860519", "qinds", "yxls"),
            _contact("邱晨", "能源统计员", "8860527", "qiuchen", "yxls"),
        ),
    ),
    DemoEnterprise(
        key="barun-mining",
        name_zh="包钢集团巴润矿业有限责任公司",
        name_en="Baotou Steel Group Barun Mining Co., Ltd.",
        district=District.BAIYUN_OBO,
        industry=Industry.MINING,
        address="内蒙古自治区包头市白云鄂博矿区西矿",
        contacts=(_contact("哈斯", "生产技术科科长", "8513508", "hasi", "barun"),),
    ),
    DemoEnterprise(
        key="guyang-jinshan-iron",
        name_zh="固阳县金山铁矿有限公司",
        name_en="Guyang Jinshan Iron Mine Co., Ltd.",
        district=District.GUYANG,
        industry=Industry.MINING,
        address="内蒙古自治区包头市固阳县兴顺西镇",
        contacts=(_contact("贾永强", "矿长助理", "8151107", "jiayq", "gyjs"),),
    ),
    DemoEnterprise(
        key="darhan-xinbaolige-cement",
        name_zh="达茂旗新宝力格建材有限公司",
        name_en="Darhan Muminggan Xinbaolige Building Materials Co., Ltd.",
        district=District.DARHAN_MUMINGGAN,
        industry=Industry.BUILDING_MATERIALS,
        address="内蒙古自治区包头市达尔罕茂明安联合旗满都拉镇",
        contacts=(_contact("那日苏", "总经理", "8462231", "narisu", "xblg"),),
    ),
    DemoEnterprise(
        key="haipingmian-polymer",
        name_zh="包头海平面高分子工业有限公司",
        name_en="Baotou Haipingmian Polymer Industry Co., Ltd.",
        district=District.JIUYUAN,
        industry=Industry.CHEMICALS,
        address="内蒙古自治区包头市九原区金属深加工园区",
        contacts=(
            _contact("彭涛", "生产安环部部长", "5221860", "pengtao", "hpm"),
            _contact("苏琳", "能源管理员", "5221873", "sulin", "hpm"),
        ),
    ),
)


@dataclass(frozen=True)
class DemoAgency:
    key: str
    region: str
    name_zh: str
    name_en: str
    contact_name: str
    phone: str
    email: str

    @property
    def uscc(self) -> str:
        return demo_uscc(self.region, self.key)


AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        key="nm-carbon-verification",
        region="150105",  # Saihan District, Hohhot
        name_zh="内蒙古碳核查技术服务有限公司",
        name_en="Inner Mongolia Carbon Verification Technical Services Co., Ltd.",
        contact_name="额尔敦",
        phone="0471-5903318",
        email="verification@nmtanhecha.example.cn",
    ),
    DemoAgency(
        key="beijing-zhongchuang",
        region="110108",  # Haidian District, Beijing
        name_zh="北京中创碳核查认证有限公司",
        name_en="Beijing Zhongchuang Carbon Verification and Certification Co., Ltd.",
        contact_name="宋佳",
        phone="010-62985571",
        email="hecha@zhongchuang.example.cn",
    ),
)

# Which records the bound demo logins belong to (found again by credit code).
ENTERPRISE_LOGIN = "baotou-aluminium"
SECOND_ENTERPRISE_LOGIN = "baogang-thermal"
AGENCY_LOGIN = "nm-carbon-verification"


def enterprise_by_key(key: str) -> DemoEnterprise:
    return next(e for e in ENTERPRISES if e.key == key)


def agency_by_key(key: str) -> DemoAgency:
    return next(a for a in AGENCIES if a.key == key)


def registry_account(demo: DemoEnterprise) -> str:
    """A synthetic national registry account number, the same on every run: the region code
    and six digits derived from the enterprise's key."""
    serial = int.from_bytes(hashlib.sha256(f"account:{demo.key}".encode()).digest()[:4], "big")
    return f"{demo.district}{serial % 1_000_000:06d}"


# Seeding -----------------------------------------------------------------------------------


def _seed_enterprise(demo: DemoEnterprise, *, actor, tally: Counter) -> Enterprise:
    enterprise = upsert(
        Enterprise,
        actor=actor,
        tally=tally,
        uscc=demo.uscc,
        defaults={
            "name_zh": demo.name_zh,
            "name_en": demo.name_en,
            "district": demo.district,
            "industry": demo.industry,
            "address": demo.address,
            # Only enterprises in the national ETS (the power sector) hold a registry account.
            "registry_account": registry_account(demo) if demo.holds_power_units else "",
            "is_active": True,
        },
    )
    sector = Industry.POWER if demo.holds_power_units else demo.industry
    for year in listing_years(timezone.localdate()):
        reference = (
            f"{year}年度全国碳排放权交易市场重点排放单位名录（内蒙古自治区）"
            if demo.holds_power_units
            else f"{year}年度内蒙古自治区温室气体重点排放单位名录"
        )
        upsert(
            KeyEmitterListing,
            actor=actor,
            tally=tally,
            enterprise=enterprise,
            year=year,
            defaults={"sector": sector, "reference": reference},
        )
    # The primary contact is the first; saving non-primaries first keeps the "one primary
    # contact" constraint true if an earlier run had promoted someone else.
    contacts = [(c, i == 0) for i, c in enumerate(demo.contacts)]
    for contact, is_primary in sorted(contacts, key=lambda pair: pair[1]):
        upsert(
            Contact,
            actor=actor,
            tally=tally,
            enterprise=enterprise,
            name=contact.name,
            defaults={
                "position": contact.position,
                "phone": contact.phone,
                "email": contact.email,
                "is_primary": is_primary,
            },
        )
    for demo_facility in demo.facilities:
        facility = upsert(
            Facility,
            actor=actor,
            tally=tally,
            enterprise=enterprise,
            name_zh=demo_facility.name_zh,
            defaults={
                "name_en": demo_facility.name_en,
                "kind": demo_facility.kind,
                "address": demo.address,
            },
        )
        for unit in demo_facility.units:
            upsert(
                GeneratingUnit,
                actor=actor,
                tally=tally,
                facility=facility,
                code=unit.code,
                defaults={
                    "allocation_category": unit.category,
                    "capacity_mw": Decimal(unit.capacity_mw),
                    "cooling": unit.cooling,
                    "operating_mode": unit.mode,
                    "main_fuel": unit.fuel,
                    "is_cfb": unit.is_cfb,
                    "commissioned_on": unit.commissioned_on,
                },
            )
    return enterprise


def _seed_agency(demo: DemoAgency, *, actor, tally: Counter) -> VerificationAgency:
    return upsert(
        VerificationAgency,
        actor=actor,
        tally=tally,
        uscc=demo.uscc,
        defaults={
            "name_zh": demo.name_zh,
            "name_en": demo.name_en,
            "contact_name": demo.contact_name,
            "phone": demo.phone,
            "email": demo.email,
            "is_active": True,
        },
    )


def seed(*, actor, password: str, stdout) -> Counter:
    """Create or refresh the registry's demo records; return what happened, counted per model.
    The logins bound to them are the accounts app's (`baotou_carbon.accounts.demo`)."""
    tally: Counter = Counter()
    for demo in ENTERPRISES:
        _seed_enterprise(demo, actor=actor, tally=tally)
    for agency in AGENCIES:
        _seed_agency(agency, actor=actor, tally=tally)
    for outcome, count in sorted(tally.items()):
        stdout.write(f"  {outcome}: {count}")
    return tally
