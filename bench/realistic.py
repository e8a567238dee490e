#!/usr/bin/env python3
"""Writes N invented departments that differ the way a bureau's real batch does.

Usage: realistic.py OUT_DIR N [--seed S] [--profiles a,b,...]

Unlike synth.py (the sample with a new name, code and one fee: Typst's cache
is reused almost whole), every department here is drawn from its own random
stream: its sector and 功能分类, every figure, the number of units (1-8), of
projects (0-16), of line items (20-200), of performance tables and of their
indicators (5-20 rows), and the length of every text. The same seed always
gives the same files, and department k is the same whatever N is, so the
500- and 5,000-document batches share their first 500 files.

Every department is invented (the names are made up; no published document
is copied). Income, basic expenditure and project amounts are not written:
yusuan derives them from the line items, as in data/215001-2021.toml. The
三公 figures are at least the line items that carry them, the 成本指标 of a
table tied to a budget line add up to it, so the files pass `yusuan check`.

--profiles cycles `document.profile` over the given names (issue 14's
document profiles); without it the key is not written. Amounts are handled
in cents as integers: no floats.
"""
import argparse
import random
from pathlib import Path

CITIES = ["云溪", "青岚", "河阳", "松源", "临川", "白鹭", "安澜", "望江", "石门", "清平",
          "枫桥", "汇泉", "北辰", "南浦", "金沙", "柳州湾", "东坪", "西岭", "长宁", "镜湖"]

# Sector: department name, 类款 of its own work, its 项 (code suffix, name),
# its institutions (下属单位), and words its projects and goals are made of.
SECTORS = [
    ("教育局", "20501", [("01", "行政运行"), ("02", "一般行政管理事务"), ("99", "其他教育管理事务支出")],
     ["第一中学", "实验小学", "教师发展中心", "教育考试院", "职业技术学校", "特殊教育学校"],
     ["义务教育", "学前教育", "教师培训", "校舍维修", "学生资助", "教育信息化", "课后服务", "招生考试"]),
    ("卫生健康委员会", "21001", [("01", "行政运行"), ("02", "一般行政管理事务"), ("99", "其他卫生健康管理事务支出")],
     ["疾病预防控制中心", "妇幼保健院", "卫生监督所", "急救中心", "健康教育所"],
     ["基本公共卫生", "疫苗接种", "慢病管理", "卫生应急", "家庭医生签约", "健康促进", "职业病防治"]),
    ("文化广电旅游体育局", "20701", [("01", "行政运行"), ("04", "图书馆"), ("09", "群众文化"), ("13", "旅游宣传")],
     ["图书馆", "文化馆", "博物馆", "体育运动学校", "艺术剧院"],
     ["公共文化服务", "非遗保护", "全民阅读", "文物修缮", "全民健身", "旅游推介", "文艺演出"]),
    ("农业农村局", "21301", [("01", "行政运行"), ("04", "事业运行"), ("08", "病虫害控制"), ("22", "农业生产发展")],
     ["农业技术推广中心", "动物疫病预防控制中心", "农产品质量安全检测站", "种子管理站"],
     ["高标准农田", "耕地保护", "农技推广", "动物防疫", "农产品质量", "乡村振兴", "农机补贴"]),
    ("交通运输局", "21401", [("01", "行政运行"), ("04", "公路建设"), ("06", "公路养护"), ("12", "道路运输站（场）")],
     ["公路管理站", "道路运输服务中心", "交通工程质量监督站", "港航事务中心"],
     ["农村公路", "公路养护", "客运站点", "治超检测", "交通安全", "桥梁检测", "公交补贴"]),
    ("民政局", "20802", [("01", "行政运行"), ("08", "基层政权建设"), ("99", "其他民政管理事务支出")],
     ["社会福利院", "救助管理站", "殡仪馆", "婚姻登记中心", "养老服务指导中心"],
     ["社会救助", "养老服务", "儿童福利", "社区治理", "殡葬改革", "慈善事业", "区划地名"]),
    ("市场监督管理局", "20138", [("01", "行政运行"), ("04", "市场主体管理"), ("10", "食品安全监管")],
     ["质量技术监督检验所", "食品药品检验所", "消费者权益保护中心", "特种设备检验所"],
     ["食品抽检", "特种设备", "计量检定", "知识产权", "价格监督", "广告监测", "网络交易"]),
    ("生态环境局", "21101", [("01", "行政运行"), ("02", "一般行政管理事务"), ("99", "其他环境保护管理事务支出")],
     ["环境监测站", "环境监察支队", "固体废物管理中心"],
     ["大气监测", "水质监测", "土壤污染防治", "环境执法", "排污许可", "生态修复", "噪声治理"]),
    ("司法局", "20406", [("01", "行政运行"), ("04", "基层司法业务"), ("05", "普法宣传"), ("07", "法律援助")],
     ["公证处", "法律援助中心", "社区矫正中心"],
     ["普法宣传", "法律援助", "人民调解", "社区矫正", "公证服务", "行政复议", "法治建设"]),
    ("统计局", "20105", [("01", "行政运行"), ("07", "专项普查活动"), ("08", "统计调查和数据处理")],
     ["普查中心", "社情民意调查中心"],
     ["经济普查", "人口抽样", "统计执法", "数据采集", "统计分析", "统计信息化", "调查队伍"]),
    ("档案馆", "20126", [("01", "行政运行"), ("04", "档案馆")],
     ["档案技术保护中心"],
     ["档案数字化", "档案征集", "档案修复", "档案利用", "馆藏保护", "方志编纂", "档案展览"]),
    ("水务局", "21303", [("01", "行政运行"), ("06", "水利工程运行与维护"), ("10", "水土保持"), ("14", "防汛")],
     ["水文站", "水利工程管理处", "水土保持站", "灌区管理所"],
     ["河湖管护", "防汛抗旱", "水土保持", "农村饮水", "水资源管理", "水利工程", "节水宣传"]),
]

STAFF = [("30101", 40, 160), ("30102", 30, 200), ("30103", 5, 30), ("30107", 20, 120),
         ("30112", 1, 8), ("30199", 1, 10)]
PUBLIC = [("30201", 3, 40), ("30202", 1, 12), ("30205", 1, 6), ("30206", 1, 10), ("30207", 1, 8),
          ("30209", 2, 30), ("30211", 2, 30), ("30213", 2, 20), ("30214", 1, 15), ("30215", 1, 8),
          ("30216", 1, 8), ("30226", 1, 20), ("30227", 1, 30), ("30228", 2, 15), ("30229", 1, 12),
          ("30239", 2, 40), ("30299", 1, 30)]
# 养老、医疗、公积金, each with its own 功能分类 项 and name.
SOCIAL = [("2080505", "机关事业单位基本养老保险缴费支出", "30108", 10, 80),
          ("2080506", "机关事业单位职业年金缴费支出", "30109", 4, 30),
          ("2101101", "行政单位医疗", "30110", 5, 40),
          ("2101102", "事业单位医疗", "30110", 5, 40),
          ("2210201", "住房公积金", "30113", 5, 60)]

NATURES = [("公益一类事业", "财政拨款"), ("公益二类事业", "财政补助"), ("参公事业", "财政拨款")]
RANKS = ["正处级", "副处级", "正科级", "副科级"]

VERBS = ["加强", "推进", "完善", "落实", "提升", "健全", "规范", "保障", "深化", "优化", "统筹", "强化"]
NOUNS = ["制度建设", "服务能力", "监督管理", "队伍建设", "信息化水平", "工作机制", "资金使用效益",
         "基础设施", "群众满意度", "风险防控", "标准体系", "考核评价", "应急处置能力", "宣传引导",
         "协调联动", "档案管理", "安全生产", "内部控制", "绩效管理", "基层基础",
         "政务公开", "营商环境", "数字政府", "审批流程", "执法规范化", "统计监测", "政策宣讲",
         "廉政风险排查", "财务核算", "固定资产台账", "采购程序", "合同管理", "专项审计", "督查督办",
         "调查研究", "舆情应对", "值班值守", "保密管理", "机要通信", "后勤保障", "节能降耗",
         "垃圾分类", "消防隐患整治", "网络安全等级保护", "数据共享交换", "电子证照", "一网通办",
         "便民热线", "志愿服务", "结对帮扶", "乡村治理", "矛盾纠纷化解", "信访积案", "人才引育",
         "职称评聘", "岗位练兵", "技能竞赛", "业务培训", "党风廉政建设", "作风纪律", "考勤管理",
         "公文处理", "会议精简", "差旅报销", "车辆调度", "食堂管理", "物业维修", "档案数字化",
         "设备更新", "仪器校准", "样品检测", "实验室认证", "质量追溯", "风险评估", "隐患排查治理",
         "汛期巡查", "冬季供暖保障", "疫情防控常态化", "应急物资储备", "演练评估", "预警发布",
         "标准化建设", "示范创建", "品牌培育", "对口支援", "区域协作", "招商引资", "项目储备",
         "绩效自评", "成本核算", "跟踪问效", "整改销号", "闭环管理", "台账清理", "制度废改立"]
TAILS = ["确保各项任务按期完成", "为全市经济社会发展提供有力保障", "切实提高财政资金使用效益",
         "不断增强人民群众获得感", "推动各项工作提质增效", "做到专款专用、规范高效",
         "实现年度工作目标", "努力打造人民满意的服务型机关", "筑牢安全底线"]
BASES = ["年初工作计划", "历史数据", "参考上年标准", "行业标准", "意见反馈", "相关政策文件",
         "预算安排", "上级考核要求", "问卷调查", "延续上年工作"]
REASONS = ["主要是人员增加，相应增加人员经费", "主要是落实过紧日子要求，压减一般性支出",
           "主要是新增重点项目", "主要是上年一次性项目本年不再安排", "主要是调整工资标准",
           "主要是退休人员增加"]


class Gen:
    def __init__(self, seed: int, index: int):
        self.r = random.Random(f"{seed}:{index}")
        self.index = index

    def cents(self, lo: int, hi: int) -> int:
        """An amount between lo and hi 万元, in cents, sometimes round."""
        c = self.r.randint(lo * 100, hi * 100)
        return c - c % 100 if self.r.random() < 0.2 else c

    def clause(self) -> str:
        r = self.r
        return f"{r.choice(VERBS)}{r.choice(NOUNS)}"

    def sentence(self, words: list[str], lo: int, hi: int) -> str:
        """A sentence of about lo..hi characters, ending in a full stop."""
        r = self.r
        parts, size, target = [], 0, r.randint(lo, hi)
        while size < target:
            p = r.choice([self.clause(), f"围绕{r.choice(words)}{self.clause()}", r.choice(TAILS),
                          f"{r.choice(words)}覆盖率达到{r.randint(80, 100)}%"])
            parts.append(p)
            size += len(p) + 1
        return "，".join(parts) + "。"


def amount(c: int) -> str:
    """Cents as a TOML number: 123.4 for 12340, 12 for 1200."""
    text = f"{c // 100}.{c % 100:02d}".rstrip("0").rstrip(".")
    return text


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def department(g: Gen, seed: int, profiles: list[str]) -> str:
    r = g.r
    dept, klass, items, institutions, words = r.choice(SECTORS)
    city = r.choice(CITIES)
    name = f"{city}市{dept}"
    code = f"{300001 + g.index:06d}"[-6:]
    n_units = min(1 + int(r.expovariate(0.45)), 1 + len(institutions))
    units = [(f"{name}（本级）" if n_units > 1 else name, code, "行政", r.choice(RANKS[:2]), "财政拨款")]
    for i, inst in enumerate(r.sample(institutions, n_units - 1)):
        nature, funding = r.choice(NATURES)
        units.append((f"{city}市{inst}", f"{code}{i + 1:02d}",
                      nature, r.choice(RANKS[2:]), funding))
    out = []
    matters = [g.sentence(words, 30, 160) for _ in range(r.choice([0, 0, 0, 1, 2, 3]))]
    out.append("other_matters = [" + ", ".join(q(m) for m in matters) + "]\n")
    out.append(f"# 虚构部门，由 bench/realistic.py 生成（seed {seed}，第 {g.index + 1} 个）。\n")
    out.append("[document]\nyear = 2021\n")
    out.append(f"department = {q(name)}\nshort_name = {q('市' + dept)}\ncode = {q(code)}\n")
    out.append('legal_basis = ["中华人民共和国预算法", "地方预决算公开操作规程"]\n')
    if profiles:
        out.append(f"profile = {q(profiles[g.index % len(profiles)])}\n")
    duties = [g.sentence(words, 12, 90).rstrip("。") + "；" for _ in range(r.randint(3, 15))]
    duties[-1] = duties[-1].rstrip("；") + "。"
    out.append(f"\n[duties]\nintro = {q(name + '的主要职责是：')}\nitems = [\n")
    out.extend(f"  {q(d)},\n" for d in duties)
    out.append("]\n")
    for u in units:
        out.append("\n[[units]]\nname = {}\ncode = {}\nnature = {}\nrank = {}\nfunding = {}\n"
                   .format(*(q(x) for x in u)))
    lines, projects = line_items(g, klass, items, units, words)
    out.append(tail(g, name, words, lines, projects))
    out.extend(lines_toml(lines))
    return "".join(out)


def line_items(g: Gen, klass, items, units, words):
    """Every line item as a dict; the projects with their total in cents."""
    r = g.r
    lines, named = [], set()

    def fn(code, fname):
        first = code not in named
        named.add(code)
        return {"function": code, **({"function_name": fname} if first else {})}

    for ui, unit in enumerate(units):
        size = 1.0 if ui == 0 else r.uniform(0.3, 1.0)
        item = items[0] if ui == 0 else r.choice(items[1:] or items)
        own = (klass + item[0], item[1])
        extra = {} if ui == 0 else {"unit": unit[0]}
        for eco, lo, hi in r.sample(STAFF, r.randint(3, len(STAFF))):
            lines.append({**extra, **fn(*own), "economic": eco, "basic": "人员经费",
                          "amount": g.cents(int(lo * size) + 1, int(hi * size) + 2)})
        for fcode, fname, eco, lo, hi in SOCIAL:
            # 行政单位医疗 for the department itself, 事业单位医疗 for its institutions.
            if fcode.startswith("21011") and (fcode == "2101101") != (ui == 0):
                continue
            lines.append({**extra, **fn(fcode, fname), "economic": eco, "basic": "人员经费",
                          "amount": g.cents(lo, hi)})
        if r.random() < 0.5:
            lines.append({**extra, **fn("2080501", "行政单位离退休"), "economic": "30302",
                          "basic": "人员经费", "amount": g.cents(5, 90)})
        for eco, lo, hi in r.sample(PUBLIC, r.randint(5, len(PUBLIC))):
            lines.append({**extra, **fn(*own), "economic": eco, "basic": "公用经费",
                          "amount": g.cents(lo, hi)})
        if ui == 0 or r.random() < 0.3:
            for eco, lo, hi in [("30217", 0, 5), ("30231", 2, 40)]:
                lines.append({**extra, **fn(*own), "economic": eco, "basic": "公用经费",
                              "amount": g.cents(lo, hi) + 1})
        if ui > 0 and r.random() < 0.4:
            lines.append({**extra, **fn(*own), "economic": "30107", "basic": "人员经费",
                          "source": "事业收入", "amount": g.cents(5, 60)})
    projects = {}
    for k in range(r.randint(0, 16)):
        name = f"{r.choice(words)}{r.choice(['专项经费', '工作经费', '项目', '补助资金', '能力建设'])}"
        if name in projects:
            continue
        ui = 0 if r.random() < 0.6 else r.randrange(len(units))
        extra = {} if ui == 0 else {"unit": units[ui][0]}
        item = r.choice(items[1:] or items)
        total = 0
        for part in range(r.choice([1, 1, 1, 2, 3])):
            c = g.cents(3, 600)
            line = {**extra, **fn(klass + item[0], item[1]), "project": name, "amount": c}
            if part == 1 and r.random() < 0.5:
                line["source"] = "上年结转"
            elif part == 2:
                line["source"] = r.choice(["其他收入", "事业收入"]) if ui else "其他收入"
            lines.append(line)
            total += c
        projects[name] = total
    return lines, projects


def tail(g: Gen, name: str, words, lines, projects) -> str:
    r = g.r
    out = []
    basic = sum(x["amount"] for x in lines if "basic" in x)
    out.append(f"\n[previous]\nbasic = {amount(basic + g.cents(0, 200) - g.cents(0, 200))}\n")
    out.append(f"projects = {amount(max(0, sum(projects.values()) + g.cents(0, 300) - g.cents(0, 300)))}\n")
    out.append(f"basic_reason = {q(r.choice(REASONS))}\nprojects_reason = {q(r.choice(REASONS))}\n")
    uses = r.sample(["办公及印刷费", "邮电费", "差旅费", "会议费", "福利费", "维修费", "物业管理费",
                     "公务用车运行维护费", "培训费", "公务接待费", "工会经费", "其他交通费用"], r.randint(3, 12))
    out.append("\n[operating_costs]\nuses = [" + ", ".join(q(u) for u in uses) + "]\n")
    general = [x for x in lines if x.get("source", "一般公共预算") == "一般公共预算"]
    spent = {e: sum(x["amount"] for x in general if x.get("economic") == e) for e in ("30217", "30231")}
    cur = {"overseas": r.choice([0, 0, 0, g.cents(1, 20)]), "vehicle_purchase": r.choice([0, 0, g.cents(10, 30)]),
           "vehicle_operation": spent["30231"] + r.choice([0, g.cents(0, 5)]),
           "reception": spent["30217"] + r.choice([0, g.cents(0, 2)])}
    out.append("\n[sangong.current]\n" + "".join(f"{k} = {amount(v)}\n" for k, v in cur.items()))
    prev = {k: max(0, v + r.choice([0, 0, g.cents(0, 5), -g.cents(0, 5)])) for k, v in cur.items()}
    out.append("\n[sangong.previous]\n" + "".join(f"{k} = {amount(v)}\n" for k, v in prev.items()))
    out.append("\n[sangong.reasons]\n" + "".join(f"{k} = {q(r.choice(REASONS[1:3]))}\n"
                                                  for k in ("overseas", "vehicle", "reception")))
    out.append(performance(g, words, projects))
    goods, works, services = (r.choice([0, g.cents(1, 300)]) for _ in range(3))
    out.append(f"\n[procurement]\ngoods = {amount(goods)}\nworks = {amount(works)}\nservices = {amount(services)}\n")
    area = r.randint(0, 20000)
    bval = g.cents(0, 8000) if area else 0
    out.append(f"\n[assets]\nas_of = 2020-12-31\nbuildings = {{ quantity = {area}, value = {amount(bval)} }}\n")
    out.append(f"office_buildings = {{ quantity = {area // r.randint(2, 6)}, value = {amount(bval // 3)} }}\n")
    out.append(f"vehicles = {{ quantity = {r.randint(0, 12)}, value = {amount(g.cents(0, 200))} }}\n")
    out.append(f"major_equipment = {{ value = {amount(r.choice([0, g.cents(20, 900)]))} }}\n")
    out.append(f"other = {{ value = {amount(g.cents(5, 2000))} }}\n")
    out.append(f"planned_purchase = {amount(r.choice([0, g.cents(1, 80)]))}\n")
    out.append(f"planned_note = {q(g.sentence(words, 10, 60).rstrip('。'))}\n")
    for term in r.sample(GLOSSARY, r.randint(3, len(GLOSSARY))):
        out.append(f"\n[[glossary]]\nterm = {q(term[0])}\ndefinition = {q(term[1])}\n")
    return "".join(out)


GLOSSARY = [("一般公共预算拨款收入", "指市级财政当年拨付的资金。"),
            ("事业收入", "指事业单位开展专业业务活动及辅助活动所取得的收入。"),
            ("其他收入", "指除上述收入以外的各项收入，主要是存款利息收入等。"),
            ("上年结转", "指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。"),
            ("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
            ("项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
            ("“三公”经费", "指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"),
            ("机关运行经费", "指为保障行政单位运行用于购买货物和服务的各项资金。")]

LEVEL2 = [("数量指标", ["完成数量", "覆盖人数", "开展次数", "检查户数", "培训人次"], ["≥{}次", "≥{}人", "{}项"]),
          ("质量指标", ["合格率", "达标率", "完成率", "验收通过率"], ["≥{}%", "100%"]),
          ("时效指标", ["完成及时率", "按期完成率", "资金拨付及时率"], ["100%", "≥{}%"]),
          ("成本指标", None, None),
          ("社会效益指标", ["服务水平", "群众知晓率", "工作成效"], ["显著提升", "≥{}%", "有效改善"]),
          ("可持续影响指标", ["长效机制", "持续发挥作用"], ["逐步健全", "长期"]),
          ("服务对象满意度指标", ["服务对象满意度", "群众满意度"], ["≥{}%"])]


def performance(g: Gen, words, projects: dict) -> str:
    r = g.r
    out = ["\n[performance.overall]\ngoal = ["]
    out.append(", ".join(q(g.sentence(words, 60, 420)) for _ in range(r.randint(1, 4))) + "]\n")
    targets = [f"{{ name = {q(r.choice(words) + '工作')}, goal = {q(g.sentence(words, 15, 120))}, "
               f"indicators = {q(g.sentence(words, 10, 60))} }}" for _ in range(r.randint(0, 8))]
    out.append("targets = [\n" + "".join(f"  {t},\n" for t in targets) + "]\n")
    out.append("measures = [" + ", ".join(q(g.sentence(words, 20, 110)) for _ in range(r.randint(0, 8))) + "]\n")
    for name, total in projects.items():
        if r.random() < 0.25:
            continue
        out.append(f"\n[[performance.projects]]\nname = {q(name)}\n")
        tied = r.random() < 0.5
        if tied:
            out.append(f"budget_line = {q(name)}\n")
        out.append("goals = [" + ", ".join(q(g.sentence(words, 15, 120)) for _ in range(r.randint(1, 5))) + "]\n")
        out.append("indicators = [\n" + "".join(indicators(g, words, total if tied else None)) + "]\n")
    return "".join(out)


def indicators(g: Gen, words, total):
    r = g.r
    rows = []
    for level2, names, values in LEVEL2:
        if level2 == "成本指标":
            # Tied to a budget line, the costs add up to it (in cents).
            whole = total or 100 * r.randint(1, 90)
            parts = min(r.randint(1, 4), whole)
            cuts = sorted(r.sample(range(1, whole), parts - 1))
            costs = [b - a for a, b in zip([0, *cuts], [*cuts, whole])]
            for c in costs:
                rows.append((level2, f"{r.choice(words)}成本", f"{amount(c)}万元"))
            continue
        # Every table has output, effect and satisfaction rows (else a warning).
        least = 1 if level2 in ("社会效益指标", "服务对象满意度指标") else 0
        for _ in range(max(least, r.choice([0, 1, 1, 2, 3]) if level2 != "服务对象满意度指标" else 1)):
            rows.append((level2, r.choice(words) + r.choice(names),
                         r.choice(values).format(r.choice([2, 5, 12, 30, 90, 95, 98, 200, 1500]))))
    return [f"  {{ level2 = {q(l2)}, level3 = {q(l3)}, description = {q(g.sentence(words, 4, 40).rstrip('。'))}, "
            f"value = {q(v)}, basis = {q(r.choice(BASES))} }},\n" for l2, l3, v in rows]


def lines_toml(lines):
    keys = ["unit", "function", "function_name", "economic", "source", "basic", "project"]
    for x in lines:
        body = "".join(f"{k} = {q(x[k])}\n" for k in keys if k in x)
        yield f"\n[[line_items]]\n{body}amount = {amount(x['amount'])}\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--profiles", default="", help="comma-separated document.profile names to cycle")
    a = p.parse_args()
    profiles = [x for x in a.profiles.split(",") if x]
    a.out.mkdir(parents=True, exist_ok=True)
    for i in range(a.n):
        g = Gen(a.seed, i)
        text = department(g, a.seed, profiles)
        (a.out / f"{300001 + i:06d}-2021.toml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
