//! 排版：Typst 的 World（模板、数据、字体、固定时钟），字体角色，模板集，以及编译。

pub mod compile;
pub mod coverage;
pub mod fonts;
pub mod limits;
pub mod outline;
pub mod templates;
pub mod world;
