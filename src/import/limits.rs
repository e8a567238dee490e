//! 读工作簿的硬上限：每一项都在分配内存之前核对，超过即用中文拒绝，说明是哪一项。
//!
//! A workbook is a zip of XML files, and both layers can promise far more
//! than they hold or hold far more than they promise: a sheet that inflates
//! to gigabytes, a directory of a million entries, a `<dimension>` of a
//! billion cells, one text node of a gigabyte. Nothing a workbook declares
//! is used to size an allocation; what is kept is counted as it comes, and
//! the reading stops at the first limit passed. The figures are chosen so
//! that a workbook at every limit at once is still read in seconds under
//! 300 MB (BENCHMARKS.md, “导入”); a real export of a whole district is far
//! below each of them.

/// The caps one reading of a workbook obeys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The .xlsx file itself.
    pub file_bytes: u64,
    /// Entries in its zip directory (read from the directory's end record
    /// before the directory itself is read).
    pub entries: u64,
    /// Inflated bytes of one worksheet's XML.
    pub sheet_bytes: u64,
    /// Inflated bytes of the shared-string table.
    pub strings_bytes: u64,
    /// Inflated bytes of any other part read (workbook, relationships).
    pub small_bytes: u64,
    /// Inflated bytes of every part read, together.
    pub total_bytes: u64,
    /// Non-empty cells kept, all sheets together (12 bytes each).
    pub cells: u64,
    /// Text kept: shared strings, text cells and the digits of numbers,
    /// with 8 bytes per shared string for its index.
    pub text_bytes: u64,
    /// Rows of a sheet: Excel's own limit; a row number beyond it is not
    /// an Excel workbook's.
    pub rows: u32,
    /// Columns of a sheet: Excel's own limit (XFD).
    pub cols: u32,
    /// Merged regions, all sheets together.
    pub merged: u64,
    /// Bytes of one XML tag or one run of text between tags: bounds the
    /// buffer the XML reader fills (a cell holds at most 32,767 characters).
    pub markup: u64,
}

/// The limits of `yusuan import`.
pub const LIMITS: Limits = Limits {
    file_bytes: 256 << 20,
    entries: 10_000,
    sheet_bytes: 256 << 20,
    strings_bytes: 64 << 20,
    small_bytes: 16 << 20,
    total_bytes: 512 << 20,
    cells: 10_000_000,
    text_bytes: 64 << 20,
    rows: 1_048_576,
    cols: 16_384,
    merged: 100_000,
    markup: 1 << 20,
};

/// “256 MiB”, “1,048,576”: a limit as the messages print it.
pub fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes >> 20)
}

/// A count with thousands separators.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_print_in_their_units() {
        assert_eq!(mib(LIMITS.sheet_bytes), "256 MiB");
        assert_eq!(count(1_048_576), "1,048,576");
        assert_eq!(count(999), "999");
    }
}
