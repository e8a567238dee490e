//! 程序层面的错误类型：命令执行失败时向用户报告的内容。

use std::path::PathBuf;

/// What can stop a command. Problems in the data are reported file by file
/// as they are found; these are the errors a command ends with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("找不到路径 {0}")]
    MissingPath(PathBuf),
    #[error("目录 {0} 中没有 .toml 数据文件")]
    NoDataFiles(PathBuf),
    #[error("无法写入 {path}：{source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("无法读取模板目录 {path}：{source}")]
    Templates { path: PathBuf, source: std::io::Error },
    #[error("模板目录 {0} 中没有 main.typ")]
    NoMainTemplate(String),
    #[error("预览：{0}")]
    Preview(String),
    #[error("{0} 已存在；如要覆盖，请加 --force")]
    Exists(PathBuf),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Profile(String),
    #[error("{failed} 个文件未通过（共 {total} 个）")]
    Failed { failed: usize, total: usize },
}
