//! CSV 单元格：更正表（`yusuan diff --format csv`）等 CSV 输出的每个格子都经这里写出。
//!
//! A CSV file is opened in Excel or WPS, which evaluate a cell that begins
//! with `=`, `+`, `-` or `@` as a formula (and treat a leading tab or
//! carriage return the same way after trimming): a cell of data reading
//! `=cmd|' /C calc'!A0` would run on the reader's machine. The xlsx export
//! never has this problem: its text is written as text cells and its
//! amounts as numbers, never as formulas. A CSV cell has no type, so the
//! same rule is kept by its content: a plain number (`-12.50`, `1,193.26`)
//! is written as it is, since a spreadsheet reads it as the number it is;
//! any other cell beginning with one of those characters gets a leading
//! apostrophe `'`, which spreadsheets take as "this is text" (OWASP's
//! advice for CSV injection). Then the cell is quoted when it holds a
//! comma, a quote or a line break.

/// Characters that make a spreadsheet evaluate a cell.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell, safe to open in a spreadsheet and quoted as CSV needs.
pub fn cell(text: &str) -> String {
    let text = neutral(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

/// One row of cells, ended by CRLF (RFC 4180).
pub fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells.iter().map(|c| cell(c.as_ref())).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// The text with a leading `'` when a spreadsheet would evaluate it.
fn neutral(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(TRIGGERS) && !plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A signed decimal number, with thousands separators or not: what a
/// spreadsheet reads as a number and nothing else.
fn plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !int.is_empty() && digits(&int.replace(',', "")) && digits(frac) && !int.starts_with(',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(cell("+1+2"), "'+1+2");
        assert_eq!(cell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(cell("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(cell("\t=1"), "'\t=1");
        assert_eq!(cell("\r=1"), "\"'\r=1\"");
        assert_eq!(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    }

    #[test]
    fn numbers_and_text_stay_as_they_are() {
        for plain in ["-12.50", "+3", "1,193.26", "-1,193.26", "0.00", "行政运行", "a=b", "（无）"]
        {
            assert_eq!(
                cell(plain),
                if plain.contains(',') { format!("\"{plain}\"") } else { plain.into() }
            );
        }
        assert_eq!(cell("-"), "'-");
        assert_eq!(cell("-.5"), "'-.5");
        assert_eq!(row(&["1", "a,b", "=x"]), "1,\"a,b\",'=x\r\n");
    }
}
