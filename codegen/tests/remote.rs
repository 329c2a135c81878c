//! Remote references, behind an explicit opt-in: refused with a located error by default;
//! followed when allowed, against an HTTP server of the test's own on loopback; and served from
//! the cache once that server is gone, so that a build is reproducible offline after the first
//! fetch.

#![cfg(feature = "remote")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use asyncapi_rs_codegen::diag::Code;
use asyncapi_rs_codegen::{LoadOptions, load_str};

const SCHEMAS: &str =
    "Point:\n  type: object\n  required: [x]\n  properties:\n    x: {type: number}\n";

/// An HTTP server on a free loopback port that serves `SCHEMAS` at every path, counting the
/// requests, until `stop` is set (then it answers nobody).
struct Server {
    port: u16,
    served: Arc<AtomicUsize>,
    listener: Option<std::thread::JoinHandle<()>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let served = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (count, stopped) = (served.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                // The request line and headers, up to the empty line.
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if line == "\r\n" {
                        break;
                    }
                    line.clear();
                }
                count.fetch_add(1, Ordering::SeqCst);
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{SCHEMAS}",
                    SCHEMAS.len()
                );
            }
        });
        Server {
            port,
            served,
            listener: Some(handle),
            stop,
        }
    }

    /// Stops answering: the next connection ends the thread, and later ones are refused.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.listener.take() {
            let _ = h.join();
        }
    }
}

fn document(port: u16) -> String {
    format!(
        "asyncapi: 3.0.0\ninfo: {{title: remote, version: 1.0.0}}\nchannels:\n  points:\n    address: points\n    messages:\n      point:\n        payload:\n          $ref: 'http://127.0.0.1:{port}/schemas.yaml#/Point'\n"
    )
}

#[test]
fn remote_references_are_refused_unless_allowed_then_fetched_once_and_cached() {
    let mut server = Server::start();
    let text = document(server.port);
    let cache =
        std::env::temp_dir().join(format!("asyncapi-rs-remote-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);

    // Off by default: a located error that says how to allow it.
    let refused = load_str("doc.yaml", &text, &LoadOptions::default());
    let error = refused
        .diagnostics
        .iter()
        .find(|d| d.code == Code::RemoteRef)
        .expect("a remote-reference error");
    let location = error.location.as_ref().expect("located");
    assert_eq!((location.line, location.column), (9, 17), "{error}");
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("--allow-remote-refs")),
        "{error}"
    );
    assert_eq!(server.served.load(Ordering::SeqCst), 0, "nothing fetched");

    // Allowed: fetched once.
    let allowed = LoadOptions::default().with_remote_cache(&cache);
    let (doc, _) = load_str("doc.yaml", &text, &allowed)
        .into_result()
        .unwrap_or_else(|d| panic!("loads: {d:?}"));
    assert!(
        doc.schemas().any(|(_, s)| s.required == ["x"]),
        "the remote schema is read"
    );
    assert_eq!(server.served.load(Ordering::SeqCst), 1);

    // The server is gone: the cache serves the document.
    server.stop();
    let (_, diagnostics) = load_str("doc.yaml", &text, &allowed)
        .into_result()
        .unwrap_or_else(|d| panic!("loads offline from the cache: {d:?}"));
    assert!(diagnostics.errors().next().is_none());
    assert_eq!(server.served.load(Ordering::SeqCst), 1, "not fetched again");

    // Without the cache, the failure to fetch is an error at the reference.
    let empty = cache.join("elsewhere");
    let failed = load_str(
        "doc.yaml",
        &text,
        &LoadOptions::default().with_remote_cache(&empty),
    );
    assert!(failed.diagnostics.errors().next().is_some());
    let _ = std::fs::remove_dir_all(&cache);
}
