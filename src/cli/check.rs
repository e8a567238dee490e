//! `yusuan check`：只核对，不生成。

use crate::checks::summary;
use crate::cli::args::CheckArgs;
use crate::cli::{finish, font_options, inspect};
use crate::error::Error;
use crate::pipeline;
use crate::typeset::fonts::FontSet;
use crate::typeset::limits::Watch;

pub fn run(args: &CheckArgs) -> Result<(), Error> {
    let inputs = pipeline::collect_inputs(&args.paths)?;
    let given = args.catalogue.as_deref();
    let fonts = FontSet::load(&font_options(&args.fonts));
    let env = pipeline::Environment { profile: args.profile.clone(), ..Default::default() };
    let profiles = pipeline::Profiles::new(&env);
    // In a run of several files, a finding they share is said once at the end.
    let fold = inputs.len() > 1 && !args.verbose;
    let mut shared = Vec::new();
    let mut failed = 0;
    for path in &inputs {
        let (secs, mib) = (args.limits.time_limit, args.limits.memory_limit);
        let _watch = Watch::doing(&path.display().to_string(), "核对", secs, mib);
        let (file, problems, budget) = inspect(path, given, Some(&fonts), Some(&profiles));
        let (name, text) = (file.name(), &file.text);
        crate::error::err!("{}", summary::report(&name, text, &problems, args.verbose, fold));
        if fold {
            shared.extend(summary::shared(&name, text, &problems));
        }
        failed += usize::from(budget.is_none());
    }
    print_shared(&shared);
    finish(failed, inputs.len(), "核对通过")
}

/// The findings several files share, once each, naming the files.
pub fn print_shared(shared: &[summary::Shared]) {
    if !shared.is_empty() {
        crate::error::err!(
            "\n各文件共有的科目问题（同一科目只说一次）：\n{}",
            summary::shared_text(shared)
        );
    }
}
