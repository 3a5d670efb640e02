//! The fake behind HTTPS, the way production reaches Discord: a throwaway certificate
//! authority, an HTTP CONNECT proxy on 127.0.0.1 that takes `CONNECT discord.com:443` and
//! answers TLS with a discord.com certificate of that authority, and the gateway's
//! `wss://127.0.0.1:PORT` with a certificate of the same authority. Both relay the decrypted
//! bytes to the fake's plain port, so a bot left at `https://discord.com` with its rate
//! limiter on, `HTTPS_PROXY` set to [`HttpsFront::proxy_url`] and `SSL_CERT_FILE` to a file
//! holding [`HttpsFront::ca_pem`] talks to the fake. The proxy tunnels to nowhere else: no
//! byte leaves 127.0.0.1.

use super::lock;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// The one host the proxy tunnels to (port 443): what serenity's REST client asks for.
pub const DISCORD_HOST: &str = "discord.com";

/// How long a CONNECT request's head may be; serenity's is about a hundred bytes.
const MAX_HEAD: usize = 8 * 1024;

/// What went through the front, for tests that check the production path was taken.
#[derive(Debug, Default)]
struct Seen {
    tunnels: Vec<String>,
    refused: Vec<String>,
    gateway_connections: usize,
}

/// The proxy and the gateway's TLS listener; dropping it stops both.
pub struct HttpsFront {
    ca_pem: String,
    proxy: SocketAddr,
    gateway: SocketAddr,
    seen: Arc<Mutex<Seen>>,
    tasks: Vec<JoinHandle<()>>,
}

impl HttpsFront {
    /// Starts the front for the fake listening in plain HTTP at `backend`.
    pub async fn start(backend: SocketAddr) -> HttpsFront {
        let (ca_pem, acceptor) = authority();
        let proxy = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind the HTTPS proxy to 127.0.0.1");
        let gateway = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind the gateway's TLS port to 127.0.0.1");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let addresses = (
            proxy.local_addr().expect("proxy address"),
            gateway.local_addr().expect("gateway address"),
        );
        let tasks = vec![
            tokio::spawn(serve(
                Door::Proxy,
                proxy,
                acceptor.clone(),
                backend,
                Arc::clone(&seen),
            )),
            tokio::spawn(serve(
                Door::Gateway,
                gateway,
                acceptor,
                backend,
                Arc::clone(&seen),
            )),
        ];
        HttpsFront {
            ca_pem,
            proxy: addresses.0,
            gateway: addresses.1,
            seen,
            tasks,
        }
    }

    /// The throwaway authority's certificate, PEM: what `SSL_CERT_FILE` must hold.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// `http://127.0.0.1:PORT`: what `HTTPS_PROXY` must say.
    pub fn proxy_url(&self) -> String {
        format!("http://{}", self.proxy)
    }

    /// `wss://127.0.0.1:PORT/gateway`: what the fake hands out as the gateway.
    pub fn gateway_url(&self) -> String {
        format!("wss://{}/gateway", self.gateway)
    }

    /// The CONNECT targets the proxy tunnelled, in order.
    pub fn tunnels(&self) -> Vec<String> {
        lock(&self.seen).tunnels.clone()
    }

    /// The CONNECT targets the proxy refused (anything but discord.com:443).
    pub fn refused(&self) -> Vec<String> {
        lock(&self.seen).refused.clone()
    }

    /// Gateway connections that completed a TLS handshake.
    pub fn gateway_connections(&self) -> usize {
        lock(&self.seen).gateway_connections
    }
}

impl Drop for HttpsFront {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// A throwaway certificate authority and one server certificate it signed.
pub struct Authority {
    pub ca_pem: String,
    pub server_pem: String,
    /// PKCS #8, PEM.
    pub server_key_pem: String,
    server_der: Vec<u8>,
    server_key_der: Vec<u8>,
}

/// A fresh certificate authority and a certificate for `names`. ECDSA P-256, which rustls
/// verifies with ring.
pub fn throwaway_authority(names: &[&str]) -> Authority {
    let mut ca = CertificateParams::new(Vec::new()).expect("CA parameters");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "sceptic throwaway test CA");
    let ca_key = KeyPair::generate().expect("CA key");
    let ca_pem = ca.self_signed(&ca_key).expect("CA certificate").pem();
    let issuer = Issuer::new(ca, ca_key);

    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut leaf = CertificateParams::new(names).expect("server certificate parameters");
    leaf.use_authority_key_identifier_extension = true;
    let leaf_key = KeyPair::generate().expect("server key");
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .expect("server certificate");
    Authority {
        ca_pem,
        server_pem: leaf_cert.pem(),
        server_key_pem: leaf_key.serialize_pem(),
        server_der: leaf_cert.der().to_vec(),
        server_key_der: leaf_key.serialize_der(),
    }
}

/// A fresh authority and the acceptor presenting its certificate for discord.com and
/// 127.0.0.1.
fn authority() -> (String, TlsAcceptor) {
    let authority = throwaway_authority(&[DISCORD_HOST, "127.0.0.1"]);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(authority.server_der)],
            PrivatePkcs8KeyDer::from(authority.server_key_der).into(),
        )
        .expect("server certificate and key match");
    (authority.ca_pem, TlsAcceptor::from(Arc::new(config)))
}

/// Which door a connection came in by.
#[derive(Clone, Copy, PartialEq)]
enum Door {
    /// The CONNECT proxy: a tunnel first, then TLS as discord.com.
    Proxy,
    /// The gateway: TLS straight away.
    Gateway,
}

async fn serve(
    door: Door,
    listener: TcpListener,
    acceptor: TlsAcceptor,
    backend: SocketAddr,
    seen: Arc<Mutex<Seen>>,
) {
    while let Ok((client, _)) = listener.accept().await {
        let (acceptor, seen) = (acceptor.clone(), Arc::clone(&seen));
        tokio::spawn(async move {
            let client = match door {
                Door::Proxy => match tunnel(client, &seen).await {
                    Some(client) => client,
                    None => return,
                },
                Door::Gateway => client,
            };
            if let Ok(tls) = acceptor.accept(client).await {
                if door == Door::Gateway {
                    lock(&seen).gateway_connections += 1;
                }
                relay(tls, backend).await;
            }
        });
    }
}

/// Reads a CONNECT request and answers it: 200 for `CONNECT discord.com:443`, whose
/// connection it returns, and 403 for anything else.
async fn tunnel(mut client: TcpStream, seen: &Mutex<Seen>) -> Option<TcpStream> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // Byte by byte: the client's TLS hello must stay unread until the tunnel is up.
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_HEAD || client.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let request = head.lines().next().unwrap_or_default().to_string();
    let mut words = request.split_whitespace();
    let target = match (words.next(), words.next()) {
        (Some(method), Some(target)) if method.eq_ignore_ascii_case("CONNECT") => target,
        _ => "",
    };
    if target.eq_ignore_ascii_case(&format!("{DISCORD_HOST}:443")) {
        lock(seen).tunnels.push(target.to_string());
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await
            .ok()?;
        Some(client)
    } else {
        lock(seen).refused.push(request);
        let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\n\r\n").await;
        None
    }
}

/// Copies both ways between the decrypted client and a fresh connection to the fake, until
/// either side closes.
async fn relay(mut client: tokio_rustls::server::TlsStream<TcpStream>, backend: SocketAddr) {
    if let Ok(mut fake) = TcpStream::connect(backend).await {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut fake).await;
    }
}
