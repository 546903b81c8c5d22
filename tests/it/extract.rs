//! Text extraction in a child process (issue 7 §3): the real `cartable extract-text` started by
//! `extract_isolated`, its limits, and what happens when it runs too long.

use std::io::{Cursor, Write};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cartable::search::extract::{ExtractError, ExtractLimits, Format, extract_isolated};

fn program() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_cartable"))
}

fn docx(text: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    write!(
        zip,
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

/// A 400 MiB HTML file of NUL characters, sparse (nothing is written to disk): the tokenizer
/// spends seconds of CPU on it, far past the timeouts below.
fn slow_html(dir: &Path) -> PathBuf {
    let path = dir.join("lent.html");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(400 << 20)
        .unwrap();
    path
}

/// Processes whose command line mentions `needle` (the child gets the file's path).
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(needle) && cmdline.contains("extract-text") {
            found.push(format!(
                "{}: {cmdline}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn a_docx_through_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("devoir.docx");
    std::fs::write(&path, docx("Mathématiques : l&apos;élève   de 5B")).unwrap();
    let text = extract_isolated(program(), &path, Format::Docx, &ExtractLimits::default())
        .await
        .unwrap();
    assert_eq!(text, "Mathématiques : l'élève de 5B");

    // The character cap travels to the child.
    let limits = ExtractLimits {
        max_output_chars: 4,
        ..ExtractLimits::default()
    };
    let text = extract_isolated(program(), &path, Format::Docx, &limits)
        .await
        .unwrap();
    assert_eq!(text, "Math");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_childs_refusals_come_back_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    let limits = ExtractLimits::default();

    let broken = dir.path().join("casse.docx");
    std::fs::write(&broken, b"PK\x03\x04 not really a zip").unwrap();
    let outcome = extract_isolated(program(), &broken, Format::Docx, &limits).await;
    let Err(ExtractError::Malformed(detail)) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(detail.contains("zip"), "{detail}");

    // An unpacked size over the cap, refused by the child (exit code → TooLarge).
    let big = dir.path().join("gros.docx");
    std::fs::write(&big, docx(&"a".repeat(4096))).unwrap();
    let small_unpack = ExtractLimits {
        max_unpacked_bytes: 1024,
        ..ExtractLimits::default()
    };
    assert_eq!(
        extract_isolated(program(), &big, Format::Docx, &small_unpack).await,
        Err(ExtractError::TooLarge)
    );

    // Over the input cap: refused before any process starts.
    let tiny_input = ExtractLimits {
        max_input_bytes: 10,
        ..ExtractLimits::default()
    };
    assert_eq!(
        extract_isolated(program(), &big, Format::Docx, &tiny_input).await,
        Err(ExtractError::TooLarge)
    );

    let missing = dir.path().join("absent.txt");
    assert!(matches!(
        extract_isolated(program(), &missing, Format::Text, &limits).await,
        Err(ExtractError::Failed(_))
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_child_runs_confined_and_without_our_environment() {
    // The child reads its own /proc files: its limits, and its (empty) environment.
    let limits = ExtractLimits {
        timeout: Duration::from_millis(2500),
        ..ExtractLimits::default()
    };
    let text = extract_isolated(
        program(),
        Path::new("/proc/self/limits"),
        Format::Text,
        &limits,
    )
    .await
    .unwrap();
    assert!(
        text.contains("Max address space 1073741824 1073741824 bytes"),
        "{text}"
    );
    // 2.5 s rounds up to 3, plus one; the hard limit one more.
    assert!(text.contains("Max cpu time 4 5 seconds"), "{text}");
    assert!(text.contains("Max core file size 0 0 bytes"), "{text}");

    let environment = extract_isolated(
        program(),
        Path::new("/proc/self/environ"),
        Format::Text,
        &limits,
    )
    .await
    .unwrap();
    assert_eq!(environment, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_child_past_its_time_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let path = slow_html(dir.path());
    let limits = ExtractLimits {
        max_input_bytes: 500 << 20,
        timeout: Duration::from_millis(300),
        ..ExtractLimits::default()
    };
    let started = tokio::time::Instant::now();
    let outcome = extract_isolated(program(), &path, Format::Html, &limits).await;
    assert_eq!(outcome, Err(ExtractError::TimedOut));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // Killed and reaped before extract_isolated returned: no process left for that file.
    let needle = path.to_string_lossy().into_owned();
    assert_eq!(processes_mentioning(&needle), Vec::<String>::new());
}

#[test]
fn a_child_whose_parent_is_gone_still_stops_at_its_cpu_limit() {
    // Run directly, with nobody to kill it: a 1 ms timeout gives a CPU limit of 1 + 1
    // seconds, and the kernel stops it with SIGXCPU.
    let dir = tempfile::tempdir().unwrap();
    let path = slow_html(dir.path());
    let status = std::process::Command::new(program())
        .args([
            "extract-text",
            "--format",
            "html",
            "--max-input-bytes",
            "600000000",
            "--max-output-chars",
            "1000",
            "--max-unpacked-bytes",
            "1000",
            "--timeout-ms",
            "1",
        ])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.signal(), Some(24), "{status:?}"); // SIGXCPU
}
