//! What thumbnailing a photo costs on AWS, as `up` prints it for the memory
//! it deploys with: a 12 MP phone photo (the benchmark's `Lo6` class), its
//! compute time at the CPU share Lambda gives that memory, in GB-seconds,
//! plus its invocation and the S3 requests the trigger makes for it, at AWS's
//! published US East prices. `bench/cost.py` measures the time and prints
//! the whole table (every class, both architectures); docs/cost.md quotes it.
//! Not included: time spent waiting on S3, storage, API Gateway, transfer.

use crate::arch::Arch;

/// One-core compute time of a 12 MP phone photo (decode, orient, two
/// JPEGs), ms: `bench/cost.py` at 1,769 MB (a whole vCPU), class `Lo6`,
/// median of 5 rounds, measured 2026-12-07 on this project's 2-core x86_64
/// machine with the release handler.
pub const PHONE_PHOTO_MS: f64 = 40.0;

/// Lambda gives one vCPU at 1,769 MB, a proportional share below (Lambda
/// developer guide, "Configuring Lambda function memory").
pub const FULL_CPU_MB: i32 = 1769;

/// Lambda pricing, US East (N. Virginia): duration per GB-second on x86_64
/// and on arm64, and requests.
const PRICE_GB_S: f64 = 0.000_016_666_7;
const PRICE_GB_S_ARM64: f64 = 0.000_013_333_4;
const PRICE_REQUEST: f64 = 0.20 / 1e6;
/// S3 pricing, S3 Standard requests: PUT, COPY, POST, LIST; GET, HEAD.
const PRICE_S3_PUT: f64 = 0.005 / 1000.0;
const PRICE_S3_GET: f64 = 0.0004 / 1000.0;
/// The S3 requests per photo (bench/cost.py says which): the upload's POST,
/// the claim, the timeline entry, two thumbnails, a LIST; the
/// remembered-failure lookup, two HEADs, the original's GET.
const S3_PUTS: f64 = 6.0;
const S3_GETS: f64 = 4.0;

/// Dollars per 1,000 photos thumbnailed at `memory_mb` on `arch`, the
/// compute time scaled by the CPU share (billed per whole ms). arm64 is
/// priced at the x86_64 time: no arm64 machine has measured it here.
pub fn per_1000_photos(memory_mb: i32, arch: Arch) -> f64 {
    let share = (f64::from(memory_mb) / f64::from(FULL_CPU_MB)).min(1.0);
    let ms = (PHONE_PHOTO_MS / share).ceil();
    let gb_s = f64::from(memory_mb) / 1024.0 * ms / 1000.0;
    let requests = PRICE_REQUEST + S3_PUTS * PRICE_S3_PUT + S3_GETS * PRICE_S3_GET;
    let price = match arch {
        Arch::X86_64 => PRICE_GB_S,
        Arch::Arm64 => PRICE_GB_S_ARM64,
    };
    1000.0 * (gb_s * price + requests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_costs_mostly_its_requests() {
        // bench/cost.py printed $0.0330 per 1,000 at 1,769 MB.
        let at_full = per_1000_photos(1769, Arch::X86_64);
        assert!((at_full - 0.0330).abs() < 0.0002, "{at_full}");
        // arm64's 20% off the compute is under 1% of the whole.
        let arm = per_1000_photos(1769, Arch::Arm64);
        assert!(arm < at_full && at_full - arm < 0.0003, "{arm}");
        // Requests alone: $0.0318 per 1,000; compute is the rest.
        let requests = 1000.0 * (PRICE_REQUEST + 6.0 * PRICE_S3_PUT + 4.0 * PRICE_S3_GET);
        assert!((requests - 0.0318).abs() < 0.0001, "{requests}");
        // Past a whole vCPU, more memory is only more GB-seconds.
        assert!(per_1000_photos(3538, Arch::X86_64) > at_full);
        assert!(per_1000_photos(10240, Arch::X86_64) > per_1000_photos(3538, Arch::X86_64));
    }
}
