use super::TerminalError;
use crate::persona::LoadReport;
use crate::personas::load_dir;
use std::io::Write;
use std::path::Path;

/// `sceptic personas check`: every error in every file, then a summary. Returns whether all
/// files were valid.
pub fn check(dir: &Path, out: &mut dyn Write) -> Result<bool, TerminalError> {
    let report = match load_dir(dir) {
        Ok(report) => report,
        Err(e) => {
            writeln!(out, "{e}")?;
            return Ok(false);
        }
    };
    writeln!(out, "{report}")?;
    Ok(report.errors.is_empty())
}

/// `sceptic personas list`: the valid personas, and the files that were rejected.
pub fn list(report: &LoadReport, out: &mut dyn Write) -> Result<(), TerminalError> {
    for p in &report.personas {
        writeln!(
            out,
            "{:<12} {}  {:<6}  {} ({}, {})",
            p.id,
            p.language,
            p.difficulty.as_str(),
            p.name,
            p.role,
            p.company
        )?;
    }
    for r in &report.rejected {
        writeln!(
            out,
            "{:<12} invalid: {} (run `sceptic personas check` for details)",
            r.id,
            r.file.display()
        )?;
    }
    Ok(())
}

/// `sceptic personas show`: the whole persona, doubt pool included. For authors and coaches.
pub fn show(report: &LoadReport, id: &str, out: &mut dyn Write) -> Result<(), TerminalError> {
    let p = super::practice::find(report, id)?;
    let t = &p.temperament;
    writeln!(
        out,
        "{} ({}) · {} · {}",
        p.name, p.id, p.language, p.difficulty
    )?;
    writeln!(out, "{}, {}", p.role, p.company)?;
    writeln!(out, "Offer: {}", p.offer)?;
    writeln!(out, "Briefing: {}", p.briefing)?;
    writeln!(
        out,
        "Trust {} · signs at {} · patience {} messages · postpones after {} stall(s)",
        t.trust, t.sign_at, t.patience, t.stalls
    )?;
    writeln!(out, "Opening lines:")?;
    for line in &p.opening {
        writeln!(out, "  - {line}")?;
    }
    writeln!(
        out,
        "\nDoubts ({} drawn per session from {}):",
        p.draw,
        p.doubts.len()
    )?;
    for d in &p.doubts {
        let blocking = if d.blocking { ", blocking" } else { "" };
        writeln!(
            out,
            "\n  {} · {} · weight {}{blocking}",
            d.id, d.topic, d.weight
        )?;
        writeln!(out, "    keywords: {}", d.keywords.join(", "))?;
        writeln!(out, "    resolved by: {}", d.resolve.join(", "))?;
        for (label, lines) in [
            ("tells", &d.tells),
            ("reveal", &d.reveal),
            ("resolved", &d.resolved),
            ("unresolved", &d.unresolved),
        ] {
            writeln!(out, "    {label}:")?;
            for line in lines {
                writeln!(out, "      - {line}")?;
            }
        }
    }
    Ok(())
}
