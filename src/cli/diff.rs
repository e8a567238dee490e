//! `yusuan diff`：列出更正前后变化的每个字段。

use std::path::Path;

use crate::cli::args::{DiffArgs, DiffFormat};
use crate::cli::{print_problems, stdout};
use crate::error::Error;
use crate::model::Budget;
use crate::pipeline;
use crate::source::DataFile;

pub fn run(args: &DiffArgs) -> Result<(), Error> {
    let (old, new) = (readable(&args.old)?, readable(&args.new)?);
    let changes = crate::diff::diff(&old.1, &new.1);
    let text = match args.format {
        DiffFormat::Text => crate::diff::to_text(&changes),
        DiffFormat::Markdown => {
            let title = format!(
                "{}{}年部门预算信息公开情况说明",
                new.1.document.department, new.1.document.year
            );
            crate::diff::to_markdown(&changes, &title)
        }
    };
    stdout(&text);
    Ok(())
}

/// A diff needs readable data, not data that passes every check: a draft
/// can be compared too. Unreadable files report why.
fn readable(p: &Path) -> Result<(DataFile, Budget), Error> {
    let loaded = pipeline::inspect(p);
    match loaded.budget {
        Some(b) => {
            let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
            if errors > 0 {
                let name = loaded.file.name();
                eprintln!(
                    "注意：{name} 未通过核对（{errors} 个错误，用 yusuan check {name} 查看）；下面仍列出变化"
                );
            }
            Ok((loaded.file, b))
        }
        None => {
            print_problems(&loaded.file, &loaded.problems);
            Err(Error::Failed { failed: 1, total: 2 })
        }
    }
}
