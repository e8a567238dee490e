//! Visual regression: selected pages of the sample are rendered in-process
//! and compared with reference images kept in `tests/visual/`.
//!
//! Tolerance: a pixel differs when any channel differs by more than 48 (of
//! 255), which absorbs anti-aliasing noise; a page fails when more than
//! 0.2 % of its pixels differ. A moved line or a changed glyph exceeds that
//! easily. Only the bundled fonts are used, so the result does not depend on
//! the machine's fonts.
//!
//! After an intended change of the layout, look at the new pages, then
//! regenerate the references with
//!
//! ```sh
//! YUSUAN_BLESS=1 cargo test --release --test visual
//! ```
//!
//! On a failure the rendered page is written next to the reference as
//! `*.actual.png` for a side-by-side look.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::utils::Scalar;
use typst_render::RenderOptions;
use yusuan::pipeline;
use yusuan::typeset::compile::Engine;
use yusuan::typeset::fonts::{FontOptions, FontSet};
use yusuan::typeset::templates::{Root, Templates};

/// Title and 目录; body text with headings; a performance table; the assets table.
const PAGES: [usize; 4] = [1, 3, 8, 16];
const DPI: f64 = 50.0;
const CHANNEL_TOLERANCE: u8 = 48;
const MAX_DIFFERING: f64 = 0.002;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample_document() -> typst_layout::PagedDocument {
    let fonts = FontSet::load(&FontOptions { font_paths: vec![], no_system_fonts: true });
    let root_dir = Root::Dir(root().join("templates"));
    let templates = Templates::bundled(&root_dir, "hebei").unwrap().unwrap();
    let mut engine = Engine::new(Arc::new(fonts), Arc::new(templates));
    let loaded = pipeline::inspect(&root().join("data/101001-2021.toml"));
    assert!(loaded.problems.iter().all(|p| !p.is_error()), "{:?}", loaded.problems);
    let budget = loaded.budget.unwrap();
    match pipeline::typeset(&mut engine, &budget, false) {
        Ok(t) => t.compiled.document,
        Err(e) => panic!("{e:?}"),
    }
}

/// Share of pixels that differ beyond the channel tolerance.
fn differing(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    if a.dimensions() != b.dimensions() {
        return 1.0;
    }
    let bad = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > CHANNEL_TOLERANCE))
        .count();
    bad as f64 / f64::from(a.width() * a.height())
}

fn reference(page: usize) -> PathBuf {
    root().join(format!("tests/visual/page-{page:02}.png"))
}

fn check_page(png: &[u8], page: usize) -> Result<(), String> {
    let path = reference(page);
    if std::env::var_os("YUSUAN_BLESS").is_some() {
        std::fs::write(&path, png).unwrap();
        return Ok(());
    }
    let expected = image::open(&path)
        .map_err(|e| format!("{}: {e} (run with YUSUAN_BLESS=1 to create it)", path.display()))?
        .to_rgba8();
    let actual = image::load_from_memory(png).unwrap().to_rgba8();
    let share = differing(&expected, &actual);
    if share > MAX_DIFFERING {
        let out = path.with_extension("actual.png");
        std::fs::write(&out, png).unwrap();
        return Err(format!(
            "page {page}: {:.3} % of pixels differ; see {}",
            share * 100.0,
            out.display()
        ));
    }
    Ok(())
}

#[test]
fn selected_pages_match_their_references() {
    let doc = sample_document();
    let opts = RenderOptions { pixel_per_pt: Scalar::new(DPI / 72.0), ..RenderOptions::default() };
    let failures: Vec<String> = PAGES
        .iter()
        .filter_map(|&page| {
            let pixmap = typst_render::render(&doc.pages()[page - 1], &opts);
            check_page(&pixmap.encode_png().unwrap(), page).err()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_comparison_notices_a_change() {
    let a = image::RgbaImage::from_pixel(100, 100, image::Rgba([255, 255, 255, 255]));
    let mut b = a.clone();
    assert_eq!(differing(&a, &b), 0.0);
    // One short black line is already more than the tolerance allows.
    for x in 0..30 {
        b.put_pixel(x, 50, image::Rgba([0, 0, 0, 255]));
    }
    assert!(differing(&a, &b) > MAX_DIFFERING);
    // Faint anti-aliasing noise is not.
    let mut c = a.clone();
    c.put_pixel(1, 1, image::Rgba([230, 230, 230, 255]));
    assert_eq!(differing(&a, &c), 0.0);
    assert!(Path::new(&reference(1)).parent().unwrap().is_dir());
}
