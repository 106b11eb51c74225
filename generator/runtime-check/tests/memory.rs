//! What large transfers cost in memory: a 50 MiB download written to a writer (and a 50 MiB
//! upload from a reader) must not be held whole. A counting allocator measures the most bytes
//! this process holds at once while the transfer runs, above what it held before; the server
//! is a plain thread that reads and writes through one fixed buffer, so what grows is the
//! client's. The figure is printed (`cargo test -p runtime-check --test memory -- --nocapture`)
//! and must stay under 8 MiB.
//!
//! One test binary of its own, with its tests run one at a time (a lock), so that no other
//! test's allocations are counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(held, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let held = HELD.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        } else {
            HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const SIZE: u64 = 50 * 1024 * 1024;
const LIMIT: usize = 8 * 1024 * 1024;

/// Runs `transfer` and returns the most bytes held at once during it, above the start.
async fn peak_during<F: std::future::Future<Output = ()>>(transfer: F) -> usize {
    let start = HELD.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    transfer.await;
    PEAK.load(Ordering::Relaxed).saturating_sub(start)
}

/// Reads a request's head (up to the blank line) and returns its `content-length`, if any,
/// and whether its body is chunked.
fn read_head(reader: &mut BufReader<TcpStream>) -> (Option<u64>, bool) {
    let (mut length, mut chunked) = (None, false);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            return (length, chunked);
        }
        let lower = trimmed.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
}

/// Reads and drops `n` bytes through `buffer`.
fn drain(reader: &mut BufReader<TcpStream>, mut n: u64, buffer: &mut [u8]) -> u64 {
    let total = n;
    while n > 0 {
        let want = buffer.len().min(n as usize);
        reader.read_exact(&mut buffer[..want]).unwrap();
        n -= want as u64;
    }
    total
}

/// A server for one request: it reads the request's body (by length or chunk by chunk)
/// through a fixed buffer and answers with `answer(body length)`: a head, and then `body`
/// bytes of a fixed pattern. Returns the port and the thread, which yields the body length.
fn serve_once(
    answer: impl FnOnce(u64) -> (String, u64) + Send + 'static,
) -> (u16, std::thread::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut buffer = vec![7u8; 64 * 1024];
        let received = match read_head(&mut reader) {
            (Some(length), false) => drain(&mut reader, length, &mut buffer),
            (_, true) => {
                let mut total = 0;
                let mut line = String::new();
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    let size =
                        u64::from_str_radix(line.trim().split(';').next().unwrap(), 16).unwrap();
                    total += drain(&mut reader, size, &mut buffer);
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if size == 0 {
                        break total;
                    }
                }
            }
            (None, false) => 0,
        };
        let (head, mut body) = answer(received);
        writer.write_all(head.as_bytes()).unwrap();
        while body > 0 {
            let n = buffer.len().min(body as usize);
            writer.write_all(&buffer[..n]).unwrap();
            body -= n as u64;
        }
        writer.flush().unwrap();
        received
    });
    (port, thread)
}

fn client(port: u16) -> runtime_check::Client {
    runtime_check::Client::builder()
        .token("memory-token-0123456789")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(runtime_check::RetryPolicy::none())
        .build()
        .unwrap()
}

/// Runs `test` alone (no other test of this binary meanwhile) on a runtime of one thread.
fn alone(test: impl std::future::Future<Output = ()>) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(test);
}

#[test]
fn a_50_mib_download_written_to_a_writer_holds_far_less_than_its_size() {
    alone(a_50_mib_download());
}

async fn a_50_mib_download() {
    let (port, server) = serve_once(|_| {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\ncontent-length: {SIZE}\r\nconnection: close\r\n\r\n"
        );
        (head, SIZE)
    });
    let client = client(port);
    let mut written = 0;
    let peak = peak_during(async {
        let download = client.media().export("t1").send().await.unwrap();
        written = download.write_to(&mut tokio::io::sink()).await.unwrap();
    })
    .await;
    server.join().unwrap();
    assert_eq!(written, SIZE);
    println!(
        "a 50 MiB download held at most {:.2} MiB at once",
        peak as f64 / 1048576.0
    );
    assert!(peak < LIMIT, "held {peak} bytes at once");
}

#[test]
fn a_50_mib_upload_from_a_reader_holds_far_less_than_its_size() {
    alone(a_50_mib_upload(None));
    alone(a_50_mib_upload(Some(SIZE)));
}

/// Uploads 50 MiB from a reader that makes them as it is read, of unknown length (sent in
/// chunks) or of a known one.
async fn a_50_mib_upload(length: Option<u64>) {
    let thing = r#"{"id":"t1","name":"one"}"#;
    let (port, server) = serve_once(move |_| {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{thing}",
            thing.len()
        );
        (head, 0)
    });
    let client = client(port);
    let peak = peak_during(async {
        let reader = tokio::io::AsyncReadExt::take(tokio::io::repeat(b'x'), SIZE);
        let file = runtime_check::FilePart::reader(reader, length).file_name("big.bin");
        client.media().upload("t1", file).send().await.unwrap();
    })
    .await;
    let received = server.join().unwrap();
    // The form's body: the file and the parts' heads and boundaries.
    assert!(received > SIZE && received < SIZE + 1024, "{received}");
    println!(
        "a 50 MiB upload from a reader ({}) held at most {:.2} MiB at once",
        if length.is_some() {
            "length known"
        } else {
            "length unknown"
        },
        peak as f64 / 1048576.0
    );
    assert!(peak < LIMIT, "held {peak} bytes at once");
}
