//! The PhotoSky photo API. So far: presigned POST signing (the rest of the
//! API is its own piece of work).

pub mod presign_post;
