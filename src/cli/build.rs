//! `yusuan build`：核对并生成 PDF（及 xlsx、视图数据），一个或多个文件。

use std::ffi::OsString;
use std::path::Path;

use crate::batch;
use crate::cli::args::{BuildArgs, PdfStandardArg};
use crate::cli::progress::Progress;
use crate::cli::{environment, finish};
use crate::error::Error;
use crate::export::output;
use crate::export::pdf::PdfSettings;
use crate::pipeline;

pub fn run(args: &BuildArgs) -> Result<(), Error> {
    let inputs = pipeline::collect_inputs(&args.paths)?;
    pipeline::one_output_per_input(&inputs, &args.output)?;
    output::check_plan(
        &inputs,
        &read_too(args),
        &args.output,
        &extensions(args),
        &run_files(args),
    )?;
    let env = pipeline::profiles(&environment(&args.env))?;
    output::clean_stale(&args.output);
    let mut options = options(args);
    options.fold_shared = inputs.len() > 1 && !args.verbose;
    if args.emit_data {
        write_schema(&args.output)?;
    }
    let mut progress = Progress::new(inputs.len());
    let mut shared = Vec::new();
    let mut on_event = |mut e: batch::Event| {
        if let batch::Event::Done(o) = &mut e {
            shared.append(&mut o.shared);
        }
        progress.event(e)
    };
    // Several files: worker processes, so memory stays bounded however
    // long the batch (batch::workers); else, or if none can start, here.
    let in_workers = inputs.len() > 1
        && worker_command().is_some_and(|spawn| {
            batch::workers::build_all(&inputs, &options, &spawn, &mut on_event).is_ok()
        });
    if !in_workers {
        batch::build_all(&inputs, &options, env, &mut on_event);
    }
    if inputs.len() > 1 {
        progress.finish();
    }
    super::check::print_shared(&shared);
    if args.report {
        let written = crate::report::write(&inputs, &args.output, args.catalogue.as_deref())?;
        crate::error::errln!(
            "已写出汇总：{}",
            written.iter().map(|p| crate::error::shown(p)).collect::<Vec<_>>().join("、")
        );
    }
    finish(progress.failed(), inputs.len(), "生成完毕")
}

fn options(args: &BuildArgs) -> batch::Options {
    batch::Options {
        output: args.output.clone(),
        draft: args.draft,
        final_: args.final_,
        jobs: args.jobs,
        emit_data: args.emit_data,
        xlsx: args.xlsx,
        html: args.html,
        docx: args.docx,
        pdf: pdf_settings(&args.pdf_standards),
        catalogue: args.catalogue.clone(),
        limits: (args.limits.time_limit, args.limits.memory_limit),
        verbose: args.verbose,
        // A worker serves only batches of several files.
        fold_shared: !args.verbose,
    }
}

/// The command that starts a worker of this run: this program with the
/// hidden subcommand in place of `build`, every option as given (the
/// worker ignores the paths and reads its files from its input).
fn worker_command() -> Option<batch::workers::Spawn> {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.first()? != "build" {
        return None;
    }
    args[0] = WORKER.into();
    Some(batch::workers::Spawn { program: std::env::current_exe().ok()?, args })
}

/// The hidden subcommand of a worker (cli::args::Command::Worker).
const WORKER: &str = "__worker";

/// A worker of a batch: builds the files named on its input with the
/// options of `build`, one reply line each on its output (batch::serve).
pub fn serve(args: &BuildArgs) -> Result<(), Error> {
    let env = pipeline::profiles(&environment(&args.env))?;
    let (input, output) = (std::io::stdin().lock(), std::io::stdout().lock());
    // The memory limit is the run's, kept by the batch over all its
    // processes (batch::workers); the time limit is per document, kept here.
    let mut options = options(args);
    options.limits.1 = 0;
    batch::serve::serve(&options, env, input, output)
        .map_err(|e| Error::Message(format!("排版进程与批量生成之间的通信出错：{e}")))
}

/// Each input's outputs: its PDF and the companions asked for.
fn extensions(args: &BuildArgs) -> Vec<&'static str> {
    let asked = [
        (true, "pdf"),
        (args.emit_data, "json"),
        (args.xlsx, "xlsx"),
        (args.html, "html"),
        (args.docx, "docx"),
    ];
    asked.into_iter().filter(|(on, _)| *on).map(|(_, ext)| ext).collect()
}

/// The files the run writes once, whatever the inputs.
fn run_files(args: &BuildArgs) -> Vec<(&'static str, &'static str)> {
    if args.emit_data {
        vec![(SCHEMA_FILE, "视图数据结构说明（--emit-data）")]
    } else {
        vec![]
    }
}

/// Files the run reads besides the data files (never written over).
fn read_too(args: &BuildArgs) -> Vec<std::path::PathBuf> {
    args.catalogue.iter().cloned().collect()
}

/// The view's JSON Schema, once per run, for template authors.
fn write_schema(dir: &Path) -> Result<(), Error> {
    let path = dir.join(SCHEMA_FILE);
    output::write_atomic(&path, crate::derive::view::schema_json().as_bytes())
}

/// The file `--emit-data` writes the view's schema to.
pub const SCHEMA_FILE: &str = "yusuan-view.schema.json";

pub fn pdf_settings(standards: &[PdfStandardArg]) -> PdfSettings {
    use typst_pdf::PdfStandard as S;
    let standards = standards
        .iter()
        .map(|s| match s {
            PdfStandardArg::V17 => S::V_1_7,
            PdfStandardArg::V20 => S::V_2_0,
            PdfStandardArg::A2b => S::A_2b,
            PdfStandardArg::A2u => S::A_2u,
            PdfStandardArg::A2a => S::A_2a,
            PdfStandardArg::A3b => S::A_3b,
            PdfStandardArg::Ua1 => S::Ua_1,
        })
        .collect();
    PdfSettings { standards, tagged: true }
}
