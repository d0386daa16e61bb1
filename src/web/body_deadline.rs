//! A request body must keep coming: it gets `GRACE` to start plus one second
//! per `MIN_RATE` bytes received, or the request ends with 408. A client
//! trickling a byte a second cannot hold a worker (and, for a signed-in
//! upload, its wait) for long; a large upload on a slow line is unaffected.
//! (actix's `client_request_timeout` already bounds the request head.)

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_http::BoxedPayloadStream;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::rt::time::{Instant, Sleep, sleep_until};
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpResponse, HttpResponseBuilder};
use futures_util::{Future, Stream};

use super::chain::{is_safe, pass_on};

/// Time for the body to start arriving (and for small bodies to arrive).
pub const GRACE: Duration = Duration::from_secs(5);
/// Slowest sustained upload rate accepted, in bytes per second.
pub const MIN_RATE: u64 = 8 * 1024;

struct Deadline {
    inner: Payload,
    started: Instant,
    received: u64,
    timer: Pin<Box<Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl Deadline {
    fn allowed(&self) -> Instant {
        self.started + GRACE + Duration::from_millis(self.received.saturating_mul(1000) / MIN_RATE)
    }
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.expired.get() {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let until = this.allowed();
                this.timer.as_mut().reset(until);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.expired.set(true);
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "request body arrived too slowly",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
            done => done,
        }
    }
}

/// Wraps the body of every request that may have one; whatever an inner
/// layer answered after the deadline passed becomes a 408 page.
pub async fn enforce(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if is_safe(&req) {
        return pass_on(req, next).await;
    }
    let expired = Rc::new(Cell::new(false));
    let started = Instant::now();
    let guarded: BoxedPayloadStream = Box::pin(Deadline {
        inner: req.take_payload(),
        started,
        received: 0,
        timer: Box::pin(sleep_until(started + GRACE)),
        expired: expired.clone(),
    });
    req.set_payload(Payload::from(guarded));
    let res = pass_on(req, next).await?;
    if !expired.get() {
        return Ok(res);
    }
    // The rest of the body is never read, so the connection closes.
    let (req, _) = res.into_parts();
    let mut timeout: HttpResponse =
        HttpResponseBuilder::new(actix_web::http::StatusCode::REQUEST_TIMEOUT).finish();
    timeout
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    Ok(ServiceResponse::new(req, timeout))
}
