//! 由预算明细补全叙述中的数字：解析之后立即把明细汇总为收入各项、人员经费、公用经费与各项目金额，
//! 并记下作者手填、须由核对比较的数字。需要原文，才能分清“写了 0”与“没有写”。

use crate::model::amount::Amount;
use crate::model::fields::{Seg, label_of, segments};
use crate::model::lineitems::{INCOME_FIGURES, Resolution, Stated, Sums, absurd, income_figure};
use crate::model::{Budget, ProjectLine};

/// Whether `path` (dotted, with `[n]` indices) is written in the document.
fn present(doc: Option<&toml_edit::Document<String>>, path: &str) -> bool {
    let Some(doc) = doc else { return true };
    let mut item = doc.as_item();
    for seg in segments(path) {
        let next = match seg {
            Seg::Key(k) => item.get(k),
            Seg::Index(i) => item.get(i),
        };
        match next {
            Some(n) => item = n,
            None => return false,
        }
    }
    !item.is_none()
}

/// Fills the narrative's figures from the line items (when there are any),
/// remembering what the author wrote. `text` is the file the budget was
/// parsed from; it tells a figure written as 0 from one left out.
pub fn resolve(mut b: Budget, text: &str) -> Budget {
    // The bundled catalogue of the data's year; `load` lays the user's
    // file over it when there is one.
    b.catalogue = Some(std::sync::Arc::clone(crate::source::catalogue::bundled(b.document.year)));
    let doc = toml_edit::Document::parse(text.to_string()).ok();
    let doc = doc.as_ref();
    let mut r = Resolution { ran: true, ..Resolution::default() };
    if b.line_items.is_empty() {
        r.missing = missing_required(&b, doc);
    } else if !absurd(&b) {
        // When absurd, sums could overflow; `check` reports the amount and
        // nothing is derived.
        let sums = Sums::of(&b);
        for (path, source) in INCOME_FIGURES {
            let field = income_figure(&mut b.income, source);
            settle(&mut r, doc, path, label(path), field, sums.source(source));
        }
        let basic = &mut b.expenditure.basic;
        settle(
            &mut r,
            doc,
            "expenditure.basic.personnel",
            label("expenditure.basic.personnel"),
            &mut basic.personnel,
            sums.personnel,
        );
        settle(
            &mut r,
            doc,
            "expenditure.basic.public",
            label("expenditure.basic.public"),
            &mut basic.public,
            sums.public,
        );
        settle_projects(&mut r, doc, &mut b.expenditure.projects, &sums);
    }
    b.resolution = r;
    b
}

/// Without line items, the figures the old model required and the file
/// leaves out: field path and Chinese name.
fn missing_required(
    b: &Budget,
    doc: Option<&toml_edit::Document<String>>,
) -> Vec<(String, String)> {
    let mut required: Vec<(String, String)> =
        ["income", "expenditure.basic.personnel", "expenditure.basic.public"]
            .map(|p| (p.to_string(), label(p).to_string()))
            .to_vec();
    for n in 0..b.expenditure.projects.len() {
        required.push((format!("expenditure.projects[{n}].amount"), "项目金额".into()));
    }
    required.into_iter().filter(|(p, _)| !present(doc, p)).collect()
}

/// Each listed project takes its line items' sum; projects only the line
/// items name are appended. A written list that disagrees with the line
/// items is noted for `check`.
fn settle_projects(
    r: &mut Resolution,
    doc: Option<&toml_edit::Document<String>>,
    listed: &mut Vec<ProjectLine>,
    sums: &Sums,
) {
    let stated_list = std::mem::take(listed);
    let mut projects = Vec::new();
    if present(doc, "expenditure.projects") {
        for (n, p) in stated_list.into_iter().enumerate() {
            let mut line = p;
            match sums.project(&line.name) {
                Some(derived) => {
                    let path = format!("expenditure.projects[{n}].amount");
                    let label = format!("项目“{}”的金额", line.name.trim());
                    settle(r, doc, &path, &label, &mut line.amount, derived);
                }
                None => r.unknown_projects.push((n, line.name.trim().to_string())),
            }
            projects.push(line);
        }
    }
    for (name, amount) in &sums.projects {
        if !projects.iter().any(|p| p.name.trim() == name) {
            if present(doc, "expenditure.projects") {
                r.unlisted_projects.push(name.clone());
            }
            projects.push(ProjectLine { name: name.clone(), amount: *amount });
        }
    }
    *listed = projects;
}

fn settle(
    r: &mut Resolution,
    doc: Option<&toml_edit::Document<String>>,
    path: &str,
    label: &str,
    field: &mut Amount,
    derived: Amount,
) {
    if present(doc, path) {
        r.stated.push(Stated {
            path: path.to_string(),
            label: label.to_string(),
            stated: *field,
            derived,
        });
    }
    *field = derived;
}

/// The Chinese name of a field the resolution fills.
fn label(path: &str) -> &'static str {
    label_of(path).unwrap_or("金额")
}
