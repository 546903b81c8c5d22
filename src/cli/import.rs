//! `cartable import`: the académie's AAF export or the establishment's CSV files.

use anyhow::{Context, Result, bail};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::i18n::Lang;

use super::*;

pub(super) fn import(config: &Config, clock: SharedClock, args: &ImportArgs) -> Result<()> {
    use crate::domain::import::aaf;
    use crate::domain::import::aaf_apply::{self, ImportError, ImportReport};
    use crate::model::directory::SchoolYear;

    fn print_report(report: &ImportReport) {
        for line in report.summary() {
            println!("{line}");
        }
        for line in &report.lines {
            println!("  {}", line.render(Lang::Fr));
        }
        if report.lines_omitted > 0 {
            println!("  … and {} more", report.lines_omitted);
        }
        for warning in &report.warnings {
            println!("WARNING: {}", warning.render(Lang::Fr));
        }
        for error in &report.errors {
            println!("ERROR: {}", error.render(Lang::Fr));
        }
    }

    let Some(aaf_dir) = &args.aaf else {
        return import_csv_files(config, clock, args);
    };
    let selection = aaf::select_files(aaf_dir)?;
    for name in &selection.ignored {
        println!("Ignored (not an AAF file name): {name}");
    }
    let mut files = Vec::with_capacity(selection.files.len());
    for selected in &selection.files {
        let file = aaf::parse_file(&selected.path)?;
        println!("Read {}: {} records", file.name, file.records.len());
        files.push(file);
    }
    let year = match args.year {
        Some(year) => SchoolYear(year),
        None => files
            .iter()
            .map(|f| f.date)
            .max()
            .map(SchoolYear::of)
            .context("no AAF file to import")?,
    };
    println!("School year {}-{}", year.0, year.0 + 1);
    let store = open_store(config, clock)?;
    let total: usize = files.iter().map(|f| f.records.len()).sum();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(u64::try_from(total).unwrap_or(u64::MAX)),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} records, {elapsed}")
    {
        bar.set_style(style);
    }
    let result =
        aaf_apply::import_aaf_with_progress(&store, &files, year, args.dry_run, &mut |n| {
            bar.set_position(u64::try_from(n).unwrap_or(u64::MAX));
        });
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            print_report(&report);
            if report.changed_nothing() {
                println!("Nothing to change: the store already matches these files.");
            }
            if args.dry_run {
                println!("Dry run: nothing was written.");
            } else {
                println!("Import done (change log at entry {}).", store.head().seq);
            }
            Ok(())
        }
        Err(ImportError::Refused(report)) => {
            print_report(&report);
            bail!(
                "the import was refused: {} error(s); nothing was written. Fix the files and run it again.",
                report.errors.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `import --establishment UAI FILE…`: spreadsheet files, each in one transaction, pupils
/// before teachers before parents. A dry run previews them all together and writes nothing;
/// a real import stops at the first refused file.
pub(super) fn import_csv_files(
    config: &Config,
    clock: SharedClock,
    args: &ImportArgs,
) -> Result<()> {
    use crate::domain::import::aaf_apply::{ImportError, ImportReport};
    use crate::domain::import::csv_apply::{self, CsvKind};
    use crate::model::directory::SchoolYear;
    use crate::store::tables::UAI_TO_ESTABLISHMENT;
    use std::io::Read as _;

    fn print_report(kind: CsvKind, report: &ImportReport) {
        for line in csv_apply::summary(kind, report) {
            println!("{line}");
        }
        for line in &report.lines {
            println!("  {}", line.render(Lang::Fr));
        }
        if report.lines_omitted > 0 {
            println!("  … and {} more", report.lines_omitted);
        }
        for warning in &report.warnings {
            println!("WARNING: {}", warning.render(Lang::Fr));
        }
        for error in &report.errors {
            println!("ERROR: {}", error.render(Lang::Fr));
        }
    }

    if args.files.is_empty() {
        bail!("nothing to import: give --aaf DIR, or --establishment UAI and spreadsheet files");
    }
    let uai = args
        .establishment
        .as_deref()
        .context("--establishment UAI is required with spreadsheet files")?
        .trim()
        .to_uppercase();
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut bytes = Vec::new();
        file.take(CSV_MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if bytes.len() as u64 > CSV_MAX_BYTES {
            bail!(
                "{} is larger than {} MB: not a spreadsheet of one school",
                path.display(),
                CSV_MAX_BYTES / 1024 / 1024
            );
        }
        let kind = match args.kind {
            Some(kind) => CsvKind::from(kind),
            None => CsvKind::detect(&bytes).with_context(|| {
                format!(
                    "{}: cannot tell from its header whether it lists pupils, parents or \
                     teachers; give --kind eleves|parents|enseignants",
                    path.display()
                )
            })?,
        };
        files.push((path.display().to_string(), kind, bytes));
    }
    files.sort_by_key(|(_, kind, _)| *kind);
    let today = crate::clock::paris_date(clock.now());
    let year = args.year.map_or_else(|| SchoolYear::of(today), SchoolYear);
    let store = open_store(config, clock)?;
    let establishment = store
        .read()?
        .get(&UAI_TO_ESTABLISHMENT, &uai)?
        .with_context(|| format!("no establishment with UAI {uai}: create it first"))?;
    println!("Establishment {uai}, school year {}-{}", year.0, year.0 + 1);

    if args.dry_run {
        let inputs: Vec<(CsvKind, &[u8])> = files
            .iter()
            .map(|(_, kind, bytes)| (*kind, bytes.as_slice()))
            .collect();
        let reports = csv_apply::preview_csv(
            &store,
            &crate::model::Actor::system(),
            establishment,
            year,
            &inputs,
            today,
        )?;
        let mut refused = 0;
        for ((name, kind, _), report) in files.iter().zip(&reports) {
            println!("File {name} ({}):", kind.label());
            print_report(*kind, report);
            if !report.errors.is_empty() {
                refused += 1;
                println!(
                    "This file would be refused: {} bad line(s).",
                    report.errors.len()
                );
            } else if report.changed_nothing() {
                println!("Nothing to change: the store already matches this file.");
            }
        }
        println!("Dry run: nothing was written.");
        if refused > 0 {
            bail!("{refused} file(s) would be refused; fix them and run the import again");
        }
        return Ok(());
    }

    for (i, (name, kind, bytes)) in files.iter().enumerate() {
        println!("File {name} ({}):", kind.label());
        match csv_apply::import_csv(
            &store,
            &crate::model::Actor::system(),
            establishment,
            year,
            *kind,
            bytes,
            today,
            false,
        ) {
            Ok(report) => {
                print_report(*kind, &report);
                if report.changed_nothing() {
                    println!("Nothing to change: the store already matches this file.");
                } else {
                    println!("Import done (change log at entry {}).", store.head().seq);
                }
            }
            Err(ImportError::Refused(report)) => {
                print_report(*kind, &report);
                for (later, _, _) in &files[i + 1..] {
                    println!("Not imported (an earlier file was refused): {later}");
                }
                bail!(
                    "{name} was refused: {} bad line(s); nothing of it was written. Fix the file and run the import again.",
                    report.errors.len()
                )
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
