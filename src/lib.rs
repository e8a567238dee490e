//! yusuan（预算）：把部门预算数据（TOML）生成“部门预算信息公开情况说明”PDF。
//!
//! The flow: `load` reads the TOML into the `model`, `checks` verifies it,
//! `derive` computes every figure and phrase the document shows, and
//! `render` hands that view to the Typst templates through the `world` and
//! writes the PDF. `commands` strings these steps together for the CLI.

pub mod amount;
pub mod args;
pub mod batch;
pub mod catalogue;
pub mod checks;
pub mod commands;
pub mod derive;
pub mod diag;
pub mod diff;
pub mod error;
pub mod fonts;
pub mod lineitems;
pub mod load;
pub mod model;
pub mod newyear;
pub mod output;
pub mod preview;
pub mod profile;
pub mod profile_checks;
pub mod profile_cmd;
pub mod profiles;
pub mod render;
pub mod report;
pub mod schema;
pub mod tables;
pub mod templates;
pub mod world;
pub mod xlsx;
