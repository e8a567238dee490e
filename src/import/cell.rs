//! 单元格的精确读取：金额读成 `Decimal`（绝不经过浮点运算），编码与文字读成字符串。
//!
//! Excel keeps every number as a binary double. A number typed as 1234.5
//! is stored as the double nearest to it, and its shortest decimal form is
//! "1234.5" again: that form, not the double, is what we turn into a
//! Decimal, so no float arithmetic ever touches an amount. A cached formula
//! result such as 0.1+0.2 carries binary noise (0.30000000000000004); it is
//! read at Excel's own 15 significant digits, and refused if still finer
//! than one cent. Text cells ("1,234.50", "１２３４", " 12 ") are read
//! exactly or refused, never guessed.

use calamine::Data;
use rust_decimal::Decimal;

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

/// The text of a cell as shown: numbers in their shortest form, trimmed.
pub fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => shortest(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(t) => t.as_f64().to_string(),
        Data::Error(e) => format!("#{e:?}"),
        Data::Empty => String::new(),
    }
}

/// A header or label with every kind of space taken out, for matching by
/// meaning: “项　　目” is “项目”.
pub fn squeezed(d: &Data) -> String {
    text(d).chars().filter(|c| !c.is_whitespace()).collect()
}

fn shortest(f: f64) -> String {
    // Rust's Display of a double is its shortest round-trip form.
    format!("{f}")
}

/// Why a cell is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAmount(pub String);

/// Reads an amount exactly. `decimals` is the finest step the sheet's unit
/// allows (2 in 元, 6 in 万元: one cent either way). An empty cell is
/// `None`; `formula` is the cell's formula, if it has one.
pub fn amount(
    d: &Data,
    formula: Option<&str>,
    decimals: u32,
) -> Result<Option<Decimal>, NotAmount> {
    let blank = match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    };
    if let Some(f) = formula.filter(|f| blank && !f.trim().is_empty()) {
        return Err(NotAmount(format!(
            "公式“={f}”没有保存计算结果（缓存值）；请在 Excel 中打开、重新计算并保存后再导入"
        )));
    }
    let value = match d {
        Data::Empty => return Ok(None),
        Data::Int(i) => Decimal::from(*i),
        Data::Float(f) => from_double(*f, decimals)?,
        Data::String(s) => match from_text(s)? {
            Some(v) => v,
            None => return Ok(None),
        },
        Data::Error(e) => return Err(NotAmount(format!("单元格是错误值 #{e:?}"))),
        Data::Bool(_) | Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            return Err(NotAmount(format!("“{}”不是金额", text(d))));
        }
    };
    if value.normalize().scale() > decimals {
        return Err(NotAmount(format!(
            "金额 {} 比一分钱还细（最多 {decimals} 位小数）",
            value.normalize()
        )));
    }
    Ok(Some(value))
}

/// The decimal a double stands for: its shortest form, or, when that is
/// finer than a cent, Excel's 15 significant digits (formula noise).
fn from_double(f: f64, decimals: u32) -> Result<Decimal, NotAmount> {
    if !f.is_finite() {
        return Err(NotAmount("不是有限的数".into()));
    }
    let exact = parse(&shortest(f)).ok_or_else(|| NotAmount(format!("{f} 超出金额的范围")))?;
    if exact.normalize().scale() <= decimals {
        return Ok(exact);
    }
    let fifteen = format!("{f:.14e}");
    let rounded = parse(&fifteen).ok_or_else(|| NotAmount(format!("{f} 超出金额的范围")))?;
    Ok(if rounded.normalize().scale() <= decimals { rounded.normalize() } else { exact })
}

fn parse(s: &str) -> Option<Decimal> {
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
pub fn code(d: &Data, width: usize) -> Option<String> {
    let t = match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && *f >= 0.0 => format!("{f:.0}"),
        _ => text(d),
    };
    let t = t.trim().trim_matches(['[', ']']).to_string();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
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
    fn doubles_are_read_by_their_shortest_form() {
        assert_eq!(amount(&Data::Float(1234.5), None, 2), Ok(Some(d("1234.5"))));
        assert_eq!(amount(&Data::Float(0.1 + 0.2), None, 2), Ok(Some(d("0.3"))));
        assert_eq!(amount(&Data::Float(186.4), None, 6), Ok(Some(d("186.4"))));
        assert!(amount(&Data::Float(1.005), None, 2).is_err(), "finer than a cent");
        assert_eq!(amount(&Data::Int(120), None, 2), Ok(Some(d("120"))));
    }

    #[test]
    fn text_numbers_are_exact_or_refused() {
        let t = |s: &str| amount(&Data::String(s.into()), None, 2);
        assert_eq!(t("1,234.50"), Ok(Some(d("1234.50"))));
        assert_eq!(t("１２３４"), Ok(Some(d("1234"))));
        assert_eq!(t("　１，２３４．５０ "), Ok(Some(d("1234.50"))));
        assert_eq!(t("  "), Ok(None));
        assert!(t("1,23.4").is_err());
        assert!(t("12 34").is_err());
        assert!(t("一千").is_err());
    }

    #[test]
    fn a_formula_without_its_value_is_refused() {
        let e = amount(&Data::Empty, Some("SUM(E5:E11)"), 2).unwrap_err();
        assert!(e.0.contains("SUM(E5:E11)"), "{e:?}");
        assert!(amount(&Data::String(String::new()), Some("A1+A2"), 2).is_err());
        assert_eq!(amount(&Data::Empty, None, 2), Ok(None));
    }

    #[test]
    fn codes_and_names() {
        assert_eq!(code(&Data::Float(2.0), 2).as_deref(), Some("02"));
        assert_eq!(code(&Data::String("205".into()), 3).as_deref(), Some("205"));
        assert_eq!(code(&Data::String("2a".into()), 2), None);
        assert_eq!(code_and_name("2070101 行政运行"), ("2070101".into(), "行政运行".into()));
        assert_eq!(code_and_name("[30101]基本工资"), ("30101".into(), "基本工资".into()));
    }
}
