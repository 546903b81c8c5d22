//! The web server: listeners, TLS, graceful shutdown, systemd readiness.

pub mod account;
pub mod admin;
pub mod api;
pub mod assets;
pub mod csrf;
pub mod directory;
pub mod documents;
pub mod extract;
pub mod form_key;
pub mod frame;
pub mod headers;
pub mod health;
pub mod limits;
pub mod messaging;
pub mod notifications;
pub mod path_ids;
pub mod portal;
pub mod problem;
pub mod redirect;
pub mod routes;
pub mod search;
pub mod tls;

use std::future::Future;
use std::io::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;

use crate::config::HttpMode;
use crate::state::AppState;
use routes::Scheme;

/// What prevents the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A listen address cannot be bound.
    #[error("cannot listen on {addr} ({key}): {reason}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The config key that set it.
        key: &'static str,
        /// Why, with the usual fix.
        reason: String,
    },
    /// The certificate cannot be used.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    /// A listener failed while serving.
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

fn bind(addr: SocketAddr, key: &'static str) -> Result<std::net::TcpListener, ServerError> {
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                " — another program (or another Cartable) already uses this port; stop it or choose another port"
            }
            std::io::ErrorKind::PermissionDenied => {
                " — ports below 1024 need the CAP_NET_BIND_SERVICE capability (the packaged service has it)"
            }
            _ => "",
        };
        ServerError::Bind {
            addr,
            key,
            reason: format!("{e}{hint}"),
        }
    })?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// A started server: its bound addresses and running tasks.
pub struct Running {
    /// The HTTPS address actually bound (port 0 resolved).
    pub https: Option<SocketAddr>,
    /// The plain-HTTP address actually bound.
    pub http: Option<SocketAddr>,
    cert_line: String,
    state: AppState,
    servers: tokio::task::JoinSet<std::io::Result<()>>,
    background: tokio::task::JoinSet<std::io::Result<()>>,
    handles: Vec<Handle<SocketAddr>>,
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish (up to the configured
/// grace period) and returns. The caller closes the store afterwards.
pub async fn serve(
    state: AppState,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServerError> {
    let running = start(state).await?;
    announce(
        &running.state,
        running.https,
        running.http,
        &running.cert_line,
    );
    crate::tasks::watchdog::notify_systemd(&[sd_notify::NotifyState::Ready]);
    running.run_until(shutdown).await
}

/// Binds the listeners and starts serving (tests use it directly, with port 0).
pub async fn start(state: AppState) -> Result<Running, ServerError> {
    let config = state.config.clone();
    let https_listener = config
        .listen_https
        .map(|a| bind(a, "listen_https"))
        .transpose()?;
    let http_listener = config
        .listen_http
        .map(|a| bind(a, "listen_http"))
        .transpose()?;
    let https_addr = https_listener
        .as_ref()
        .map(|l| l.local_addr())
        .transpose()?;
    let http_addr = http_listener.as_ref().map(|l| l.local_addr()).transpose()?;

    let mut servers = tokio::task::JoinSet::new();
    let mut background = tokio::task::JoinSet::new();
    let mut handles = Vec::new();
    let mut tls_reload = None;
    let mut cert_line = String::new();
    // One count for both listeners.
    let connection_limits = limits::Limits::new(
        limits::fit_to_open_files(config.http_max_connections),
        config.http_max_connections_per_address,
        config.http_idle_timeout,
    );

    if let Some(listener) = https_listener {
        let (server_config, source) = tls::server_config(&config)?;
        match &source {
            tls::CertSource::SelfSigned { cert, created } => {
                cert_line = format!(" (self-signed certificate: {})", cert.display());
                if *created {
                    tracing::warn!(cert = %cert.display(), "created a self-signed certificate; configure tls_cert and tls_key for a real one");
                }
            }
            tls::CertSource::Configured => {}
        }
        let rustls = RustlsConfig::from_config(server_config);
        tls_reload = Some(rustls.clone());
        let handle: Handle<SocketAddr> = Handle::new();
        handles.push(handle.clone());
        let app = routes::app(state.clone(), Scheme::Https);
        // The caps first (a refused connection costs no handshake), then TCP_NODELAY: the
        // first answer on a new TLS connection must not wait for the client's delayed
        // acknowledgement of the session tickets (≈ 40 ms per sign-in). A client that does not
        // finish its handshake in time is dropped.
        let acceptor = axum_server::tls_rustls::RustlsAcceptor::new(rustls)
            .handshake_timeout(config.http_tls_handshake_timeout)
            .acceptor(limits::LimitAcceptor::new(
                connection_limits.clone(),
                axum_server::accept::NoDelayAcceptor::new(),
            ));
        let mut server = axum_server::from_tcp(listener)?
            .acceptor(acceptor)
            .handle(handle);
        protocol_limits(server.http_builder(), &config);
        servers.spawn(async move {
            server
                .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                .await
        });
    }
    if let Some(listener) = http_listener {
        let app = match (config.http_mode, https_addr) {
            (HttpMode::Redirect, Some(https)) => {
                routes::redirect_to_https(state.clone(), https.port())
            }
            _ => routes::app(state.clone(), Scheme::Http),
        };
        let handle: Handle<SocketAddr> = Handle::new();
        handles.push(handle.clone());
        let mut server = axum_server::from_tcp(listener)?
            .acceptor(limits::LimitAcceptor::new(
                connection_limits.clone(),
                axum_server::accept::NoDelayAcceptor::new(),
            ))
            .handle(handle);
        protocol_limits(server.http_builder(), &config);
        servers.spawn(async move {
            server
                .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                .await
        });
    }

    crate::tasks::start(&state, &mut background);
    if let Some(rustls) = tls_reload {
        let state = state.clone();
        background.spawn(reload_on_sighup(state, rustls));
    }
    Ok(Running {
        https: https_addr,
        http: http_addr,
        cert_line,
        state,
        servers,
        background,
        handles,
    })
}

/// Limits of the HTTP protocols on a listener: how long a request head may take, buffer and
/// header sizes, HTTP/2 streams and pings.
fn protocol_limits(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    config: &crate::config::Config,
) {
    builder
        .http1()
        // Also bounds the wait for the next request on a kept-alive connection.
        .header_read_timeout(config.http_header_read_timeout)
        .max_buf_size(MAX_HEADER_BYTES)
        .max_headers(100);
    builder
        .http2()
        .max_concurrent_streams(config.http2_max_concurrent_streams)
        .keep_alive_interval(config.http2_keep_alive_interval)
        .keep_alive_timeout(Duration::from_secs(20))
        .max_header_list_size(MAX_HEADER_BYTES as u32)
        .max_pending_accept_reset_streams(20)
        .max_local_error_reset_streams(256);
}

/// The largest request head (HTTP/1.1 read buffer, HTTP/2 header list): 64 KiB.
const MAX_HEADER_BYTES: usize = 64 * 1024;

impl Running {
    /// Serves until `shutdown` resolves, then drains connections within the grace period.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), ServerError> {
        let Running {
            state,
            mut servers,
            mut background,
            handles,
            ..
        } = self;
        let config = state.config.clone();
        tokio::select! {
            () = shutdown => {}
            Some(result) = servers.join_next() => {
                // A listener ended on its own: that is a failure.
                if let Ok(Err(e)) = result {
                    return Err(ServerError::Io(e));
                }
            }
        }
        tracing::info!("shutting down: finishing in-flight requests");
        crate::tasks::watchdog::notify_systemd(&[sd_notify::NotifyState::Stopping]);
        background.abort_all();
        // The indexer's blocking work ends at its next item instead of delaying the exit.
        state.search.stop();
        for handle in &handles {
            handle.graceful_shutdown(Some(config.shutdown_grace));
        }
        let drained = async { while servers.join_next().await.is_some() {} };
        if tokio::time::timeout(config.shutdown_grace + Duration::from_secs(1), drained)
            .await
            .is_err()
        {
            tracing::warn!("some connections did not finish within the grace period");
        }
        Ok(())
    }
}

fn announce(state: &AppState, https: Option<SocketAddr>, http: Option<SocketAddr>, cert: &str) {
    let config = &state.config;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Cartable {} is serving {}/",
        env!("CARGO_PKG_VERSION"),
        config.display_url(https, http)
    );
    if let Some(addr) = https {
        let _ = writeln!(out, "  HTTPS  {addr}{cert}");
    }
    if let Some(addr) = http {
        let what = if config.http_mode == HttpMode::Redirect && https.is_some() {
            "redirects to HTTPS"
        } else {
            "serves plain HTTP (put a TLS reverse proxy in front)"
        };
        let _ = writeln!(out, "  HTTP   {addr} {what}");
    }
    let _ = writeln!(out, "  data   {}", config.data_dir.display());
    let _ = out.flush();
    tracing::info!(?https, ?http, data_dir = %config.data_dir.display(), "listening");
}

/// Reloads the certificate files on SIGHUP without dropping connections.
async fn reload_on_sighup(state: AppState, rustls: RustlsConfig) -> std::io::Result<()> {
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    while hangup.recv().await.is_some() {
        crate::tasks::watchdog::notify_systemd(&[sd_notify::NotifyState::Reloading]);
        match tls::server_config(&state.config) {
            Ok((config, _)) => {
                rustls.reload_from_config(config);
                tracing::info!("TLS certificate reloaded");
            }
            Err(e) => {
                tracing::error!(error = %e, "TLS certificate not reloaded; keeping the previous one")
            }
        }
        crate::tasks::watchdog::notify_systemd(&[sd_notify::NotifyState::Ready]);
    }
    Ok(())
}
