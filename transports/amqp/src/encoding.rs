//! The message binding's `contentEncoding`, applied: a payload sent with `gzip` or `deflate` is
//! compressed, and one received with either is decompressed, so that what travels is what the
//! property says. Other values (`identity`, or a label a document uses for something else) are
//! carried as the property alone.

use std::io::{Read, Write};

use bytes::Bytes;
use flate2::Compression;
use flate2::read::{GzDecoder, ZlibDecoder};
use flate2::write::{GzEncoder, ZlibEncoder};

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

/// `payload` decompressed as `encoding` says (`None` when the encoding is not a compression),
/// refused past `largest` bytes rather than filling memory.
pub(crate) fn decode(
    encoding: &str,
    payload: &[u8],
    largest: usize,
) -> Option<std::io::Result<Vec<u8>>> {
    let largest = largest as u64;
    let reader: Box<dyn Read + '_> = match coding(encoding)? {
        Coding::Gzip => Box::new(GzDecoder::new(payload)),
        Coding::Deflate => Box::new(ZlibDecoder::new(payload)),
    };
    let mut out = Vec::new();
    Some(
        reader
            .take(largest + 1)
            .read_to_end(&mut out)
            .and_then(|n| {
                if n as u64 > largest {
                    Err(std::io::Error::other(format!(
                        "more than {largest} bytes once decompressed (AmqpOptions::max_message_size)"
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
            assert_eq!(
                decode(encoding, &sent, 1 << 20).unwrap().unwrap(),
                payload.to_vec()
            );
        }
        assert_eq!(&encode("gzip", &payload).unwrap()[..2], &[0x1f, 0x8b]);
        for label in ["identity", "utf-8", ""] {
            assert_eq!(encode(label, &payload).unwrap(), payload);
            assert!(decode(label, &payload, 1 << 20).is_none());
        }
        assert!(decode("gzip", b"not gzip", 1 << 20).unwrap().is_err());
        // 8 MiB of zeros, a few kilobytes compressed, refused past the 1 MiB asked for.
        let bomb = encode("gzip", &Bytes::from(vec![0u8; 8 << 20])).unwrap();
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        let refused = decode("gzip", &bomb, 1 << 20).unwrap().unwrap_err();
        assert!(
            refused.to_string().contains("more than 1048576 bytes"),
            "{refused}"
        );
    }
}
