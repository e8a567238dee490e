//! 向终端报告：数据问题与 Typst 诊断。

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

/// Prints data problems, rustc style, to stderr.
pub fn problems(name: &str, text: &str, problems: &[Problem]) {
    for p in problems {
        eprintln!("{}", diag::render(name, text, p));
    }
}

/// Prints Typst's diagnostics with their template file, line and column.
pub fn typst(world: &BudgetWorld, diags: &[SourceDiagnostic]) {
    let choice = if std::io::stderr().is_terminal() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let mut out = termcolor::StandardStream::stderr(choice);
    if diagnostics::emit(&mut out, world, diags, DiagnosticFormat::Human).is_err() {
        for d in diags {
            eprintln!("模板错误：{}", d.message);
        }
    }
}
