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
    after_help = "示例：\n  yusuan build                      生成 data/ 下所有部门的 PDF 到 output/\n  yusuan build data/101001-2021.toml -o 公开\n  yusuan check data/                只核对数据，不生成 PDF\n\n各命令的说明：yusuan help <命令>，或 yusuan <命令> --help"
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
    /// 对比更正前后的两份数据文件（先原文件、后新文件）：两份都排版，列出印出来的每一处变化（可输出更正说明）
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
    /// 为一个新部门写出某年度的数据文件：必填的每一项都在，标着【待填写】，记入待办
    #[command(help_template = HELP_TEMPLATE)]
    Init(InitArgs),
    /// 汇总一批数据文件：每个部门一行的 Excel 工作簿与网页（收支、“三公”、待办、核对结果），供对账、签发
    #[command(help_template = HELP_TEMPLATE)]
    Report(ReportArgs),
    /// 政府收支分类科目表：查看某年度实际采用的科目及其来源
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Catalogue(CatalogueArgs),
    /// 显示某个命令的用法，如 yusuan help build
    #[command(help_template = HELP_TEMPLATE)]
    Help(HelpArgs),
    /// 批量生成的排版进程（内部使用）：以 build 的选项生成标准输入中逐行给出的文件
    #[command(name = "__worker", hide = true)]
    Worker(BuildArgs),
}

/// `yusuan help` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct HelpArgs {
    /// 命令名，如 build，或 profile export；不给时显示 yusuan 的总用法
    #[arg(value_name = "命令")]
    pub command: Vec<String>,
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
    /// 把预算系统导出的工作簿中的科目编码与名称存为本地区该年度的科目表（数据目录中的 catalogue/<年度>.toml），注明来自这份工作簿
    #[command(help_template = HELP_TEMPLATE)]
    Import(CatalogueImportArgs),
}

/// `yusuan catalogue import` 的参数。
#[derive(Debug, Args)]
#[command(next_help_heading = "选项")]
pub struct CatalogueImportArgs {
    /// 工作簿（.xlsx）：预算明细导出或区级平台导出
    #[arg(value_name = "工作簿")]
    pub workbook: PathBuf,

    /// 年度；缺省取工作簿表题中的年度
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,

    /// 数据目录：写入其中的 catalogue/<年度>.toml（已有时补充进去）
    #[arg(long, value_name = "目录", default_value = "data")]
    pub data: PathBuf,

    /// 写到这个文件，而不是数据目录中的 catalogue/<年度>.toml
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 这份导出列出了本地区用到的全部项：其中各款标为“项已收全”，数据中用到表外的项即为错误
    #[arg(long)]
    pub complete: bool,

    /// 已有的科目表中同一编码的名称不同时，改用工作簿中的名称
    #[arg(long)]
    pub force: bool,

    /// 读这张隐藏的工作表（隐藏的工作表缺省不读；可给多次）
    #[arg(long = "use-hidden", value_name = "工作表名")]
    pub use_hidden: Vec<String>,
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

    /// 只列出收录情况：各类下的款、项数，有来源核对的与未核对的各多少
    #[arg(long, conflicts_with_all = ["code", "verbose"])]
    pub stats: bool,
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

    /// 同时在 PDF 旁写出 Word 版（<文件名>.docx）：标题为 Word 的标题样式，表格为真正的 Word 表格（表头跨页重复），文字与 PDF 相同
    #[arg(long)]
    pub docx: bool,

    /// PDF 遵循的标准，可给多个；缺省为 PDF/UA-1 与 PDF/A-2a
    #[arg(long = "pdf-standard", value_name = "标准", value_enum, default_values_t = vec![PdfStandardArg::Ua1, PdfStandardArg::A2a])]
    pub pdf_standards: Vec<PdfStandardArg>,

    /// 用这个科目表文件补充、更正内置科目表（缺省用数据文件旁的 catalogue/<年度>.toml）
    #[arg(long, value_name = "文件")]
    pub catalogue: Option<PathBuf>,

    /// 逐条列出每个问题（缺省：错误逐条，待办按部分合并，警告多时一行一条）
    #[arg(short, long)]
    pub verbose: bool,

    /// 生成后在输出目录写出汇总：yusuan-report.xlsx 与 yusuan-report.html（同 yusuan report）
    #[arg(long)]
    pub report: bool,

    #[command(flatten)]
    pub env: EnvArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// 处理一个文件（核对、读取、排版）的时间与内存上限（见 README“出错时的保证”）。
#[derive(Debug, Args, Clone)]
pub struct LimitArgs {
    /// 处理（核对、排版）一个文件最多用的秒数，超过即停止并报错；0 为不限
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

    /// 新的预算年度，例如 2022（必填，除非给出 --final-accounts）
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

    /// 确认跨过中间的年度（原文件不是本部门最近一年的文件时也照办）；草稿中的“上年数”仍是原文件年度的数，须改正
    #[arg(long = "skip-years")]
    pub skip_years: bool,
}

/// `yusuan init` 的参数。
#[derive(Debug, Args)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  yusuan init --year 2026 --department 示例县农业农村局 --code 213001\n      写出 data/213001-2026.toml；再 yusuan check data/213001-2026.toml 看还要填什么\n  yusuan init --year 2026 --department 示例区文旅局 --code 307001 --profile shanghai --region 上海市示例区\n  yusuan init --final-accounts --budget data/213001-2025.toml   同一年度的决算草稿"
)]
pub struct InitArgs {
    /// 预算年度，例如 2026
    #[arg(long, value_name = "年度", required_unless_present = "final_accounts")]
    pub year: Option<i32>,

    /// 部门全称，例如“示例县农业农村局”
    #[arg(long, value_name = "名称", required_unless_present = "final_accounts")]
    pub department: Option<String>,

    /// 部门（预算单位）编码，只含数字，例如 213001
    #[arg(long, value_name = "编码", required_unless_present = "final_accounts")]
    pub code: Option<String>,

    /// 样式：hebei（缺省）或 shanghai
    #[arg(long, value_name = "样式")]
    pub profile: Option<String>,

    /// 地区，如“上海市示例区”（shanghai 样式印在封面上）
    #[arg(long, value_name = "地区")]
    pub region: Option<String>,

    /// 下属单位名称（本级之外的单位），可给多个
    #[arg(long = "unit", value_name = "单位")]
    pub units: Vec<String>,

    /// 改为写出同一年度的决算草稿：须用 --budget 指明所决算的预算文件
    #[arg(long = "final-accounts", conflicts_with_all = ["year", "department", "code", "profile", "region", "units"])]
    pub final_accounts: bool,

    /// 决算所依据的预算数据文件（与 --final-accounts 同用）
    #[arg(long, value_name = "文件", requires = "final_accounts")]
    pub budget: Option<PathBuf>,

    /// 写到这个文件；缺省为 data/<编码>-<年度>.toml（决算为 <预算文件名>-final.toml）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 目标文件已存在时覆盖
    #[arg(long)]
    pub force: bool,
}

/// `yusuan report` 的参数。
#[derive(Debug, Args)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  yusuan build data/ --report          生成后写出 output/yusuan-report.xlsx 与 .html\n  yusuan report data/ -o output        只汇总（读数据文件和 output/ 中已生成的文件）"
)]
pub struct ReportArgs {
    /// 数据文件（.toml）或其所在目录，可给多个；缺省为 data/
    #[arg(value_name = "路径")]
    pub paths: Vec<PathBuf>,

    /// 已生成的 PDF 所在的目录，汇总也写在这里（yusuan-report.xlsx、yusuan-report.html）
    #[arg(short, long, value_name = "目录", default_value = "output")]
    pub output: PathBuf,

    /// 用这个科目表文件补充、更正内置科目表（缺省用数据文件旁的 catalogue/<年度>.toml）
    #[arg(long, value_name = "文件")]
    pub catalogue: Option<PathBuf>,
}

/// `yusuan import` 的参数。
#[derive(Debug, Args)]
#[command(
    next_help_heading = "选项",
    after_help = "示例：\n  yusuan new --from data/215001-2021.toml --year 2022\n  yusuan import 215001-2022.xlsx --into data/215001-2022.toml\n      写到 data/215001-2022.imported.toml 并列出改变的字段；核对无误后：\n  yusuan import 215001-2022.xlsx --into data/215001-2022.toml --force\n  yusuan import 导出/*.xlsx --into data/ --force   每个工作簿写入同名的 .toml\n\n说明见 docs/import.md"
)]
pub struct ImportArgs {
    /// 工作簿（.xlsx），可给多个：--into 是数据文件时一起并入它（各单位的工作簿合成一个部门）
    #[arg(value_name = "工作簿", required = true)]
    pub workbooks: Vec<PathBuf>,

    /// 写入的数据文件（通常是 yusuan new 生成的草稿）；给目录时，每个工作簿写入目录中与它同名的 .toml
    #[arg(long = "into", value_name = "数据文件")]
    pub into: PathBuf,

    /// 写到这个文件，不改动 --into 的文件（--into 是数据文件时）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 直接改写数据文件（改变的字段仍逐项列出）；不加时写到旁边的 <名称>.imported.toml
    #[arg(long)]
    pub force: bool,

    /// 工作簿的格式；缺省由工作表名、表题与列标题识别
    #[arg(long, value_name = "格式", value_enum)]
    pub layout: Option<ImportLayout>,

    /// 工作簿是这一年度的：与数据文件的年度不同时，不加此项拒绝导入；加了则照导，导入的各项记为草稿待办
    #[arg(long, value_name = "年度")]
    pub year: Option<i32>,

    /// 读这张隐藏的工作表（隐藏的工作表缺省不读；可给多次）
    #[arg(long = "use-hidden", value_name = "工作表名")]
    pub use_hidden: Vec<String>,

    /// 只读取与核对，不写任何文件
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
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
    /// 原数据文件（更正前，先给出）
    #[arg(value_name = "原文件")]
    pub old: PathBuf,

    /// 新数据文件（更正后，后给出）
    #[arg(value_name = "新文件")]
    pub new: PathBuf,

    /// 输出格式：text 为逐处清单；markdown、html、pdf 为可随更正后 PDF 一同公布的更正说明
    /// （pdf 按更正后文件的样式排版）；csv 为同样的各行
    #[arg(long, value_name = "格式", value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// 把结果写到这个文件（pdf 必须给出；其他格式缺省印在终端上）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,

    /// 改为按数据字段列出变化（供作者核对，不排版）
    #[arg(long)]
    pub fields: bool,

    /// 更正原因，写进更正说明，例如“行政运行人员经费录入有误”
    #[arg(long, value_name = "原因")]
    pub reason: Option<String>,

    /// 更正说明的日期，例如 2021-03-10；缺省为今天
    #[arg(long, value_name = "日期")]
    pub date: Option<String>,

    /// 两个文件不是同一部门、同一年度的同一种文件（预算或决算）时也比较
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub env: EnvArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `yusuan diff` 的输出格式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// 纯文本清单
    Text,
    /// Markdown 更正说明
    Markdown,
    /// 网页版更正说明（一个自包含的 HTML 文件）
    Html,
    /// PDF 更正说明（按更正后文件的样式排版）
    Pdf,
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

    /// 逐条列出每个问题（缺省：错误逐条，待办按部分合并，警告多时一行一条）
    #[arg(short, long)]
    pub verbose: bool,

    /// 核对每个字符都有字体能显示时所用的字体，与 build 相同
    #[command(flatten)]
    pub fonts: FontArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
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
        #[command(flatten)]
        limits: LimitArgs,
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

    #[command(flatten)]
    pub limits: LimitArgs,
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
