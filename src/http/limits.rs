//! Connection limits (issue 12 §2): a cap on open connections, overall and per address, with
//! an immediate close past it, and the idle timeout (a connection with no request in progress
//! is closed after `http_idle_timeout`).
//!
//! [`LimitAcceptor`] runs first on every accepted TCP connection, before TLS. It takes a slot
//! ([`Slot`]) or closes the connection at once; the slot is given back when the connection ends.
//! It wraps the stream ([`Tracked`]) and the connection's service ([`TrackedService`]): the
//! service counts the requests in progress (until their answer's body is sent or dropped), and
//! the stream ends the connection (end of file on read) once none has been in progress for the
//! idle timeout. Header-read, TLS handshake and HTTP/2 limits are set in `http::start`.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::http::{Request, Response};
use axum_server::accept::Accept;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// The open-connection counts and caps, shared by both listeners.
pub struct Limits {
    max_total: usize,
    max_per_address: usize,
    idle: Duration,
    total: AtomicUsize,
    per_address: Mutex<HashMap<IpAddr, usize>>,
    refused: AtomicUsize,
}

impl Limits {
    /// Caps of `max_total` connections overall and `max_per_address` per address, and the idle
    /// timeout.
    pub fn new(max_total: usize, max_per_address: usize, idle: Duration) -> Arc<Limits> {
        Arc::new(Limits {
            max_total,
            max_per_address,
            idle,
            total: AtomicUsize::new(0),
            per_address: Mutex::new(HashMap::new()),
            refused: AtomicUsize::new(0),
        })
    }

    /// The open connections now.
    pub fn open(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }

    /// The connections refused so far.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::Relaxed)
    }

    /// A slot for a connection from `ip`, or `None` past a cap.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let key = address_key(ip);
        let mut per = self
            .per_address
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let count = per.get(&key).copied().unwrap_or(0);
        if self.total.load(Ordering::Relaxed) >= self.max_total || count >= self.max_per_address {
            drop(per);
            let refused = self.refused.fetch_add(1, Ordering::Relaxed);
            // One line per thousand refusals: a flood must not flood the log.
            if refused.is_multiple_of(1000) {
                tracing::warn!(
                    address = %key,
                    open = self.open(),
                    refused = refused + 1,
                    "connection refused: too many open connections (http_max_connections, http_max_connections_per_address)"
                );
            }
            return None;
        }
        per.insert(key, count + 1);
        self.total.fetch_add(1, Ordering::Relaxed);
        Some(Slot {
            limits: self.clone(),
            key,
        })
    }
}

/// The key an address is counted under: an IPv4 address (also when IPv4-mapped), or the /64
/// of an IPv6 address (one subscriber usually holds a whole /64).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

/// One open connection's place under the caps; given back on drop.
pub struct Slot {
    limits: Arc<Limits>,
    key: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut per = self
            .limits
            .per_address
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = per.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                per.remove(&self.key);
            }
        }
        self.limits.total.fetch_sub(1, Ordering::Relaxed);
    }
}

/// What the stream and the service of one connection share.
struct Connection {
    in_flight: AtomicUsize,
    idle_since: Mutex<Instant>,
    reader: Mutex<Option<Waker>>,
    _slot: Slot,
}

impl Connection {
    fn idle_since(&self) -> Instant {
        *self
            .idle_since
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A request in progress on a connection (until its answer's body is sent or dropped).
struct InFlight(Arc<Connection>);

impl InFlight {
    fn new(conn: Arc<Connection>) -> InFlight {
        conn.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            *self
                .0
                .idle_since
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Instant::now();
            // The reader may be waiting without a timer (it was busy): let it arm one.
            let waker = self
                .0
                .reader
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }
}

/// The acceptor that applies the caps, then `inner` (TCP_NODELAY), and wraps the stream and
/// the service for the idle timeout.
#[derive(Clone)]
pub struct LimitAcceptor<A> {
    limits: Arc<Limits>,
    inner: A,
}

impl<A> LimitAcceptor<A> {
    /// `inner` runs after the caps let the connection in.
    pub fn new(limits: Arc<Limits>, inner: A) -> LimitAcceptor<A> {
        LimitAcceptor { limits, inner }
    }
}

type AcceptFuture<T, S> = Pin<Box<dyn Future<Output = io::Result<(T, S)>> + Send>>;

impl<A, S> Accept<TcpStream, S> for LimitAcceptor<A>
where
    A: Accept<TcpStream, S>,
    A::Future: Send + 'static,
    A::Stream: Send + 'static,
    A::Service: Send + 'static,
{
    type Stream = Tracked<A::Stream>;
    type Service = TrackedService<A::Service>;
    type Future = AcceptFuture<Self::Stream, Self::Service>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let slot = stream
            .peer_addr()
            .ok()
            .and_then(|peer| self.limits.admit(peer.ip()));
        let Some(slot) = slot else {
            // Dropping the stream closes it now: a refusal costs no TLS handshake.
            drop(stream);
            return Box::pin(std::future::ready(Err(io::Error::new(
                io::ErrorKind::ConnectionRefused,
                "too many open connections",
            ))));
        };
        let idle = self.limits.idle;
        let accepted = self.inner.accept(stream, service);
        Box::pin(async move {
            let (stream, service) = accepted.await?;
            let conn = Arc::new(Connection {
                in_flight: AtomicUsize::new(0),
                idle_since: Mutex::new(Instant::now()),
                reader: Mutex::new(None),
                _slot: slot,
            });
            let deadline = conn.idle_since() + idle;
            Ok((
                Tracked {
                    inner: stream,
                    conn: conn.clone(),
                    idle,
                    timer: Box::pin(tokio::time::sleep_until(deadline)),
                    closed: false,
                },
                TrackedService {
                    inner: service,
                    conn,
                },
            ))
        })
    }
}

/// A connection's stream: reads end (end of file) once no request has been in progress for
/// the idle timeout.
pub struct Tracked<T> {
    inner: T,
    conn: Arc<Connection>,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
    closed: bool,
}

impl<T: AsyncRead + Unpin> AsyncRead for Tracked<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.closed {
            return Poll::Ready(Ok(()));
        }
        let this = &mut *self;
        if let Poll::Ready(result) = Pin::new(&mut this.inner).poll_read(cx, buf) {
            return Poll::Ready(result);
        }
        *this
            .conn
            .reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(cx.waker().clone());
        if this.conn.in_flight.load(Ordering::Acquire) == 0 {
            let deadline = this.conn.idle_since() + this.idle;
            if this.timer.deadline() != deadline {
                this.timer.as_mut().reset(deadline);
            }
            if this.timer.as_mut().poll(cx).is_ready()
                && this.conn.in_flight.load(Ordering::Acquire) == 0
            {
                tracing::debug!("closing an idle connection (http_idle_timeout)");
                this.closed = true;
                return Poll::Ready(Ok(()));
            }
        }
        Poll::Pending
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Tracked<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// A connection's service: counts the requests in progress.
#[derive(Clone)]
pub struct TrackedService<S> {
    inner: S,
    conn: Arc<Connection>,
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for TrackedService<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = Response<TrackedBody<ResBody>>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let guard = InFlight::new(self.conn.clone());
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|body| TrackedBody {
                inner: body,
                _guard: guard,
            }))
        })
    }
}

/// An answer's body, keeping its request "in progress" until it is sent or dropped.
pub struct TrackedBody<B> {
    inner: B,
    _guard: InFlight,
}

impl<B: http_body::Body + Unpin> http_body::Body for TrackedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<B::Data>, B::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Raises the soft open-file limit to the hard one and returns the connection cap that fits
/// under it (`wanted`, or less with room kept for the store, the index and the blobs).
pub fn fit_to_open_files(wanted: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let room = limit.saturating_sub((limit / 10).max(256)).max(16);
    if room < wanted {
        tracing::warn!(
            open_files = limit,
            http_max_connections = wanted,
            using = room,
            "the open-file limit is too low for http_max_connections; raise LimitNOFILE"
        );
        room
    } else {
        wanted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_count_per_address_and_overall_and_give_slots_back() {
        let limits = Limits::new(3, 2, Duration::from_secs(1));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let a1 = limits.admit(a);
        let a2 = limits.admit(a);
        assert!(a1.is_some() && a2.is_some());
        assert!(limits.admit(a).is_none(), "per address");
        let b1 = limits.admit(b);
        assert!(b1.is_some());
        assert!(limits.admit(b).is_none(), "overall");
        drop(a1);
        assert!(limits.admit(b).is_some());
        assert_eq!(limits.refused(), 2);
    }

    #[test]
    fn ipv6_addresses_count_per_64_and_mapped_ipv4_as_ipv4() {
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let two: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(address_key(one), address_key(two));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped).to_string(), "192.0.2.7");
    }
}
