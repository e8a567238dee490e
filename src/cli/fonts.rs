//! `yusuan fonts`：列出找到的字体及各字体角色实际使用的字体。

use crate::cli::args::FontsArgs;
use crate::cli::{font_options, stdout};
use crate::error::Error;
use crate::typeset::fonts::{self, FontSet, Origin};

pub fn run(args: &FontsArgs) -> Result<(), Error> {
    let set = FontSet::load(&font_options(&args.fonts));
    let mut text = String::from("字体角色（按优先顺序，第一个为实际使用的字体）：\n");
    for role in &fonts::ROLES {
        let r = &set.roles()[role.key];
        let bold = if r.has_bold { "有粗体字形" } else { "无粗体字形，不加粗" };
        text += &format!("  {}：{}（{}）\n", role.label, r.families.join(" → "), bold);
    }
    text += "\n找到的字体（族名、样式、字重、来源）：\n";
    for (info, origin) in &set.faces {
        let from = match origin {
            Origin::Bundled(name) => format!("内置 {name}"),
            Origin::File(p) => p.display().to_string(),
        };
        let weight = info.variant.weight.to_number();
        text += &format!("  {}\t{:?}\t{weight}\t{from}\n", info.family, info.variant.style);
    }
    stdout(&text);
    Ok(())
}
