//! The loader stays in its folder: a `$ref` that leaves the folder references may reach (the
//! document's, the crate's, or one given) is an error that reads nothing, unless the caller
//! allows references anywhere; only regular files are read, and never more than the size limit.

use std::path::{Path, PathBuf};

use asyncapi_rs_codegen::parse::Limits;
use asyncapi_rs_codegen::{LoadOptions, LocalPolicy, load};

/// A fresh folder under the test's temporary directory.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("confinement-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

fn document(reference: &str) -> String {
    format!(
        "asyncapi: 3.0.0
info: {{title: Confined, version: '1'}}
channels:
  secrets:
    address: secrets
    messages:
      leaked:
        payload:
          $ref: '{reference}'
"
    )
}

/// Every message of the errors of loading `root` with `options`.
fn errors(root: &Path, options: &LoadOptions) -> Vec<String> {
    load(root, options)
        .diagnostics
        .errors()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn a_reference_out_of_the_documents_folder_reads_nothing() {
    let dir = folder("out");
    let secret = dir.join("secret.yaml");
    // Not a document: its text must show nowhere.
    std::fs::write(&secret, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    let root = project.join("asyncapi.yaml");
    std::fs::write(&root, document("../secret.yaml")).unwrap();

    let refused = errors(&root, &LoadOptions::default());
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("outside") && refused[0].contains("references_anywhere"),
        "the error says why and how to allow it: {}",
        refused[0]
    );
    assert!(!refused[0].contains("root:x"), "{}", refused[0]);

    // A folder given explicitly that holds the file: allowed.
    let within = LoadOptions::default().with_local(LocalPolicy::Within(dir.clone()));
    let allowed = errors(&root, &within);
    assert!(
        allowed.iter().all(|e| !e.contains("outside")),
        "{allowed:?}"
    );
    // Anywhere, by choice: read (it is no schema, and its text still shows nowhere).
    let anywhere = LoadOptions::default().with_local(LocalPolicy::Anywhere);
    let read = errors(&root, &anywhere);
    assert!(read.iter().all(|e| !e.contains("outside")), "{read:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_symbolic_link_out_of_the_folder_is_outside_too() {
    let dir = folder("link");
    let secret = dir.join("secret.yaml");
    std::fs::write(&secret, "type: string\n").unwrap();
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, project.join("inside.yaml")).unwrap();
        let root = project.join("asyncapi.yaml");
        std::fs::write(&root, document("inside.yaml")).unwrap();
        let refused = errors(&root, &LoadOptions::default());
        assert!(
            refused.iter().any(|e| e.contains("outside")),
            "a link that leads out is followed to where it leads: {refused:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn only_regular_files_and_never_more_than_the_limit() {
    let dir = folder("files");
    let root = dir.join("asyncapi.yaml");
    let anywhere = LoadOptions::default().with_local(LocalPolicy::Anywhere);
    #[cfg(unix)]
    {
        // A device: endless bytes. It is refused before anything is read.
        std::fs::write(&root, document("/dev/zero")).unwrap();
        let refused = errors(&root, &anywhere);
        assert!(
            refused.iter().any(|e| e.contains("not a regular file")),
            "{refused:?}"
        );
        // A named pipe with no writer: refused, not waited on.
        let fifo = dir.join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            std::fs::write(&root, document("pipe.yaml")).unwrap();
            let refused = errors(&root, &LoadOptions::default());
            assert!(
                refused.iter().any(|e| e.contains("not a regular file")),
                "{refused:?}"
            );
        }
    }
    // A file over the limit is refused (the reader stops at the limit).
    std::fs::write(
        dir.join("big.yaml"),
        format!("type: string\ndescription: '{}'\n", "x".repeat(4096)),
    )
    .unwrap();
    std::fs::write(&root, document("big.yaml")).unwrap();
    let small = LoadOptions::default().with_limits(Limits {
        max_file_bytes: 2048,
        ..Limits::default()
    });
    let refused = errors(&root, &small);
    assert!(
        refused.iter().any(|e| e.contains("larger than 2048 bytes")),
        "{refused:?}"
    );
    assert!(errors(&root, &LoadOptions::default()).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
