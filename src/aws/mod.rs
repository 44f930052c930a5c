//! Talking to AWS: the SDK configuration and clients, error classification,
//! and the bounded retry and poll loops the resource modules share.

mod clients;
pub mod errors;
mod wait;

pub use clients::{Clients, ConnectOptions};
pub use errors::{not_found_is_none, not_found_is_ok, AwsError, AwsErrorResultExt, AwsResultExt};
pub use wait::{pause, poll, retry_propagation, Backoff, Propagation, TIME_SCALE_VAR};
