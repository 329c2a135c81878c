//! Remote (`http(s)`) references, when a user opts in: fetched once with ureq (rustls) and kept
//! in a cache folder, so that a build is reproducible offline after the first fetch (a cached
//! document is never fetched again; delete the file to refresh it).
//!
//! Off by default everywhere. Turned on by the CLI's `--allow-remote-refs`, a build script's
//! [`Builder::allow_remote_refs`](crate::build::Builder::allow_remote_refs), and, for the macros
//! (which never touch the network otherwise), the environment variable `ASYNCAPI_REMOTE_REFS=1`
//! with the `asyncapi` crate's `remote-refs` feature. The cache is `ASYNCAPI_REMOTE_CACHE`, else
//! `$XDG_CACHE_HOME/asyncapi-rs/remote`, else `$HOME/.cache/asyncapi-rs/remote`.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::workspace::RemoteFetcher;

/// The largest remote document read (16 MiB).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The cache folder: `ASYNCAPI_REMOTE_CACHE`, else `$XDG_CACHE_HOME/asyncapi-rs/remote`, else
/// `$HOME/.cache/asyncapi-rs/remote`, else `asyncapi-rs-remote` in the temporary folder.
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ASYNCAPI_REMOTE_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    match base {
        Some(base) => base.join("asyncapi-rs").join("remote"),
        None => std::env::temp_dir().join("asyncapi-rs-remote"),
    }
}

/// A fetcher that reads `url` from `cache` when it is there, and otherwise fetches it (30 s at
/// most, 16 MiB at most) and stores it there.
pub fn cached_fetcher(cache: PathBuf) -> Arc<RemoteFetcher> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    Arc::new(move |url: &str| {
        let file = cache.join(cache_name(url));
        if let Ok(text) = std::fs::read_to_string(&file) {
            return Ok(text);
        }
        let text = fetch(&agent, url)?;
        store(&file, &text)
            .map_err(|e| format!("fetched, but not cached in `{}`: {e}", file.display()))?;
        Ok(text)
    })
}

fn fetch(agent: &ureq::Agent, url: &str) -> Result<String, String> {
    let response = agent.get(url).call().map_err(|e| e.to_string())?;
    let mut text = String::new();
    response
        .into_body()
        .into_reader()
        .take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("reading the response: {e}"))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(format!("larger than {MAX_BYTES} bytes"));
    }
    Ok(text)
}

/// Writes `text` to `file` through a temporary file, so that a cache entry is whole or absent.
fn store(file: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = file.with_extension(format!("{}.partial", std::process::id()));
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, file)
}

/// The cache file of `url`: a 64-bit FNV-1a hash of the URL, and the URL's last segment for
/// whoever looks into the folder.
fn cache_name(url: &str) -> String {
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let tail: String = url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(40)
        .collect();
    format!("{hash:016x}-{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names_differ_by_url_and_stay_readable() {
        let a = cache_name("https://example.com/schemas/user.yaml");
        let b = cache_name("https://example.org/schemas/user.yaml");
        assert_ne!(a, b);
        assert!(a.ends_with("-user.yaml"), "{a}");
        assert_eq!(a, cache_name("https://example.com/schemas/user.yaml"));
    }
}
