//! A minimal parallel map over indices, on scoped threads (one per core).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The stack of a worker: deeply nested schemas and types recurse deeply in lowering and in
/// syn. It is only reserved address space until used.
const STACK_BYTES: usize = 16 << 20;

/// Runs `f(0..n)` on all cores; results in index order.
pub fn parallel<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |w| w.get())
        .min(n)
        .max(1);
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            break;
        }
        let value = f(i);
        slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(value);
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..workers {
            let spawned = std::thread::Builder::new()
                .name("sdkgen-worker".into())
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, work);
            started += usize::from(spawned.is_ok());
        }
        // No thread to be had: the caller does the work.
        if started == 0 {
            work();
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|v| v.expect("every index was run"))
        .collect()
}
