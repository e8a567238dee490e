//! 报告：数据问题与 Typst 诊断，写成文字。
//!
//! Messages are rendered into strings first, so a batch running files in
//! parallel prints each file's messages together, never interleaved.

use std::io::IsTerminal;

use typst::diag::SourceDiagnostic;
use typst_kit::diagnostics::{self, DiagnosticFormat, termcolor};

use crate::diag::{self, Problem};
use crate::load::{self, DataFile};
use crate::world::BudgetWorld;

/// Gives each problem a span (from its field path when it has none).
pub fn locate_all(file: &DataFile, problems: &mut [Problem]) {
    for p in problems.iter_mut().filter(|p| p.span.is_none() && !p.field.is_empty()) {
        p.span = load::locate(&file.text, &p.field);
    }
}

/// Data problems, rustc style.
pub fn problems_text(name: &str, text: &str, problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{}\n", diag::render(name, text, p))).collect()
}

/// Prints data problems to stderr.
pub fn problems(name: &str, text: &str, problems: &[Problem]) {
    eprint!("{}", problems_text(name, text, problems));
}

/// Typst's diagnostics with their template file, line and column and the
/// source line, as typst itself prints them (coloured on a terminal).
pub fn typst_text(world: &BudgetWorld, diags: &[SourceDiagnostic]) -> String {
    if diags.is_empty() {
        return String::new();
    }
    let mut buf = if std::io::stderr().is_terminal() {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    if diagnostics::emit(&mut buf, world, diags, DiagnosticFormat::Human).is_err() {
        return diags.iter().map(|d| format!("模板错误：{}\n", d.message)).collect();
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}
