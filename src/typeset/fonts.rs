//! 字体：随程序打包的 Fandol 字体、系统字体与 `--font-path` 指定的目录。
//!
//! The Fandol faces are compiled into the binary so a machine with no CJK
//! font at all still renders every glyph. Fonts found on the system or under
//! `--font-path` are added after them, so a template that asks for
//! 仿宋_GB2312 gets it where it is installed and falls back otherwise.

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{self, FontStore};

/// The bundled free CJK family (GPL with font exception, see fonts/fandol/).
const BUNDLED: [(&str, &[u8]); 6] = [
    ("FandolSong-Regular.otf", include_bytes!("../../fonts/fandol/FandolSong-Regular.otf")),
    ("FandolSong-Bold.otf", include_bytes!("../../fonts/fandol/FandolSong-Bold.otf")),
    ("FandolHei-Regular.otf", include_bytes!("../../fonts/fandol/FandolHei-Regular.otf")),
    ("FandolHei-Bold.otf", include_bytes!("../../fonts/fandol/FandolHei-Bold.otf")),
    ("FandolFang-Regular.otf", include_bytes!("../../fonts/fandol/FandolFang-Regular.otf")),
    ("FandolKai-Regular.otf", include_bytes!("../../fonts/fandol/FandolKai-Regular.otf")),
];

/// The bytes of a bundled face, by file name (the preview page uses one for
/// its own Chinese text, so it reads on a machine without CJK fonts).
pub fn bundled(name: &str) -> Option<&'static [u8]> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, data)| *data)
}

/// A font file larger than this is not read (the largest CJK collections
/// are a few hundred MiB at most).
const MAX_FONT_BYTES: u64 = 512 << 20;

/// Where fonts are looked for.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra folders, searched recursively.
    pub font_paths: Vec<PathBuf>,
    /// Skip the fonts installed on the system (tests use this for
    /// reproducible output).
    pub no_system_fonts: bool,
}

/// Where a face came from, for `yusuan fonts`.
#[derive(Debug, Clone)]
pub enum Origin {
    Bundled(&'static str),
    File(PathBuf),
}

/// The loaded font set: the store the World reads, and a listing of it.
pub struct FontSet {
    pub store: FontStore,
    pub faces: Vec<(FontInfo, Origin)>,
    /// Roles resolved on first use: every document of a batch asks.
    roles: std::sync::OnceLock<std::collections::BTreeMap<&'static str, Resolved>>,
}

impl FontSet {
    /// Indexes every font; faces are parsed lazily on first use.
    pub fn load(opts: &FontOptions) -> FontSet {
        let mut set =
            FontSet { store: FontStore::new(), faces: Vec::new(), roles: Default::default() };
        for (name, data) in BUNDLED {
            for font in Font::iter(Bytes::new(data)) {
                let info = font.info().clone();
                set.faces.push((info.clone(), Origin::Bundled(name)));
                set.store.push((font, info));
            }
        }
        for dir in &opts.font_paths {
            set.add_folder(dir);
        }
        if !opts.no_system_fonts {
            set.add_scanned(fonts::system());
        }
        for (font, info) in fonts::embedded() {
            set.faces.push((info.clone(), Origin::Bundled("typst")));
            set.store.push((font, info));
        }
        set
    }

    /// A `--font-path` folder, read by the rule of every folder yusuan
    /// reads (`source::walk`): a link met inside it is not followed (a link
    /// to `/` would have the whole disk scanned), FIFOs and devices are
    /// skipped, each said; depth and entries are bounded. Each font file is
    /// read once here for its faces' metadata, and again when a face is
    /// used (faces stay lazy).
    fn add_folder(&mut self, dir: &std::path::Path) {
        let is_font = |p: &std::path::Path| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ttf", "ttc", "otf", "otc"].contains(&e.to_ascii_lowercase().as_str())
            })
        };
        let found = match crate::source::walk::walk(dir, &is_font) {
            Ok(found) => found,
            Err(e) => {
                return crate::error::errln!("警告：字体目录 {}：{e}", crate::error::shown(dir));
            }
        };
        for skipped in &found.skipped {
            crate::error::errln!("警告：{skipped}");
        }
        for path in found.files {
            let Ok(data) = crate::source::walk::read_regular(&path, MAX_FONT_BYTES) else {
                continue;
            };
            for index in 0.. {
                let Some(info) = FontInfo::new(&data, index) else { break };
                self.faces.push((info.clone(), Origin::File(path.clone())));
                self.store.push((fonts::FontPath { path: path.clone(), index }, info));
            }
        }
    }

    fn add_scanned(&mut self, found: impl Iterator<Item = (fonts::FontPath, FontInfo)>) {
        for (path, info) in found {
            self.faces.push((info.clone(), Origin::File(path.path.clone())));
            self.store.push((path, info));
        }
    }
}

/// A font role of the house style and the families tried for it, official
/// faces first, the bundled Fandol face last.
pub struct Role {
    /// Key used by the templates (`fonts.body`, …).
    pub key: &'static str,
    /// What the role is, for `yusuan fonts`.
    pub label: &'static str,
    pub candidates: &'static [&'static str],
}

pub const ROLES: [Role; 5] = [
    Role {
        key: "title",
        label: "标题（小标宋）",
        candidates: &["方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FandolSong"],
    },
    Role {
        key: "body",
        label: "正文、三级标题（仿宋）",
        candidates: &[
            "仿宋_GB2312",
            "仿宋",
            "FangSong",
            "FangSong_GB2312",
            "STFangsong",
            "FandolFang R",
        ],
    },
    Role {
        key: "hei",
        label: "一级标题（黑体）",
        candidates: &["黑体", "SimHei", "STHeiti", "FandolHei"],
    },
    Role {
        key: "kai",
        label: "二级标题（楷体）",
        candidates: &["楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "STKaiti", "FandolKai"],
    },
    Role {
        key: "song",
        label: "表格、页码（宋体）",
        candidates: &["宋体", "SimSun", "STSong", "FandolSong"],
    },
];

/// What a role resolved to on this machine.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Resolved {
    /// Families present, in order of preference; the first one prints.
    pub families: Vec<String>,
    /// Whether the first family has a real bold face. Where it has none
    /// (仿宋, 楷体), the templates do not ask for bold: Typst would print
    /// regular weight, never a faked bold.
    pub has_bold: bool,
}

impl FontSet {
    /// Every role resolved against the fonts found.
    pub fn roles(&self) -> &std::collections::BTreeMap<&'static str, Resolved> {
        self.roles.get_or_init(|| self.resolve_roles())
    }

    fn resolve_roles(&self) -> std::collections::BTreeMap<&'static str, Resolved> {
        let book = self.store.book();
        ROLES
            .iter()
            .map(|role| {
                let families: Vec<String> = role
                    .candidates
                    .iter()
                    .filter(|f| book.contains_family(&f.to_lowercase()))
                    .map(|f| f.to_string())
                    .collect();
                let has_bold = families.first().is_some_and(|f| {
                    book.select_family(&f.to_lowercase())
                        .filter_map(|i| book.info(i))
                        .any(|info| info.variant.weight.to_number() >= 600)
                });
                (role.key, Resolved { families, has_bold })
            })
            .collect()
    }
}
