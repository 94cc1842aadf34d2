//! The client's address, which the per-client budgets and the audit log use: the TCP peer,
//! unless the peer is a trusted proxy (`BITTICKET_API_TRUSTED_PROXIES`). Then it is the
//! right-most hop of `Forwarded` (RFC 7239), or else of `X-Forwarded-For`, that is not a
//! trusted proxy itself: the address the outermost trusted proxy saw. Hops further left
//! were written by the client and are never believed; from an untrusted peer the headers
//! are ignored altogether, so nobody can spread themselves over many budgets.
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::FORWARDED;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use crate::startup::AppState;

/// The request's client address, set by [`client_addr`] on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

pub async fn client_addr(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let addr = resolve(peer, req.headers(), &app.settings.http.trusted_proxies);
    req.extensions_mut().insert(ClientAddr(addr));
    next.run(req).await
}

/// The client address of a request from `peer` with `headers`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |a: &IpAddr| trusted.iter().any(|n| n.contains(a));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = if headers.contains_key(FORWARDED) {
        forwarded_hops(headers)
    } else {
        x_forwarded_for_hops(headers)
    };
    // right to left: the first hop that is not a trusted proxy; a hop that is not an
    // address ("unknown", an obfuscated name, garbage) ends the walk at the proxy before it
    let mut last = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(a) if is_trusted(a) => last = *a,
            Some(a) => return *a,
            None => return last,
        }
    }
    last
}

/// Every `X-Forwarded-For` header, in order, each a comma-separated list.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| {
            v.to_str()
                .unwrap_or("\u{0}")
                .split(',')
                .map(|h| parse_node(h.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The `for=` node of every element of every `Forwarded` header, in order.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all(FORWARDED)
        .iter()
        .flat_map(|v| {
            v.to_str()
                .unwrap_or("\u{0}")
                .split(',')
                .map(|element| {
                    element
                        .split(';')
                        .filter_map(|pair| pair.trim().split_once('='))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                        .and_then(|(_, v)| parse_node(v.trim().trim_matches('"')))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// An address, with or without a port (`192.0.2.1:80`, `[2001:db8::1]:443`).
fn parse_node(s: &str) -> Option<IpAddr> {
    if let Ok(a) = s.parse::<IpAddr>() {
        return Some(a);
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    s.strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|a| a.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn only_a_trusted_peer_is_believed_and_only_up_to_the_first_untrusted_hop() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let xff = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.3")]);
        // from the proxy: the hop the proxies saw, not what the client claimed further left
        assert_eq!(resolve(ip("10.0.0.2"), &xff, &trusted), ip("203.0.113.7"));
        // from anyone else: the peer, whatever the header says
        assert_eq!(
            resolve(ip("198.51.100.9"), &xff, &trusted),
            ip("198.51.100.9")
        );
        assert_eq!(resolve(ip("10.0.0.2"), &xff, &[]), ip("10.0.0.2"));
        // two headers are one list
        let two = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "192.0.2.44"),
        ]);
        assert_eq!(resolve(ip("10.0.0.2"), &two, &trusted), ip("192.0.2.44"));
        // no header: the proxy itself
        assert_eq!(
            resolve(ip("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
        // garbage ends the walk at the last trusted hop
        let junk = headers(&[("x-forwarded-for", "1.1.1.1, unknown, 10.0.0.9")]);
        assert_eq!(resolve(ip("10.0.0.2"), &junk, &trusted), ip("10.0.0.9"));
    }

    #[test]
    fn forwarded_is_read_with_ports_quotes_and_ipv6() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let f = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.5:80",
        )]);
        assert_eq!(
            resolve(ip("10.1.2.3"), &f, &trusted),
            ip("2001:db8:cafe::17")
        );
        // Forwarded wins over X-Forwarded-For when both are present
        let both = headers(&[
            ("forwarded", "for=192.0.2.60"),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(resolve(ip("10.1.2.3"), &both, &trusted), ip("192.0.2.60"));
    }
}
