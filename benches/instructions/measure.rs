//! What a measured process uses to count: callgrind's client requests (zero the counts where
//! the measured stretch begins, dump them where it ends), a global allocator that counts, and
//! the line protocol through which the driver paces the sending and the receiving process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// The system allocator, counting the allocations (`alloc`, `alloc_zeroed`, and `realloc`,
/// which may move) and the bytes asked for, of every thread.
pub struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is passed to `System` unchanged; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size as u64, Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// A callgrind client request (valgrind's `VALGRIND_DO_CLIENT_REQUEST`): a no-op outside
/// valgrind, which recognises the rotations (a full turn of `rdi`) followed by `xchg rbx, rbx`.
#[cfg(target_arch = "x86_64")]
fn client_request(request: u64) {
    let args: [u64; 6] = [request, 0, 0, 0, 0, 0];
    let mut result: u64 = 0;
    // SAFETY: the sequence changes no register but `rdx` (the result) and reads `args`.
    unsafe {
        std::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") result,
            in("rax") args.as_ptr(),
            options(nostack),
        );
    }
    std::hint::black_box(result);
}

#[cfg(not(target_arch = "x86_64"))]
fn client_request(_request: u64) {
    panic!("the instruction harness speaks valgrind's client requests on x86_64 only");
}

/// `VG_USERREQ_TOOL_BASE('C', 'T')`: callgrind's first request, `DUMP_STATS`.
const CALLGRIND_BASE: u64 = ((b'C' as u64) << 24) | ((b'T' as u64) << 16);
const DUMP_STATS: u64 = CALLGRIND_BASE;
const ZERO_STATS: u64 = CALLGRIND_BASE + 1;
const TOGGLE_COLLECT: u64 = CALLGRIND_BASE + 2;

/// One measured process's side of the conversation with the driver: it says where it is on
/// stdout, one word a line, and waits for the driver's word on stdin (read on tokio's blocking
/// thread, so that the process's tasks go on meanwhile and the wait costs next to nothing).
pub struct Control {
    allocations: u64,
    bytes: u64,
    /// Allocations (and their bytes) made while counting was paused, left out at the end.
    paused: (u64, u64),
    stdin: tokio::io::BufReader<tokio::io::Stdin>,
}

impl Control {
    pub fn new() -> Control {
        Control {
            allocations: 0,
            bytes: 0,
            paused: (0, 0),
            stdin: tokio::io::BufReader::new(tokio::io::stdin()),
        }
    }

    /// Tells the driver `word`.
    pub fn say(&self, word: &str) {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{word}").expect("stdout");
        out.flush().expect("stdout");
    }

    /// Waits until the driver says `word`.
    pub async fn wait_for(&mut self, word: &str) {
        use tokio::io::AsyncBufReadExt;
        let mut line = String::new();
        self.stdin.read_line(&mut line).await.expect("stdin");
        assert_eq!(line.trim(), word, "the driver said something unexpected");
    }

    /// Tells the driver `word` without counting it (callgrind stops collecting meanwhile, and
    /// its allocations are left out): what a paced receiver says after each message.
    pub fn say_uncounted(&mut self, word: &str) {
        client_request(TOGGLE_COLLECT);
        let (allocations, bytes) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
        self.say(word);
        self.paused.0 += ALLOCATIONS.load(Relaxed) - allocations;
        self.paused.1 += BYTES.load(Relaxed) - bytes;
        client_request(TOGGLE_COLLECT);
    }

    /// The measured stretch begins: callgrind's counts and the allocation counts start at zero.
    pub fn begin(&mut self) {
        client_request(ZERO_STATS);
        self.allocations = ALLOCATIONS.load(Relaxed);
        self.bytes = BYTES.load(Relaxed);
    }

    /// The measured stretch ends: callgrind writes its counts since [`Control::begin`], and the
    /// allocations since then go to the driver (`allocations <count> <bytes>`).
    pub fn end(&mut self) {
        client_request(DUMP_STATS);
        let allocations = ALLOCATIONS.load(Relaxed) - self.allocations - self.paused.0;
        let bytes = BYTES.load(Relaxed) - self.bytes - self.paused.1;
        self.say(&format!("allocations {allocations} {bytes}"));
    }
}

/// One path's way of sending a message (the same one each time).
pub trait Sends {
    /// Sends the message, and returns once the path's promise is kept.
    async fn send(&mut self);
}

/// One path's way of receiving a message, decoded.
pub trait Receives {
    /// Waits for the next message and decodes it.
    async fn receive(&mut self);
}

/// The sending process, once open: the warm-up batch when the driver says `warm`, the measured
/// batch when it says `go` (paced: each message after the first when the driver says `next`),
/// and the counts when it says `stop` (the receiver has them all, so whatever the sends left to
/// do in the background is done and counted). A paced sender's counts include its waits for
/// the driver: the driver reads only its receiver's.
pub async fn sending(ctl: &mut Control, count: Counts, mut path: impl Sends) {
    ctl.say("ready");
    ctl.wait_for("warm").await;
    for _ in 0..count.warm {
        path.send().await;
    }
    ctl.say("warmed");
    ctl.wait_for("go").await;
    ctl.begin();
    for i in 0..count.measured {
        if count.paced && i > 0 {
            ctl.wait_for("next").await;
        }
        path.send().await;
    }
    ctl.wait_for("stop").await;
    ctl.end();
}

/// The receiving process, once subscribed: the warm-up batch, then the counts zeroed
/// (`zeroed`), the measured batch (paced: `got` after each message, not counted), and the
/// counts (`done`).
pub async fn receiving(ctl: &mut Control, count: Counts, mut path: impl Receives) {
    ctl.say("ready");
    for _ in 0..count.warm {
        path.receive().await;
    }
    ctl.begin();
    ctl.say("zeroed");
    for _ in 0..count.measured {
        path.receive().await;
        if count.paced {
            ctl.say_uncounted("got");
        }
    }
    ctl.end();
    ctl.say("done");
}

/// How many messages go through before counting, how many are counted, and whether they go one
/// at a time.
#[derive(Clone, Copy, Debug)]
pub struct Counts {
    pub warm: usize,
    pub measured: usize,
    pub paced: bool,
}
