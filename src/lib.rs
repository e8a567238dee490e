//! yusuan（预算）：把部门预算数据（TOML）生成“部门预算信息公开情况说明”PDF。
//!
//! The modules are listed in the order the data travels, each layer using
//! only those before it (tests/layers.rs holds the tree to that rule):
//! text is read by `source` into the `model`, `checks` verifies it,
//! `derive` computes every figure and phrase the document shows (the view,
//! the templates' whole contract), `typeset` lays the view out with Typst,
//! `export` writes the PDF and its companions, and `pipeline` strings these
//! steps into the one sequence every face calls: `newyear`, `diff`,
//! `import`,
//! `batch`, `report` (a batch summed up for sign-off), `preview` and the
//! command line in `cli`.

// Every message goes through error.rs's out!/err! macros (clippy.toml).
#![deny(clippy::disallowed_macros)]

pub mod error;
pub mod diag;
pub mod model;
pub mod source;
pub mod checks;
pub mod derive;
pub mod typeset;
pub mod export;
pub mod pipeline;
pub mod newyear;
pub mod diff;
pub mod import;
pub mod batch;
pub mod report;
pub mod preview;
pub mod cli;
