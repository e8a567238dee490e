//! 命令行参数：所有 clap 结构及其帮助文字。

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

/// 预算（yusuan）：把部门预算数据（TOML）生成“部门预算信息公开情况说明”PDF。
#[derive(Debug, Parser)]
#[command(
    name = "yusuan",
    version,
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "示例：\n  yusuan build                      生成 data/ 下所有部门的 PDF 到 output/\n  yusuan build data/101001-2021.toml -o 公开\n  yusuan check data/                只核对数据，不生成 PDF\n\n各命令的说明：yusuan <命令> --help"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// 显示帮助
    #[arg(short, long, action = ArgAction::Help, global = true, help_heading = "选项")]
    pub help: Option<bool>,

    /// 显示版本号
    #[arg(short = 'V', long, action = ArgAction::Version, help_heading = "选项")]
    pub version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 核对数据并生成 PDF（有错误时不生成，保留原有 PDF）
    #[command(help_template = HELP_TEMPLATE)]
    Build(BuildArgs),
    /// 只核对数据，不生成 PDF；无错误时退出码为 0，有错误为 1
    #[command(help_template = HELP_TEMPLATE)]
    Check(CheckArgs),
    /// 列出找到的字体
    #[command(help_template = HELP_TEMPLATE)]
    Fonts(FontsArgs),
    /// 由本年数据生成下一年度草稿：本年数转为上年数，须重填的部分加标记
    #[command(help_template = HELP_TEMPLATE)]
    New(NewArgs),
    /// 对比两份数据文件，列出变化的每个字段（可输出更正说明表）
    #[command(help_template = HELP_TEMPLATE)]
    Diff(DiffArgs),
    /// 从预算系统导出的 Excel 工作簿导入本年数字，写进数据文件（注释与文字不动）
    #[command(help_template = HELP_TEMPLATE)]
    Import(ImportArgs),
    /// 样式：列出随程序提供的样式，导出为可修改的文件夹，核对样式说明
    #[command(help_template = HELP_TEMPLATE)]
    Profile(ProfileArgs),
    /// 在浏览器中实时预览：修改数据或模板并保存后自动重新排版（只在本机提供）
    #[command(help_template = HELP_TEMPLATE)]
    Preview(PreviewArgs),
    /// 政府收支分类科目表：查看某年度实际采用的科目及其来源
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Catalogue(CatalogueArgs),
    /// 批量生成的排版进程（内部使用）：以 build 的选项生成标准输入中逐行给出的文件
    #[command(name = "__worker", hide = true)]
    Worker(BuildArgs),
}

/// `yusuan catalogue` 的参数。
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    #[command(subcommand)]
    pub action: CatalogueAction,
}

/// `yusuan catalogue` 的子命令。
#[derive(Debug, Subcommand)]
pub enum CatalogueAction {
    /// 列出某年度实际采用的科目表（内置的叠加数据目录中 catalogue/<年度>.toml），注明每个科目来自哪个文件
    #[command(help_template = HELP_TEMPLATE)]
    Show(CatalogueShowArgs),
}

/// `yusuan catalogue show` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct CatalogueShowArgs {
    /// 预算年度，例如 2025
    #[arg(value_name = "年度")]
    pub year: i32,

    /// 数据目录：其中的 catalogue/<年度>.toml 叠加在内置科目表之上
    #[arg(long, value_name = "目录", default_value = "data")]
    pub data: PathBuf,

    /// 用这个科目表文件代替数据目录中的 catalogue/<年度>.toml
    #[arg(long, value_name = "文件")]
    pub catalogue: Option<PathBuf>,

    /// 只列出这个编码及其上下级，例如 213 或 21305
    #[arg(long, value_name = "编码")]
    pub code: Option<String>,

    /// 同时列出每个科目的来源和说明
    #[arg(short, long)]
    pub verbose: bool,
}

/// `yusuan build` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct BuildArgs {
    /// 数据文件（.toml）或其所在目录，可给多个；缺省为 data/
    #[arg(value_name = "路径")]
    pub paths: Vec<PathBuf>,

    /// PDF 输出目录，文件名为数据文件名加 .pdf
    #[arg(short, long, value_name = "目录", default_value = "output")]
    pub output: PathBuf,

    /// 在每页加“草稿”水印（[todo] 中还有未完成项的草稿总是加）
    #[arg(long)]
    pub draft: bool,

    /// 即使 [todo] 中还有未完成的项，也生成不带水印的正式版
    #[arg(long = "final", conflicts_with = "draft")]
    pub final_: bool,

    /// 同时处理的文件数，缺省为 CPU 核数
    #[arg(short = 'j', long = "jobs", value_name = "数量")]
    pub jobs: Option<usize>,

    /// 同时把交给模板的数据写到 <输出目录>/<文件名>.json，供 typst 命令行直接编译模板
    #[arg(long)]
    pub emit_data: bool,

    /// 同时在 PDF 旁写出附表的 Excel 文件（<文件名>.xlsx），每张附表一个工作表
    #[arg(long)]
    pub xlsx: bool,

    /// 同时在 PDF 旁写出网页版（<文件名>.html）：一个自包含的无障碍 HTML 文件
    #[arg(long)]
    pub html: bool,

    /// PDF 遵循的标准，可给多个；缺省为 PDF/UA-1 与 PDF/A-2a
    #[arg(long = "pdf-standard", value_name = "标准", value_enum, default_values_t = vec![PdfStandardArg::Ua1, PdfStandardArg::A2a])]
    pub pdf_standards: Vec<PdfStandardArg>,

    /// 用这个科目表文件补充、更正内置科目表（缺省用数据文件旁的 catalogue/<年度>.toml）
    #[arg(long, value_name = "文件")]
    pub catalogue: Option<PathBuf>,

    #[command(flatten)]
    pub env: EnvArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// 排版一个文件的时间与内存上限（见 README“出错时的保证”）。
#[derive(Debug, Args, Clone)]
pub struct LimitArgs {
    /// 排版一个文件最多用的秒数，超过即停止并报错；0 为不限
    #[arg(long, value_name = "秒", env = "YUSUAN_TIME_LIMIT", default_value_t = 300)]
    pub time_limit: u64,

    /// 本次运行最多占用的内存（MiB），超过即停止并报错；0 为不限
    #[arg(long, value_name = "MiB", env = "YUSUAN_MEMORY_LIMIT", default_value_t = 4096)]
    pub memory_limit: u64,
}

/// `yusuan new` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct NewArgs {
    /// 本年度的数据文件
    #[arg(long, value_name = "文件")]
    pub from: PathBuf,

    /// 新的预算年度，例如 2022
    #[arg(long, value_name = "年度", required_unless_present = "final_accounts")]
    pub year: Option<i32>,

    /// 改为生成同一年度的决算草稿（<原文件名>-final.toml）：每条预算明细带着年初预算，决算数待填写
    #[arg(long = "final-accounts", conflicts_with = "year")]
    pub final_accounts: bool,

    /// 草稿文件名；缺省把原文件名中的年度换成新年度
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 目标文件已存在时覆盖
    #[arg(long)]
    pub force: bool,
}

/// `yusuan import` 的参数。
#[derive(Debug, Args)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  yusuan new --from data/215001-2021.toml --year 2022\n  yusuan import 215001-2022.xlsx --into data/215001-2022.toml\n      写到 data/215001-2022.imported.toml 并列出改变的字段；核对无误后：\n  yusuan import 215001-2022.xlsx --into data/215001-2022.toml --force\n  yusuan import 导出/*.xlsx --into data/ --force   每个工作簿写入同名的 .toml\n\n说明见 docs/import.md"
)]
pub struct ImportArgs {
    /// 工作簿（.xlsx），可给多个
    #[arg(value_name = "工作簿", required = true)]
    pub workbooks: Vec<PathBuf>,

    /// 写入的数据文件（通常是 yusuan new 生成的草稿）；给目录时，每个工作簿写入目录中与它同名的 .toml
    #[arg(long = "into", value_name = "数据文件")]
    pub into: PathBuf,

    /// 写到这个文件，不改动 --into 的文件（只用于一个工作簿）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 直接改写数据文件（改变的字段仍逐项列出）；不加时写到旁边的 <名称>.imported.toml
    #[arg(long)]
    pub force: bool,

    /// 工作簿的格式；缺省由工作表名与列标题识别
    #[arg(long, value_name = "格式", value_enum)]
    pub layout: Option<ImportLayout>,

    /// 只读取与核对，不写任何文件
    #[arg(long)]
    pub dry_run: bool,
}

/// `yusuan import` 认得的工作簿格式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportLayout {
    /// yusuan build --xlsx 写出的九张附表（带“预算明细”工作表）
    Standard,
    /// 区级平台导出：每张表一个工作表
    Platform,
    /// 预算明细导出：每行一条明细
    Lineitems,
}

/// `yusuan diff` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct DiffArgs {
    /// 原数据文件（更正前）
    #[arg(value_name = "原文件")]
    pub old: PathBuf,

    /// 新数据文件（更正后）
    #[arg(value_name = "新文件")]
    pub new: PathBuf,

    /// 输出格式：text 为逐处清单，markdown 为可随更正后 PDF 一同公布的更正说明，csv 为同样的表
    #[arg(long, value_name = "格式", value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// 改为按数据字段列出变化（供作者核对，不排版）
    #[arg(long)]
    pub fields: bool,

    /// 更正原因，写进更正说明，例如“行政运行人员经费录入有误”
    #[arg(long, value_name = "原因")]
    pub reason: Option<String>,

    /// 更正说明的日期，例如 2021-03-10；缺省为今天
    #[arg(long, value_name = "日期")]
    pub date: Option<String>,

    #[command(flatten)]
    pub env: EnvArgs,
}

/// `yusuan diff` 的输出格式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// 纯文本清单
    Text,
    /// Markdown 更正说明
    Markdown,
    /// CSV 更正表（UTF-8，带 BOM）
    Csv,
}

/// `yusuan check` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct CheckArgs {
    /// 数据文件（.toml）或其所在目录，可给多个；缺省为 data/
    #[arg(value_name = "路径")]
    pub paths: Vec<PathBuf>,

    /// 用这个科目表文件补充、更正内置科目表（缺省用数据文件旁的 catalogue/<年度>.toml）
    #[arg(long, value_name = "文件")]
    pub catalogue: Option<PathBuf>,

    /// 按这个样式核对（样式名或样式文件夹），优先于数据中的 document.profile
    #[arg(long, value_name = "样式")]
    pub profile: Option<String>,

    /// 核对每个字符都有字体能显示时所用的字体，与 build 相同
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `yusuan profile` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub action: ProfileAction,
}

/// `yusuan profile` 的子命令。
#[derive(Debug, Subcommand)]
pub enum ProfileAction {
    /// 列出随程序提供的样式
    #[command(help_template = HELP_TEMPLATE)]
    List,
    /// 把随程序提供的样式写成可以修改的文件夹（profile.toml 与模板）
    #[command(help_template = HELP_TEMPLATE)]
    Export {
        /// 样式名，如 shanghai
        #[arg(value_name = "样式")]
        name: String,
        /// 目标文件夹
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
        /// 文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 核对一个样式文件夹：profile.toml 与主模板
    #[command(help_template = HELP_TEMPLATE)]
    Check {
        /// 样式文件夹
        #[arg(value_name = "文件夹")]
        dir: PathBuf,
    },
}

/// `yusuan fonts` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct FontsArgs {
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// `yusuan preview` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct PreviewArgs {
    /// 要预览的数据文件（.toml）
    #[arg(value_name = "文件")]
    pub file: PathBuf,

    /// 预览服务的端口，只在本机 127.0.0.1 上监听；0 表示任选一个空闲端口
    #[arg(short, long, value_name = "端口", default_value_t = 3030)]
    pub port: u16,

    /// 启动后用默认浏览器打开预览页
    #[arg(long)]
    pub open: bool,

    /// 基准测试：在数据文件的副本上自动改动一个数字 N 次，打印从保存到新版本就绪的用时
    #[arg(long, value_name = "N", hide = true)]
    pub bench_edits: Option<usize>,

    #[command(flatten)]
    pub env: EnvArgs,
}

/// 排版环境：模板与字体。
#[derive(Debug, Args, Clone)]
pub struct EnvArgs {
    /// 样式：随程序提供的样式名（hebei、shanghai）或样式文件夹；优先于数据中的 document.profile
    #[arg(long, value_name = "样式")]
    pub profile: Option<String>,

    /// 缺省样式的模板目录；缺省用当前目录下的 templates/，没有则用内置模板
    #[arg(long, value_name = "目录")]
    pub templates: Option<PathBuf>,

    #[command(flatten)]
    pub fonts: FontArgs,
}

/// 字体来源。
#[derive(Debug, Args, Clone)]
pub struct FontArgs {
    /// 额外的字体目录（递归查找），可给多个；也可用环境变量 YUSUAN_FONT_PATHS
    #[arg(
        long = "font-path",
        value_name = "目录",
        env = "YUSUAN_FONT_PATHS",
        value_delimiter = ':'
    )]
    pub font_paths: Vec<PathBuf>,

    /// 不使用系统安装的字体，只用内置字体和 --font-path
    #[arg(long)]
    pub no_system_fonts: bool,
}

/// PDF 标准。
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// PDF 1.7
    #[value(name = "1.7")]
    V17,
    /// PDF 2.0
    #[value(name = "2.0")]
    V20,
    /// PDF/A-2b（长期归档，不要求无障碍）
    #[value(name = "a-2b")]
    A2b,
    /// PDF/A-2u
    #[value(name = "a-2u")]
    A2u,
    /// PDF/A-2a（长期归档且带结构标签；缺省与 ua-1 同用）
    #[value(name = "a-2a")]
    A2a,
    /// PDF/A-3b
    #[value(name = "a-3b")]
    A3b,
    /// PDF/UA-1（无障碍；缺省与 a-2a 同用）
    #[value(name = "ua-1")]
    Ua1,
}
