//! `yusuan report`：一批部门的汇总工作簿与网页。

use crate::cli::args::ReportArgs;
use crate::error::{Error, shown};
use crate::pipeline;

pub fn run(args: &ReportArgs) -> Result<(), Error> {
    let inputs = pipeline::collect_inputs(&args.paths)?;
    std::fs::create_dir_all(&args.output)
        .map_err(|source| Error::Read { path: args.output.clone(), source })?;
    let written = crate::report::write(&inputs, &args.output, args.catalogue.as_deref())?;
    let names: Vec<String> = written.iter().map(|p| shown(p)).collect();
    crate::error::errln!("已写出 {} 个文件的汇总：{}", inputs.len(), names.join("、"));
    Ok(())
}
