//! Bounded waiting, for what the SDK has no waiter for.
//!
//! AWS is eventually consistent in places a deployer cannot avoid: a new IAM
//! role is refused by Lambda and CodeBuild for several seconds, and S3 cannot
//! validate a notification target until the Lambda permission has spread.
//! `retry_propagation` retries exactly those errors (code and a stable part of
//! the message) with backoff and a deadline; every other error returns at once.
//! `poll` asks a question until it has an answer, with the same backoff.
//! Both use tokio's clock, so tests run them with paused time.
//!
//! `PHOTOSKY_TIME_SCALE` (for the emulator's latency model, not a user
//! feature) multiplies every wait here: with the emulator keeping AWS's
//! time at a scale of 0.05, photosky's own backoff must shrink alike, or the
//! modelled deploy would be charged its waits twenty times over.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::AwsError;
use crate::error::Error;

/// One AWS propagation error: its code and a stable substring of its message.
#[derive(Debug, Clone, Copy)]
pub struct Propagation {
    pub code: &'static str,
    pub message_contains: &'static str,
}

impl Propagation {
    pub fn matches(&self, e: &AwsError) -> bool {
        e.code() == self.code && e.message().contains(self.message_contains)
    }
}

/// Exponential backoff: `first`, doubling, capped at `cap`, until `max_wait`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub first: Duration,
    pub cap: Duration,
    pub max_wait: Duration,
}

impl Backoff {
    /// IAM propagation: usually 5-10 s, documented as "can take several
    /// minutes"; about 5 minutes before we give up.
    pub const PROPAGATION: Backoff = Backoff {
        first: Duration::from_millis(500),
        cap: Duration::from_secs(10),
        max_wait: Duration::from_secs(300),
    };

    fn next(&self, delay: Duration) -> Duration {
        (delay * 2).min(self.cap)
    }

    /// This backoff in the emulator's time (`PHOTOSKY_TIME_SCALE`).
    fn scaled(self) -> Backoff {
        let k = time_scale();
        Backoff {
            first: self.first.mul_f64(k),
            cap: self.cap.mul_f64(k),
            max_wait: self.max_wait.mul_f64(k),
        }
    }
}

pub const TIME_SCALE_VAR: &str = "PHOTOSKY_TIME_SCALE";

/// 1 unless the latency model asks for less (a number in (0, 1]).
fn time_scale() -> f64 {
    static SCALE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *SCALE.get_or_init(|| {
        std::env::var(TIME_SCALE_VAR)
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|k| *k > 0.0 && *k <= 1.0)
            .unwrap_or(1.0)
    })
}

/// Wait `d` (in the emulator's time, under the latency model): for a pause
/// the SDK has no waiter for, such as before restarting a refused build.
pub async fn pause(d: Duration) {
    tokio::time::sleep(d.mul_f64(time_scale())).await;
}

/// Run `op`; while it fails with one of `retry_on`, wait and run it again.
/// `on_retry` is told each retried error (for progress output).
pub async fn retry_propagation<T, F, Fut>(
    retry_on: &[Propagation],
    backoff: Backoff,
    mut on_retry: impl FnMut(&AwsError, Duration),
    mut op: F,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let backoff = backoff.scaled();
    let start = Instant::now();
    let mut delay = backoff.first;
    loop {
        match op().await {
            Ok(v) => return Ok(v),
            Err(e) if retry_on.iter().any(|p| p.matches(&e)) => {
                if start.elapsed() + delay > backoff.max_wait {
                    return Err(e);
                }
                on_retry(&e, start.elapsed());
                tokio::time::sleep(delay).await;
                delay = backoff.next(delay);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Ask `check` until it returns `Some`; an error from `check` ends the wait.
pub async fn poll<T, F, Fut>(what: &str, backoff: Backoff, mut check: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, Error>>,
{
    let backoff = backoff.scaled();
    let start = Instant::now();
    let mut delay = backoff.first;
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        if start.elapsed() + delay > backoff.max_wait {
            return Err(Error::Timeout {
                what: what.to_owned(),
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = backoff.next(delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const ROLE: Propagation = Propagation {
        code: "InvalidParameterValueException",
        message_contains: "cannot be assumed by Lambda",
    };

    #[tokio::test(start_paused = true)]
    async fn retries_the_propagation_error_until_it_clears() {
        let calls = Cell::new(0);
        let r = retry_propagation(
            &[ROLE],
            Backoff::PROPAGATION,
            |_, _| {},
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 4 {
                        Err(AwsError::from_parts(
                            "InvalidParameterValueException",
                            "The role defined for the function cannot be assumed by Lambda.",
                        ))
                    } else {
                        Ok(n)
                    }
                }
            },
        )
        .await;
        assert_eq!(r.unwrap(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn same_code_with_another_message_is_not_retried() {
        let calls = Cell::new(0);
        let r: Result<(), _> = retry_propagation(
            &[ROLE],
            Backoff::PROPAGATION,
            |_, _| {},
            || {
                calls.set(calls.get() + 1);
                async {
                    Err(AwsError::from_parts(
                        "InvalidParameterValueException",
                        "MemorySize must be at least 128",
                    ))
                }
            },
        )
        .await;
        assert_eq!(r.unwrap_err().message(), "MemorySize must be at least 128");
        assert_eq!(calls.get(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline_with_the_last_error() {
        let start = Instant::now();
        let r: Result<(), _> = retry_propagation(
            &[ROLE],
            Backoff::PROPAGATION,
            |_, _| {},
            || async {
                Err(AwsError::from_parts(
                    "InvalidParameterValueException",
                    "The role defined for the function cannot be assumed by Lambda.",
                ))
            },
        )
        .await;
        assert!(r.unwrap_err().is("InvalidParameterValueException"));
        let waited = start.elapsed();
        assert!(waited <= Backoff::PROPAGATION.max_wait, "{waited:?}");
        assert!(
            waited >= Backoff::PROPAGATION.max_wait - Backoff::PROPAGATION.cap,
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn poll_times_out_with_what_it_waited_for() {
        let b = Backoff {
            first: Duration::from_secs(1),
            cap: Duration::from_secs(5),
            max_wait: Duration::from_secs(60),
        };
        let r: Result<(), _> = poll("the build", b, || async { Ok(None) }).await;
        match r {
            Err(Error::Timeout { what, waited }) => {
                assert_eq!(what, "the build");
                assert!(waited <= Duration::from_secs(60));
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
}
