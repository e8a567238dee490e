//! 金额：一律以 `rust_decimal::Decimal` 表示，单位为万元。
//!
//! Display rule (written down once, used everywhere):
//! - amounts are held exactly as authored, in 万元;
//! - they are shown rounded to two decimals (0.01 万元), half away from zero
//!   (四舍五入), after all arithmetic has been done on the exact values;
//! - in running text trailing zeros are dropped (`696.6`, `0`), as the
//!   published disclosures write them;
//! - in tables every amount has exactly two decimals (`696.60`, `0.00`) so the
//!   columns align on the decimal point.
//!
//! A profile may print amounts in 元 or 万元, with thousands separators, per
//! table (`model::profile::NumberFormat`); [`Amount::format`] is that one
//! rule with the unit, decimals, trimming and grouping as parameters, and
//! `text` and `fixed` are its two default forms.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::profile::NumberFormat;

/// Decimals shown on the page.
pub const SHOWN_DECIMALS: u32 = 2;

/// Decimals accepted in the data: 0.000001 万元 is one cent (0.01 元).
pub const MAX_DECIMALS: u32 = 6;

/// Amounts above this (in 万元, a trillion 元) are taken as typos: checked
/// before any sum, so no sum can overflow.
pub const ABSURD: i64 = 100_000_000;

/// An amount in 万元, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub Decimal);

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// The value rounded for display.
    pub fn rounded(self) -> Decimal {
        self.0.round_dp_with_strategy(SHOWN_DECIMALS, RoundingStrategy::MidpointAwayFromZero)
    }

    /// Text form: `696.6`, `0`, `2220.42`.
    pub fn text(self) -> String {
        self.format(&NumberFormat::text())
    }

    /// Table form: always two decimals, `696.60`.
    pub fn fixed(self) -> String {
        self.format(&NumberFormat::table())
    }

    /// The value in a format's unit, rounded to its decimals (half away
    /// from zero), never `-0`.
    fn shown(self, f: &NumberFormat) -> Decimal {
        let r = (self.0 * f.unit.factor())
            .round_dp_with_strategy(f.decimals, RoundingStrategy::MidpointAwayFromZero);
        if r.is_zero() { Decimal::ZERO } else { r }
    }

    /// Whether the amount shows as zero in a format.
    pub fn is_zero_in(self, f: &NumberFormat) -> bool {
        self.shown(f).is_zero()
    }

    /// The one display rule: the amount in the format's unit, rounded to its
    /// decimals, trailing zeros dropped or kept, thousands grouped or not.
    /// `696.6`, `696.60`, `22,578,418.00`.
    pub fn format(self, f: &NumberFormat) -> String {
        let mut r = self.shown(f);
        let digits = if f.trim_zeros {
            r = r.normalize();
            if r.is_zero() { "0".to_string() } else { r.to_string() }
        } else {
            r.rescale(f.decimals);
            r.to_string()
        };
        if f.separator { group_thousands(&digits) } else { digits }
    }

    pub fn abs(self) -> Amount {
        Amount(self.0.abs())
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, rhs: Amount) -> Amount {
        Amount(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

/// `22578418.00` → `22,578,418.00`: commas every three digits of the
/// integer part.
fn group_thousands(digits: &str) -> String {
    let (sign, rest) = digits.strip_prefix('-').map_or(("", digits), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// The one message for an unreasonably large amount, however it is written.
pub fn absurd_message(shown: &str) -> String {
    format!("金额 {shown} 万元大得不合理，是否把元当成了万元？")
}

/// What `absurd_message` expects instead.
pub fn absurd_expected() -> String {
    format!("以万元为单位的金额，不超过 {ABSURD}")
}

/// Parses the text of an amount exactly, by the rule of docs/data-format.md:
/// - spaces before and after are ignored; a space inside is refused;
/// - `,`, `，` and `_` are accepted only as thousands separators, between
///   groups of three digits before the point (`1,193.26`); anywhere else
///   (`1,5`, `1.193,26`, `1,19,3`) they are refused, never guessed;
/// - full-width digits and signs are refused with the character named;
/// - the exponent form (`1.2e3`) is exact; a value too large for any budget
///   gets the same message as a large number written out.
pub fn parse_amount(text: &str) -> Result<Amount, String> {
    let t = text.trim();
    if let Some(c) = t.chars().find(|c| is_full_width(*c)) {
        return Err(format!("“{text}”含全角字符“{c}”；金额须用半角数字，例如 1193.26"));
    }
    if t.chars().any(char::is_whitespace) {
        return Err(format!("“{text}”中间有空格；金额须连写，例如 1193.26 或 1,193.26"));
    }
    let plain = without_grouping(t).ok_or_else(|| {
        format!(
            "“{text}”中的“,”不是每三位一组的千位分隔符；小数点须写“.”，例如 1193.26 或 1,193.26"
        )
    })?;
    let not_a_number = || format!("“{text}”不是金额，应为数字，例如 1193.26");
    if let Ok(d) = plain.parse::<Decimal>() {
        return Ok(Amount(d));
    }
    if !plain.bytes().all(|b| b.is_ascii_digit() || b".+-eE".contains(&b)) {
        return Err(not_a_number());
    }
    match Decimal::from_scientific(&plain) {
        Ok(d) => Ok(Amount(d)),
        Err(_) if too_large(&plain) => Err(absurd_message(t)),
        Err(_) => Err(not_a_number()),
    }
}

fn is_full_width(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}'
}

/// `t` without its thousands separators, or `None` when a separator is not
/// between groups of three digits of the integer part.
fn without_grouping(t: &str) -> Option<String> {
    let is_sep = |c: char| matches!(c, ',' | '，' | '_');
    if !t.contains(is_sep) {
        return Some(t.to_string());
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let groups: Vec<&str> = int.split(is_sep).collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let first_ok = (1..=3).contains(&groups[0].len()) && digits(groups[0]);
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3 && digits(g));
    (first_ok && rest_ok && !frac.contains(is_sep)).then(|| t.replace(is_sep, ""))
}

/// Whether a numeral rust_decimal cannot hold is so because it is too large
/// (rather than malformed or too precise): its magnitude is at least 10^28.
fn too_large(plain: &str) -> bool {
    let body = plain.trim_start_matches(['-', '+']);
    let (m, exp) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = m.split_once('.').unwrap_or((m, ""));
    let int = int.trim_start_matches('0');
    let magnitude = match frac.find(|c| c != '0') {
        _ if !int.is_empty() => int.len() as i64 - 1,
        Some(i) => -(i as i64) - 1,
        None => return false,
    };
    magnitude.saturating_add(exp) >= 28
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("金额（数字，或写成字符串的数字，单位万元）")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    /// TOML floats arrive as f64. Their shortest round-trip text is exactly the
    /// literal the author wrote as long as it has at most 15 significant digits,
    /// so we parse that text rather than converting the binary value.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        if !v.is_finite() {
            return Err(E::custom("金额不能是 inf 或 nan"));
        }
        if v.abs() > ABSURD as f64 {
            return Err(E::custom(absurd_message(&format!("{v:e}"))));
        }
        let text = format!("{v}");
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if digits > 15 {
            return Err(E::custom(format!(
                "金额 {text} 位数过多，无法保证精确；请写成字符串，例如 \"{text}\""
            )));
        }
        parse_amount(&text).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        parse_amount(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        parse_amount(s).unwrap()
    }

    #[test]
    fn text_form_drops_trailing_zeros() {
        assert_eq!(a("696.60").text(), "696.6");
        assert_eq!(a("0").text(), "0");
        assert_eq!(a("0.00").text(), "0");
        assert_eq!(a("2220.42").text(), "2220.42");
        assert_eq!(a("1200").text(), "1200");
        assert_eq!(a("1200.000").text(), "1200");
    }

    #[test]
    fn table_form_has_two_decimals() {
        assert_eq!(a("696.6").fixed(), "696.60");
        assert_eq!(a("0").fixed(), "0.00");
        assert_eq!(a("141.15").fixed(), "141.15");
        assert_eq!(a("-0.001").fixed(), "0.00");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(a("0.005").text(), "0.01");
        assert_eq!(a("0.015").text(), "0.02");
        assert_eq!(a("0.004999").text(), "0");
        assert_eq!(a("-0.005").text(), "-0.01");
        assert_eq!(a("2.675").fixed(), "2.68");
    }

    #[test]
    fn floats_parse_to_the_literal_written() {
        let v: Amount = toml::from_str::<toml::Value>("x = 2220.42")
            .unwrap()
            .get("x")
            .cloned()
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(v.0.to_string(), "2220.42");
        // 0.1 + 0.2 as floats is 0.30000000000000004; as decimals it is 0.3.
        assert_eq!((a("0.1") + a("0.2")).0.to_string(), "0.3");
    }

    #[test]
    fn strings_with_separators_parse() {
        assert_eq!(a("1,193.26").0.to_string(), "1193.26");
        assert_eq!(a("12,345,678.5").0.to_string(), "12345678.5");
        assert_eq!(a("-1_000").0.to_string(), "-1000");
        assert_eq!(a(" 7 ").0.to_string(), "7");
        assert!(parse_amount("一千").is_err());
    }

    #[test]
    fn separators_elsewhere_are_refused_not_guessed() {
        for bad in ["1,5", "1.193,26", "1,19,3.26", "1,2345", ",123", "1.000,5", "0.1,234"] {
            let e = parse_amount(bad).unwrap_err();
            assert!(e.contains("千位分隔符"), "{bad}: {e}");
        }
    }

    #[test]
    fn full_width_and_spaces_are_refused_with_the_reason() {
        assert!(parse_amount("１２.５").unwrap_err().contains("全角字符“１”"));
        assert!(parse_amount("12．5").unwrap_err().contains("全角"));
        assert!(parse_amount("1 193.26").unwrap_err().contains("空格"));
    }

    #[test]
    fn exponents_are_exact_and_huge_values_absurd() {
        assert_eq!(a("1.5e3").0.normalize().to_string(), "1500");
        for huge in ["1e40", "123456789012345678901234567890123", "-9.9e99"] {
            let e = parse_amount(huge).unwrap_err();
            assert!(e.contains("大得不合理"), "{huge}: {e}");
        }
        assert!(parse_amount("1e-40").unwrap_err().contains("不是金额"));
        let v: Result<Amount, _> = toml::Value::Float(1e30).try_into();
        assert!(v.unwrap_err().to_string().contains("大得不合理"));
    }

    #[test]
    fn one_rule_for_every_unit_and_separator() {
        use crate::model::profile::{MoneyUnit, NumberFormat};
        let yuan =
            NumberFormat { unit: MoneyUnit::Yuan, decimals: 2, trim_zeros: false, separator: true };
        assert_eq!(a("2257.8418").format(&yuan), "22,578,418.00");
        assert_eq!(a("0.000049").format(&yuan), "0.49");
        assert_eq!(a("-1234.5").format(&yuan), "-12,345,000.00");
        assert_eq!(a("0").format(&yuan), "0.00");
        let wan =
            NumberFormat { unit: MoneyUnit::Wan, decimals: 2, trim_zeros: false, separator: true };
        assert_eq!(a("18976.755").format(&wan), "18,976.76");
        assert_eq!(a("999.999").format(&wan), "1,000.00");
        let whole = NumberFormat { decimals: 0, ..yuan };
        assert_eq!(a("18976.76555").format(&whole), "189,767,656");
        assert!(a("0.0000004").is_zero_in(&yuan));
        assert!(!a("0.000001").is_zero_in(&yuan));
        assert!(a("0.000001").is_zero_in(&wan));
        // The default forms are the same rule.
        assert_eq!(a("696.6").format(&NumberFormat::text()), "696.6");
        assert_eq!(a("696.6").format(&NumberFormat::table()), "696.60");
    }

    #[test]
    fn sums_are_exact() {
        let parts = ["264.6", "117", "270", "27", "18"].map(a);
        assert_eq!(parts.into_iter().sum::<Amount>().text(), "696.6");
    }
}
