//! The `sceptic` binary: argument parsing and process concerns only; the work is in the library.

use anyhow::Context;
use clap::{Parser, Subcommand};
use rand::TryRngCore;
use rand::rngs::OsRng;
use sceptic::config::Config;
use sceptic::discord;
use sceptic::persona::Difficulty;
use sceptic::store::{Location, SessionFilter};
use sceptic::terminal::sessions;
use sceptic::terminal::{self, LineSource, Lines, PracticeOptions};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sceptic",
    version,
    about = "A sceptical B2B customer to practise asking what still holds a buyer back"
)]
struct Cli {
    /// Settings file; config.toml in the working directory when left out.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Talk to a customer in the terminal; no Discord or token needed.
    Practice {
        /// Folder with the persona files; `personas.dir` from the settings when left out.
        #[arg(long)]
        personas: Option<PathBuf>,
        /// Persona id; picked for you when left out.
        #[arg(long)]
        persona: Option<String>,
        /// Seed of the session, to replay exactly the same customer; picked and printed when left out.
        #[arg(long)]
        seed: Option<u64>,
        /// easy, normal or hard; the persona's own when left out.
        #[arg(long)]
        difficulty: Option<Difficulty>,
        /// One JSON object per line on stdout, and nothing else.
        #[arg(long)]
        json: bool,
        /// Write the trust curve of the session as a PNG to FILE when it ends.
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
    },
    /// Read trainee lines from stdin and print the acts read from each, as JSON lines.
    Classify {
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Check, list or show personas.
    Personas {
        #[command(subcommand)]
        command: PersonasCommand,
    },
    /// Run the Discord bot (token from DISCORD_TOKEN, settings from config.toml).
    Bot,
    /// For developers: retrain the reader's model from the labelled corpus.
    Train {
        /// Folder of labelled training files (LANG-*.tsv).
        #[arg(long, default_value = "tests/corpus/train")]
        corpus: PathBuf,
        /// Where the model files go.
        #[arg(long, default_value = "core/src/reader/model")]
        out: PathBuf,
        /// Compare the model designs on validation folds instead of writing models.
        #[arg(long)]
        compare: bool,
        /// With --compare: list the validation messages the shipped design misreads.
        #[arg(long, requires = "compare")]
        misses: bool,
    },
    /// Read the bot's stored sessions: list, show, export.
    Sessions {
        #[command(subcommand)]
        command: SessionsCommand,
    },
    /// Move the bot's data between databases.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Copy every session, message and round into an empty database, then check the copy row
    /// by row. Stop the bot first: what it writes during the copy would not be copied.
    Copy {
        /// The database to copy from (a SQLite file, sqlite://PATH or postgres://...); only read.
        #[arg(long)]
        from: String,
        /// The empty database to copy into; its tables are created.
        #[arg(long)]
        to: String,
    },
}

/// Which sessions: every filter left out matches all.
#[derive(clap::Args)]
struct Filter {
    /// Discord user id of the trainee.
    #[arg(long)]
    member: Option<u64>,
    #[arg(long)]
    persona: Option<String>,
    /// Practice round number.
    #[arg(long)]
    round: Option<i64>,
    /// Started on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = date)]
    since: Option<i64>,
    /// Started before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = date)]
    until: Option<i64>,
}

impl Filter {
    fn into_filter(self) -> SessionFilter {
        SessionFilter {
            id: None,
            guild_id: None,
            trainee_id: self.member,
            persona: self.persona,
            round: self.round,
            since: self.since,
            until: self.until,
        }
    }
}

fn date(text: &str) -> Result<i64, String> {
    sceptic::report::dates::parse_date(text)
        .ok_or_else(|| format!("\"{text}\" is not a date like 2026-11-27"))
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

#[derive(Subcommand)]
enum SessionsCommand {
    /// One line per session, newest first.
    List {
        #[command(flatten)]
        filter: Filter,
    },
    /// The transcript and debrief of one session.
    Show { id: i64 },
    /// One row per session with every debrief figure, as CSV or JSON.
    Export {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PersonasCommand {
    /// Validate every persona file and report all errors at once; exit 1 if any.
    Check { dir: Option<PathBuf> },
    /// List the personas.
    List {
        #[arg(long)]
        personas: Option<PathBuf>,
    },
    /// Show one persona with its doubt pool (for authors and coaches).
    Show {
        id: String,
        #[arg(long)]
        personas: Option<PathBuf>,
    },
}

/// The line editor, with history, for a trainee typing in a terminal.
struct Editor(rustyline::DefaultEditor);

impl LineSource for Editor {
    fn next_line(&mut self, prompt: &str) -> io::Result<Option<String>> {
        use rustyline::error::ReadlineError;
        match self.0.readline(prompt) {
            Ok(line) => {
                let _ = self.0.add_history_entry(line.as_str());
                Ok(Some(line))
            }
            Err(ReadlineError::Eof | ReadlineError::Interrupted) => Ok(None),
            Err(ReadlineError::Io(e)) => Err(e),
            Err(e) => Err(io::Error::other(e)),
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    let dir = |given: Option<PathBuf>| given.unwrap_or_else(|| config.personas.dir.clone());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Practice {
            personas,
            persona,
            seed,
            difficulty,
            json,
            chart,
        } => {
            let personas = dir(personas);
            let report = sceptic::personas::load_dir(&personas)?;
            if !report.errors.is_empty() {
                eprintln!(
                    "warning: {} persona file(s) are invalid and were skipped; run `sceptic personas check {}`",
                    report.rejected.len(),
                    personas.display()
                );
            }
            let options = PracticeOptions {
                persona,
                seed: match seed {
                    Some(seed) => seed,
                    None => {
                        OsRng
                            .try_next_u64()
                            .context("cannot pick a random seed; pass --seed")?
                            >> 12
                    }
                },
                difficulty,
                json,
                chart,
            };
            let mut input: Box<dyn LineSource> = if io::stdin().is_terminal() && !json {
                Box::new(Editor(
                    rustyline::DefaultEditor::new().context("cannot start the line editor")?,
                ))
            } else {
                Box::new(Lines(io::stdin().lock()))
            };
            terminal::practice(
                &report,
                &options,
                input.as_mut(),
                &mut out,
                &mut io::stderr(),
            )?;
        }
        Command::Classify { lang } => {
            terminal::classify(&lang, &mut Lines(io::stdin().lock()), &mut out)?;
        }
        Command::Train {
            corpus,
            out: folder,
            compare,
            misses,
        } => terminal::train::run(&corpus, &folder, compare, misses, &mut out)?,
        Command::Personas { command } => match command {
            PersonasCommand::Check { dir: folder } => {
                if !terminal::check(&dir(folder), &mut out)? {
                    return Ok(ExitCode::FAILURE);
                }
            }
            PersonasCommand::List { personas } => {
                terminal::list(&sceptic::personas::load_dir(&dir(personas))?, &mut out)?
            }
            PersonasCommand::Show { id, personas } => {
                terminal::show(&sceptic::personas::load_dir(&dir(personas))?, &id, &mut out)?;
            }
        },
        Command::Sessions { command } => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let location = Location::parse(&config.storage.url)?;
            if let Location::Sqlite(path) = &location
                && !path.exists()
            {
                anyhow::bail!(
                    "no database at {} (the bot creates it on its first start; see storage.url)",
                    path.display()
                );
            }
            runtime.block_on(async {
                let store = location
                    .open()
                    .await
                    .with_context(|| format!("cannot open {location}"))?;
                let store = &*store;
                match command {
                    SessionsCommand::List { filter } => {
                        sessions::list(store, &filter.into_filter(), &mut out).await?
                    }
                    SessionsCommand::Show { id } => sessions::show(store, id, &mut out).await?,
                    SessionsCommand::Export {
                        filter,
                        format,
                        output,
                    } => {
                        let format = match format {
                            ExportFormat::Csv => sessions::Format::Csv,
                            ExportFormat::Json => sessions::Format::Json,
                        };
                        let filter = filter.into_filter();
                        match output {
                            Some(path) => {
                                let mut file = std::fs::File::create(&path)
                                    .with_context(|| format!("cannot write {}", path.display()))?;
                                let rows =
                                    sessions::export(store, &filter, format, &mut file).await?;
                                eprintln!("{rows} session(s) written to {}", path.display());
                            }
                            None => {
                                sessions::export(store, &filter, format, &mut out).await?;
                            }
                        }
                    }
                }
                anyhow::Ok(())
            })?;
        }
        Command::Store {
            command: StoreCommand::Copy { from, to },
        } => {
            let (from, to) = (Location::parse(&from)?, Location::parse(&to)?);
            if let Location::Sqlite(path) = &from
                && !path.exists()
            {
                anyhow::bail!("--from: there is no database at {}", path.display());
            }
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let copied = runtime.block_on(async {
                let source = from
                    .open()
                    .await
                    .with_context(|| format!("--from: cannot open {from}"))?;
                let target = to
                    .open()
                    .await
                    .with_context(|| format!("--to: cannot open {to}"))?;
                sceptic::store::copy(&*source, &*target)
                    .await
                    .with_context(|| format!("cannot copy {from} to {to}"))
            })?;
            writeln!(
                out,
                "copied {} sessions, {} messages and {} rounds from {from} to {to}",
                copied.sessions, copied.messages, copied.rounds
            )?;
        }
        Command::Bot => {
            let filter =
                tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                    tracing_subscriber::EnvFilter::new("info,serenity=warn,poise=warn,sqlx=warn")
                });
            // Colour only for a person at a terminal: journald and log files get plain text.
            let colour = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(io::stderr)
                .with_ansi(colour)
                .init();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let token = std::env::var("DISCORD_TOKEN").ok();
            runtime.block_on(discord::run(config, token))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
