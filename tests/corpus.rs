//! Every document of the shared corpus (real documents written by other projects) loads: cleanly,
//! or, for the few the manifest describes as broken, with exactly the located errors expected.
//!
//! The corpus lives beside the repository in `../shared/corpus` (override with
//! `ASYNCAPI_CORPUS`). Without it these tests fail under CI and say loudly that they did not run
//! elsewhere.

mod common;

use std::path::{Path, PathBuf};

use asyncapi::codegen::diag::Code;
use asyncapi::codegen::model::SpecVersion;
use asyncapi::codegen::{LoadOptions, Loaded, LocalPolicy, load};
use common::{BROKEN, Entry, corpus_dir, is_broken};

fn documents() -> Option<(PathBuf, Vec<Entry>)> {
    let dir = corpus_dir()?;
    let entries = common::documents(&dir);
    Some((dir, entries))
}

fn load_entry(dir: &Path, entry: &Entry) -> Loaded {
    // The corpus is one project: its documents reference each other's files (`../common`).
    load(
        dir.join(&entry.path),
        &LoadOptions::default().with_local(LocalPolicy::Within(dir.to_path_buf())),
    )
}

#[test]
fn every_corpus_document_loads_or_fails_exactly_as_expected() {
    let Some((dir, entries)) = documents() else {
        return;
    };
    assert!(
        entries.len() >= 40,
        "the manifest lists {} documents",
        entries.len()
    );
    let mut failures = Vec::new();
    let mut clean = 0;
    for entry in &entries {
        let loaded = load_entry(&dir, entry);
        let errors: Vec<_> = loaded.diagnostics.errors().collect();
        match BROKEN.iter().find(|(p, _)| *p == entry.path) {
            Some((_, expected)) => {
                let got: Vec<(Code, u32)> = errors
                    .iter()
                    .map(|d| (d.code, d.location.as_ref().map_or(0, |l| l.line)))
                    .collect();
                if got != *expected {
                    failures.push(format!(
                        "{}: expected {expected:?}, got {got:?}",
                        entry.path
                    ));
                }
                // Every error names the file it is in and where the reference is written.
                for d in &errors {
                    let loc = d.location.as_ref().expect("located");
                    assert!(loc.file.ends_with(&entry.path), "{d}");
                    assert!(d.message.contains('`'), "the message names the target: {d}");
                }
            }
            None => {
                if errors.is_empty() && loaded.document.is_some() {
                    clean += 1;
                } else {
                    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
                    failures.push(format!("{}:\n{}", entry.path, text.join("\n")));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(clean + BROKEN.len(), entries.len());
    eprintln!(
        "{clean} corpus documents load cleanly, {} fail as expected",
        BROKEN.len()
    );
}

/// The manifest's `[document; ...; ch=N ops=N msgs=N schemas=N]` counts, as written in the notes.
fn counts(notes: &str) -> Option<[usize; 4]> {
    let start = notes.find("ch=")?;
    let part = &notes[start..notes[start..].find(']')? + start];
    let mut out = [0; 4];
    for (i, key) in ["ch=", "ops=", "msgs=", "schemas="].iter().enumerate() {
        let at = part.find(key)? + key.len();
        out[i] = part[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
    }
    Some(out)
}

#[test]
fn v3_corpus_documents_have_the_channels_operations_messages_and_schemas_the_manifest_counts() {
    let Some((dir, entries)) = documents() else {
        return;
    };
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for entry in entries.iter().filter(|e| e.version.starts_with('3')) {
        if is_broken(&entry.path) {
            continue;
        }
        let Some([ch, ops, msgs, schemas]) = counts(&entry.notes) else {
            continue;
        };
        let doc = load_entry(&dir, entry).document.expect("loads");
        assert!(doc.version >= SpecVersion::V3_0);
        let got = [
            doc.channels.len(),
            doc.operations.len(),
            doc.components.messages.len(),
            doc.components.schemas.len(),
        ];
        if got != [ch, ops, msgs, schemas] {
            mismatches.push(format!(
                "{}: manifest ch/ops/msgs/schemas {:?}, loaded {:?}",
                entry.path,
                [ch, ops, msgs, schemas],
                got
            ));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} documents checked");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn v2_corpus_documents_become_channels_with_operations() {
    let Some((dir, entries)) = documents() else {
        return;
    };
    for entry in entries.iter().filter(|e| e.version.starts_with('2')) {
        if is_broken(&entry.path) {
            continue;
        }
        let Some([ch, _, _, _]) = counts(&entry.notes) else {
            continue;
        };
        let doc = load_entry(&dir, entry).document.expect("loads");
        assert!(doc.version.is_v2());
        assert_eq!(doc.channels.len(), ch, "{}", entry.path);
        for (key, id) in &doc.channels {
            let channel = &doc[*id];
            assert_eq!(channel.address.as_deref(), Some(key.as_str()));
        }
        // Every 2.x operation became a send or receive on its channel, with its messages.
        for &op in doc.operations.values() {
            let op = &doc[op];
            assert!(op.v2_kind.is_some());
            for m in &op.messages {
                assert!(
                    doc[op.channel].messages.values().any(|x| x == m),
                    "{}",
                    entry.path
                );
            }
        }
    }
}
