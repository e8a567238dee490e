//! A correction notice held against the glyphs of the two documents: every
//! run of text that differs lies in a place the notice lists.

use std::collections::HashMap;

use yusuan::diff::document::{Correction, Document, Place};

/// Glyph runs of a laid-out document, as a multiset.
fn runs(doc: &Document) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for r in doc.runs() {
        *out.entry(r).or_insert(0) += 1;
    }
    out
}

/// Paragraph key of a clause place (its key without the clause index).
pub fn para_key(p: &Place) -> Option<String> {
    let (base, last) = p.key.rsplit_once('|')?;
    last.parse::<usize>().ok().map(|_| base.to_string())
}

/// Every glyph run that is new in the corrected document lies in a
/// paragraph with a listed clause, or is a listed cell, or is a page
/// number (a paragraph one line longer may move a folio or 目录 entry).
pub fn only_listed_places_moved(
    old: &Document,
    new: &Document,
    new_places: &[Place],
    changes: &[Correction],
    sample: &str,
) {
    let changed_locs: std::collections::HashSet<(&str, &str)> =
        changes.iter().filter_map(|c| Some((c.location.as_str(), c.new.as_deref()?))).collect();
    let listed: Vec<&Place> = new_places
        .iter()
        .filter(|p| changed_locs.contains(&(p.location.as_str(), p.text.as_str())))
        .collect();
    let paras: std::collections::HashSet<String> =
        listed.iter().filter_map(|p| para_key(p)).collect();
    let mut allowed = String::new();
    for p in new_places.iter().filter(|p| para_key(p).is_some_and(|k| paras.contains(&k))) {
        allowed.extend(p.text.chars().filter(|c| !c.is_whitespace()));
    }
    let cells: std::collections::HashSet<&str> =
        listed.iter().filter(|p| para_key(p).is_none()).map(|p| p.text.as_str()).collect();
    let before = runs(old);
    let mut after = runs(new);
    for (run, n) in &before {
        if let Some(m) = after.get_mut(run) {
            *m = m.saturating_sub(*n);
        }
    }
    for (run, n) in after.into_iter().filter(|(_, n)| *n > 0) {
        let ok = allowed.contains(&run)
            || cells.contains(run.as_str())
            || run.chars().all(|c| c.is_ascii_digit() || c == '—' || c == '.');
        assert!(ok, "{sample}: “{run}” (×{n}) changed but is in no listed place: {changes:#?}");
    }
}
