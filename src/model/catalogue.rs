//! 科目表：2021 年政府收支分类科目中支出功能分类的类、款与部门预算支出经济分类的类、款。
//!
//! The catalogue is data (`catalogue/2021.toml`), compiled into the binary.
//! It names the 类 and 款 rows of the attached tables and lets the checks
//! refuse an unknown code or a misspelt name; 项-level names are not kept
//! here, they come with each line item.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The catalogue's text, as shipped.
pub const SOURCE: &str = include_str!("../../catalogue/2021.toml");

/// Where the catalogue lives in the repository, for messages.
pub const PATH: &str = "catalogue/2021.toml";

/// The two classifications, code → official name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// 支出功能分类：类（3 位）与款（5 位）。
    pub function: BTreeMap<String, String>,
    /// 部门预算支出经济分类：类（3 位）与款（5 位）。
    pub economic: BTreeMap<String, String>,
}

/// The shipped catalogue, parsed once.
pub fn get() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| toml::from_str(SOURCE).expect("catalogue/2021.toml is valid (unit-tested)"))
}

impl Catalogue {
    /// 功能分类类或款的名称。
    pub fn function_name(&self, code: &str) -> Option<&str> {
        self.function.get(code).map(String::as_str)
    }

    /// 经济分类类或款的名称。
    pub fn economic_name(&self, code: &str) -> Option<&str> {
        self.economic.get(code).map(String::as_str)
    }
}

/// What is wrong with a 功能分类 code of a line item (7 digits, 类/款/项).
/// `None` when its 类 and 款 are both in the catalogue.
pub fn function_problem(code: &str) -> Option<String> {
    let c = get();
    if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("功能分类科目编码“{code}”应为 7 位数字（类 3 位、款 2 位、项 2 位）"));
    }
    let (class, kuan) = (&code[..3], &code[..5]);
    if c.function_name(class).is_none() {
        return Some(format!("功能分类科目 {code}：没有“{class}”这个类"));
    }
    if c.function_name(kuan).is_none() {
        return Some(format!(
            "功能分类科目 {code}：{}（{class}）下没有“{kuan}”这个款（科目表 {PATH} 未收录）",
            c.function_name(class).unwrap_or("")
        ));
    }
    None
}

/// What is wrong with an 经济分类 code of a line item (5 digits, 类/款).
pub fn economic_problem(code: &str) -> Option<String> {
    let c = get();
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("经济分类科目编码“{code}”应为 5 位数字（类 3 位、款 2 位）"));
    }
    let class = &code[..3];
    if c.economic_name(class).is_none() {
        return Some(format!("经济分类科目 {code}：没有“{class}”这个类"));
    }
    if c.economic_name(code).is_none() {
        return Some(format!(
            "经济分类科目 {code}：{}（{class}）下没有“{code}”这个款（科目表 {PATH} 未收录）",
            c.economic_name(class).unwrap_or("")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_every_kuan_has_its_class() {
        let c = get();
        for (what, map) in [("function", &c.function), ("economic", &c.economic)] {
            for (code, name) in map {
                assert!(code.bytes().all(|b| b.is_ascii_digit()), "{what} {code}");
                assert!(code.len() == 3 || code.len() == 5, "{what} {code}: 3 or 5 digits");
                assert!(!name.trim().is_empty(), "{what} {code} has no name");
                assert_eq!(name.trim(), name, "{what} {code}: stray spaces");
                assert!(!name.contains(['(', ')']), "{what} {code}: half-width brackets");
                if code.len() == 5 {
                    assert!(map.contains_key(&code[..3]), "{what} {code} lacks its 类");
                }
            }
        }
    }

    #[test]
    fn every_function_class_is_present() {
        let c = get();
        for class in [
            "201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212",
            "213", "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227",
            "229", "230", "231", "232", "233", "234",
        ] {
            assert!(c.function_name(class).is_some(), "类 {class}");
        }
        for class in ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"] {
            assert!(c.economic_name(class).is_some(), "类 {class}");
        }
        assert_eq!(c.function_name("20101"), Some("人大事务"));
        assert_eq!(c.economic_name("30201"), Some("办公费"));
    }

    #[test]
    fn codes_are_judged() {
        assert_eq!(function_problem("2010104"), None);
        assert!(function_problem("20101").unwrap().contains("7 位"));
        assert_eq!(function_problem("2019999"), None);
        assert!(function_problem("2880101").unwrap().contains("没有“288”这个类"));
        assert!(function_problem("2019701").unwrap().contains("没有“20197”这个款"));
        assert_eq!(economic_problem("30101"), None);
        assert!(economic_problem("3010").unwrap().contains("5 位"));
        assert!(economic_problem("30250").unwrap().contains("没有“30250”这个款"));
    }
}
