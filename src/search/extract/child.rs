//! The extraction child: `cartable extract-text` (hidden) runs [`extract_file`] on one file
//! under its own resource limits and writes the text to stdout; [`extract_isolated`] starts it,
//! reads its output within bounds and kills it when the time is up.
//!
//! The arguments are built and parsed in this one file, and the outcome travels back as the
//! exit code: 0 and the text on stdout, or one code per [`ExtractError`] variant with details
//! on stderr.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _};

use super::{ExtractError, ExtractLimits, Format, extract_file};

/// The child's address-space cap. A parser that allocates past it gets an allocation failure
/// (the child aborts) instead of eating the server's memory.
const ADDRESS_SPACE: u64 = 1024 * 1024 * 1024;

/// Exit codes of `extract-text` (clap uses 2 for a bad command line, `main` 1 for an error).
const EXIT_TOO_LARGE: i32 = 3;
const EXIT_UNSUPPORTED: i32 = 4;
const EXIT_MALFORMED: i32 = 5;
const EXIT_FAILED: i32 = 6;

/// How much of the child's stderr is kept for the error message.
const STDERR_KEPT: usize = 4096;

/// Linux signal numbers: the CPU limit sends SIGXCPU at the soft limit, SIGKILL at the hard one.
const SIGKILL: i32 = 9;
const SIGXCPU: i32 = 24;

/// `cartable extract-text`: one file's text on stdout (for the search indexer, not for people).
#[derive(Debug, clap::Args)]
pub struct ExtractTextArgs {
    /// The file's format: pdf, docx, odt, text, markdown or html
    #[arg(long, value_parser = parse_format)]
    pub format: Format,
    /// A larger file is refused unread
    #[arg(long)]
    pub max_input_bytes: u64,
    /// The text is cut after this many characters
    #[arg(long)]
    pub max_output_chars: usize,
    /// What a zip entry or a PDF stream may unpack to
    #[arg(long)]
    pub max_unpacked_bytes: u64,
    /// The time limit, in milliseconds (the CPU time limit is one second more)
    #[arg(long)]
    pub timeout_ms: u64,
    /// The file to read
    pub path: PathBuf,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format (one of {})", names.join(", "))
    })
}

impl ExtractTextArgs {
    fn limits(&self) -> ExtractLimits {
        ExtractLimits {
            max_input_bytes: self.max_input_bytes,
            max_output_chars: self.max_output_chars,
            max_unpacked_bytes: self.max_unpacked_bytes,
            timeout: Duration::from_millis(self.timeout_ms),
        }
    }
}

/// The body of `cartable extract-text`: limits itself, extracts, writes the text to stdout.
/// Returns the process's exit code (see the module documentation).
pub fn run_child(args: &ExtractTextArgs) -> i32 {
    let limits = args.limits();
    let result = confine(&limits).and_then(|()| extract_file(&args.path, args.format, &limits));
    let error = match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => return 0,
                Err(e) => ExtractError::Failed(format!("cannot write the text: {e}")),
            }
        }
        Err(error) => error,
    };
    let (code, detail) = match &error {
        ExtractError::TooLarge => (EXIT_TOO_LARGE, error.to_string()),
        ExtractError::Unsupported => (EXIT_UNSUPPORTED, error.to_string()),
        ExtractError::Malformed(detail) => (EXIT_MALFORMED, detail.clone()),
        ExtractError::TimedOut => (EXIT_FAILED, error.to_string()),
        ExtractError::Failed(detail) => (EXIT_FAILED, detail.clone()),
    };
    eprintln!("{detail}");
    code
}

/// Lowers this process's limits, hard and soft (the parser cannot raise them back): address
/// space, CPU seconds (the timeout rounded up, plus one), and no core file. A limit already
/// lower is kept. Refuses to go on if a limit cannot be set.
fn confine(limits: &ExtractLimits) -> Result<(), ExtractError> {
    use rlimit::Resource;
    let cpu_seconds = limits.timeout.as_secs() + u64::from(limits.timeout.subsec_nanos() > 0) + 1;
    for (resource, soft, hard) in [
        (Resource::CORE, 0, 0),
        (Resource::AS, ADDRESS_SPACE, ADDRESS_SPACE),
        (Resource::CPU, cpu_seconds, cpu_seconds + 1),
    ] {
        let set = rlimit::getrlimit(resource).and_then(|(_, current_hard)| {
            let hard = hard.min(current_hard);
            rlimit::setrlimit(resource, soft.min(hard), hard)
        });
        set.map_err(|e| ExtractError::Failed(format!("cannot limit {resource:?}: {e}")))?;
    }
    Ok(())
}

/// Extraction in a child process (`<program> extract-text --format F --max-... PATH`, stdout = UTF-8 text)
/// with the timeout, killed on timeout; the child limits its own address space and CPU time.
///
/// `program` is Cartable's own binary (`std::env::current_exe()`; in tests
/// `CARGO_BIN_EXE_cartable`). The child gets an empty environment (no secrets from
/// `CARTABLE_*` variables), no stdin, and its stdout is read up to four bytes per allowed
/// character. When `limits.timeout` passes, the child is killed (SIGKILL) and reaped before
/// this returns [`ExtractError::TimedOut`]; dropping the returned future kills it too.
pub async fn extract_isolated(
    program: &Path,
    path: &Path,
    format: Format,
    limits: &ExtractLimits,
) -> Result<String, ExtractError> {
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|e| ExtractError::Failed(format!("cannot read the file's size: {e}")))?
        .len();
    if size > limits.max_input_bytes {
        return Err(ExtractError::TooLarge);
    }
    let timeout_ms = u64::try_from(limits.timeout.as_millis()).unwrap_or(u64::MAX);
    let mut child = tokio::process::Command::new(program)
        .arg("extract-text")
        .arg("--format")
        .arg(format.name())
        .arg("--max-input-bytes")
        .arg(limits.max_input_bytes.to_string())
        .arg("--max-output-chars")
        .arg(limits.max_output_chars.to_string())
        .arg("--max-unpacked-bytes")
        .arg(limits.max_unpacked_bytes.to_string())
        .arg("--timeout-ms")
        .arg(timeout_ms.to_string())
        .arg("--")
        .arg(path)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| ExtractError::Failed(format!("cannot start {}: {e}", program.display())))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let max_stdout = limits.max_output_chars.saturating_mul(4);
    let outcome = tokio::time::timeout(limits.timeout, async {
        tokio::join!(
            read_capped(stdout, max_stdout),
            read_capped(stderr, STDERR_KEPT),
            child.wait()
        )
    })
    .await;
    let Ok(((out, out_overflow), (err, _), status)) = outcome else {
        // SIGKILL, then wait for it: nothing of the child outlives this call.
        let _ = child.kill().await;
        return Err(ExtractError::TimedOut);
    };
    let status =
        status.map_err(|e| ExtractError::Failed(format!("cannot wait for the child: {e}")))?;
    let detail = String::from_utf8_lossy(&err).trim().to_owned();
    if status.success() {
        if out_overflow {
            return Err(ExtractError::Failed(
                "the child wrote more than its cap".into(),
            ));
        }
        return String::from_utf8(out)
            .map_err(|_| ExtractError::Failed("the child's text is not UTF-8".into()));
    }
    use std::os::unix::process::ExitStatusExt as _;
    Err(match (status.code(), status.signal()) {
        (Some(EXIT_TOO_LARGE), _) => ExtractError::TooLarge,
        (Some(EXIT_UNSUPPORTED), _) => ExtractError::Unsupported,
        (Some(EXIT_MALFORMED), _) => ExtractError::Malformed(detail),
        (Some(EXIT_FAILED), _) => ExtractError::Failed(detail),
        (Some(code), _) => ExtractError::Failed(format!("exit code {code}: {detail}")),
        // The CPU limit (SIGXCPU, then SIGKILL at the hard limit; the kernel's OOM killer
        // also sends SIGKILL).
        (None, Some(SIGXCPU | SIGKILL)) => ExtractError::TimedOut,
        // SIGABRT: an allocation failed against the address-space cap, or a panic.
        (None, signal) => ExtractError::Failed(format!(
            "killed by signal {}: {detail}",
            signal.unwrap_or_default()
        )),
    })
}

/// Reads a pipe to its end, keeping the first `cap` bytes and discarding the rest (so the
/// child never blocks on a full pipe); `true` if anything was discarded.
async fn read_capped<R: AsyncRead + Unpin>(pipe: Option<R>, cap: usize) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut overflow = false;
    let Some(mut pipe) = pipe else {
        return (kept, overflow);
    };
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
                overflow |= n > room;
            }
        }
    }
    (kept, overflow)
}
