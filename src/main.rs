use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = yusuan::args::Cli::parse();
    match yusuan::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
    }
}
