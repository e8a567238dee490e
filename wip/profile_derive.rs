// ---------------------------------------------------------------------------
// What a profile's parts print beyond the seed's chapters.

/// 样式：各部分（目录中的编号）与名称，交给模板。
#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub title: String,
    pub parts: Vec<PartView>,
}

#[derive(Debug, Serialize)]
pub struct PartView {
    pub id: String,
    pub title: String,
    /// 目录中的编号“一”“二”……；不列入目录的为空。
    pub number: String,
    pub in_contents: bool,
}

fn profile_view(p: &Profile) -> ProfileView {
    let mut n = 0;
    let parts = p
        .parts
        .iter()
        .map(|q| {
            let number = if q.in_contents {
                n += 1;
                chinese_number(n)
            } else {
                String::new()
            };
            PartView { id: q.id.clone(), title: q.title.clone(), number, in_contents: q.in_contents }
        })
        .collect();
    ProfileView { name: p.name.clone(), title: p.title.clone(), parts }
}

/// 机构设置中各类单位的家数（由单位性质推算）。
#[derive(Debug, Serialize, Default, PartialEq)]
pub struct UnitCounts {
    /// 下属单位（本部以外）。
    pub subordinate: usize,
    /// 行政单位（机关）。
    pub administrative: usize,
    /// 参照公务员法管理的事业单位。
    pub civil_service: usize,
    /// 其他事业单位。
    pub institution: usize,
    /// 性质不属以上三类的单位。
    pub other: usize,
}

/// The class of a unit by its 性质 as written: 参公 first, since 参公事业
/// is also 事业.
pub fn unit_counts(units: &[model::Unit]) -> UnitCounts {
    let mut c = UnitCounts { subordinate: units.len().saturating_sub(1), ..UnitCounts::default() };
    for u in units {
        let n = u.nature.trim();
        if n.contains("参公") || n.contains("参照公务员") {
            c.civil_service += 1;
        } else if n.starts_with("行政") || n.starts_with("机关") {
            c.administrative += 1;
        } else if n.contains("事业") {
            c.institution += 1;
        } else {
            c.other += 1;
        }
    }
    c
}

/// 部门预算编制说明：收入、财政拨款比上年与财政拨款支出主要内容。
#[derive(Debug, Serialize)]
pub struct ExplanationView {
    pub income_total: Money,
    pub spending_total: Money,
    pub institution: Money,
    pub institution_business: Money,
    pub special_account: Money,
    pub other: Money,
    pub carryover: Money,
    /// 财政拨款（本年与上年）。
    pub appropriation: Change,
    pub general: Change,
    pub fund: Change,
    pub capital: Change,
    /// 增减原因，不带句号。
    pub reason: String,
    pub notes: Vec<NoteView>,
}

/// 财政拨款支出主要内容的一项。
#[derive(Debug, Serialize)]
pub struct NoteView {
    /// “科学技术支出（类）科学技术管理事务（款）行政运行（项）”。
    pub label: String,
    pub amount: Money,
    pub note: String,
}

/// Appropriated spending per 项 with the 类 and 款 names above it, in code
/// order: what 财政拨款支出主要内容 lists.
pub fn appropriation_items(b: &Budget) -> Vec<(String, String, Amount)> {
    let d = crate::tables::derive(b);
    let name = |code: &str| {
        d.appropriation.iter().find(|r| r.code == code).map(|r| r.name.clone()).unwrap_or_default()
    };
    d.appropriation
        .iter()
        .filter(|r| r.level == crate::tables::Level::Xiang && !r.values[0].is_zero())
        .map(|r| {
            let label = format!(
                "{}（类）{}（款）{}（项）",
                name(&r.code[..3]),
                name(&r.code[..5]),
                r.name
            );
            (r.code.clone(), label, r.values[0])
        })
        .collect()
}

fn explanation_view(b: &Budget, f: &Formats) -> ExplanationView {
    let d = crate::tables::derive(b);
    let [now, carried] = d.appropriation_income;
    let fund = |k: usize| now[k] + carried[k];
    let prev = b.previous.appropriation.clone().unwrap_or_default();
    let i = &b.income;
    let notes = appropriation_items(b)
        .into_iter()
        .map(|(code, label, amount)| NoteView {
            label,
            amount: f.money(amount),
            note: b
                .appropriation_notes
                .iter()
                .find(|n| n.function.trim() == code)
                .map(|n| clean_clause(&n.note))
                .unwrap_or_default(),
        })
        .collect();
    ExplanationView {
        income_total: f.money(income_total(i)),
        spending_total: f.money(expenditure_total(&b.expenditure)),
        institution: f.money(i.institution),
        institution_business: f.money(i.institution_business),
        special_account: f.money(i.special_account),
        other: f.money(i.other),
        carryover: f.money(i.carryover),
        appropriation: f.change(fund(0) + fund(1) + fund(2), prev.general + prev.fund + prev.capital),
        general: f.change(fund(0), prev.general),
        fund: f.change(fund(1), prev.fund),
        capital: f.change(fund(2), prev.capital),
        reason: clean_clause(&b.previous.appropriation_reason),
        notes,
    }
}

/// A project's 项目经费情况说明.
#[derive(Debug, Serialize)]
pub struct ProjectDetailView {
    pub name: String,
    pub overview: String,
    pub basis: String,
    pub implementer: String,
    pub plan: String,
    pub period: String,
    /// 年度预算安排：该项目的金额（由明细推算）。
    pub budget: Money,
    pub budget_note: String,
    pub goal: String,
}

fn project_details_view(b: &Budget, f: &Formats) -> Vec<ProjectDetailView> {
    b.project_details
        .iter()
        .map(|p| {
            let amount = b
                .expenditure
                .projects
                .iter()
                .filter(|x| x.name.trim() == p.name.trim())
                .map(|x| x.amount)
                .sum();
            ProjectDetailView {
                name: p.name.trim().to_string(),
                overview: p.overview.trim().to_string(),
                basis: p.basis.trim().to_string(),
                implementer: p.implementer.trim().to_string(),
                plan: p.plan.trim().to_string(),
                period: p.period.trim().to_string(),
                budget: f.money(amount),
                budget_note: clean_clause(p.budget_note.as_deref().unwrap_or("")),
                goal: p.goal.trim().to_string(),
            }
        })
        .collect()
}

/// Vehicles as counted: the total and each kind with a vehicle, in the
/// profile's order of kinds.
#[derive(Debug, Serialize, PartialEq)]
pub struct FleetView {
    pub total: u32,
    pub kinds: Vec<KindCount>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct KindCount {
    pub kind: String,
    pub count: u32,
}

pub fn fleet(counts: &[model::VehicleCount], order: &[String]) -> FleetView {
    let count = |k: &str| -> u32 { counts.iter().filter(|c| c.kind.trim() == k).map(|c| c.count).sum() };
    let mut names: Vec<String> = order.to_vec();
    // Kinds the profile does not list (the checks report them) still count.
    for c in counts {
        if !names.iter().any(|n| n == c.kind.trim()) {
            names.push(c.kind.trim().to_string());
        }
    }
    let kinds = names
        .into_iter()
        .map(|k| KindCount { count: count(&k), kind: k })
        .filter(|k| k.count > 0)
        .collect();
    FleetView { total: counts.iter().map(|c| c.count).sum(), kinds }
}

/// “截至2024年8月31日” for a count taken during the year, “2020年末” for one
/// taken on 31 December.
pub fn as_of_phrase(d: &toml::value::Datetime) -> String {
    match &d.date {
        Some(date) if date.month == 12 && date.day == 31 => format!("{}年末", date.year),
        _ => format!("截至{}", chinese_date(d).1),
    }
}
