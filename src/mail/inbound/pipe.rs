//! `rapport receive-mail`: one message on standard input, for a mail server
//! to pipe into (Postfix `pipe`, an alias `|rapport receive-mail`, Exim's
//! pipe transport). The exit status follows `sysexits.h`, which MTAs read:
//! 0 taken (or ignored as automatic, or already received), 65 unreadable
//! (bounced to the sender), 75 temporary failure (the MTA queues the message
//! and tries again; receiving twice is harmless).

use std::io::Read;
use std::process::ExitCode;

use super::{Limits, ReceiveError, Sink, receive};
use crate::config::Config;

const EX_DATAERR: u8 = 65;
const EX_TEMPFAIL: u8 = 75;

pub fn from_stdin(config: &Config, sink: &Sink) -> ExitCode {
    let limits = Limits::default();
    let mut raw = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(limits.message_bytes as u64 + 1)
        .read_to_end(&mut raw);
    if let Err(e) = read {
        eprintln!("rapport: could not read the message: {e}");
        return ExitCode::from(EX_TEMPFAIL);
    }
    let mut conn = match crate::db::connect(&config.database) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rapport: database unavailable: {e}");
            return ExitCode::from(EX_TEMPFAIL);
        }
    };
    match receive(&mut conn, &raw, &limits, sink) {
        Ok(outcome) => {
            eprintln!("rapport: {outcome:?}");
            ExitCode::SUCCESS
        }
        Err(ReceiveError::Unreadable(e)) => {
            eprintln!("rapport: {e}");
            ExitCode::from(EX_DATAERR)
        }
        Err(ReceiveError::Failed(e)) => {
            eprintln!("rapport: could not store the message, try again later: {e}");
            ExitCode::from(EX_TEMPFAIL)
        }
    }
}
