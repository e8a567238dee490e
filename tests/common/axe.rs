//! axe-core in Debian's headless Chromium: the accessibility checker of every
//! web page yusuan writes (the document, the correction notice, the batch
//! report). `.ci/run` installs both; elsewhere run `npm ci` in tests/browser/.

use std::fs;
use std::process::Command;

use serde_json::Value;

use super::root;

fn chromium() -> String {
    std::env::var("YUSUAN_CHROMIUM").unwrap_or_else(|_| "chromium".to_string())
}

fn axe_source() -> String {
    let path = root().join("tests/browser/node_modules/axe-core/axe.min.js");
    fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("axe-core 未安装：在 tests/browser/ 下运行 npm ci（{} 不存在）", path.display())
    })
}

/// Runs axe on the page's DOM once it has loaded and writes the result into
/// the page, where `--dump-dom` reads it back.
const RUN_AXE: &str = r#"
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
  .then(r => report({
    violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(' ')) })),
    passes: r.passes.map(p => p.id),
    incomplete: r.incomplete.map(v => v.id),
  }), e => report({ error: String(e) }));
function report(result) {
  const pre = document.createElement('pre');
  pre.id = 'axe-results';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
}
"#;

/// axe's result for `page` at a window `width` pixels wide.
pub fn axe(page: &str, width: u32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let scripts = format!(
        "<script>{}</script>\n<script>{RUN_AXE}</script>\n</body>",
        axe_source().replace("</script", "<\\/script")
    );
    assert!(page.contains("</body>"));
    let file = dir.path().join("page.html");
    fs::write(&file, page.replacen("</body>", &scripts, 1)).unwrap();
    let out = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        .args(["--no-first-run", "--virtual-time-budget=60000", "--dump-dom"])
        .arg(format!("--window-size={width},900"))
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap_or_else(|e| {
            panic!("无法运行 Chromium（{}）：{e}；Debian 上 apt-get install chromium", chromium())
        });
    let dom = String::from_utf8_lossy(&out.stdout);
    let Some(json) =
        dom.split("<pre id=\"axe-results\">").nth(1).and_then(|s| s.split("</pre>").next())
    else {
        panic!("axe did not report; Chromium said:\n{}", String::from_utf8_lossy(&out.stderr));
    };
    let json = json
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let result: Value = serde_json::from_str(&json).expect("axe's result is JSON");
    assert!(result.get("error").is_none(), "axe failed: {result}");
    result
}

pub fn violations(result: &Value) -> &Vec<Value> {
    result["violations"].as_array().expect("axe lists violations")
}
