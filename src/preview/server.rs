//! HTTP 服务：只在 127.0.0.1 上监听，只提供预览自己的几个地址，从不按路径读盘。
//!
//! | 地址 | 内容 |
//! |---|---|
//! | `/` | 预览页（page.html） |
//! | `/status` | 当前版本的 JSON：版本号、是否成功、错误与警告、各页的内容键 |
//! | `/events` | server-sent events：每个新版本发一次版本号 |
//! | `/document.pdf` | 最近一次成功排版的 PDF（页面先显示，PDF 随后写出，请求会等它） |
//! | `/page/N.svg` | 最近一次成功排版的第 N 页（读者正在看的一页先画，其余随后，请求会等它） |
//! | `/document.html` | 最近一次成功排版的网页版（有新版本时自动重新载入） |
//! | `/view?page=N` | 预览页报告读者正在看第 N 页：改动后先画这一页 |

use std::io::{self, Cursor, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use crate::error::Error;
use crate::preview::state::{PageImage, Render, Shared, Snapshot};

const PAGE: &str = include_str!("page.html");

/// An event stream sends a comment this often when nothing happens, so a
/// closed tab is noticed and its thread ends.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Longer than any PDF export; only a stuck export would reach it.
const PDF_WAIT: Duration = Duration::from_secs(60);

/// Longer than drawing any page or making the web page.
const PAGE_WAIT: Duration = Duration::from_secs(30);

type Reply = Response<Cursor<Arc<[u8]>>>;

/// Listens on 127.0.0.1:`port` (0: any free port) and serves `shared`
/// from a background thread. Returns the address actually bound.
pub fn start(port: u16, shared: Arc<Shared>) -> Result<SocketAddr, Error> {
    let server = Server::http((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
        Error::Preview(format!(
            "无法在 127.0.0.1:{port} 上监听（{e}）；可用 --port 换一个端口，--port 0 表示任选空闲端口"
        ))
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Error::Preview("监听地址不是 TCP 地址".to_string()))?;
    std::thread::Builder::new()
        .name("preview-http".into())
        .spawn(move || {
            for request in server.incoming_requests() {
                respond(request, &shared, addr.port());
            }
        })
        .map_err(|e| Error::Preview(format!("无法启动 HTTP 线程：{e}")))?;
    Ok(addr)
}

fn respond(request: Request, shared: &Arc<Shared>, port: u16) {
    let refusal = if !host_allowed(&request, port) {
        Some(text(403, "只接受发往 127.0.0.1 或 localhost 的请求"))
    } else if !matches!(request.method(), Method::Get | Method::Head) {
        Some(text(405, "只支持 GET"))
    } else {
        None
    };
    // Send errors mean the client went away; there is no one to tell.
    if let Some(reply) = refusal {
        let _ = request.respond(reply);
        return;
    }
    let path = request.url().split(['?', '#']).next().unwrap_or_default().to_string();
    match path.as_str() {
        // Each stream blocks for as long as the tab is open.
        "/events" => {
            let shared = shared.clone();
            std::thread::spawn(move || stream_events(request, &shared));
        }
        // The PDF may still be being written; other requests need not wait.
        "/document.pdf" => {
            let shared = shared.clone();
            std::thread::spawn(move || request.respond(pdf(&shared)));
        }
        "/view" => {
            let answer = view(request.url(), shared);
            let _ = request.respond(answer);
        }
        _ => {
            let snap = shared.get();
            // A page or web page still being made is waited for on a
            // thread of its own.
            if ready(&path, &snap) {
                let _ = request.respond(route(&path, &snap));
            } else {
                std::thread::spawn(move || request.respond(route(&path, &snap)));
            }
        }
    }
}

/// Whether `route` can answer `path` without waiting.
fn ready(path: &str, snap: &Snapshot) -> bool {
    let Some(render) = &snap.render else { return true };
    match path {
        "/document.html" => render.html.is_filled(),
        _ => page_image(path, snap).is_none_or(|p| p.svg.is_filled()),
    }
}

/// `/view?page=N`: the page the reader looks at.
fn view(url: &str, shared: &Shared) -> Reply {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let page = query.split('&').find_map(|kv| kv.strip_prefix("page=")?.parse::<usize>().ok());
    match page {
        Some(n) if n >= 1 => {
            shared.set_viewing(n);
            reply(204, "text/plain; charset=utf-8", Arc::from(&b""[..]))
        }
        _ => text(400, "应为 /view?page=页码"),
    }
}

/// Refuses requests addressed to another host name. A web page elsewhere
/// could otherwise point its own name at 127.0.0.1 (DNS rebinding) and read
/// the budget through the victim's browser. Requests without a Host header
/// (HTTP/1.0 tools) are not from a browser and are let through.
fn host_allowed(request: &Request, port: u16) -> bool {
    let Some(host) = request.headers().iter().find(|h| h.field.equiv("Host")) else {
        return true;
    };
    let host = host.value.as_str();
    let name = host.strip_suffix(&format!(":{port}")).unwrap_or(if port == 80 { host } else { "" });
    matches!(name, "127.0.0.1" | "localhost")
}

fn route(path: &str, snap: &Snapshot) -> Reply {
    match path {
        "/" | "/index.html" => ok("text/html; charset=utf-8", PAGE.as_bytes()),
        "/status" => ok("application/json", snap.status_json()),
        "/document.html" => match &snap.render {
            Some(render) => match live_page(render) {
                Some(page) => ok("text/html; charset=utf-8", page.into_bytes()),
                None => text(503, &format!("第 {} 版的网页版未能生成", render.revision)),
            },
            None => text(503, "还没有排版成功的版本"),
        },
        // The page's own Chinese text falls back to this bundled face.
        "/font/ui.otf" => match crate::typeset::fonts::bundled("FandolHei-Regular.otf") {
            Some(data) => ok("font/otf", data),
            None => text(404, "没有这个地址"),
        },
        _ => page(path, snap).unwrap_or_else(|| text(404, "没有这个地址")),
    }
}

/// The web page as `build --html` writes it, plus what only the preview
/// needs: a script that reloads it when a newer render is on show, keeping
/// the scroll position. The written file has no script.
fn live_page(render: &Render) -> Option<String> {
    let script = format!(
        "<script>\n(() => {{\n  const shown = {};\n{LIVE}}})();\n</script>\n</body>",
        render.revision
    );
    let html = render.html.wait(PAGE_WAIT)?;
    Some(String::from_utf8_lossy(&html).replacen("</body>", &script, 1))
}

const LIVE: &str = r#"  const y = sessionStorage.getItem("yusuan-scroll");
  if (y !== null) {
    sessionStorage.removeItem("yusuan-scroll");
    addEventListener("load", () => scrollTo(0, +y));
  }
  new EventSource("/events").onmessage = async () => {
    const s = await (await fetch("/status", { cache: "no-store" })).json();
    if (s.rendered > shown) {
      sessionStorage.setItem("yusuan-scroll", String(scrollY));
      location.reload();
    }
  };
"#;

/// The current snapshot; before the first revision is published, waits
/// for it, as a request for the PDF waits for a later one's export.
fn first_render(shared: &Shared) -> Arc<Snapshot> {
    let snap = shared.get();
    if snap.revision > 0 {
        return snap;
    }
    shared.wait_newer(0, PDF_WAIT)
}

/// The PDF of the render on show, once written; when a newer build began
/// before it was exported, that build's.
fn pdf(shared: &Shared) -> Reply {
    let mut snap = first_render(shared);
    loop {
        let Some(render) = &snap.render else {
            return text(503, "还没有排版成功的版本");
        };
        if let Some(pdf) = render.pdf.wait(PDF_WAIT) {
            return ok("application/pdf", pdf);
        }
        if !render.pdf_superseded.load(std::sync::atomic::Ordering::Relaxed) {
            return text(503, &format!("第 {} 版的 PDF 未能导出，错误见预览页", render.revision));
        }
        let seen = snap.revision.max(render.revision);
        snap = shared.wait_newer(seen, PDF_WAIT);
        if snap.revision <= seen {
            return text(503, "PDF 尚未导出，请稍后再试");
        }
    }
}

/// `/page/N.svg`, N counted from 1, once drawn.
fn page(path: &str, snap: &Snapshot) -> Option<Reply> {
    let image = page_image(path, snap)?;
    Some(match image.svg.wait(PAGE_WAIT) {
        Some(svg) => ok("image/svg+xml", svg),
        None => text(503, "这一页未能画出，错误见预览页"),
    })
}

fn page_image<'a>(path: &str, snap: &'a Snapshot) -> Option<&'a Arc<PageImage>> {
    let n: usize = path.strip_prefix("/page/")?.strip_suffix(".svg")?.parse().ok()?;
    snap.render.as_ref()?.pages.get(n.checked_sub(1)?)
}

fn ok(mime: &str, body: impl Into<Arc<[u8]>>) -> Reply {
    reply(200, mime, body.into())
}

fn text(status: u16, message: &str) -> Reply {
    reply(status, "text/plain; charset=utf-8", format!("{message}\n").into_bytes().into())
}

/// Every answer describes the current revision, so none may be cached.
fn reply(status: u16, mime: &str, body: Arc<[u8]>) -> Reply {
    let len = body.len();
    let headers = [
        ("Content-Type", mime),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    let headers = headers
        .iter()
        .filter_map(|(k, v)| Header::from_bytes(k.as_bytes(), v.as_bytes()).ok())
        .collect();
    // With its length known, send it: tiny_http would otherwise switch a
    // body over 32 KiB (any PDF) to chunked encoding.
    Response::new(StatusCode(status), headers, Cursor::new(body), Some(len), None)
        .with_chunked_threshold(usize::MAX)
}

/// Sends the current revision at once, then each new one.
fn stream_events(request: Request, shared: &Shared) -> io::Result<()> {
    let mut out = request.into_writer();
    // Written by hand: tiny_http would answer with chunked encoding and
    // hold the small events back in its chunk buffer.
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n",
    )?;
    out.flush()?;
    let mut seen = 0;
    loop {
        let snap = shared.wait_newer(seen, KEEPALIVE);
        if snap.revision > seen {
            seen = snap.revision;
            write!(out, "data: {seen}\n\n")?;
        } else {
            // Writing to a closed tab fails, which ends this thread.
            out.write_all(b": keep-alive\n\n")?;
        }
        out.flush()?;
    }
}
