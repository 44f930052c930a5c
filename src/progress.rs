//! Progress on stderr; results never go here (they go to stdout).
//!
//! On a terminal: a spinner for every step in flight, each with its own
//! elapsed time (indicatif's `MultiProgress`, as uv and cargo show parallel
//! work), and a `✓` line as each one ends. Otherwise (CI, pipes): plain
//! lines, each naming its step, since several steps may be running at once.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Clone)]
pub struct Progress {
    /// `None` when stderr is not a terminal: plain lines.
    multi: Option<MultiProgress>,
    verbose: bool,
}

/// One step's line, from `Progress::start` until `finish`.
pub struct Task {
    progress: Option<Progress>,
    bar: Option<ProgressBar>,
    label: String,
    started: Instant,
}

impl Progress {
    pub fn new(verbose: bool) -> Progress {
        let multi = std::io::stderr()
            .is_terminal()
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress { multi, verbose }
    }

    /// A step begins; `label` names it and its resource.
    pub fn start(&self, label: String) -> Task {
        let bar = match &self.multi {
            Some(multi) => {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(
                    // The elapsed time first: the message is cut to the
                    // terminal's width, never wrapped.
                    ProgressStyle::with_template("{spinner} {elapsed:>4} {wide_msg}")
                        .expect("valid template"),
                );
                bar.set_message(label.clone());
                bar.enable_steady_tick(Duration::from_millis(100));
                Some(bar)
            }
            None => {
                eprintln!("{label} ...");
                None
            }
        };
        Task {
            progress: Some(self.clone()),
            bar,
            label,
            started: Instant::now(),
        }
    }

    /// A line of its own (a warning, an error of one step).
    pub fn line(&self, line: impl AsRef<str>) {
        match &self.multi {
            Some(multi) => {
                let _ = multi.println(line.as_ref());
            }
            None => eprintln!("{}", line.as_ref()),
        }
    }

    pub fn debug(&self, line: impl AsRef<str>) {
        if self.verbose {
            self.line(line);
        }
    }
}

impl Task {
    /// A task that shows nothing (`status` inspects without progress lines).
    pub fn silent() -> Task {
        Task {
            progress: None,
            bar: None,
            label: String::new(),
            started: Instant::now(),
        }
    }

    /// What the step is doing now (a build phase, a retry).
    pub fn update(&self, message: impl AsRef<str>) {
        let message = message.as_ref();
        match (&self.bar, &self.progress) {
            (Some(bar), _) => bar.set_message(format!("{}: {message}", self.label)),
            (None, Some(_)) => eprintln!("  {}: {message}", self.label),
            (None, None) => {}
        }
    }

    /// The step ended; `outcome` says how ("created", "FAILED").
    pub fn finish(mut self, ok: bool, outcome: &str) {
        let Some(progress) = self.progress.take() else {
            return;
        };
        let secs = self.started.elapsed().as_secs_f64();
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            let mark = if ok { '✓' } else { '✗' };
            progress.line(format!("{mark} {}: {outcome} ({secs:.1}s)", self.label));
        } else {
            eprintln!("{}: {outcome} ({secs:.1}s)", self.label);
        }
    }
}

impl Drop for Task {
    /// A step abandoned without an outcome leaves no spinner behind.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
