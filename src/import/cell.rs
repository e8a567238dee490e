//! 单元格的精确读取：金额读成 `Decimal`（绝不经过浮点运算），编码与文字读成字符串。
//!
//! The reader keeps a number cell as the text Excel wrote in the file
//! (“1234.5”, “0.30000000000000004”, “1.2E+20”), and that text is turned
//! into a Decimal directly: no double is ever made of an amount. Excel
//! writes a double's shortest round-trip form, so a number typed as 1234.5
//! reads as 1234.5 exactly; a formula's result such as 0.1+0.2 carries
//! binary noise (0.30000000000000004) and is read at Excel's own 15
//! significant digits, and refused if still finer than one cent. Text
//! cells (“1,234.50”, “１２３４”, “ 12 ”) are read exactly or refused,
//! never guessed; an amount beyond any budget is refused at its cell.

use rust_decimal::Decimal;

/// What a cell holds, borrowed from the workbook's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Empty,
    Text(&'a str),
    /// A number as Excel wrote it.
    Number(&'a str),
    Bool(bool),
    /// An error value such as “#DIV/0!”.
    Error(&'a str),
    /// A formula saved without its result.
    Formula(&'a str),
}

/// A1-style address of a 0-based cell: (11, 4) → "E12".
pub fn address(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// The text of a cell as shown, trimmed; a number as Excel wrote it.
pub fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.trim().to_string(),
        Value::Number(s) => plain_number(s),
        Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Value::Error(e) => e.to_string(),
        Value::Formula(_) | Value::Empty => String::new(),
    }
}

/// “2070101”, “2.070101E6” and “205.0”: a number's plain decimal form.
fn plain_number(s: &str) -> String {
    match parse(s) {
        Some(d) if d.abs() < Decimal::from(1_000_000_000_000_000i64) => d.normalize().to_string(),
        _ => s.trim().to_string(),
    }
}

/// A header or label with every kind of space taken out, for matching by
/// meaning: “项　　目” is “项目”.
pub fn squeezed(v: &Value) -> String {
    text(v).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Why a cell is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAmount(pub String);

/// Reads an amount exactly. `decimals` is the finest step the sheet's unit
/// allows (2 in 元, 6 in 万元: one cent either way). An empty cell is
/// `None`.
pub fn amount(v: &Value, decimals: u32) -> Result<Option<Decimal>, NotAmount> {
    let value = match v {
        Value::Empty => return Ok(None),
        Value::Formula(f) => {
            return Err(NotAmount(format!(
                "公式“={f}”没有保存计算结果（缓存值）；请在 Excel 中打开、重新计算并保存后再导入"
            )));
        }
        Value::Number(s) => from_number(s, decimals)?,
        Value::Text(s) => match from_text(s)? {
            Some(v) => v,
            None => return Ok(None),
        },
        Value::Error(e) => return Err(NotAmount(format!("单元格是错误值 {e}"))),
        Value::Bool(_) => return Err(NotAmount(format!("“{}”不是金额", text(v)))),
    };
    if value.normalize().scale() > decimals {
        return Err(NotAmount(format!(
            "金额 {} 比一分钱还细（最多 {decimals} 位小数）",
            value.normalize()
        )));
    }
    let wan = if decimals == 2 { value / Decimal::from(10_000) } else { value };
    if wan.abs() > Decimal::from(crate::model::amount::ABSURD) {
        let unit = if decimals == 2 { "元" } else { "万元" };
        return Err(NotAmount(format!(
            "金额 {} {unit}大得不合理（超过 {} 万元）",
            value.normalize(),
            crate::model::amount::ABSURD
        )));
    }
    Ok(Some(value))
}

/// The decimal a number cell's text stands for: the text itself, or,
/// when that is finer than a cent, Excel's 15 significant digits (the
/// binary noise of a formula's result).
fn from_number(s: &str, decimals: u32) -> Result<Decimal, NotAmount> {
    let exact = parse(s).ok_or_else(|| NotAmount(format!("{} 超出金额的范围", s.trim())))?;
    if exact.normalize().scale() <= decimals {
        return Ok(exact);
    }
    match exact.round_sf(15) {
        Some(r) if r.normalize().scale() <= decimals => Ok(r.normalize()),
        _ => Ok(exact),
    }
}

fn parse(s: &str) -> Option<Decimal> {
    let s = s.trim();
    s.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(s).ok())
}

/// A number typed as text. Full-width digits and separators (“１２３４”、
/// “１，２３４．５０”) are the same characters in another width and are
/// read as such; spaces around are dropped; thousands separators must
/// group by three (the data format's own rule, `parse_amount`).
fn from_text(s: &str) -> Result<Option<Decimal>, NotAmount> {
    let narrow: String = s
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF0E}' | '\u{FF0C}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' | '\u{00A0}' => ' ',
            c => c,
        })
        .collect();
    let t = narrow.trim();
    if t.is_empty() || t == "-" || t == "—" || t == "——" {
        return Ok(None);
    }
    crate::model::amount::parse_amount(t)
        .map(|a| Some(a.0))
        .map_err(|e| NotAmount(format!("文本单元格{e}")))
}

/// A classification code: digits only. A number cell is read as its
/// integer; `width` pads a 款 or 项 stored as a number (2 → “02”).
pub fn code(v: &Value, width: usize) -> Option<String> {
    let t = match v {
        Value::Number(s) => {
            let d = parse(s)?;
            if d.fract() != Decimal::ZERO || d.is_sign_negative() {
                return None;
            }
            d.normalize().to_string()
        }
        _ => text(v),
    };
    let t = t.trim().trim_matches(['[', ']']).to_string();
    if t.is_empty() || t.len() > 12 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{t:0>width$}"))
}

/// “2070101 行政运行”, “[2070101]行政运行”, “2070101”: the code and the name.
pub fn code_and_name(s: &str) -> (String, String) {
    let t = s.trim().trim_start_matches('[');
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = t[digits.len()..].trim_start_matches([']', ' ', '\u{3000}', '-', '_']).trim();
    (digits, rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn addresses() {
        assert_eq!(address(11, 4), "E12");
        assert_eq!(address(0, 25), "Z1");
        assert_eq!(address(0, 26), "AA1");
        assert_eq!(address(9, 701), "ZZ10");
    }

    #[test]
    fn numbers_are_read_from_their_text() {
        let n = |s| amount(&Value::Number(s), 2);
        assert_eq!(n("1234.5"), Ok(Some(d("1234.5"))));
        assert_eq!(n("0.30000000000000004"), Ok(Some(d("0.3"))));
        assert_eq!(amount(&Value::Number("186.4"), 6), Ok(Some(d("186.4"))));
        assert!(n("1.005").is_err(), "finer than a cent");
        assert_eq!(n("120"), Ok(Some(d("120"))));
        assert_eq!(n("1.2E+3"), Ok(Some(d("1200"))));
        // 2^53 + 1 元 is exact here (a double would make it 2^53) but too
        // large for any budget.
        assert!(n("9007199254740993").unwrap_err().0.contains("大得不合理"));
        assert!(n("1E+300").is_err());
    }

    #[test]
    fn text_numbers_are_exact_or_refused() {
        let t = |s: &str| amount(&Value::Text(s), 2);
        assert_eq!(t("1,234.50"), Ok(Some(d("1234.50"))));
        assert_eq!(t("１２３４"), Ok(Some(d("1234"))));
        assert_eq!(t("　１，２３４．５０ "), Ok(Some(d("1234.50"))));
        assert_eq!(t("  "), Ok(None));
        assert_eq!(t("123456789012.34"), Ok(Some(d("123456789012.34"))));
        assert!(t("9007199254740993").unwrap_err().0.contains("大得不合理"));
        assert!(t("-12.5").is_ok(), "the sign is the caller's to judge");
        assert!(t("1,23.4").is_err());
        assert!(t("12 34").is_err());
        assert!(t("一千").is_err());
    }

    #[test]
    fn a_formula_without_its_value_is_refused() {
        let e = amount(&Value::Formula("SUM(E5:E11)"), 2).unwrap_err();
        assert!(e.0.contains("SUM(E5:E11)"), "{e:?}");
        assert_eq!(amount(&Value::Empty, 2), Ok(None));
    }

    #[test]
    fn codes_and_names() {
        assert_eq!(code(&Value::Number("2"), 2).as_deref(), Some("02"));
        assert_eq!(code(&Value::Number("2070101.0"), 1).as_deref(), Some("2070101"));
        assert_eq!(code(&Value::Text("205"), 3).as_deref(), Some("205"));
        assert_eq!(code(&Value::Text("2a"), 2), None);
        assert_eq!(code(&Value::Number("1.5"), 2), None);
        assert_eq!(code_and_name("2070101 行政运行"), ("2070101".into(), "行政运行".into()));
        assert_eq!(code_and_name("[30101]基本工资"), ("30101".into(), "基本工资".into()));
    }
}
