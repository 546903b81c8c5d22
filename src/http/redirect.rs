//! Plain HTTP → HTTPS redirect.

use axum::extract::Request;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::config::Config;

/// Redirects (308, method kept) to the same path on the HTTPS port, on a host of this
/// instance only: the request's host if it is one of `host_names`, the host of `public_url`,
/// or a loopback name (those the self-signed certificate covers); for any other `Host` —
/// absent, malformed or someone else's name — the instance's own address (`public_url`, else
/// the first host name on the HTTPS port). A forged `Host` never sends the visitor elsewhere.
pub async fn to_https(req: Request, https_port: u16, config: &Config) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let asked = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| strip_port(h).to_ascii_lowercase());
    let public = config
        .public_url
        .as_deref()
        .map(|url| url.trim_end_matches('/'));
    let public_host = public.and_then(|url| {
        let rest = url.split_once("://")?.1;
        Some(strip_port(rest).to_ascii_lowercase())
    });
    let target = match (asked, public) {
        (Some(host), Some(url)) if public_host.as_deref() == Some(host.as_str()) => {
            format!("{url}{path}")
        }
        (Some(host), _) if is_own_host(&host, config) => with_port(&host, https_port, &path),
        (_, Some(url)) => format!("{url}{path}"),
        (_, None) => {
            let host = config
                .host_names
                .first()
                .map_or("localhost", String::as_str);
            let host = if host.parse::<std::net::Ipv6Addr>().is_ok() {
                format!("[{host}]")
            } else {
                host.to_owned()
            };
            with_port(&host, https_port, &path)
        }
    };
    Redirect::permanent(&target).into_response()
}

fn with_port(host: &str, https_port: u16, path: &str) -> String {
    if https_port == 443 {
        format!("https://{host}{path}")
    } else {
        format!("https://{host}:{https_port}{path}")
    }
}

/// Whether `host` (lower case, no port, IPv6 in brackets) is a host name of this instance or
/// a loopback name.
fn is_own_host(host: &str, config: &Config) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    ["localhost", "127.0.0.1", "::1"].contains(&bare)
        || config.host_names.iter().any(|name| name == bare)
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        host.find(']').map_or(host, |end| &host[..=end])
    } else {
        host.split(':').next().unwrap_or(host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn location(host: Option<&str>, config: &Config) -> String {
        let mut request = axum::http::Request::builder().uri("/messagerie?dossier=1");
        if let Some(host) = host {
            request = request.header(header::HOST, host);
        }
        let response = to_https(
            request.body(axum::body::Body::empty()).unwrap(),
            8443,
            config,
        )
        .await;
        response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[tokio::test]
    async fn only_the_instance_names_are_redirected_to() {
        let config = Config {
            host_names: vec![
                "ent.college.fr".into(),
                "192.168.1.20".into(),
                "2001:db8::7".into(),
            ],
            ..Config::default()
        };
        for (host, expected) in [
            (Some("ENT.college.fr"), "https://ent.college.fr:8443"),
            (Some("ent.college.fr:80"), "https://ent.college.fr:8443"),
            (Some("192.168.1.20"), "https://192.168.1.20:8443"),
            (Some("[2001:db8::7]:80"), "https://[2001:db8::7]:8443"),
            (Some("localhost"), "https://localhost:8443"),
            (Some("evil.example"), "https://ent.college.fr:8443"),
            (
                Some("ent.college.fr.evil.example"),
                "https://ent.college.fr:8443",
            ),
            (Some("[::1]:80"), "https://[::1]:8443"),
            (Some("a b"), "https://ent.college.fr:8443"),
            (None, "https://ent.college.fr:8443"),
        ] {
            assert_eq!(
                location(host, &config).await,
                format!("{expected}/messagerie?dossier=1"),
                "{host:?}"
            );
        }
        let config = Config {
            public_url: Some("https://ent.example.org".into()),
            ..config
        };
        assert_eq!(
            location(Some("evil.example"), &config).await,
            "https://ent.example.org/messagerie?dossier=1"
        );
        assert_eq!(
            location(Some("ent.example.org"), &config).await,
            "https://ent.example.org/messagerie?dossier=1"
        );
    }
}
