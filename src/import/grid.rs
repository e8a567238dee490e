//! 工作表单元格的紧凑存储：只存有内容的格，每格 12 字节，文字集中放在分块的文字区。
//!
//! A sheet is kept as its non-empty cells in row order (each row's cells
//! sorted by column) with an index of the rows; text lives in an arena of
//! fixed-size chunks shared by the whole workbook. Nothing grows by
//! doubling past a chunk, so a workbook at the cell limit never needs two
//! copies of its cells at once, and no size the workbook declares is used.

/// What a stored cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text kept in the arena.
    Text,
    /// An index into the shared-string table.
    Shared,
    /// A number as its XML text (“1234.5”, “1.2E+20”): never a double.
    Number,
    /// true or false, in `off`.
    Bool,
    /// An error value (“#DIV/0!”), its text in the arena.
    Error,
    /// A formula with no saved result: its text in the arena.
    Formula,
}

/// One stored cell.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub off: u32,
    pub len: u32,
    pub col: u16,
    pub kind: Kind,
}

/// Text of the whole workbook in chunks of `CHUNK` bytes; a piece never
/// spans two chunks, so its offset is chunk × CHUNK + position.
#[derive(Debug, Default)]
pub struct Arena {
    chunks: Vec<String>,
    /// Bytes kept, for the text limit.
    pub used: u64,
}

const CHUNK: usize = 4 << 20;

impl Arena {
    /// Keeps `s`, returning its offset and length. `s` is at most the
    /// markup limit (1 MiB), below a chunk.
    pub fn push(&mut self, s: &str) -> (u32, u32) {
        let fits = self.chunks.last().is_some_and(|c| c.len() + s.len() <= CHUNK);
        if !fits {
            self.chunks.push(String::new());
        }
        let k = self.chunks.len() - 1;
        let chunk = &mut self.chunks[k];
        let at = chunk.len();
        chunk.push_str(s);
        self.used += s.len() as u64;
        ((k * CHUNK + at) as u32, s.len() as u32)
    }

    pub fn get(&self, off: u32, len: u32) -> &str {
        let (k, at) = (off as usize / CHUNK, off as usize % CHUNK);
        self.chunks.get(k).and_then(|c| c.get(at..at + len as usize)).unwrap_or("")
    }
}

/// The cells of one sheet.
#[derive(Debug, Default)]
pub struct Grid {
    /// (row, index of its first cell), rows ascending.
    rows: Vec<(u32, u32)>,
    chunks: Vec<Vec<Slot>>,
    len: u32,
    /// One past the last column holding a cell.
    pub cols: u32,
}

const SLOTS: usize = 1 << 16;

impl Grid {
    /// Appends one row's cells, sorted by column, after every row so far.
    pub fn push_row(&mut self, row: u32, cells: &[Slot]) {
        if cells.is_empty() {
            return;
        }
        self.rows.push((row, self.len));
        for s in cells {
            if self.chunks.last().is_none_or(|c| c.len() == SLOTS) {
                self.chunks.push(Vec::with_capacity(SLOTS.min(cells.len().max(64))));
            }
            if let Some(c) = self.chunks.last_mut() {
                c.push(*s);
            }
            self.len += 1;
            self.cols = self.cols.max(u32::from(s.col) + 1);
        }
    }

    fn slot(&self, i: u32) -> &Slot {
        &self.chunks[i as usize / SLOTS][i as usize % SLOTS]
    }

    /// The cells of row `r` as an index range.
    fn span(&self, r: u32) -> Option<(u32, u32)> {
        let k = self.rows.binary_search_by_key(&r, |(row, _)| *row).ok()?;
        let end = self.rows.get(k + 1).map_or(self.len, |(_, s)| *s);
        Some((self.rows[k].1, end))
    }

    /// The cell at (row, col), if stored.
    pub fn get(&self, r: u32, c: u32) -> Option<&Slot> {
        let (mut lo, mut hi) = self.span(r)?;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let s = self.slot(mid);
            match u32::from(s.col).cmp(&c) {
                std::cmp::Ordering::Equal => return Some(s),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    /// The stored cells of row `r`, by column.
    pub fn row(&self, r: u32) -> impl Iterator<Item = &Slot> {
        let (lo, hi) = self.span(r).unwrap_or((0, 0));
        (lo..hi).map(|i| self.slot(i))
    }

    /// The rows holding a cell, ascending.
    pub fn used_rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows.iter().map(|(r, _)| *r)
    }

    /// The used rows from `from` on.
    pub fn rows_from(&self, from: u32) -> impl Iterator<Item = u32> + '_ {
        let k = self.rows.partition_point(|(r, _)| *r < from);
        self.rows[k..].iter().map(|(r, _)| *r)
    }

    /// One past the last row holding a cell.
    pub fn end_row(&self) -> u32 {
        self.rows.last().map_or(0, |(r, _)| r + 1)
    }

    /// Cells stored.
    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(col: u16, off: u32) -> Slot {
        Slot { off, len: 0, col, kind: Kind::Bool }
    }

    #[test]
    fn cells_are_found_by_row_and_column() {
        let mut g = Grid::default();
        g.push_row(0, &[slot(0, 1), slot(3, 2)]);
        g.push_row(7, &[slot(1, 3)]);
        assert_eq!(g.get(0, 3).map(|s| s.off), Some(2));
        assert_eq!(g.get(7, 1).map(|s| s.off), Some(3));
        assert!(g.get(0, 1).is_none() && g.get(5, 0).is_none());
        assert_eq!(g.used_rows().collect::<Vec<_>>(), [0, 7]);
        assert_eq!(g.rows_from(1).collect::<Vec<_>>(), [7]);
        assert_eq!((g.end_row(), g.cols, g.len()), (8, 4, 3));
    }

    #[test]
    fn rows_spanning_chunks_read_whole() {
        let mut g = Grid::default();
        let many: Vec<Slot> = (0..(SLOTS - 1) as u16).map(|c| slot(c, u32::from(c))).collect();
        g.push_row(0, &many);
        g.push_row(1, &[slot(0, 9), slot(1, 10), slot(2, 11)]);
        assert_eq!(g.row(1).map(|s| s.off).collect::<Vec<_>>(), [9, 10, 11]);
        assert_eq!(g.get(1, 2).map(|s| s.off), Some(11));
    }

    #[test]
    fn text_pieces_stay_whole() {
        let mut a = Arena::default();
        let (o1, l1) = a.push("合计");
        let big = "x".repeat(CHUNK - 3);
        let (o2, l2) = a.push(&big);
        let (o3, l3) = a.push("小计");
        assert_eq!(a.get(o1, l1), "合计");
        assert_eq!(a.get(o2, l2).len(), CHUNK - 3);
        assert_eq!(a.get(o3, l3), "小计");
    }
}
