//! 命令行：参数（`args`，不依赖本 crate 的其他部分）与每个命令一个文件，都是流水线的薄外壳。

pub mod args;
mod build;
mod catalogue;
mod check;
mod diff;
mod fonts;
pub mod help;
mod import;
mod init;
mod new;
mod preview;
mod profile;
mod progress;
mod report;

use std::path::Path;

use crate::diag::{self, Problem};
use crate::error::Error;
use crate::model::Budget;
use crate::pipeline::{self, Environment};
use crate::source::DataFile;
use crate::typeset::fonts::{FontOptions, FontSet};
use args::{Command, EnvArgs, FontArgs};

/// Runs one command.
pub fn run(cli: args::Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build(a) => build::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Fonts(a) => fonts::run(&a),
        Command::New(a) => new::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::Import(a) => import::run(&a),
        Command::Preview(a) => preview::run(&a),
        Command::Catalogue(a) => catalogue::run(&a),
        Command::Profile(a) => profile::run(&a),
        Command::Help(a) => help::show(&a.command),
        Command::Init(a) => init::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Worker(a) => build::serve(&a),
    }
}

/// Reads, parses and checks one file, printing every problem found.
/// Returns the budget when no error remains. `catalogue`: the user's
/// catalogue file when given on the command line. With `fonts`, also every
/// character no font of the set can show.
fn load_checked(
    path: &Path,
    catalogue: Option<&Path>,
    fonts: Option<&FontSet>,
    profiles: Option<&pipeline::Profiles>,
) -> Option<(DataFile, Budget)> {
    let (file, problems, budget) = inspect(path, catalogue, fonts, profiles);
    print_problems(&file, &problems);
    if let Some(summary) = diag::summary(&file.name(), &problems) {
        crate::error::errln!("{summary}");
    }
    budget.map(|b| (file, b))
}

/// As [`load_checked`], printing nothing of the data's problems: the
/// command says them its own way. A fault of the profile itself is said.
fn inspect(
    path: &Path,
    catalogue: Option<&Path>,
    fonts: Option<&FontSet>,
    profiles: Option<&pipeline::Profiles>,
) -> (DataFile, Vec<Problem>, Option<Budget>) {
    let mut loaded = pipeline::inspect_with(path, catalogue);
    if let Some(fonts) = fonts.filter(|_| loaded.budget.is_some()) {
        loaded.problems.extend(crate::typeset::coverage::check(&loaded.file.text, fonts));
    }
    // A fault of the profile itself is said once, before the data's problems.
    let faulty = match profiles.map(|p| pipeline::with_profile(&mut loaded, path, p)) {
        Some(Err(e)) => {
            crate::error::errln!("{e}");
            true
        }
        _ => false,
    };
    let (file, problems, budget) = pipeline::usable(loaded);
    (file, problems, budget.filter(|_| !faulty))
}

/// Prints data problems to stderr.
fn print_problems(file: &DataFile, problems: &[Problem]) {
    crate::error::err!("{}", diag::problems_text(&file.name(), &file.text, problems));
}

/// The closing line of a command over many files.
fn finish(failed: usize, total: usize, ok_word: &str) -> Result<(), Error> {
    if failed > 0 {
        return Err(Error::Failed { failed, total });
    }
    crate::error::errln!("{ok_word}：{total} 个文件");
    Ok(())
}

fn font_options(f: &FontArgs) -> FontOptions {
    FontOptions { font_paths: f.font_paths.clone(), no_system_fonts: f.no_system_fonts }
}

fn environment(env: &EnvArgs) -> Environment {
    Environment {
        templates: env.templates.clone(),
        fonts: font_options(&env.fonts),
        profile: env.profile.clone(),
    }
}

/// Writes a command's result. A reader that stops early (`| head`) is not
/// an error, and must not make the program panic as `print!` would.
fn stdout(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
