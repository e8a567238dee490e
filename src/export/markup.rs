//! Escaping for the markup yusuan writes by hand: the web pages (document,
//! correction notice, batch report) and the Word file's XML.

/// Text and attribute values: `&`, `<`, `>` and both quotes escaped;
/// control characters other than tab and line breaks dropped (XML 1.0
/// cannot hold them, and the checks refuse them in data anyway).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_control_characters() {
        assert_eq!(
            super::esc("a<b & \"c\" 'd'\u{1b}\n"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;\n"
        );
    }
}
