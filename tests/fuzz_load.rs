//! Property test of the load → check path: mutated copies of the sample
//! (values swapped for awkward ones, keys misspelt, lines dropped, doubled
//! or swapped, stray bytes and brackets) must never panic, and every outcome
//! must be reportable.
//!
//! `cargo test --release --test fuzz_load` runs a few hundred cases (set
//! `PROPTEST_CASES` for more); proptest shrinks a failure to a small input.
//! For a long run that counts inputs and crashes instead of stopping at the
//! first one:
//!
//! ```sh
//! YUSUAN_FUZZ_CASES=200000 cargo test --release --test fuzz_load -- --ignored --nocapture
//! ```
//!
//! Crashing inputs of the long run are written to `target/fuzz-crashes/`.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use yusuan::{derive, diag, pipeline};

fn sample() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/101001-2021.toml")).unwrap()
}

/// Values and fragments that have tripped parsers before: extremes of each
/// type, text where numbers belong, markup, control characters, headers.
const TOKENS: &[&str] = &[
    "0",
    "-1",
    "-0.0",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "1e-30",
    "0.0000001",
    "1.0000000000000002",
    "99999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "2147483648",
    "\"79228162514264337593543950335\"",
    "\"-79228162514264337593543950335\"",
    "\"1e28\"",
    "\"1,193.26\"",
    "\"abc\"",
    "\"\"",
    "\" \"",
    "true",
    "2020-12-31",
    "10:30:00",
    "1979-05-27T07:32:00Z",
    "[]",
    "[1, 2]",
    "[\"a\", 1]",
    "{}",
    "{ a = 1 }",
    "[[]]",
    "\"≥6次\"",
    "\"3万元\"",
    "\"350元\"",
    "\"≤5万元\"",
    "\"1e27万元\"",
    "\"99999999999999999999999999999万元\"",
    "'C:\\x'",
    "\"C:\\\\x\"",
    "\"\"\"多行\n文字\"\"\"",
    "\"#set text(red) *粗* _斜_ $x$ <l> @r \\\\ `c` [b] // c /* c */ = h\"",
    "\"人大会议经费\"",
    "\"产出指标\"",
    "\"成本指标\"",
    "\"服务对象满意度指标\"",
    "\"元\"",
    "\n[[units]]\n",
    "\n[income]\n",
    "\n[[performance.projects]]\n",
    "\n[[expenditure.projects]]\n",
    "\nbudget_line = \"人大会议经费\"\n",
    "\nsame_as_public = true\n",
    "\nstated_total = 1\n",
    "\nlevel1 = \"产出指标\"\n",
    "\npersonel = 1\n",
    "\nyear = 20210\n",
    "\n",
    "\r\n",
    "\r",
    "#",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    ".",
    "\t",
    "\u{0}",
    "\u{FEFF}",
    "\u{202E}",
    "\u{1F600}",
    "\\",
    "\\u",
    "\\uD800",
    "-",
    "_",
    "+",
];

/// Amounts that keep a numeric field numeric: the file stays well-formed
/// and reaches the arithmetic checks.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-0.0",
    "0.005",
    "0.0000001",
    "1e-30",
    "1193.26",
    "264.6",
    "2220.42",
    "100000001",
    "2147483648",
    "\"1e28\"",
    "\"79228162514264337593543950335\"",
    "\"0.0000001\"",
    "1e15",
];

/// One edit of the text; positions are taken modulo the text's size.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the value after the n-th `=` up to the line's end.
    Value(usize, usize),
    /// Replace the value after the n-th `=` up to the next `,` or `}`.
    InlineValue(usize, usize),
    Insert(usize, usize),
    InsertText(usize, String),
    Delete(usize, usize),
    DropLine(usize),
    DoubleLine(usize),
    SwapLines(usize, usize),
    /// Replace the n-th numeric value with `NUMBERS[k]`.
    Number(usize, usize),
    /// The last run of a long cell: thousands of characters in one value.
    Long(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = 0..100_000usize;
    let t = 0..TOKENS.len();
    prop_oneof![
        4 => (n.clone(), t.clone()).prop_map(|(a, b)| Edit::Value(a, b)),
        3 => (n.clone(), t.clone()).prop_map(|(a, b)| Edit::InlineValue(a, b)),
        2 => (n.clone(), t).prop_map(|(a, b)| Edit::Insert(a, b)),
        1 => (n.clone(), any::<String>()).prop_map(|(a, s)| Edit::InsertText(a, s)),
        2 => (n.clone(), 1..64usize).prop_map(|(a, b)| Edit::Delete(a, b)),
        2 => n.clone().prop_map(Edit::DropLine),
        1 => n.clone().prop_map(Edit::DoubleLine),
        1 => (n.clone(), n.clone()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (n, 1..6000usize).prop_map(|(a, b)| Edit::Long(a, b)),
    ]
}

/// A value swapped for another well-formed one: the file still parses, so
/// these reach the schema walk and the checks.
fn value_edit() -> impl Strategy<Value = Edit> {
    let values: Vec<usize> = (0..TOKENS.len())
        .filter(|&k| format!("x = {}", TOKENS[k]).parse::<toml::Table>().is_ok())
        .collect();
    prop_oneof![
        (0..100_000usize, proptest::sample::select(values))
            .prop_map(|(a, b)| Edit::InlineValue(a, b)),
        (0..100_000usize, 0..NUMBERS.len()).prop_map(|(a, b)| Edit::Number(a, b)),
    ]
}

/// A list of edits, and sometimes raw bytes overwritten after them (to reach
/// the decoder with invalid UTF-8).
fn input() -> impl Strategy<Value = (Vec<Edit>, Vec<(usize, u8)>)> {
    (
        prop_oneof![
            proptest::collection::vec(value_edit(), 1..4),
            proptest::collection::vec(edit(), 1..8),
        ],
        prop_oneof![9 => Just(Vec::new()), 1 => proptest::collection::vec((0..100_000usize, any::<u8>()), 1..4)],
    )
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Start of the value after the n-th `=`, and the end of its line or item.
fn value_range(text: &str, n: usize, inline: bool) -> Option<(usize, usize)> {
    let eqs: Vec<usize> = text.match_indices('=').map(|(i, _)| i + 1).collect();
    let start = *eqs.get(n % eqs.len().max(1))?;
    let rest = &text[start..];
    let stop: &[char] = if inline { &[',', '}', '\n'] } else { &['\n'] };
    Some((start, start + rest.find(stop).unwrap_or(rest.len())))
}

fn apply(text: &mut String, e: &Edit) {
    let at = |n: usize, t: &str| floor(t, n % (t.len() + 1));
    match e {
        Edit::Value(n, k) | Edit::InlineValue(n, k) => {
            let inline = matches!(e, Edit::InlineValue(..));
            if let Some((a, b)) = value_range(text, *n, inline) {
                text.replace_range(a..b, &format!(" {}", TOKENS[*k]));
            }
        }
        Edit::Insert(n, k) => text.insert_str(at(*n, text), TOKENS[*k]),
        Edit::InsertText(n, s) => text.insert_str(at(*n, text), s),
        Edit::Delete(n, len) => {
            let a = at(*n, text);
            let b = floor(text, a + len);
            text.replace_range(a..b, "");
        }
        Edit::Number(n, k) => {
            let numeric: Vec<usize> = (0..text.matches('=').count())
                .filter(|&i| {
                    value_range(text, i, true).is_some_and(|(a, b)| is_number(&text[a..b]))
                })
                .collect();
            if let Some(&i) = numeric.get(n % numeric.len().max(1)) {
                let (a, b) = value_range(text, i, true).unwrap();
                text.replace_range(a..b, &format!(" {}", NUMBERS[*k]));
            }
        }
        Edit::Long(n, len) => {
            if let Some((a, b)) = value_range(text, *n, true) {
                text.replace_range(a..b, &format!(" \"{}\"", "长".repeat(*len)));
            }
        }
        _ => lines_edit(text, e),
    }
}

fn is_number(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

fn lines_edit(text: &mut String, e: &Edit) {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        return;
    }
    let len = lines.len();
    match e {
        Edit::DropLine(n) => {
            lines.remove(n % len);
        }
        Edit::DoubleLine(n) => lines.insert(n % len, lines[n % len]),
        Edit::SwapLines(a, b) => lines.swap(a % len, b % len),
        _ => {}
    }
    *text = lines.concat();
}

fn bytes_of((edits, pokes): &(Vec<Edit>, Vec<(usize, u8)>), base: &str) -> Vec<u8> {
    let mut text = base.to_string();
    for e in edits {
        apply(&mut text, e);
    }
    let mut bytes = text.into_bytes();
    for (at, b) in pokes {
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = *b;
        }
    }
    bytes
}

/// What must hold for any input: no panic (the caller catches it), a
/// refused file has an error, every problem renders with its place, and a
/// file that passes derives its view.
fn property(bytes: &[u8]) -> Outcome {
    let loaded = pipeline::inspect_bytes(Path::new("fuzz.toml"), bytes);
    let errors = loaded.problems.iter().filter(|p| p.is_error()).count();
    assert!(loaded.budget.is_some() || errors > 0, "refused without an error");
    for p in &loaded.problems {
        let shown = diag::render("fuzz.toml", &loaded.file.text, p);
        assert!(shown.contains("--> fuzz.toml:"), "no place in {shown}");
        diag::short("fuzz.toml", &loaded.file.text, p);
    }
    match (&loaded.budget, errors) {
        (None, _) => Outcome::Refused,
        (Some(_), 1..) => Outcome::Checked,
        (Some(b), 0) => {
            let view = derive::view(b, &derive::Presentation::default());
            serde_json::to_vec(&view).expect("the view serializes");
            Outcome::Passed
        }
    }
}

/// How far an input got: refused before the model, read and checked with
/// errors, or passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Refused,
    Checked,
    Passed,
}

#[test]
fn mutated_samples_never_panic() {
    let base = sample();
    let counts = [AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0)];
    let config = Config { failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&input(), |case| {
        let outcome = property(&bytes_of(&case, &base));
        counts[outcome as usize].fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let [refused, checked, passed] = counts.map(|c| c.load(Ordering::Relaxed));
    eprintln!(
        "load → check: {} inputs tried ({refused} refused before the checks, \
         {checked} checked with errors, {passed} passed)",
        refused + checked + passed
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The sample itself and each single edit class on it hold the property, so
/// the test above is not vacuous: its inputs reach the checks.
#[test]
fn mutations_reach_the_checks() {
    let base = sample();
    property(base.as_bytes());
    let clean = pipeline::inspect_bytes(Path::new("s.toml"), base.as_bytes());
    assert!(clean.usable(), "{:?}", clean.problems);
    // A value swap keeps the file well-formed yet wrong: the checks see it.
    let year = base.match_indices('=').position(|(i, _)| base[..i].ends_with("\nyear ")).unwrap();
    let mut t = base.clone();
    apply(&mut t, &Edit::Value(year, 1));
    assert!(t.contains("\nyear = -1\n"), "the edit missed");
    assert_eq!(property(t.as_bytes()), Outcome::Checked);
}

/// The long run: counts inputs and crashes instead of stopping at the first.
#[test]
#[ignore = "long; run with --ignored and YUSUAN_FUZZ_CASES"]
fn soak_load_and_check() {
    let cases: usize =
        std::env::var("YUSUAN_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let base = sample();
    let mut runner = TestRunner::new(Config::default());
    let strategy = input();
    let crash_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    panic::set_hook(Box::new(|_| {}));
    let (mut crashes, mut counts) = (0, [0usize; 3]);
    for n in 0..cases {
        let case = strategy.new_tree(&mut runner).expect("a case").current();
        let bytes = bytes_of(&case, &base);
        match panic::catch_unwind(AssertUnwindSafe(|| property(&bytes))) {
            Ok(outcome) => counts[outcome as usize] += 1,
            Err(_) => {
                crashes += 1;
                std::fs::create_dir_all(&crash_dir).unwrap();
                std::fs::write(crash_dir.join(format!("crash-{n}.toml")), &bytes).unwrap();
            }
        }
    }
    let _ = panic::take_hook();
    let [refused, checked, passed] = counts;
    eprintln!(
        "load → check soak: {cases} inputs tried, {crashes} crashed \
         ({refused} refused before the checks, {checked} checked with errors, {passed} passed)"
    );
    assert_eq!(crashes, 0, "crashing inputs are in {}", crash_dir.display());
}
