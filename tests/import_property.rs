//! Property test of `yusuan import` (issue 29): a random department's line
//! items, written in each layout a budget system exports — yusuan's own
//! nine tables with 预算明细, a line-item export with the columns real ones
//! carry, one amount column per 资金性质, the platform's 17-sheet workbook
//! with its two detail sheets — and imported into a file holding other
//! figures, give back the same line items and the same nine tables.
//!
//! In process, through the library (as tests/fuzz_load.rs does): each case
//! writes four workbooks and imports each. `PROPTEST_CASES` sets the count.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use yusuan::import::{self, Book, Options, Workbook};

mod import_support;
use import_support::{Line, Platform, fund_columns_export, platform17, real_export, root};

const UNITS: [&str; 4] =
    ["云溪市文化广电旅游体育局（本级）", "云溪市图书馆", "云溪市文化馆", "云溪市文物保护研究中心"];
const FUNCTIONS: [&str; 8] =
    ["2070101", "2070104", "2070109", "2070204", "2080505", "2101102", "2210201", "2070113"];
const PERSONNEL: [&str; 4] = ["30101", "30102", "30107", "30112"];
const PUBLIC: [&str; 4] = ["30201", "30205", "30209", "30229"];
const PROJECTS: [&str; 4] =
    ["全民健身赛事活动", "图书馆数字资源建设", "文物保护修缮", "群众文化活动"];
/// (source, carried_from) as the data file writes them, and the export's 资金性质.
const FUNDS: [(&str, Option<&str>, &str); 5] = [
    ("一般公共预算", None, "一般公共预算"),
    ("政府性基金", None, "政府性基金"),
    ("事业收入", None, "事业收入"),
    ("其他收入", None, "其他收入"),
    ("上年结转", None, "上年结转（一般公共预算）"),
];

/// One random item: unit, kind (personnel, public or a project) with its
/// economic class or name, function, fund, amount in 元 (whole cents).
#[derive(Debug, Clone)]
struct Item {
    unit: usize,
    kind: usize,
    function: usize,
    fund: usize,
    cents: u64,
}

fn item() -> impl Strategy<Value = Item> {
    (0..4usize, 0..12usize, 0..8usize, 0..5usize, 100_000..1_000_000_000u64)
        .prop_map(|(unit, kind, function, fund, cents)| Item { unit, kind, function, fund, cents })
}

impl Item {
    /// (basic, economic, project) of the data file.
    fn kind(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        match self.kind {
            k @ 0..4 => (Some("人员经费"), Some(PERSONNEL[k]), None),
            k @ 4..8 => (Some("公用经费"), Some(PUBLIC[k - 4]), None),
            k => (None, None, Some(PROJECTS[k - 8])),
        }
    }

    fn yuan(&self) -> Decimal {
        Decimal::from(self.cents) / Decimal::from(100)
    }

    /// The item as the data file writes it, its amount times `scale`.
    fn toml(&self, scale: u64) -> String {
        let (basic, economic, project) = self.kind();
        let mut t = String::from("\n[[line_items]]\n");
        if self.unit > 0 {
            t.push_str(&format!("unit = \"{}\"\n", UNITS[self.unit]));
        }
        t.push_str(&format!("function = \"{}\"\n", FUNCTIONS[self.function]));
        if let Some(e) = economic {
            t.push_str(&format!("economic = \"{e}\"\n"));
        }
        let (source, from, _) = FUNDS[self.fund];
        if source != "一般公共预算" {
            t.push_str(&format!("source = \"{source}\"\n"));
        }
        if let Some(f) = from {
            t.push_str(&format!("carried_from = \"{f}\"\n"));
        }
        match (basic, project) {
            (Some(b), _) => t.push_str(&format!("basic = \"{b}\"\n")),
            (_, Some(p)) => t.push_str(&format!("project = \"{p}\"\n")),
            _ => {}
        }
        let wan = self.yuan() * Decimal::from(scale) / Decimal::from(10_000);
        t.push_str(&format!("amount = \"{}\"\n", wan.normalize()));
        t
    }

    fn line(&self) -> Line {
        let (basic, economic, project) = self.kind();
        Line {
            unit: UNITS[self.unit].to_string(),
            project: basic.or(project).unwrap_or("").to_string(),
            function: FUNCTIONS[self.function].to_string(),
            economic: economic.unwrap_or("").to_string(),
            fund: FUNDS[self.fund].2.to_string(),
            yuan: self.yuan(),
        }
    }
}

/// The sample without its line items: every other section stays.
fn head() -> String {
    let text = std::fs::read_to_string(root().join("data/215001-2021.toml")).unwrap();
    text[..text.find("[[line_items]]").unwrap()].to_string()
}

fn file(items: &[Item], scale: u64) -> String {
    let mut t = head();
    for i in items {
        t.push_str(&i.toml(scale));
    }
    t
}

fn budget(path: &Path, text: &str) -> yusuan::model::Budget {
    let loaded = yusuan::source::from_bytes(path, text.as_bytes());
    loaded.budget.unwrap_or_else(|| panic!("{:?}", loaded.problems))
}

/// A file's items as sorted lines, rows of one item added up.
fn item_set(b: &yusuan::model::Budget) -> Vec<String> {
    let mut sums: std::collections::BTreeMap<String, Decimal> = Default::default();
    for it in yusuan::model::lineitems::items(b) {
        let key = format!(
            "{}|{}|{:?}|{:?}|{:?}|{:?}",
            it.unit, it.function, it.economic, it.source, it.fund, it.kind
        );
        *sums.entry(key).or_default() += it.amount.0;
    }
    sums.into_iter().map(|(k, v)| format!("{k} = {}", v.normalize())).collect()
}

fn tables(b: &yusuan::model::Budget) -> serde_json::Value {
    let v = yusuan::derive::tables::view(b, &yusuan::model::profile::default_profile()).unwrap();
    serde_json::to_value(&v.tables).unwrap()
}

/// Each layout's workbook of the items, as bytes. The platform's tables
/// are made from yusuan's own xlsx, whose cells hold 万元 to the display's
/// two decimals: its items are whole hundreds of 元 (`platform` true), so
/// that its tables, exact to the 元 as the platform's are, can agree.
fn workbooks(
    dir: &Path,
    b: &yusuan::model::Budget,
    items: &[Item],
    platform: bool,
) -> Vec<(&'static str, Vec<u8>)> {
    let v = yusuan::derive::tables::view(b, &yusuan::model::profile::default_profile()).unwrap();
    let ours = yusuan::export::xlsx::workbook(&v, b).unwrap();
    std::fs::write(dir.join("ours.xlsx"), &ours).unwrap();
    let lines: Vec<Line> = items.iter().map(Item::line).collect();
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    if platform {
        let p = Platform { year: 2021, details: Some(lines), ..Platform::default() };
        platform17(&dir.join("ours.xlsx"), &dir.join("platform.xlsx"), p);
        return vec![("platform", read("platform.xlsx"))];
    }
    let total: Decimal = lines.iter().map(|l| l.yuan).sum();
    real_export(&dir.join("export.xlsx"), &lines, 2021, total);
    fund_columns_export(&dir.join("funds.xlsx"), &lines, 2021, false);
    vec![("standard", ours), ("lineitems", read("export.xlsx")), ("funds", read("funds.xlsx"))]
}

/// Imports each layout's workbook of `items` into a file holding other
/// figures (every amount doubled): the same items and tables come back.
fn round_trip(items: &[Item], platform: bool) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("215001-2021.toml");
    let source = budget(&path, &file(items, 1));
    let want = (item_set(&source), tables(&source));
    let into = file(items, 2);
    for (layout, bytes) in workbooks(dir.path(), &source, items, platform) {
        let book = Book::open(&bytes).unwrap_or_else(|p| panic!("{layout}: {p:?}"));
        let wb = [Workbook { name: format!("{layout}.xlsx"), book }];
        let out = import::apply(&wb, &path, &into, &Options::default()).unwrap_or_else(|r| {
            let said: Vec<String> =
                r.problems.iter().map(|(b, p)| format!("{b} {} {}", p.field, p.message)).collect();
            panic!("{layout} refused: {said:#?}")
        });
        let got = budget(&path, &out.text);
        prop_assert_eq!(&item_set(&got), &want.0, "{} items", layout);
        prop_assert_eq!(&tables(&got), &want.1, "{} tables", layout);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_layout_gives_back_the_same_items_and_tables(items in prop::collection::vec(item(), 3..30)) {
        round_trip(&items, false)?;
        let hundreds: Vec<Item> =
            items.iter().map(|i| Item { cents: i.cents / 10_000 * 10_000, ..i.clone() }).collect();
        round_trip(&hundreds, true)?;
    }
}
