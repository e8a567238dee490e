//! 草稿待办的核对：`[todo]` 中每个仍未更新的字段一条警告，另说明还剩几项。

use crate::diag::Problem;
use crate::model::todo;
use crate::model::todo::describe;

/// The draft's open items of a file's text, as warnings located in it;
/// nothing for a file without `[todo]` or one that does not parse.
pub fn check(text: &str) -> Vec<Problem> {
    // The parsed document keeps spans; a `DocumentMut` drops them and the
    // warnings would lose their line.
    let Ok(doc) = toml_edit::Document::parse(text) else { return Vec::new() };
    let root = doc.as_item();
    todo::problems(root, &todo::read(root), |p| describe(root, p))
}
