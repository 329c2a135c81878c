//! `asyncapi`: the command-line face of the asyncapi-rs generator.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use asyncapi_rs_codegen::emit::api::emit_api;
use asyncapi_rs_codegen::emit::{EmitOptions, Perspective, emit_types, format_file};
use asyncapi_rs_codegen::types::TypeSpace;
use asyncapi_rs_codegen::{Diagnostic, LoadOptions, Severity, load};
use clap::{Parser, Subcommand, ValueEnum};

/// Typed Rust from AsyncAPI documents.
#[derive(Parser)]
#[command(name = "asyncapi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Loads a document and everything it references, and reports every problem with its file,
    /// line and column. Exits with status 1 when there are errors.
    Check {
        /// The AsyncAPI document (YAML or JSON).
        document: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also exit with status 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
        #[command(flatten)]
        remote: Remote,
    },
    /// Prints the Rust code generated for a document, formatted: exactly what
    /// `asyncapi::include_spec!` expands to. The code compiles in a crate whose only dependency
    /// is `asyncapi`.
    Generate {
        /// The AsyncAPI document (YAML or JSON).
        document: PathBuf,
        /// The path of the `asyncapi` facade crate in the generated code.
        #[arg(long, default_value = "::asyncapi")]
        crate_path: String,
        /// Whose side the operations are written from.
        #[arg(long, value_enum, default_value_t = Side::Application)]
        perspective: Side,
        /// Only these operations (comma-separated keys).
        #[arg(long, value_delimiter = ',')]
        operations: Option<Vec<String>>,
        /// Only the types of the schemas (the `models` module's content).
        #[arg(long)]
        types_only: bool,
        #[command(flatten)]
        remote: Remote,
    },
    /// Lists the built-in transports: the protocol keys (and versions) each speaks, its cargo
    /// feature of the `asyncapi` crate, the library it is built on, the bindings it applies, the
    /// security schemes it accepts, and whether it is brokered, brokerless or connectionless.
    Implementations {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// Remote (`http(s)`) references: refused unless allowed; local ones inside the document's
/// folder unless allowed anywhere.
#[derive(clap::Args)]
struct Remote {
    /// Let `$ref`s reach local files outside the document's folder (by default a reference
    /// that leaves it, `../../etc/passwd` or an absolute path elsewhere, is an error that reads
    /// nothing).
    #[arg(long)]
    references_anywhere: bool,
    /// Follow `http(s)` references: each remote document is fetched once and cached, so that
    /// later runs work offline.
    #[arg(long)]
    allow_remote_refs: bool,
    /// Where fetched documents are cached (default: `ASYNCAPI_REMOTE_CACHE`, else
    /// `$XDG_CACHE_HOME/asyncapi-rs/remote`, else `~/.cache/asyncapi-rs/remote`).
    #[arg(long, requires = "allow_remote_refs")]
    remote_cache: Option<PathBuf>,
}

impl Remote {
    fn load_options(&self) -> LoadOptions {
        let options = match (&self.remote_cache, self.allow_remote_refs) {
            (Some(dir), true) => LoadOptions::default().with_remote_cache(dir),
            (None, allow) => LoadOptions::default().allowing_remote(allow),
            (Some(_), false) => LoadOptions::default(),
        };
        if self.references_anywhere {
            options.with_local(asyncapi_rs_codegen::LocalPolicy::Anywhere)
        } else {
            options
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Side {
    /// The application the document describes.
    Application,
    /// Its counterpart: `send` and `receive` swapped.
    Client,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style lines: `path:line:col: error: message`.
    Human,
    /// One JSON object with every diagnostic.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            document,
            format,
            deny_warnings,
            remote,
        } => check(&document, format, deny_warnings, &remote.load_options()),
        Command::Generate {
            document,
            crate_path,
            perspective,
            operations,
            types_only,
            remote,
        } => {
            let options = EmitOptions {
                crate_path,
                perspective: match perspective {
                    Side::Application => Perspective::Application,
                    Side::Client => Perspective::Client,
                },
                operations,
            };
            generate(&document, &options, types_only, &remote.load_options())
        }
        Command::Implementations { format } => implementations(format),
    }
}

/// `asyncapi implementations`: the registry's descriptors, as a table or as JSON.
fn implementations(format: Format) -> ExitCode {
    let registry = asyncapi::transport::registry();
    let text = match format {
        Format::Json => match serde_json::to_string_pretty(registry.descriptors()) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
        Format::Human => {
            let mut out = String::new();
            for d in registry.descriptors() {
                let protocols: Vec<String> = d
                    .protocols
                    .iter()
                    .map(|p| match (p.versions, p.unversioned) {
                        ([], _) => p.key.to_owned(),
                        (versions, true) => {
                            format!("{} {} (also unversioned)", p.key, versions.join("/"))
                        }
                        (versions, false) => format!("{} {}", p.key, versions.join("/")),
                    })
                    .collect();
                out.push_str(&format!(
                    "{}\n  protocols: {}\n  feature:   {}\n  library:   {} {}\n  kind:      {}\n  bindings:  {}\n  security:  {}\n  groups:    {}\n\n",
                    d.name,
                    protocols.join(", "),
                    d.feature.unwrap_or("-"),
                    d.library,
                    d.library_version,
                    d.kind,
                    d.bindings.join(", "),
                    d.security.join(", "),
                    d.groups
                        .unwrap_or("none (a subscription in a consumer group is refused)"),
                ));
            }
            out
        }
    };
    match io::stdout().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

fn check(
    document: &PathBuf,
    format: Format,
    deny_warnings: bool,
    load_options: &LoadOptions,
) -> ExitCode {
    let loaded = load(document, load_options);
    let count = |s: Severity| {
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    let mut out = io::stdout().lock();
    let written = match format {
        Format::Human => {
            let mut result = Ok(());
            for diagnostic in &loaded.diagnostics {
                result = result.and_then(|()| writeln!(out, "{}\n", render(diagnostic)));
            }
            result.and_then(|()| {
                writeln!(
                    out,
                    "{}: {errors} error{}, {warnings} warning{}, {notes} note{} in {} file{}",
                    document.display(),
                    plural(errors),
                    plural(warnings),
                    plural(notes),
                    loaded.files.len(),
                    plural(loaded.files.len())
                )
            })
        }
        Format::Json => {
            let value = serde_json::json!({
                "document": document,
                "errors": errors,
                "warnings": warnings,
                "notes": notes,
                "files": loaded.files,
                "diagnostics": loaded.diagnostics,
            });
            writeln!(out, "{value:#}")
        }
    };
    if written.is_err() {
        return ExitCode::from(2);
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(
    document: &PathBuf,
    options: &EmitOptions,
    types_only: bool,
    load_options: &LoadOptions,
) -> ExitCode {
    let loaded = load(document, load_options);
    match loaded.into_result() {
        Ok((doc, warnings)) => {
            for warning in &warnings {
                eprintln!("{}\n", render(warning));
            }
            let space = TypeSpace::build(&doc);
            let tokens = if types_only {
                emit_types(&space, options)
            } else {
                emit_api(&doc, &space, options)
            };
            let mut out = io::stdout().lock();
            match write!(out, "{}", format_file(&tokens)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(2),
            }
        }
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                eprintln!("{}\n", render(diagnostic));
            }
            ExitCode::FAILURE
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Line `number` of `file`, when the file is a document (a regular `.yaml`, `.yml`, `.json` or
/// `.avsc` file within the loader's size limit): a diagnostic never shows the content of a file
/// that is not one (a `$ref` to `/etc/passwd`, allowed with `--references-anywhere`, is
/// reported without it).
fn source_line(file: &std::path::Path, number: u32) -> Option<String> {
    let document = file.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "yaml" | "yml" | "json" | "avsc"
        )
    });
    let meta = std::fs::metadata(file).ok()?;
    let limit = asyncapi_rs_codegen::parse::Limits::default().max_file_bytes;
    if !document || !meta.is_file() || meta.len() > limit as u64 {
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .nth(number.saturating_sub(1) as usize)
        .map(str::to_owned)
}

/// The diagnostic as rustc prints its own, with the source line and a caret under the column.
fn render(diagnostic: &Diagnostic) -> String {
    let mut text = diagnostic.to_string();
    if let Some(loc) = &diagnostic.location
        && let Some(line) = source_line(&loc.file, loc.line)
    {
        let gutter = loc.line.to_string().len();
        let pad = " ".repeat(gutter);
        let caret_pad: String = line
            .chars()
            .take(loc.column.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let snippet = format!("\n{pad} |\n{} | {line}\n{pad} | {caret_pad}^", loc.line);
        // Put the snippet right after the first line.
        match text.find('\n') {
            Some(i) => text.insert_str(i, &snippet),
            None => text.push_str(&snippet),
        }
    }
    text
}
