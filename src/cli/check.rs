//! `yusuan check`：只核对，不生成。

use crate::cli::args::CheckArgs;
use crate::cli::{finish, font_options, load_checked};
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
    let failed = inputs
        .iter()
        .filter(|p| {
            let (secs, mib) = (args.limits.time_limit, args.limits.memory_limit);
            let _watch = Watch::doing(&p.display().to_string(), "核对", secs, mib);
            load_checked(p, given, Some(&fonts), Some(&profiles)).is_none()
        })
        .count();
    finish(failed, inputs.len(), "核对通过")
}
