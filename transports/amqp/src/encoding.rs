//! The message binding's `contentEncoding`, applied: a payload sent with `gzip` or `deflate` is
//! compressed, and one received with either is decompressed, so that what travels is what the
//! property says. Other values (`identity`, or a label a document uses for something else) are
//! carried as the property alone.

use std::io::{Read, Write};

use bytes::Bytes;
use flate2::Compression;
use flate2::read::{GzDecoder, ZlibDecoder};
use flate2::write::{GzEncoder, ZlibEncoder};

/// The most a received payload may grow to when decompressed (RabbitMQ's own limit on a
/// message): a larger one is refused rather than filling memory.
pub(crate) const MAX_DECODED: u64 = 128 * 1024 * 1024;

/// The compressions this transport applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    /// `gzip` (RFC 1952), also `x-gzip`.
    Gzip,
    /// `deflate` as HTTP means it: zlib (RFC 1950).
    Deflate,
}

fn coding(encoding: &str) -> Option<Coding> {
    let encoding = encoding.trim();
    if encoding.eq_ignore_ascii_case("gzip") || encoding.eq_ignore_ascii_case("x-gzip") {
        Some(Coding::Gzip)
    } else if encoding.eq_ignore_ascii_case("deflate") {
        Some(Coding::Deflate)
    } else {
        None
    }
}

/// `payload` compressed as `encoding` says, or as it is when the encoding is not a compression.
pub(crate) fn encode(encoding: &str, payload: &Bytes) -> std::io::Result<Bytes> {
    let compressed = match coding(encoding) {
        None => return Ok(payload.clone()),
        Some(Coding::Gzip) => {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(payload)?;
            encoder.finish()?
        }
        Some(Coding::Deflate) => {
            let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(payload)?;
            encoder.finish()?
        }
    };
    Ok(Bytes::from(compressed))
}

/// `payload` decompressed as `encoding` says (`None` when the encoding is not a compression).
pub(crate) fn decode(encoding: &str, payload: &[u8]) -> Option<std::io::Result<Vec<u8>>> {
    let reader: Box<dyn Read + '_> = match coding(encoding)? {
        Coding::Gzip => Box::new(GzDecoder::new(payload)),
        Coding::Deflate => Box::new(ZlibDecoder::new(payload)),
    };
    let mut out = Vec::new();
    Some(
        reader
            .take(MAX_DECODED + 1)
            .read_to_end(&mut out)
            .and_then(|n| {
                if n as u64 > MAX_DECODED {
                    Err(std::io::Error::other(format!(
                        "more than {MAX_DECODED} bytes once decompressed"
                    )))
                } else {
                    Ok(out)
                }
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressions_round_trip_and_other_labels_pass_through() {
        let payload = Bytes::from_static(br#"{"prop1":"option1"}"#);
        for encoding in ["gzip", "GZIP", "x-gzip", "deflate"] {
            let sent = encode(encoding, &payload).unwrap();
            assert_ne!(sent, payload, "{encoding} compresses");
            assert_eq!(decode(encoding, &sent).unwrap().unwrap(), payload.to_vec());
        }
        assert_eq!(&encode("gzip", &payload).unwrap()[..2], &[0x1f, 0x8b]);
        for label in ["identity", "utf-8", ""] {
            assert_eq!(encode(label, &payload).unwrap(), payload);
            assert!(decode(label, &payload).is_none());
        }
        assert!(decode("gzip", b"not gzip").unwrap().is_err());
    }
}
