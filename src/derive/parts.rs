//! What a profile's parts print beyond the seed's chapters: the parts
//! themselves (order and 目录 numbers), 机构设置 counts, 部门预算编制说明,
//! 项目经费情况说明, vehicles by kind and the as-of wording of assets.

use crate::derive::Formats;
use crate::derive::tables::chinese_number;
use crate::derive::view::{
    ExplanationView, FleetView, KindCount, NoteView, PartView, ProfileView, ProjectDetailView,
    UnitCounts,
};
use crate::derive::{chinese_date, clean_clause};
use crate::model::profile::Profile;
use crate::model::{self, Budget};

/// The profile's parts in order, numbered 一、二… in the 目录 when listed.
pub fn profile_view(p: &Profile) -> ProfileView {
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
            PartView {
                id: q.id.clone(),
                title: q.title.clone(),
                number,
                in_contents: q.in_contents,
            }
        })
        .collect();
    ProfileView {
        name: p.name.clone(),
        title: p.title.clone(),
        document: p.document.word().to_string(),
        keywords: p.keywords.clone().unwrap_or_else(|| p.document.keywords()),
        parts,
    }
}

/// The class of each unit by its 性质 as written: 参公 first, since 参公事业
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

/// 部门预算编制说明: income by source, 财政拨款 against last year per fund,
/// and one sentence per appropriated 项.
pub fn explanation_view(b: &Budget, f: &Formats) -> ExplanationView {
    let d = crate::model::ledger::derive(b);
    let [now, carried] = d.appropriation_income;
    let fund = |k: usize| now[k] + carried[k];
    let prev = b.previous.appropriation.clone().unwrap_or_default();
    let i = &b.income;
    ExplanationView {
        income_total: f.money(i.total()),
        spending_total: f.money(b.expenditure.total()),
        institution: f.money(i.institution),
        institution_business: f.money(i.institution_business),
        special_account: f.money(i.special_account),
        other: f.money(i.other),
        carryover: f.money(i.carryover),
        appropriation: f
            .change(fund(0) + fund(1) + fund(2), prev.general + prev.fund + prev.capital),
        general: f.change(fund(0), prev.general),
        fund: f.change(fund(1), prev.fund),
        capital: f.change(fund(2), prev.capital),
        reason: clean_clause(&b.previous.appropriation_reason),
        notes: notes(b, f),
    }
}

fn notes(b: &Budget, f: &Formats) -> Vec<NoteView> {
    crate::model::ledger::appropriation_items(b)
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
        .collect()
}

/// 项目经费情况说明, each project's 年度预算安排 summed from its line items.
pub fn project_details_view(b: &Budget, f: &Formats) -> Vec<ProjectDetailView> {
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

/// Vehicles as counted: the total and each kind that has a vehicle, in the
/// profile's order of kinds.
pub fn fleet(counts: &[model::VehicleCount], order: &[String]) -> FleetView {
    let count =
        |k: &str| -> u32 { counts.iter().filter(|c| c.kind.trim() == k).map(|c| c.count).sum() };
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

/// “2020年末” for a count taken on 31 December, “截至2024年8月31日” for one
/// taken during the year: a count of 8月31日 is not a 年末 figure.
pub fn as_of_phrase(d: &toml::value::Datetime) -> String {
    match &d.date {
        Some(date) if date.month == 12 && date.day == 31 => format!("{}年末", date.year),
        _ => format!("截至{}", chinese_date(d).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(nature: &str) -> model::Unit {
        model::Unit {
            name: "x".into(),
            code: None,
            nature: nature.into(),
            rank: String::new(),
            funding: String::new(),
        }
    }

    #[test]
    fn units_are_counted_by_nature() {
        let units = [unit("行政单位"), unit("参公事业单位"), unit("事业单位"), unit("其他")];
        let c = unit_counts(&units);
        assert_eq!(
            (c.subordinate, c.administrative, c.civil_service, c.institution, c.other),
            (3, 1, 1, 1, 1)
        );
    }

    #[test]
    fn as_of_wording_follows_the_date() {
        let d = |s: &str| s.parse::<toml::value::Datetime>().unwrap();
        assert_eq!(as_of_phrase(&d("2020-12-31")), "2020年末");
        assert_eq!(as_of_phrase(&d("2024-08-31")), "截至2024年8月31日");
    }

    #[test]
    fn fleet_lists_kinds_in_the_profile_order() {
        let v = |k: &str, n| model::VehicleCount { kind: k.into(), count: n };
        let order = vec!["甲".to_string(), "乙".to_string(), "丙".to_string()];
        let f = fleet(&[v("丙", 2), v("甲", 1), v("丁", 1)], &order);
        let got: Vec<(&str, u32)> = f.kinds.iter().map(|k| (k.kind.as_str(), k.count)).collect();
        assert_eq!(got, [("甲", 1), ("丙", 2), ("丁", 1)]);
        assert_eq!(f.total, 4);
    }
}
