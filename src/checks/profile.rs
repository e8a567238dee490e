//! 核对跟着样式走：样式印出的部分要用的字段必须填写，提示中写明样式与部分。
//!
//! The requirement list is the profile's own data (`requires` of each
//! part), so a bureau's profile states what its parts print and the checks
//! follow. A few requirements are per item rather than per field — every
//! appropriated 项 needs its sentence, every described project must exist —
//! and are checked when the profile prints the part that lists them.

use crate::diag::Problem;
use crate::model::Budget;
use crate::model::profile::{DocumentKind, Part, Profile};

/// Every problem the profile's parts find in a file. `text` is the data
/// file, to tell a field written from one left to its default.
pub fn check(b: &Budget, text: &str, profile: &Profile) -> Vec<Problem> {
    if profile.document != b.kind() {
        return vec![wrong_kind(b, profile)];
    }
    let doc = toml_edit::Document::parse(text).ok();
    let mut out = Vec::new();
    for part in &profile.parts {
        for field in &part.requires {
            let present = doc.as_ref().is_some_and(|d| written(d.as_item(), field));
            if !present {
                out.push(missing(profile, part, field));
            }
        }
    }
    match b.kind() {
        DocumentKind::Budget => out.extend(budget_rules(b, profile)),
        // The budget's own rules are its profile's business; a 决算's
        // profile states the threshold above which a difference is explained.
        DocumentKind::Final => out.extend(super::final_accounts::reasons(b, profile)),
    }
    out
}

fn budget_rules(b: &Budget, profile: &Profile) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(part) = profile.parts.iter().find(|p| p.id == "explanation") {
        out.extend(notes(b, profile, part));
    }
    if profile.has_part("projects") {
        out.extend(project_names(b));
    }
    out.extend(vehicle_kinds(b, profile));
    out.extend(procurement(b));
    out
}

/// A budget profile for a 决算 file, or the reverse: the templates would
/// read figures the data does not have.
fn wrong_kind(b: &Budget, profile: &Profile) -> Problem {
    let at = match b.kind() {
        DocumentKind::Budget => "document.profile",
        DocumentKind::Final => "final_accounts.profile",
    };
    Problem::error(
        at,
        format!(
            "样式{}用于{}，本文件是{}",
            profile.label(),
            profile.document.chinese(),
            b.kind().chinese()
        ),
    )
    .expected(format!("{}的样式，如“{}”", b.kind().chinese(), b.kind().default_profile()))
}

fn missing(profile: &Profile, part: &Part, field: &str) -> Problem {
    Problem::error(
        field,
        format!("样式{}的“{}”要印出这一项，数据中没有填写", profile.label(), part.title),
    )
    .expected(format!("填写 {field}；或换用不印这一部分的样式"))
}

/// Whether a dotted path names a key written in the file. An empty list
/// written on purpose (`planned_vehicle_counts = []`: none planned) counts.
fn written(root: &toml_edit::Item, path: &str) -> bool {
    let mut item = root;
    for key in path.split('.') {
        match item.get(key) {
            Some(next) => item = next,
            None => return false,
        }
    }
    !item.is_none()
}

/// 财政拨款支出主要内容: one sentence for each appropriated 项.
fn notes(b: &Budget, profile: &Profile, part: &Part) -> Vec<Problem> {
    let items = crate::model::ledger::appropriation_items(b);
    let mut out: Vec<Problem> = items
        .iter()
        .filter(|(code, _, _)| !b.appropriation_notes.iter().any(|n| n.function.trim() == code))
        .map(|(code, label, _)| {
            Problem::error(
                "appropriation_notes",
                format!(
                    "样式{}的“{}”逐项说明财政拨款支出，功能分类项 {code}“{label}”没有说明",
                    profile.label(),
                    part.title
                ),
            )
            .expected(format!(
                "[[appropriation_notes]]\nfunction = \"{code}\"\nnote = \"主要用于……\""
            ))
        })
        .collect();
    for (i, n) in b.appropriation_notes.iter().enumerate() {
        if !items.iter().any(|(code, _, _)| code == n.function.trim()) {
            out.push(
                Problem::warning(
                    format!("appropriation_notes[{i}].function"),
                    format!("功能分类项 {} 没有财政拨款支出，这条说明不会印出", n.function.trim()),
                )
                .expected("预算明细中有财政拨款支出的功能分类项级编码"),
            );
        }
    }
    out
}

/// A described project must be one of the budget's projects.
fn project_names(b: &Budget) -> Vec<Problem> {
    let names: Vec<&str> = b.expenditure.projects.iter().map(|p| p.name.trim()).collect();
    b.project_details
        .iter()
        .enumerate()
        .filter(|(_, p)| !names.contains(&p.name.trim()))
        .map(|(i, p)| {
            let best = crate::diag::did_you_mean(p.name.trim(), &names);
            Problem::error(
                format!("project_details[{i}].name"),
                format!("项目“{}”不在项目支出中", p.name.trim())
                    + &best.map(|n| format!("，是否想写“{n}”？")).unwrap_or_default(),
            )
            .expected(format!("项目支出中的项目：{}", names.join("、")))
        })
        .collect()
}

/// Vehicle kinds must be the profile's.
fn vehicle_kinds(b: &Budget, profile: &Profile) -> Vec<Problem> {
    let kinds = &profile.assets.vehicle_kinds;
    if kinds.is_empty() {
        return Vec::new();
    }
    let a = &b.assets;
    let listed = a
        .vehicle_counts
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, v)| (format!("assets.vehicle_counts[{i}].kind"), &v.kind));
    let planned = a
        .planned_vehicle_counts
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, v)| (format!("assets.planned_vehicle_counts[{i}].kind"), &v.kind));
    listed
        .chain(planned)
        .filter(|(_, k)| !kinds.contains(k))
        .map(|(at, k)| {
            Problem::error(at, format!("车辆类别“{k}”不在样式{}的类别中", profile.label()))
                .expected(kinds.join("、"))
        })
        .collect()
}

/// 其中小微企业 ≤ 面向中小企业预留 ≤ 政府采购预算.
fn procurement(b: &Budget) -> Vec<Problem> {
    let p = &b.procurement;
    let total = p.goods + p.works + p.services;
    let mut out = Vec::new();
    if let Some(sme) = p.sme_reserved {
        if sme > total {
            out.push(Problem::error(
                "procurement.sme_reserved",
                format!(
                    "面向中小企业预留 {} 万元，超过政府采购预算 {} 万元",
                    sme.text(),
                    total.text()
                ),
            ));
        }
        if let Some(micro) = p.small_micro_reserved.filter(|m| *m > sme) {
            out.push(Problem::error(
                "procurement.small_micro_reserved",
                format!(
                    "预留给小型和微型企业 {} 万元，超过面向中小企业预留的 {} 万元",
                    micro.text(),
                    sme.text()
                ),
            ));
        }
    } else if p.small_micro_reserved.is_some() {
        out.push(
            Problem::error(
                "procurement.small_micro_reserved",
                "写了小微企业预留额，没有写面向中小企业预留额",
            )
            .expected("同时填写 procurement.sme_reserved"),
        );
    }
    out
}
