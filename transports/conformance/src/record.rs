//! A process-wide `tracing` subscriber that writes down everything, at every level and from
//! every target (the transports' and their libraries'), for the scenario that looks for secrets
//! in log lines. Process-wide, because tracing decides once per call site whether anyone
//! listens, and a transport logs from tasks on any thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// The most lines kept; older ones are forgotten (a scenario reads what was written after it
/// began, long before that).
const KEPT: usize = 200_000;
/// The longest line kept, in bytes (a payload logged whole is cut).
const WIDEST: usize = 4096;

struct Lines {
    /// `(sequence number, line)`.
    lines: std::collections::VecDeque<(u64, String)>,
}

static LINES: Mutex<Lines> = Mutex::new(Lines {
    lines: std::collections::VecDeque::new(),
});
static SEQUENCE: AtomicU64 = AtomicU64::new(0);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the recorder as the global default, once; `false` when another global subscriber
/// was there first (the secrets scenario then says it cannot look at log lines).
pub(crate) fn install() -> bool {
    *INSTALLED.get_or_init(|| tracing::subscriber::set_global_default(Recorder::default()).is_ok())
}

/// Where the log stands now, for [`since`].
pub(crate) fn mark() -> u64 {
    SEQUENCE.load(Ordering::SeqCst)
}

/// Every line written after `mark`.
pub(crate) fn since(mark: u64) -> Vec<String> {
    let lines = LINES.lock().unwrap_or_else(|e| e.into_inner());
    lines
        .lines
        .iter()
        .filter(|(n, _)| *n >= mark)
        .map(|(_, l)| l.clone())
        .collect()
}

fn write(mut line: String) {
    if line.len() > WIDEST {
        let mut end = WIDEST;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        line.truncate(end);
    }
    let n = SEQUENCE.fetch_add(1, Ordering::SeqCst);
    let mut lines = LINES.lock().unwrap_or_else(|e| e.into_inner());
    if lines.lines.len() == KEPT {
        lines.lines.pop_front();
    }
    lines.lines.push_back((n, line));
}

#[derive(Default)]
struct Recorder {
    next_span: AtomicU64,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={value}", field.name()));
    }
    fn record_error(
        &mut self,
        field: &tracing::field::Field,
        value: &(dyn std::error::Error + 'static),
    ) {
        self.0
            .push_str(&format!(" {}={value} ({value:?})", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!(
            "span {} {}",
            span.metadata().target(),
            span.metadata().name()
        ));
        span.record(&mut fields);
        write(fields.0);
        tracing::span::Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("span record".to_owned());
        values.record(&mut fields);
        write(fields.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!(
            "{} {}:",
            event.metadata().level(),
            event.metadata().target()
        ));
        event.record(&mut fields);
        write(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
