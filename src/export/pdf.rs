//! PDF 导出：固定的时间戳与标识符，同样的输入得到逐字节相同的 PDF；缺省 PDF/UA-1 与 PDF/A-2a
//! （无障碍且可长期归档），带结构标签。

use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// How the PDF is written.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// PDF standards to conform to: PDF/UA-1 with PDF/A-2a by default,
    /// accessible and archival at no measurable cost (BENCHMARKS.md).
    pub standards: Vec<PdfStandard>,
    /// Write the accessibility structure tree.
    pub tagged: bool,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings { standards: vec![PdfStandard::Ua_1, PdfStandard::A_2a], tagged: true }
    }
}

/// Exports the PDF with a fixed timestamp, so equal input gives equal bytes.
pub fn export(
    doc: &PagedDocument,
    ident: &str,
    today: Datetime,
    settings: &PdfSettings,
) -> Result<Vec<u8>, Vec<SourceDiagnostic>> {
    let standards = PdfStandards::new(&settings.standards).map_err(|e| {
        vec![SourceDiagnostic::error(typst::syntax::Span::detached(), e.message().clone())]
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("yusuan {} (Typst 0.15)", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(today)),
        standards,
        tagged: settings.tagged,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|e| e.to_vec())
}
