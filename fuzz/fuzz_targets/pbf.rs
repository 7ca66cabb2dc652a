//! Arbitrary bytes as an `.osm.pbf` extract: the loader must return `Ok` or a typed error, never
//! panic (outside the per-block guard), hang or allocate without bound.
#![no_main]

use std::io::Cursor;
use std::path::Path;
use std::sync::{LazyLock, Once};

use circle15::osm::{LoadOptions, load_pbf_reader, read_pbf::DECODING};
use circle15::profile::Profile;
use libfuzzer_sys::fuzz_target;

static PROFILE: LazyLock<Profile> = LazyLock::new(|| Profile::load("default", None).expect("built-in profile"));
static HOOK: Once = Once::new();

/// libFuzzer's panic hook aborts on every panic; the loader catches panics of the PBF decoder
/// per block (reported as "corrupt data"), as the binary's hook does: only those stay silent.
fn quiet_decoder_panics() {
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !DECODING.with(|d| d.get()) {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    quiet_decoder_panics();
    let _ = load_pbf_reader(Cursor::new(data), Path::new("fuzz.osm.pbf"), &PROFILE, &LoadOptions::default());
});
