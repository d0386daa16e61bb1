//! Senders of campaigns (`/campaigns/senders`): the addresses campaigns and
//! series steps may come from, besides the workspace address
//! (`RAPPORT_MAIL_FROM`) and the signed-in user's own.
//!
//! An address added here is offered in the editors only once someone who
//! reads its mailbox has confirmed it: adding it queues a mail (outbox, in
//! the same transaction) with a signed link (`Purpose::SenderVerify`, the
//! row id, bound to the address, 7 days). `GET /senders/verify/{token}`
//! shows a button and changes nothing (mail scanners open links); the
//! `POST` marks it verified. A new link may be asked for at most once a
//! minute (one conditional UPDATE of `mailed_at`). Removing a sender keeps
//! the campaigns already written with it as they are.

pub mod admin;
pub mod domain;
pub mod public;
pub mod repo;
mod views;
