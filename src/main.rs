//! yusuan 命令行程序：解析参数，交给 `cli::run`；用法错误用中文说明，退出码 2。

use std::process::ExitCode;

use clap::Parser;
use clap::error::{ContextKind, ContextValue, ErrorKind};

fn main() -> ExitCode {
    let cli = match yusuan::cli::args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match yusuan::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{}", yusuan::error::safe(&e.to_string()));
            // A request that cannot be done as asked is a usage error, as
            // clap's are.
            let usage = matches!(e, yusuan::error::Error::Usage(_));
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Help and version print as clap has them; a usage mistake is explained
/// in Chinese, exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        // `yusuan` alone: the help is the answer.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let ctx = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{}”", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => "请给出命令，如 build、check".to_string(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "参数 {} 的值“{}”不合法{}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::InvalidValue),
            match ctx(ContextKind::ValidValue) {
                v if v.is_empty() => String::new(),
                v => format!("，可选：{v}"),
            }
        ),
        _ => e.kind().to_string(),
    };
    eprintln!("用法错误：{what}");
    let suggested = ctx(ContextKind::SuggestedSubcommand) + &ctx(ContextKind::SuggestedArg);
    if !suggested.is_empty() {
        eprintln!("  是否想写：{suggested}");
    }
    eprintln!("  查看用法：yusuan --help，或 yusuan <命令> --help");
    ExitCode::from(2)
}
