//! 读取决算文件：解析 `[final_accounts]`，读入它所决算的预算文件，把两者连成一份部门决算。
//!
//! The budget file is read by the same `load` as any data file, so its
//! 年初预算 are the published budget's figures by construction. Its own
//! problems are reported in it (file, line and column of the budget file);
//! a missing or unreadable budget file is a problem at the 决算 file's
//! `final_accounts.budget`.

use std::path::Path;
use std::sync::Arc;

use crate::diag::{Elsewhere, Problem};
use crate::model::Budget;
use crate::model::final_accounts::{FinalAccounts, FinalFile};
use crate::source::{Loaded, place, syntax, translate};

/// The key that makes a file a 决算 file.
pub const HEAD: &str = "final_accounts";

/// Whether a parsed file is a 决算 file: it has a top-level `[final_accounts]`.
pub fn is_final(text: &str) -> bool {
    toml_edit::Document::parse(text).is_ok_and(|d| d.as_table().contains_key(HEAD))
}

/// Reads a 决算 file's text and the budget it names. `path` is the 决算
/// file; the budget's path is relative to its folder.
pub fn analyse(
    path: &Path,
    text: &str,
    catalogue: Option<&Path>,
) -> (Option<Budget>, Vec<Problem>) {
    if let Err(e) = toml_edit::Document::parse(text) {
        return (None, vec![syntax(text, &e)]);
    }
    let file: FinalFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => return (None, vec![translate(text, &e)]),
    };
    let written = file.final_accounts.budget.trim();
    let budget_path = match crate::source::walk::named_in(path, written) {
        Ok(p) => p,
        Err(why) => return (None, vec![unreadable(written, &why)]),
    };
    let linked = link(&budget_path, catalogue);
    let mut problems = linked.problems;
    let Some(mut b) = linked.budget else { return (None, problems) };
    let head = &file.final_accounts;
    // The document is the 决算's: its own date, profile and 样例 mark; the
    // department, code and year are the budget's.
    b.document.date = head.date;
    b.document.profile = head.profile.clone();
    b.document.sample = head.sample;
    let budget_text: Arc<str> = linked.text.into();
    b.final_accounts = Some(Arc::new(FinalAccounts { file, budget_path, budget_text }));
    // What is left are the budget's warnings: said when the budget is built.
    problems.retain(Problem::is_error);
    (Some(b), problems)
}

/// The linked budget as read: its model, its text, and its problems, each
/// in the budget file (or at `final_accounts.budget` when it cannot be read).
struct Linked {
    budget: Option<Budget>,
    text: String,
    problems: Vec<Problem>,
}

/// The budget path as written could not be read: said at
/// `final_accounts.budget`, never with a line of the file it names.
fn unreadable(written: &str, why: &crate::source::walk::Named) -> Problem {
    use crate::source::walk::Named;
    let shown = crate::error::safe(written);
    let message = match why {
        Named::Missing => format!("找不到所决算的预算文件“{shown}”"),
        why => format!("所决算的预算文件“{shown}”{why}"),
    };
    Problem::error("final_accounts.budget", message).expected(
        "预算数据文件（.toml）的路径，相对于本决算文件所在的文件夹，如 \"101001-2021.toml\"",
    )
}

fn link(budget_path: &Path, catalogue: Option<&Path>) -> Linked {
    let shown = crate::error::shown(budget_path);
    let at = "final_accounts.budget";
    let bytes = crate::source::walk::read_regular(budget_path, crate::source::MAX_BYTES);
    let text = bytes.ok().and_then(|b| crate::source::decode(&b).ok()).unwrap_or_default();
    if is_final(&text) {
        let p = Problem::error(at, format!("“{shown}”是决算文件，不是预算文件"))
            .expected("所决算年度的部门预算数据文件");
        return Linked { budget: None, text, problems: vec![p] };
    }
    let Loaded { file, budget, mut problems } = crate::source::load_with(budget_path, catalogue);
    place(&file.text, &mut problems);
    let elsewhere = Arc::new(Elsewhere { name: file.name(), text: file.text.clone() });
    let mut out: Vec<Problem> = problems
        .into_iter()
        .map(|p| if p.file.is_some() { p } else { p.in_file(&elsewhere) })
        .collect();
    if budget.is_none() || out.iter().any(Problem::is_error) {
        let n = out.iter().filter(|p| p.is_error()).count().max(1);
        out.push(
            Problem::error(at, format!("所决算的预算文件“{shown}”有 {n} 处错误，无法读入"))
                .expected(
                    "先改正预算文件中的错误（各条注明预算文件的行、列），决算的年初预算从它读出",
                ),
        );
    }
    Linked {
        budget: budget.filter(|_| !out.iter().any(Problem::is_error)),
        text: file.text,
        problems: out,
    }
}
