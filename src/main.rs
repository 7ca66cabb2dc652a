//! The `circle15` binary: flags → validated config → library → exit code. All work is in the library.

use std::process::ExitCode;

use anyhow::Context;
use circle15::cli::{Cli, Command};
use circle15::error::Error;

fn main() -> ExitCode {
    shorten_purge_delay();
    // A panic inside the PBF decoder is caught and reported as a corrupt file; stay silent then.
    circle15::osm::read_pbf::silence_decoder_panics();
    // The help and the errors are in the language the command line asks for (`--lang`, else the
    // profile's: Chinese for the embedded Hangzhou default).
    let (cli, lang) = circle15::cli_lang::parse();
    handle_interrupts();
    init_logging(cli.verbose);
    match run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", circle15::cli_lang::error_message(&e, lang));
            // Input and configuration problems (every typed library error) exit with 2.
            if e.chain().any(|c| c.is::<Error>()) { ExitCode::from(2) } else { ExitCode::from(1) }
        }
    }
}

/// On SIGINT or SIGTERM: remove the temporary files staged so far and exit with 130, leaving the
/// previous outputs as they were. The registry lock stays held until the process is gone, so no
/// set can be staged or committed after the cleanup (`circle15::report::atomic`).
fn handle_interrupts() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let (_held, _removed) = circle15::report::atomic::abort_staged();
            std::process::exit(130);
        }
    });
}

/// Warnings go to stderr, one line each (already folded), with or without `--quiet`.
fn print_warnings(warnings: &[String], lang: circle15::profile::Lang) {
    use std::io::Write;
    let lead = lang.pick("提示：", "warning: ");
    let mut e = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(e, "{lead}{w}");
    }
}

fn init_logging(verbose: u8) {
    // usvg (--png) warns once per map and character without a glyph; circle15 names them once.
    let level = match verbose {
        0 => "warn,usvg=error",
        1 => "info,usvg=error",
        _ => "debug",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| level.into()))
        .with_writer(std::io::stderr)
        .try_init();
}

fn run(cli: Cli, lang: circle15::profile::Lang) -> anyhow::Result<()> {
    match cli.command {
        Command::Template(t) => {
            let lang = match t.lang {
                circle15::cli::LangArg::Zh => circle15::profile::Lang::Zh,
                circle15::cli::LangArg::En => circle15::profile::Lang::En,
            };
            circle15::cli::check_out_writable(&t.out)?;
            let files = circle15::report::templates::write_templates(&t.out, lang)?;
            for f in files {
                println!("{}", f.display());
            }
            Ok(())
        }
        Command::Profile(p) => {
            let prof = circle15::profile::Profile::load(&p.name, p.year)?;
            print!("{}", prof.raw);
            print!("{}", circle15::profile::show_targets(&prof));
            Ok(())
        }
        #[cfg(not(feature = "bench"))]
        Command::Bench { .. } => Err(Error::Config(
            "the bench subcommand is not in this build: build it with `--features bench`, e.g. \
             `cargo run --release --features bench -- bench --help`"
                .into(),
        )
        .into()),
        #[cfg(feature = "bench")]
        Command::Bench(b) => {
            let bc = circle15::cli::bench_config(&b)?;
            let (text, record) = circle15::bench::run_bench(&bc)?;
            print!("{text}");
            if let Some(p) = &b.json {
                let mut bytes = serde_json::to_vec_pretty(&record).context("serialising the results")?;
                bytes.push(b'\n');
                let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                let name = p.file_name().and_then(|n| n.to_str()).context("--json needs a file name")?;
                let mut set = circle15::report::OutputSet::new(dir)?;
                set.stage(name, &bytes)?;
                set.commit()?;
            }
            Ok(())
        }
        Command::Plan(p) => {
            let (cfg, threads) = circle15::cli::plan_config(&p)?;
            if let Some(n) = threads {
                rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("starting threads")?;
            }
            let run = circle15::run_analyze(&cfg)?;
            if !p.analyze.quiet {
                print!("{}", run.table);
            }
            print_warnings(&run.warnings, lang);
            Ok(())
        }
        Command::Batch(b) => {
            let (cfg, threads) = circle15::cli::batch_config(&b)?;
            if let Some(n) = threads {
                rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("starting threads")?;
            }
            let run = circle15::run_batch(&cfg)?;
            print_warnings(&run.warnings, cfg.analyze.profile.lang);
            if !b.analyze.quiet {
                print!("{}", run.table);
            }
            for f in &run.failed {
                eprintln!("{}{f}", cfg.analyze.profile.lang.pick("失败：", "failed: "));
            }
            if !run.failed.is_empty() {
                // Exit code 2, as for any input problem: the other districts are written.
                return Err(Error::Config(format!(
                    "{} of {} districts failed (listed above, and in districts.csv / the shard's records)",
                    run.failed.len(),
                    cfg.districts.len()
                ))
                .into());
            }
            Ok(())
        }
        Command::Merge(m) => {
            let line = circle15::run_merge(&m.dirs, &m.out, circle15::cli::merge_lang(&m))?;
            print!("{line}");
            Ok(())
        }
        Command::Analyze(a) => {
            let (cfg, threads) = circle15::cli::analyze_config(&a)?;
            if let Some(n) = threads {
                rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("starting threads")?;
            }
            let run = circle15::run_analyze(&cfg)?;
            if !a.quiet {
                print!("{}", run.table);
            }
            print_warnings(&run.warnings, lang);
            Ok(())
        }
    }
}

/// The binary's allocator is mimalloc (the library and its tests keep the system one). On the 4×4
/// Las Palmas run glibc's malloc/free/consolidate were ~12 % of the samples (`perf record -F 999`:
/// `_int_free`, `_int_malloc`, `malloc_consolidate`, `unlink_chunk`, `realloc`); with mimalloc the
/// run takes 7.1–7.3 s of user CPU instead of 7.9–8.0 s, sys and peak RSS unchanged (`/usr/bin/time`,
/// the two binaries alternated). Transparent huge pages are left off (`no_thp`): mimalloc would
/// ask for them, and zeroing 2 MB pages on every re-fault of purged memory then cost up to 2 s of
/// sys time (`clear_page_erms` 16 % of the samples).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long mimalloc keeps freed pages before returning them, ms (its default: 1,000). Each stage
/// frees what the next one no longer needs; kept for a second, that overlapped the next stage's
/// allocations. 4×4 Las Palmas default run, idle, 2 runs each (`MIMALLOC_PURGE_DELAY`):
/// 999 ms → 4.20–4.29 s wall, 921–932 MB peak (1,026 MB seen before the walk-shed buffers were
/// shared); 500 ms → 4.35–4.38 s, 805–833 MB; 250 ms → 4.37–4.51 s, 772–784 MB; 100 ms →
/// 4.49–4.62 s, 765–776 MB (more sys time: pages are returned and faulted in again).
const PURGE_DELAY_MS: std::ffi::c_long = 500;

/// Sets mimalloc's purge delay ([`PURGE_DELAY_MS`]) before any work is done. The option is
/// addressed by its index in mimalloc 3's `mi_option_e` (15, `mi_option_purge_delay`), which the
/// Rust binding does not name; it is set only while that option reads its documented default
/// (1,000 ms), so a mimalloc that numbers its options otherwise is left as it is.
fn shorten_purge_delay() {
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    unsafe extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: both are plain mimalloc calls on an option slot, made on the main thread before
    // any other thread exists (mi_option_set is not thread-safe).
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == 1000 {
            mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
}
