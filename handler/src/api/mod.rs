//! The PhotoSky photo API: routes (`routes`), the request and response
//! types and their API Gateway forms (`http`), CORS (`cors`), photo ids
//! (`ids`), the gallery page (`page`) and presigned POST signing
//! (`presign_post`). The API is documented in `docs/api.md`.

pub mod cors;
pub mod http;
pub mod ids;
pub mod page;
pub mod presign_post;
mod routes;

pub use routes::{Api, IMAGE_TYPES};
