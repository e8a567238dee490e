//! yusuan 命令行程序：解析参数（帮助与用法错误都是中文，见 `cli::help`），交给 `cli::run`；
//! 用法错误退出码 2。

// Every message goes through yusuan's out!/err! macros (clippy.toml).
#![deny(clippy::disallowed_macros)]

use std::process::ExitCode;

use clap::FromArgMatches;
use clap::error::ErrorKind;
use yusuan::cli::args::Cli;
use yusuan::error::Error;

fn main() -> ExitCode {
    let parsed =
        yusuan::cli::help::command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match yusuan::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            yusuan::error::errln!("错误：{}", yusuan::error::safe(&e.to_string()));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// A request that cannot be done as asked is a usage error, as clap's
/// are (2); anything wrong in the data or files is 1.
fn exit_code(e: &Error) -> u8 {
    let usage = matches!(e, Error::Usage(_) | Error::OverInput { .. } | Error::Shadowed { .. });
    if usage { 2 } else { 1 }
}

/// Help and version print as the localised command has them; a usage
/// mistake is explained in Chinese, exit code 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            yusuan::error::out!("{}", e.render());
            ExitCode::SUCCESS
        }
        // `yusuan` alone: the help is the answer.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            yusuan::error::err!("{}", e.render());
            ExitCode::from(2)
        }
        _ => {
            yusuan::error::err!("{}", yusuan::cli::help::usage_error(e));
            ExitCode::from(2)
        }
    }
}
