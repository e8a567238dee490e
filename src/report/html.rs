//! 汇总网页：一个自包含、无脚本的无障碍 HTML 文件。表格有标题（caption）、列表头
//! （scope="col"／"colgroup"）与行表头（部门名称，scope="row"），金额右对齐；宽表在
//! 可用键盘聚焦的区域内横向滚动。

use std::fmt::Write as _;

use super::{INCOME, Row, SANGONG, SPENDING, title, totals};
use crate::export::markup::esc;
use crate::model::amount::Amount;

const STYLE: &str = "\
body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff;line-height:1.5}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}\
.scroll{overflow-x:auto;border:1px solid #767676}.scroll:focus{outline:3px solid #1a56b0}\
table{border-collapse:collapse;font-size:.85rem}caption{text-align:left;font-weight:bold;padding:.4rem}\
th,td{border:1px solid #767676;padding:.2rem .4rem;vertical-align:top}\
thead th{background:#eef1f5}tfoot th,tfoot td{font-weight:bold;background:#f4f4f4}\
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tbody th[scope=row],tfoot th[scope=row]{text-align:left;min-width:11em}td.kind,td.file{white-space:nowrap}\
thead th{min-width:3.5em}\
.bad{color:#a00000;font-weight:bold}.draft{color:#6b4e00}";

/// The page.
pub fn page(rows: &[Row]) -> String {
    let t = esc(&title(rows));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{t}</h1>\n"
    );
    overview(&mut out, rows);
    departments(&mut out, rows);
    problems(&mut out, rows);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn overview(out: &mut String, rows: &[Row]) {
    let failed = rows.iter().filter(|r| r.tally.errors > 0).count();
    let drafts = rows.iter().filter(|r| r.tally.todo > 0).count();
    let _ = writeln!(
        out,
        "<p>共 {} 个文件：核对未通过 {failed} 个，草稿（还有待办）{drafts} 个。金额单位：万元。\
         每个问题的文件、行、列见同目录的工作簿 yusuan-report.xlsx“问题清单”。</p>",
        rows.len()
    );
}

fn departments(out: &mut String, rows: &[Row]) {
    out.push_str("<h2 id=\"departments\">各部门汇总</h2>\n");
    out.push_str(
        "<div class=\"scroll\" role=\"region\" aria-labelledby=\"departments\" tabindex=\"0\">\n<table>\n\
         <caption>各部门预算收支、“三公”经费与核对结果（单位：万元）</caption>\n<thead>\n",
    );
    head(out);
    out.push_str("</thead>\n<tbody>\n");
    for r in rows {
        department(out, r);
    }
    out.push_str("</tbody>\n<tfoot>\n");
    total(out, rows);
    out.push_str("</tfoot>\n</table>\n</div>\n");
}

/// Two header rows: groups, then columns.
fn head(out: &mut String) {
    let groups: [(&str, usize); 7] = [
        ("部门", 5),
        ("收入", INCOME.len() + 1),
        ("支出", SPENDING.len()),
        ("财政拨款", 1),
        ("“三公”经费", SANGONG.len()),
        ("机关运行经费", 1),
        ("生成与核对", 7),
    ];
    out.push_str("<tr>");
    for (g, n) in groups {
        let _ = write!(out, "<th scope=\"colgroup\" colspan=\"{n}\">{g}</th>");
    }
    out.push_str("</tr>\n<tr>");
    let mut cols = vec!["部门名称", "部门编码", "文件", "样式", "年度"];
    cols.push("收入合计");
    cols.extend(INCOME);
    cols.extend(SPENDING);
    cols.push("财政拨款收入");
    cols.extend(SANGONG);
    cols.push("机关运行经费");
    cols.extend(["页数", "错误", "警告", "待办", "草稿／正式", "核对结果", "已生成的文件"]);
    for c in cols {
        let _ = write!(out, "<th scope=\"col\">{c}</th>");
    }
    out.push_str("</tr>\n");
}

fn department(out: &mut String, r: &Row) {
    let year = r.year.map(|y| y.to_string()).unwrap_or_default();
    let name = if r.department.is_empty() { "（未能读取）" } else { &r.department };
    let _ = write!(
        out,
        "<tr><th scope=\"row\">{}{}</th><td>{}</td><td class=\"file\">{}</td><td>{}</td><td>{year}</td>",
        esc(name),
        if r.kind == "决算" { "（决算）" } else { "" },
        esc(&r.code),
        esc(&r.file),
        esc(&r.profile)
    );
    match &r.figures {
        Some(f) => f.all().into_iter().for_each(|a| amount(out, a)),
        None => {
            for _ in 0..super::amount_headings().len() {
                out.push_str("<td></td>");
            }
        }
    }
    let pages = r.pages.map(|p| p.to_string()).unwrap_or_default();
    let t = &r.tally;
    let status = if t.errors > 0 { "bad" } else { "" };
    let state = if t.todo > 0 { "draft" } else { "" };
    let _ = writeln!(
        out,
        "<td class=\"n\">{pages}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"{state}\">{}</td><td class=\"{status}\">{}</td><td>{}</td></tr>",
        t.errors,
        t.warnings,
        t.todo,
        r.state(),
        esc(&r.status()),
        esc(&r.outputs.join("、"))
    );
}

fn amount(out: &mut String, a: Amount) {
    let _ = write!(out, "<td class=\"n\">{}</td>", a.fixed());
}

fn total(out: &mut String, rows: &[Row]) {
    let with = rows.iter().filter(|r| r.figures.is_some()).count();
    let _ =
        write!(out, "<tr><th scope=\"row\" colspan=\"5\">全局合计（{with} 个部门的预算数）</th>");
    totals(rows).into_iter().for_each(|a| amount(out, a));
    let pages: usize = rows.iter().filter_map(|r| r.pages).sum();
    let sum = |g: fn(&Row) -> usize| rows.iter().map(g).sum::<usize>();
    let _ = writeln!(
        out,
        "<td class=\"n\">{pages}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td></td><td></td><td></td></tr>",
        sum(|r| r.tally.errors),
        sum(|r| r.tally.warnings),
        sum(|r| r.tally.todo)
    );
}

/// Errors, warnings and notes one a row; open items and stale years are
/// counted per file (the workbook lists them one by one).
fn problems(out: &mut String, rows: &[Row]) {
    out.push_str("<h2 id=\"problems\">错误、警告与提示</h2>\n");
    let own: Vec<&super::Line> = rows
        .iter()
        .flat_map(|r| &r.problems)
        .filter(|l| !matches!(l.kind, "待办" | "旧年度文字" | "草稿"))
        .collect();
    if own.is_empty() {
        out.push_str("<p>没有错误、警告或提示。</p>\n");
    } else {
        problem_table(out, &own);
    }
    let drafts: Vec<String> = rows
        .iter()
        .filter(|r| r.tally.todo > 0)
        .map(|r| format!("{}：{} 项", esc(&r.file), r.tally.todo))
        .collect();
    if !drafts.is_empty() {
        let _ = writeln!(out, "<p>待办（逐项见工作簿“问题清单”）：{}。</p>", drafts.join("；"));
    }
}

fn problem_table(out: &mut String, lines: &[&super::Line]) {
    out.push_str(
        "<div class=\"scroll\" role=\"region\" aria-labelledby=\"problems\" tabindex=\"0\">\n<table>\n\
         <caption>每个问题的位置（文件:行:列）、字段与改法</caption>\n<thead><tr>\
         <th scope=\"col\">位置</th><th scope=\"col\">类别</th><th scope=\"col\">字段</th>\
         <th scope=\"col\">问题</th><th scope=\"col\">应为</th></tr></thead>\n<tbody>\n",
    );
    for l in lines {
        let class = if l.kind == "错误" { " bad" } else { "" };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}:{}:{}</th><td class=\"kind{class}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.file),
            l.line,
            l.column,
            l.kind,
            esc(&l.field),
            esc(&l.message),
            esc(&l.expected)
        );
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}
