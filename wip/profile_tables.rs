// ---------------------------------------------------------------------------
// Tables a profile describes by data: classified, ledger and figures.

use crate::profile::{
    Codes, ColumnSpec, Figure, Layout, NumberFormat, Profile, Rows, Selector, TableSpec, Term,
    TotalAt, fill_year,
};

impl Selector {
    /// Whether a line item counts in this selector.
    pub fn matches(&self, i: &Item<'_>) -> bool {
        self.0.iter().all(|t| term_matches(*t, i))
    }
}

fn term_matches(t: Term, i: &Item<'_>) -> bool {
    match t {
        Term::All => true,
        Term::Basic => i.kind.is_basic(),
        Term::Personnel => i.kind == Kind::Personnel,
        Term::Public => i.kind == Kind::Public,
        Term::Project => !i.kind.is_basic(),
        Term::Appropriation => i.fund.is_appropriation(),
        Term::Fund(s) => i.fund == s,
        Term::Carryover => i.source == Source::Carryover,
        Term::Figure(_) => false,
    }
}

/// A selector already checked when the profile was read; an unreadable one
/// (impossible after the checks) selects nothing rather than panicking.
fn selector(s: &str) -> Selector {
    Selector::parse(s).unwrap_or(Selector(vec![]))
}

fn filter_of(spec: &TableSpec) -> Selector {
    spec.filter.as_deref().map(selector).unwrap_or(Selector(vec![Term::All]))
}

/// Amounts in a table's unit and format.
struct Fmt(NumberFormat);

impl Fmt {
    fn money(&self, a: Amount) -> Money {
        Money::with(a, &self.0)
    }
    fn cell(&self, a: Amount) -> CellView {
        CellView::money(self.money(a))
    }
    /// A body cell: zero prints as blank.
    fn body(&self, a: Amount) -> CellView {
        if self.money(a).zero { CellView::blank() } else { self.cell(a) }
    }
}

/// One column of a header: the titles above it, outermost first, and its own.
struct HeadCol {
    path: Vec<String>,
    label: String,
}

fn col(path: &[&str], label: &str) -> HeadCol {
    HeadCol { path: path.iter().map(|s| s.to_string()).collect(), label: label.to_string() }
}

/// Header rows from columns with nested titles: equal neighbouring titles
/// merge into one cell, and a column's own label reaches down to the last row.
fn nested_head(cols: &[HeadCol]) -> Vec<Vec<HeadCell>> {
    let depth = cols.iter().map(|c| c.path.len() + 1).max().unwrap_or(1);
    let mut rows = vec![Vec::new(); depth];
    for (level, row) in rows.iter_mut().enumerate() {
        let mut k = 0;
        while k < cols.len() {
            let c = &cols[k];
            if level < c.path.len() {
                let key = &c.path[..=level];
                let span = cols[k..].iter().take_while(|o| o.path.get(..=level) == Some(key)).count();
                row.push(h(&c.path[level], span, 1));
                k += span;
            } else {
                if level == c.path.len() {
                    row.push(h(&c.label, 1, depth - level));
                }
                k += 1;
            }
        }
    }
    rows
}

/// The key columns of a classified table: codes (split or joined) and name.
fn key_columns(spec: &TableSpec) -> (Vec<HeadCol>, Vec<u32>) {
    let (code, name, parts): (&str, &str, &[&str]) = match spec.rows {
        Rows::Function => ("功能分类科目编码", "功能分类科目名称", &["类", "款", "项"]),
        Rows::Economic => ("部门预算经济分类科目编码", "经济分类科目名称", &["类", "款"]),
    };
    let outer: Vec<&str> = if spec.group.is_some() { vec!["项目"] } else { vec![] };
    let mut cols = Vec::new();
    let mut widths = Vec::new();
    match spec.codes {
        Codes::Split => {
            let mut p = outer.clone();
            p.push(code);
            for l in parts {
                cols.push(col(&p, l));
                widths.push(2);
            }
        }
        Codes::Joined => {
            cols.push(col(&outer, code));
            widths.push(4);
        }
    }
    cols.push(col(&outer, name));
    widths.push(10);
    (cols, widths)
}

fn amount_columns(spec: &TableSpec, cols: &[ColumnSpec]) -> Vec<HeadCol> {
    cols.iter()
        .map(|c| {
            let mut path: Vec<String> = spec.group.iter().cloned().collect();
            path.extend(c.group.iter().cloned());
            HeadCol { path, label: c.label.clone() }
        })
        .collect()
}

/// The rows a classified table sums, before it is printed.
pub fn classified_rows(b: &Budget, spec: &TableSpec) -> Vec<ClassRow> {
    let items = lineitems::items(b);
    let filter = filter_of(spec);
    let cols: Vec<Selector> = spec.columns.iter().map(|c| selector(&c.sum)).collect();
    let values = |i: &Item<'_>| -> Vec<Amount> {
        cols.iter().map(|s| if s.matches(i) { i.amount } else { Amount::ZERO }).collect()
    };
    match spec.rows {
        Rows::Function => {
            by_function(&items, &leaf_names(b), cols.len(), |i| filter.matches(i), values)
        }
        Rows::Economic => {
            let entries: Vec<(String, Vec<Amount>)> = items
                .iter()
                .filter(|i| filter.matches(i))
                .map(|i| (i.economic.unwrap_or("").to_string(), values(i)))
                .collect();
            let cat = catalogue::get();
            let name = |c: &str| cat.economic_name(c).unwrap_or("").to_string();
            class_rows(&entries, cols.len(), &[3, 5], &name)
        }
    }
}

fn classified_table(b: &Budget, spec: &TableSpec, number: usize, f: &Fmt) -> TableView {
    let rows = classified_rows(b, spec);
    let (mut head_cols, mut widths) = key_columns(spec);
    let keys = head_cols.len();
    head_cols.extend(amount_columns(spec, &spec.columns));
    widths.extend(spec.columns.iter().map(|_| 5));
    let empty = no_data(&rows);
    let mut body: Vec<RowView> = rows.iter().skip(1).map(|r| class_line(r, spec, f)).collect();
    if let Some(total) = rows.first() {
        let line = total_line(total, keys, f);
        match spec.total {
            TotalAt::Top => body.insert(0, line),
            TotalAt::Bottom => body.push(line),
        }
    }
    let year = b.document.year;
    TableView {
        number,
        title: fill_year(&spec.title, year),
        unit: f.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths,
        head: nested_head(&head_cols),
        rows: if empty { Vec::new() } else { body },
        empty,
        note: if empty { note_of(spec, year) } else { String::new() },
    }
}

fn note_of(spec: &TableSpec, year: i32) -> String {
    match &spec.empty_note {
        Some(n) => fill_year(n, year),
        None => empty_note(year, spec.group.as_deref().unwrap_or("相关预算")),
    }
}

/// A 类, 款 or 项 row: its code (one cell, or one per level), name, amounts.
fn class_line(r: &ClassRow, spec: &TableSpec, f: &Fmt) -> RowView {
    let (level, indent, bold) = match r.level {
        Level::Total | Level::Class => ("类", 0, true),
        Level::Kuan => ("款", 1, false),
        Level::Xiang => ("项", 2, false),
    };
    let mut cells = match spec.codes {
        Codes::Joined => vec![CellView::text(r.code.clone()).bold(bold)],
        Codes::Split => {
            let lens: &[(usize, usize)] = match spec.rows {
                Rows::Function => &[(0, 3), (3, 5), (5, 7)],
                Rows::Economic => &[(0, 3), (3, 5)],
            };
            lens.iter()
                .map(|&(a, z)| CellView::center(r.code.get(a..z).unwrap_or("")).bold(bold))
                .collect()
        }
    };
    cells.push(CellView::text(r.name.clone()).indent(indent).bold(bold));
    cells.extend(r.values.iter().map(|a| f.body(*a).bold(bold)));
    RowView { level: level.to_string(), cells }
}

/// The 合计 row: blank code cells, the word, every total shown.
fn total_line(r: &ClassRow, keys: usize, f: &Fmt) -> RowView {
    let mut cells: Vec<CellView> = (0..keys - 1).map(|_| CellView::blank()).collect();
    cells.push(CellView::center("合　　计").bold(true));
    cells.extend(r.values.iter().map(|a| f.cell(*a).bold(true)));
    RowView { level: "合计".to_string(), cells }
}

/// Left side income lines, right side the 类 of the filtered items with
/// the spending columns; a 总计 row closes both.
fn ledger_table(b: &Budget, spec: &TableSpec, number: usize, f: &Fmt) -> TableView {
    let items = lineitems::items(b);
    let lines: Vec<(String, usize, Amount)> = spec
        .income
        .iter()
        .map(|l| {
            let s = selector(&l.sum);
            (l.label.clone(), l.indent, items.iter().filter(|i| s.matches(i)).map(|i| i.amount).sum())
        })
        .collect();
    let spending = if spec.spending.is_empty() { &spec.columns } else { &spec.spending };
    let rows = {
        let filter = filter_of(spec);
        let cols: Vec<Selector> = spending.iter().map(|c| selector(&c.sum)).collect();
        by_function(&items, &leaf_names(b), cols.len(), |i| filter.matches(i), |i| {
            cols.iter().map(|s| if s.matches(i) { i.amount } else { Amount::ZERO }).collect()
        })
    };
    let classes: Vec<&ClassRow> = rows.iter().filter(|r| r.level == Level::Class).collect();
    let n = lines.len().max(classes.len());
    let mut body: Vec<RowView> = (0..n)
        .map(|k| {
            let mut cells = match lines.get(k) {
                Some((label, indent, a)) => {
                    vec![CellView::text(label.clone()).indent(*indent), f.body(*a)]
                }
                None => vec![CellView::blank(), CellView::blank()],
            };
            match classes.get(k) {
                Some(r) => {
                    cells.push(CellView::text(format!("{}、{}", chinese_number(k + 1), r.name)));
                    cells.extend(r.values.iter().map(|a| f.body(*a)));
                }
                None => cells.extend((0..=spending.len()).map(|_| CellView::blank())),
            }
            RowView { level: String::new(), cells }
        })
        .collect();
    let income: Amount = lines.iter().filter(|l| l.1 == 0).map(|l| l.2).sum();
    let out = totals(&rows, spending.len());
    let [left, right] = spec
        .total_labels
        .clone()
        .unwrap_or_else(|| ["收入总计".to_string(), "支出总计".to_string()]);
    let mut cells =
        vec![CellView::center(left).bold(true), f.cell(income).bold(true), CellView::center(right).bold(true)];
    cells.extend(out.iter().map(|a| f.cell(*a).bold(true)));
    body.push(RowView { level: "合计".into(), cells });
    let in_head = spec.income_head.clone().unwrap_or_else(|| "收　　入".into());
    let out_head = spec.spending_head.clone().unwrap_or_else(|| "支　　出".into());
    let mut head_cols = vec![col(&[&in_head], "项　　目"), col(&[&in_head], "预算数")];
    head_cols.push(col(&[&out_head], "项　　目"));
    head_cols.extend(spending.iter().map(|c| col(&[&out_head], &c.label)));
    let mut widths = vec![7, 4, 7];
    widths.extend(spending.iter().map(|_| 4));
    let year = b.document.year;
    let empty = income.is_zero() && out.iter().all(|a| a.is_zero());
    TableView {
        number,
        title: fill_year(&spec.title, year),
        unit: f.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths,
        head: nested_head(&head_cols),
        rows: body,
        empty,
        note: if empty { note_of(spec, year) } else { String::new() },
    }
}

/// The value of a narrative figure.
fn figure(b: &Budget, fig: Figure) -> Amount {
    let s = &b.sangong.current;
    match fig {
        Figure::Sangong => crate::derive::sangong_total(s),
        Figure::Overseas => s.overseas,
        Figure::Reception => s.reception,
        Figure::Vehicle => s.vehicle_purchase + s.vehicle_operation,
        Figure::VehiclePurchase => s.vehicle_purchase,
        Figure::VehicleOperation => s.vehicle_operation,
        Figure::Operating => crate::derive::operating_amount(b),
    }
}

/// One row of figures under a nested header.
fn figures_table(b: &Budget, spec: &TableSpec, number: usize, f: &Fmt) -> TableView {
    let values: Vec<Amount> = spec
        .columns
        .iter()
        .map(|c| selector(&c.sum).figure().map_or(Amount::ZERO, |fig| figure(b, fig)))
        .collect();
    let head_cols = amount_columns(spec, &spec.columns);
    let cells = values.iter().map(|a| f.body(*a)).collect();
    TableView {
        number,
        title: fill_year(&spec.title, b.document.year),
        unit: f.0.unit.label().to_string(),
        landscape: spec.landscape,
        widths: spec.columns.iter().map(|_| 3).collect(),
        head: nested_head(&head_cols),
        rows: vec![RowView { level: String::new(), cells }],
        empty: false,
        note: String::new(),
    }
}

/// The tables a profile lists, numbered in its order. `None` when the file
/// has no line items (the tables are built from them).
pub fn profile_view(b: &Budget, profile: &Profile) -> Option<TablesView> {
    if b.line_items.is_empty() {
        return None;
    }
    let d = derive(b);
    let tables = profile
        .tables
        .iter()
        .enumerate()
        .map(|(k, spec)| {
            let f = Fmt(table_format(b, profile, spec));
            let number = k + 1;
            match spec.layout {
                Layout::Classified => classified_table(b, spec, number, &f),
                Layout::Ledger => ledger_table(b, spec, number, &f),
                Layout::Figures => figures_table(b, spec, number, &f),
                Layout::Form143 => form143(&d, spec, number, &f, b.document.year),
            }
        })
        .collect();
    Some(TablesView {
        department: b.document.short_name.clone().unwrap_or_else(|| b.document.department.clone()),
        unit: profile.table_format(profile.tables.first()?).unit.label().to_string(),
        tables,
    })
}

/// A table's format: the profile's, with the data file's `table_unit`
/// (元 or 万元) standing in for the profile's default unit.
fn table_format(b: &Budget, profile: &Profile, spec: &TableSpec) -> NumberFormat {
    let mut f = profile.table_format(spec);
    if spec.unit.is_none() {
        if let Some(u) = data_table_unit(b) {
            f.unit = u;
        }
    }
    f
}
