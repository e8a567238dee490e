//! `yusuan preview`：在本机浏览器中实时预览一个数据文件。

use crate::cli::args::PreviewArgs;
use crate::cli::environment;
use crate::error::Error;
use crate::preview;

pub fn run(args: &PreviewArgs) -> Result<(), Error> {
    preview::run(&preview::Options {
        file: args.file.clone(),
        port: args.port,
        open: args.open,
        bench_edits: args.bench_edits,
        env: environment(&args.env),
        limits: (args.limits.time_limit, args.limits.memory_limit),
    })
}
