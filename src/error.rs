//! 程序层面的错误类型：命令执行失败时向用户报告的内容。

use std::path::PathBuf;

/// What can stop a command. Problems in the data are reported file by file
/// as they are found; these are the errors a command ends with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("找不到路径 {}", shown(.0))]
    MissingPath(PathBuf),
    #[error("目录 {} 中没有 .toml 数据文件", shown(.0))]
    NoDataFiles(PathBuf),
    #[error("无法写入 {}：{}", shown(path), os_words(source))]
    Write { path: PathBuf, source: std::io::Error },
    #[error("无法读取 {}：{}", shown(path), os_words(source))]
    Read { path: PathBuf, source: std::io::Error },
    /// Said in full by its text (a folder walk that stopped, a draft that
    /// could not be made).
    #[error("{0}")]
    Message(String),
    /// Two inputs of one run would write one output.
    #[error(
        "两个输入会写出同一个文件 {}：{} 与 {}{}；什么也没有写。请给其中一个改名，或分两次用不同的 -o 目录生成",
        shown(output), shown(first), shown(second),
        if *same { "（是同一个文件）" } else { "" }
    )]
    Collision { output: PathBuf, first: PathBuf, second: PathBuf, same: bool },
    /// An output would replace one of the run's own inputs.
    #[error(
        "不能写 {}：它是本次命令读取的文件 {}，写出会毁掉输入（加 --force 也不行）；什么也没有写。请换一个输出文件名或目录",
        shown(output),
        shown(input)
    )]
    OverInput { output: PathBuf, input: PathBuf },
    /// An input's output would have the name of a file the run writes for
    /// itself (the view's schema).
    #[error(
        "{} 会写出 {}，与本次写出的{}同名；什么也没有写。请给数据文件改名，或不加相应选项",
        shown(input),
        shown(output),
        what
    )]
    Shadowed { input: PathBuf, output: PathBuf, what: String },
    #[error("预览：{0}")]
    Preview(String),
    #[error("{} 已存在；如要覆盖，请加 --force", shown(.0))]
    Exists(PathBuf),
    /// A request that cannot be done as asked; exit code 2, like clap's.
    #[error("{0}")]
    Usage(String),
    /// Typesetting one document passed its time or memory limit.
    #[error("{0}")]
    Limit(String),
    #[error("{failed} 个文件未通过（共 {total} 个）")]
    Failed { failed: usize, total: usize },
}

/// An OS error in Chinese, with what to do about it. The English text of
/// `io::Error` never reaches the user.
pub fn os_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let words = match e.kind() {
        K::NotFound => "不存在；请检查路径是否写对",
        K::PermissionDenied => "没有权限；请检查文件和目录的权限，或换一个目录",
        K::AlreadyExists => "已存在同名的文件或目录",
        K::NotADirectory => "路径中有一段是文件而不是目录；请检查路径，或换一个目录",
        K::IsADirectory => "是目录，不是文件；请删除或改名这个目录，或换一个输出目录",
        K::InvalidFilename => "名称过长或含不允许的字符；请用较短的名称",
        K::StorageFull | K::QuotaExceeded => "磁盘已满或超出配额；请腾出空间后重试",
        K::ReadOnlyFilesystem => "所在的文件系统只读；请换一个可写的目录",
        K::DirectoryNotEmpty => "目录不为空",
        K::FileTooLarge => "文件过大",
        K::Interrupted | K::TimedOut | K::WouldBlock => "操作被中断；请重试",
        K::Other if !e.to_string().contains("os error") => return e.to_string(),
        _ => "系统拒绝了这一操作",
    };
    match e.raw_os_error() {
        Some(code) => format!("{words}（系统错误 {code}）"),
        None => words.to_string(),
    }
}

/// A hint of Typst's as yusuan says it. Typst's own hints are written for
/// its command line: “you can adjust the project root with the `--root`
/// argument” names an option yusuan does not have, and whose effect a
/// template folder must never have. Such a hint is rewritten; one naming
/// another typst option is dropped (`None`); any other is kept.
pub fn typst_hint(hint: &str) -> Option<String> {
    if hint.contains("`--root`") {
        return Some(
            "模板只能读取模板目录（样式文件夹）中的文件；要用的文件请放进该目录，用相对路径读取"
                .to_string(),
        );
    }
    (!hint.contains("`--")).then(|| hint.to_string())
}

/// Text safe to print on a terminal: a control character (other than line
/// feed and tab) from data or a file name is written as `\u{1b}`, so it can
/// neither move the cursor nor retitle the window.
pub fn safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as messages show it: escaped by `safe`.
pub fn shown(path: &std::path::Path) -> String {
    safe(&path.display().to_string())
}

// ---------------------------------------------------------------------------
// Writing to the terminal. `println!` and `eprintln!` panic when the stream
// is closed (`yusuan check F 2>&1 | head -1`: exit 101 and a panic message
// nobody reads). Every message of the program goes through these macros
// instead: a closed or failing stream is ignored, the command finishes its
// work and ends with the exit status it would have had. The standard
// printing macros are refused by clippy in the program (`clippy.toml`,
// `disallowed-macros`), so a new `println!` cannot slip back in.

/// Writes formatted text to stdout; a closed stdout is not an error.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::error::write_out(::std::format_args!($($arg)*), false) };
}

/// [`out!`] with a line feed.
#[macro_export]
macro_rules! outln {
    () => { $crate::error::write_out(::std::format_args!(""), true) };
    ($($arg:tt)*) => { $crate::error::write_out(::std::format_args!($($arg)*), true) };
}

/// Writes formatted text to stderr; a closed stderr is not an error.
#[macro_export]
macro_rules! err {
    ($($arg:tt)*) => { $crate::error::write_err(::std::format_args!($($arg)*), false) };
}

/// [`err!`] with a line feed.
#[macro_export]
macro_rules! errln {
    () => { $crate::error::write_err(::std::format_args!(""), true) };
    ($($arg:tt)*) => { $crate::error::write_err(::std::format_args!($($arg)*), true) };
}

// Called by the module they belong to, `crate::error::errln!(…)` (the
// layer test reads `crate::error`); `#[macro_export]` also puts them at the
// crate root, where the binary (`yusuan::error::errln!`) reaches them.
pub use super::{err, errln, out, outln};

/// What [`out!`] and [`outln!`] call.
pub fn write_out(args: std::fmt::Arguments<'_>, line: bool) {
    write_to(&mut std::io::stdout().lock(), args, line);
}

/// What [`err!`] and [`errln!`] call.
pub fn write_err(args: std::fmt::Arguments<'_>, line: bool) {
    write_to(&mut std::io::stderr().lock(), args, line);
}

/// One message, written in one piece (batch workers print side by side):
/// the reader may have gone (a broken pipe) or the disk be full; the
/// command's work and exit status do not depend on it.
fn write_to(w: &mut dyn std::io::Write, args: std::fmt::Arguments<'_>, line: bool) {
    let mut text = std::fmt::format(args);
    if line {
        text.push('\n');
    }
    let _ = w.write_all(text.as_bytes());
    let _ = w.flush();
}
