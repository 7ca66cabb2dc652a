//! Arbitrary bytes as a TOML profile, with and without a target year.
#![no_main]

use circle15::profile::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    if let Ok(p) = Profile::parse(text, "fuzz.toml", None) {
        // A valid profile: resolve each of its target years too, and one it lacks.
        for y in p.years.iter().copied().chain([2031]) {
            let _ = Profile::parse(text, "fuzz.toml", Some(y));
        }
    }
});
