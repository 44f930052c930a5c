//! Progress on stderr: on a terminal, a spinner with the elapsed time that
//! turns into a line per finished step; otherwise (CI, pipes) plain lines.
//! Results never go here: they go to stdout.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Progress {
    tty: bool,
    verbose: bool,
    current: Option<Spinner>,
}

struct Spinner {
    message: Arc<Mutex<String>>,
    started: Instant,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn new(verbose: bool) -> Progress {
        Progress {
            tty: std::io::stderr().is_terminal(),
            verbose,
            current: None,
        }
    }

    /// A long step begins.
    pub fn start(&mut self, message: impl Into<String>) {
        self.finish_quietly();
        let message = message.into();
        let started = Instant::now();
        if !self.tty {
            eprintln!("{message} ...");
            self.current = Some(Spinner {
                message: Arc::new(Mutex::new(message)),
                started,
                stop: Arc::new(AtomicBool::new(true)),
                thread: None,
            });
            return;
        }
        let shared = Arc::new(Mutex::new(message));
        let stop = Arc::new(AtomicBool::new(false));
        let (m, s) = (shared.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            const FRAMES: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut i = 0;
            while !s.load(Ordering::Relaxed) {
                let msg = m.lock().unwrap().clone();
                eprint!(
                    "\r\x1b[2K{} {msg} ({:.0}s)",
                    FRAMES[i % FRAMES.len()],
                    started.elapsed().as_secs_f64()
                );
                let _ = std::io::stderr().flush();
                i += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        self.current = Some(Spinner {
            message: shared,
            started,
            stop,
            thread: Some(thread),
        });
    }

    /// Change what the current step says (a build phase, a retry).
    pub fn update(&mut self, message: impl Into<String>) {
        let message = message.into();
        match &self.current {
            Some(sp) if self.tty => *sp.message.lock().unwrap() = message,
            _ => eprintln!("  {message}"),
        }
    }

    /// The current step ended; `outcome` says how ("created", "exists").
    pub fn done(&mut self, outcome: &str) {
        if let Some(sp) = self.current.take() {
            let msg = sp.message.lock().unwrap().clone();
            let secs = sp.started.elapsed().as_secs_f64();
            stop(sp);
            if self.tty {
                eprintln!("\r\x1b[2K✓ {msg}: {outcome} ({secs:.1}s)");
            } else {
                eprintln!("  {outcome} ({secs:.1}s)");
            }
        }
    }

    /// A line of its own (a warning, a log line).
    pub fn line(&mut self, line: impl AsRef<str>) {
        if self.tty {
            eprint!("\r\x1b[2K");
        }
        eprintln!("{}", line.as_ref());
    }

    pub fn debug(&mut self, line: impl AsRef<str>) {
        if self.verbose {
            self.line(line);
        }
    }

    fn finish_quietly(&mut self) {
        if let Some(sp) = self.current.take() {
            stop(sp);
            if self.tty {
                eprint!("\r\x1b[2K");
            }
        }
    }
}

fn stop(mut sp: Spinner) {
    sp.stop.store(true, Ordering::Relaxed);
    if let Some(t) = sp.thread.take() {
        let _ = t.join();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish_quietly();
    }
}
