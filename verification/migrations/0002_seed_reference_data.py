"""Seed the year-dependent accounting parameters (DOMAIN §5), the deadline settings row and the
default verification checklist template. Staff edit all of them afterwards; reversing removes
only the rows this migration created."""

from decimal import Decimal

from django.db import migrations

# The note users read beside a value: the document it comes from. The row says the year, kind
# and fuel; its status says how sure the value is (0007 rewrote the notes first seeded here).
GUIDELINE = "环办气候函〔2022〕485号"
GRID = "全国电网平均排放因子 (national grid average emission factor)"

PARAMETERS = [
    # (year, kind, fuel, value, status, source)
    *[
        (y, "default_carbon_content", "coal", Decimal("0.03356"), "S", GUIDELINE)
        for y in (2019, 2020)
    ],
    *[
        (y, "default_carbon_content", "coal", Decimal("0.03085"), "S", GUIDELINE)
        for y in (2021, 2022)
    ],
    *[
        (y, "oxidation_rate", "coal", Decimal("0.99"), "S", GUIDELINE)
        for y in (2019, 2020, 2021, 2022)
    ],
    (2022, "grid_factor", "", Decimal("0.5703"), "S", GRID),
    *[
        (y, "grid_factor", "", Decimal("0.5810"), "?", GRID)
        for y in (2019, 2020, 2021)
    ],
]

CHECKPOINTS = [
    ("fuel_consumption", "燃料消耗量：入厂/入炉计量记录、盘存与生产报表一致",
     "Fuel consumption: receipt and firing records, stock-taking and production reports agree",
     "核对皮带秤/轨道衡校验记录、月度盘存、与月度存证数据一致性。"),
    ("ncv", "低位发热量：化验报告、检测频次与加权方法",
     "Net calorific value: lab reports, testing frequency and weighting",
     "逐日或逐批入炉煤化验，按月加权平均；核对检测机构资质。"),
    ("carbon_sampling", "元素碳含量：采样、制样、送检与检测报告有效性",
     "Carbon content: sampling, preparation, dispatch and validity of test reports",
     "每月缩分样送具备CMA/CNAS资质机构检测；无有效检测的月份使用缺省值。"),
    ("purchased_electricity", "购入电量：结算单与电表读数",
     "Purchased electricity: settlement bills and meter readings", ""),
    ("meters", "供电量、发电量计量表计与校验",
     "Power supply and generation meters and their calibration", ""),
    ("heat", "供热量：热量表计、结算单与供热比计算",
     "Heat supply: heat meters, settlement bills and heat-supply ratio", ""),
    ("load_factor", "负荷（出力）系数：运行小时与额定容量",
     "Load (output) factor: operating hours and rated capacity", ""),
    ("unit_classification", "机组分类：容量、燃料、冷却方式与运行方式",
     "Unit classification: capacity, fuel, cooling and operating mode", ""),
    ("monthly_evidence_consistency", "与月度信息化存证数据一致",
     "Consistency with monthly evidence storage", ""),
]

TEMPLATE_NAME = "发电设施核查要点（2022年度）"


def seed(apps, schema_editor):
    EmissionParameter = apps.get_model("verification", "EmissionParameter")
    DeadlineSettings = apps.get_model("verification", "DeadlineSettings")
    Template = apps.get_model("verification", "ChecklistTemplate")
    TemplateItem = apps.get_model("verification", "ChecklistTemplateItem")
    for year, kind, fuel, value, status, source in PARAMETERS:
        EmissionParameter.objects.get_or_create(
            year=year, kind=kind, fuel=fuel,
            defaults={"value": value, "status": status, "source": source},
        )
    DeadlineSettings.objects.get_or_create(pk=1)
    template, _created = Template.objects.get_or_create(
        name_zh=TEMPLATE_NAME,
        defaults={"name_en": "Power facility verification checkpoints (2022 reporting)"},
    )
    for position, (checkpoint, title_zh, title_en, guidance) in enumerate(CHECKPOINTS, start=1):
        TemplateItem.objects.get_or_create(
            template=template,
            position=position,
            defaults={
                "checkpoint": checkpoint,
                "title_zh": title_zh,
                "title_en": title_en,
                "guidance": guidance,
            },
        )


def unseed(apps, schema_editor):
    EmissionParameter = apps.get_model("verification", "EmissionParameter")
    Template = apps.get_model("verification", "ChecklistTemplate")
    for year, kind, fuel, *_rest in PARAMETERS:
        EmissionParameter.objects.filter(year=year, kind=kind, fuel=fuel).delete()
    Template.objects.filter(name_zh=TEMPLATE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("verification", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
