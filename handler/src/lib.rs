//! The PhotoSky Lambda function, as a library: pure image and key logic,
//! the S3-event processor, who makes a version's thumbnails (`work`), the photo API, its local server, and
//! configuration. `main.rs` is the runtime entry and the command line.

pub mod api;
pub mod auth;
pub mod config;
pub mod keys;
pub mod local;
pub mod s3_event;
pub mod shares;
pub mod thumbnail;
pub mod timeline;
pub mod work;
