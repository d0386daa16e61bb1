//! The `rapport` command line: serve (default), migrate, create-admin,
//! send-test-email, seed-demo, bench-outbox.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::{forms, password};
use crate::config::Config;
use crate::domain::EmailAddress;
use crate::i18n::Locale;
use crate::mail::Mailer;
use crate::startup::{Application, prepare_database};
use crate::web::forms::FieldErrors;
use crate::{audit, db, jobs, seed, staff};

#[derive(Parser, Debug)]
#[command(
    name = "rapport",
    version,
    about = "Rapport CRM server and admin commands"
)]
#[command(after_help = "Configuration comes from RAPPORT_* environment variables; see README.md.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Apply migrations and serve the web app (the default).
    Serve,
    /// Run background jobs (imports, outgoing mail) without serving pages,
    /// until Ctrl-C or SIGTERM; RAPPORT_JOB_WORKERS threads (at least one).
    Worker,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Create an administrator (password from --password, stdin or a prompt).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// Avoid on shared machines: it shows in the process list.
        #[arg(long)]
        password: Option<String>,
    },
    /// Send a test email through the configured transport (checks RAPPORT_SMTP_URL).
    SendTestEmail {
        #[arg(long)]
        to: String,
    },
    /// Queue messages through the outbox and deliver them to RAPPORT_SMTP_URL
    /// (a local sink), reporting messages per second.
    BenchOutbox {
        #[arg(long, default_value_t = 10_000)]
        messages: usize,
        /// Delivering worker threads.
        #[arg(long, default_value_t = 4)]
        workers: usize,
    },
    /// Send a personalised campaign to that many new contacts through
    /// RAPPORT_SMTP_URL (a local sink), reporting emails per second and memory.
    BenchCampaign {
        #[arg(long, default_value_t = 10_000)]
        recipients: usize,
        /// Job worker threads (each runs a lane).
        #[arg(long, default_value_t = 2)]
        workers: usize,
    },
    /// Fill the database with realistic demo data.
    SeedDemo {
        /// How many contacts to create.
        #[arg(long, default_value_t = 500)]
        contacts: u32,
        /// How many deals to create (default: one per account; seven in
        /// ten are open, so 28573 gives 20,000 open deals).
        #[arg(long)]
        deals: Option<u32>,
        /// How many support tickets to create (about five messages each).
        #[arg(long, default_value_t = 0)]
        tickets: usize,
        /// How many quotes and orders to create (about five lines each,
        /// over a catalogue of a few hundred products; default none).
        #[arg(long, default_value_t = 0)]
        orders: u32,
        /// Password given to the demo users (each is <role>@demo.rapport.test).
        #[arg(long, default_value = "demo-password-2026")]
        password: String,
    },
}

/// `seed-demo --tickets N` after the contacts exist.
fn seed_tickets(config: &Config, n: usize) -> Result<(), String> {
    if n == 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut conn = db::connect(&config.database).map_err(|e| e.to_string())?;
    let (tickets, messages) = crate::tickets::seed::run(&mut conn, n).map_err(|e| e.to_string())?;
    println!(
        "{tickets} tickets with {messages} messages in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rapport: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Worker => worker(config),
        Command::Migrate => prepare_database(&config)
            .map(|n| println!("{n} migration(s) applied"))
            .map_err(|e| e.to_string()),
        Command::CreateAdmin {
            email,
            name,
            password,
        } => create_admin(&config, &email, &name, password),
        Command::SendTestEmail { to } => send_test_email(&config, &to),
        Command::BenchOutbox { messages, workers } => {
            crate::mail::bench::run(&config, messages, workers).map(|r| println!("{r}"))
        }
        Command::BenchCampaign {
            recipients,
            workers,
        } => crate::campaigns::bench::run(&config, recipients, workers).map(|r| println!("{r}")),
        Command::SeedDemo {
            contacts,
            deals,
            orders,
            tickets,
            password,
        } => seed::run(&config, contacts, deals, orders, &password).and_then(|summary| {
            println!("{summary}");
            seed_tickets(&config, tickets)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rapport: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(config.clone()).map_err(|e| e.to_string())?;
        tracing::info!(
            "Rapport listening on http://{} (database: {})",
            config.bind.replace(":0", &format!(":{}", app.port())),
            match &config.database {
                db::DbUrl::Mysql(u) => db::redact(u),
                db::DbUrl::Sqlite(p) => format!("sqlite {p}"),
            }
        );
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

fn worker(config: Config) -> Result<(), String> {
    let mailer = Mailer::from_config(&config).map_err(|e| e.to_string())?;
    prepare_database(&config).map_err(|e| e.to_string())?;
    let threads = config.job_workers.max(1);
    let env = jobs::JobEnv {
        pool: db::build_pool(
            &config.database,
            threads as u32 + 1,
            config.db_checkout_timeout,
        ),
        data_dir: config.data_dir.clone(),
        mailer,
        lease: config.job_lease,
        links: crate::signed::PublicLinks::new(&config.secret_key, &config.base_url),
    };
    let workers = jobs::Workers::start(env, threads);
    tracing::info!(threads, "job workers running; Ctrl-C or SIGTERM stops them");
    actix_web::rt::System::new().block_on(async {
        use actix_web::rt::signal::{ctrl_c, unix};
        match unix::signal(unix::SignalKind::terminate()) {
            Ok(mut term) => {
                let interrupted = std::pin::pin!(ctrl_c());
                let terminated = std::pin::pin!(term.recv());
                let _ = futures_util::future::select(interrupted, terminated).await;
            }
            Err(_) => {
                let _ = ctrl_c().await;
            }
        }
    });
    tracing::info!("stopping after the jobs in hand");
    workers.shutdown();
    Ok(())
}

fn read_password(given: Option<String>) -> Result<String, String> {
    if let Some(p) = given {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password for the new administrator: ")
            .map_err(|e| e.to_string());
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn create_admin(
    config: &Config,
    email: &str,
    name: &str,
    password: Option<String>,
) -> Result<(), String> {
    let email = EmailAddress::parse(email).map_err(|e| e.to_string())?;
    let mut errors = FieldErrors::new();
    let name = forms::check_name(name, &mut errors, &Locale::default());
    if let Some(e) = errors.get("name") {
        return Err(e.clone());
    }
    let password = read_password(password)?;
    password::check_policy(&password).map_err(|e| e.to_string())?;
    let hash = password::hash(&password).map_err(|e| e.to_string())?;
    prepare_database(config).map_err(|e| e.to_string())?;
    let mut conn = db::connect(&config.database).map_err(|e| e.to_string())?;
    let t = db::now();
    let id = db::write_tx(&mut conn, |c| {
        if staff::repo::find_by_email(c, email.as_str())?.is_some() {
            return Err(crate::error::AppError::Conflict(crate::i18n::Message::Key(
                crate::i18n::key("cli-user-exists"),
                vec![("email", email.as_str().into())],
            )));
        }
        let id = staff::repo::insert_user(
            c,
            &staff::models::NewUser {
                email: email.as_str(),
                name: &name,
                password_hash: &hash,
                role: crate::auth::policy::Role::Admin,
                team_id: None,
                active: true,
                session_epoch: 0,
                created_at: t,
                updated_at: t,
            },
        )?;
        audit::record(
            c,
            audit::Entry {
                actor: None,
                action: crate::audit::AuditAction::Create,
                entity: crate::audit::AuditEntity::User,
                entity_id: Some(id.get()),
                summary: crate::i18n::StoredMessage::new(crate::i18n::key(
                    "audit-admin-created-cli",
                ))
                .text("email", email.as_str()),
            },
        )?;
        Ok(id)
    })
    .map_err(|e| match e {
        crate::error::AppError::Conflict(m) => Locale::default().message(&m),
        other => format!("{other}: {:?}", other),
    })?;
    println!("administrator {} created (id {id})", email.as_str());
    Ok(())
}

/// Through the outbox like every message: queued, then delivered at once
/// by this process (or by a running server's worker if it was quicker).
fn send_test_email(config: &Config, to: &str) -> Result<(), String> {
    let mailer = Mailer::from_config(config).map_err(|e| e.to_string())?;
    crate::mail::mailbox(to).map_err(|e| e.to_string())?;
    prepare_database(config).map_err(|e| e.to_string())?;
    let pool = db::build_pool(&config.database, 2, config.db_checkout_timeout);
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let locale = crate::mail::recipient_locale(&mut conn, to).map_err(|e| e.to_string())?;
    let email = crate::mail::test_message(config, to, &locale).map_err(|e| e.to_string())?;
    let job = db::write_tx(&mut conn, |c| crate::mail::outbox::enqueue(c, &email))
        .map_err(|e| e.to_string())?;
    drop(conn);
    let runner = jobs::Runner::new(jobs::JobEnv {
        pool,
        data_dir: config.data_dir.clone(),
        mailer: mailer.clone(),
        lease: config.job_lease,
        links: crate::signed::PublicLinks::new(&config.secret_key, &config.base_url),
    });
    let deadline = std::time::Instant::now() + config.job_lease;
    loop {
        let state = runner.run_job(job).map_err(|e| e.to_string())?;
        match state {
            Some(j) if j.status == jobs::repo::DONE => {
                println!("test email to {to} sent via {}", mailer.describe());
                return Ok(());
            }
            Some(j) if j.status != jobs::repo::RUNNING || std::time::Instant::now() > deadline => {
                return Err(format!(
                    "the test email to {to} was not delivered ({}): {}; it stays in the outbox (job {job}) and is retried by the workers",
                    j.status,
                    j.last_error.unwrap_or_default()
                ));
            }
            // Another worker holds it: wait for its result.
            Some(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
            None => return Err(format!("job {job} disappeared")),
        }
    }
}
