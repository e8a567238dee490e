//! 命令行的中文：clap 的帮助、用法行与用法错误全部用中文写出。
//!
//! clap writes a few words of its own into every help page and error:
//! “Usage”, “[OPTIONS]”, the headings “Arguments”/“Options”/“Commands”,
//! “[default: …]”, “[possible values: …]”, “[env: …]”, and the text of its
//! errors. The derive attributes in `args` set what they can (templates,
//! headings); this module does the rest once, over the whole command tree,
//! so a new option is localised without anyone remembering to:
//! - each argument's default, choices, environment variable and whether it
//!   is required are hidden from clap and written into its help in Chinese;
//! - positional arguments go under “参数”, in the order they are given;
//!   options under “选项”, with 显示帮助 last;
//! - each command's usage line is rendered once and its English words
//!   replaced;
//! - [`usage_error`] says every kind of clap error in Chinese, naming the
//!   options involved.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, CommandFactory};

use crate::cli::args::Cli;

/// Usage lines clap cannot infer: `new` takes --year or --final-accounts.
const USAGES: &[(&str, &str)] = &[(
    "new",
    "yusuan new --from <文件> --year <年度> [选项]\n       yusuan new --from <文件> --final-accounts [选项]",
)];

/// The command tree with every word in Chinese: what `main` parses with.
pub fn command() -> clap::Command {
    let mut cmd = localise(Cli::command());
    cmd.build();
    usages(&mut cmd);
    cmd
}

fn localise(cmd: clap::Command) -> clap::Command {
    let mut positional = 0usize;
    cmd.subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a| arg(a, &mut positional))
        .mut_subcommands(localise)
}

/// One argument: its heading, its place, and clap's bracketed notes
/// rewritten into its help.
fn arg(a: Arg, positional: &mut usize) -> Arg {
    let mut notes: Vec<String> = Vec::new();
    let help = a.get_help().map(ToString::to_string).unwrap_or_default();
    if a.is_required_set() {
        notes.push("必填".into());
    }
    let takes_values = a.get_action().takes_values();
    let choices: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| match v.get_help() {
            Some(h) => format!("{}（{h}）", v.get_name()),
            None => v.get_name().to_string(),
        })
        .collect();
    if takes_values && !choices.is_empty() {
        notes.push(format!("可选：{}", choices.join("、")));
    }
    let defaults: Vec<String> =
        a.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).collect();
    if takes_values && !defaults.is_empty() && !help.contains("缺省") {
        notes.push(format!("缺省：{}", defaults.join(" ")));
    }
    if let Some(env) = a.get_env().map(|e| e.to_string_lossy().into_owned())
        && !help.contains(&env)
    {
        notes.push(format!("也可用环境变量 {env}"));
    }
    let text = match notes.is_empty() {
        true => help,
        false => format!("{help}［{}］", notes.join("；")),
    };
    let a = a.help(text).hide_default_value(true).hide_possible_values(true).hide_env(true);
    if a.is_positional() {
        *positional += 1;
        return a.help_heading("参数").display_order(*positional);
    }
    let last = matches!(a.get_action(), clap::ArgAction::Help | clap::ArgAction::Version);
    let a = if last { a.display_order(10_000) } else { a };
    if a.get_help_heading().is_none() { a.help_heading("选项") } else { a }
}

/// Each command's usage line, rendered by clap and put in Chinese.
fn usages(cmd: &mut clap::Command) {
    let name = cmd.get_name().to_string();
    let usage = match USAGES.iter().find(|(n, _)| *n == name) {
        Some((_, u)) => u.to_string(),
        None => {
            let rendered = cmd.render_usage().to_string();
            let bare = rendered.trim().trim_start_matches("Usage:").trim().to_string();
            bare.replace("[OPTIONS]", "[选项]").replace("<COMMAND>", "<命令>")
        }
    };
    *cmd = std::mem::take(cmd).override_usage(usage);
    for sub in cmd.get_subcommands_mut() {
        usages(sub);
    }
}

/// `yusuan help [命令…]`: the help of the command named, or of yusuan.
pub fn show(path: &[String]) -> Result<(), crate::error::Error> {
    let mut cmd = command();
    let mut at = &mut cmd;
    for name in path {
        let names: Vec<String> = at.get_subcommands().map(|s| s.get_name().to_string()).collect();
        at = match at.find_subcommand_mut(name) {
            Some(sub) => sub,
            None => {
                return Err(crate::error::Error::Usage(format!(
                    "没有“{}”这个命令；可用的命令：{}（查看用法：yusuan --help）",
                    crate::error::safe(name),
                    names.join("、")
                )));
            }
        };
    }
    let help = at.render_help().to_string();
    crate::error::outln!("{}", help.trim_end());
    Ok(())
}

/// A usage mistake in Chinese: what was wrong, naming the options and
/// values involved; never clap's English.
pub fn usage_error(e: &clap::Error) -> String {
    let ctx = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let value = crate::error::safe(&ctx(ContextKind::InvalidValue));
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", crate::error::safe(&ctx(ContextKind::InvalidSubcommand)))
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{}”", crate::error::safe(&arg)),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "请给出命令，如 build、check".to_string(),
        ErrorKind::InvalidValue if value.is_empty() => format!("选项 {arg} 后面缺少值"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "参数 {arg} 的值“{value}”不合法{}",
            match ctx(ContextKind::ValidValue) {
                v if v.is_empty() => String::new(),
                v => format!("，可选：{v}"),
            }
        ),
        ErrorKind::ArgumentConflict => conflict(&arg, &ctx(ContextKind::PriorArg), e),
        ErrorKind::NoEquals => format!("选项 {arg} 的值须用等号连写，如 {arg}=值"),
        ErrorKind::TooManyValues => format!("参数 {arg} 给出的值太多（“{value}”是多余的）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
            "参数 {arg} 须给 {} 个值，给了 {} 个",
            ctx(ContextKind::ExpectedNumValues),
            ctx(ContextKind::ActualNumValues)
        ),
        ErrorKind::InvalidUtf8 => "参数中有不是 UTF-8 编码的字符".to_string(),
        _ => "命令行有误".to_string(),
    };
    let mut out = format!("用法错误：{what}\n");
    let suggested = ctx(ContextKind::SuggestedSubcommand) + &ctx(ContextKind::SuggestedArg);
    if !suggested.is_empty() {
        out.push_str(&format!("  是否想写：{suggested}\n"));
    }
    out.push_str("  查看用法：yusuan --help，或 yusuan help <命令>\n");
    out
}

/// Two options that exclude each other, or one given twice.
fn conflict(arg: &str, prior: &str, e: &clap::Error) -> String {
    if arg.is_empty() {
        let sub = ctx_string(e, ContextKind::InvalidSubcommand);
        return format!("命令 {sub} 不能与 {prior} 同时给出");
    }
    if prior.is_empty() || prior == arg {
        return format!("选项 {arg} 只能给一次");
    }
    format!("选项 {arg} 与 {prior} 不能同时给出，请只用其中一个")
}

fn ctx_string(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    }
}
