//! The PhotoSky Lambda function. For now a minimal runtime loop that logs
//! each event it receives and answers API Gateway with 200; the thumbnailer
//! and the photo API replace it (issues 3 and 4).

use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

async fn handle(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let (payload, _ctx) = event.into_parts();
    let kind = if payload.get("Records").is_some() { "s3" } else { "api" };
    println!("{}", json!({"event": kind, "request_id": _ctx.request_id}));
    Ok(match kind {
        "api" => json!({"statusCode": 200, "headers": {"content-type": "application/json"}, "body": "{\"service\":\"photosky\"}"}),
        _ => json!({}),
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handle)).await
}
