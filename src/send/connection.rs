//! One SMTP session of our own making: the socket is opened here with TCP_NODELAY (lettre's
//! own transport never sets it, which caps a connection at a few dozen messages a second),
//! then handed to lettre's connection for the protocol. Each step — DNS, TCP, TLS, AUTH — is
//! reported on its own, for the account's "test connection", and every reply is read with a
//! timeout. A delivery knows how far it got, so a lost connection before DATA is told apart
//! from one after it.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters,
};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use ts_rs::TS;

use super::account::{Security, SmtpAccount};
use super::transport::{Outcome, ReplyKind, outcome_of};

/// The steps of opening a session, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ConnectStep {
    Dns,
    Tcp,
    Tls,
    Auth,
}

/// How one step went, for the "test connection" report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StepReport {
    pub step: ConnectStep,
    pub ok: bool,
    /// What was found (the address, the TLS version, the login) or what went wrong.
    pub detail: String,
    pub millis: u32,
}

/// Why a session could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError {
    pub step: ConnectStep,
    pub message: String,
    /// The server turned us away for now (421 at the greeting): worth trying again later.
    pub transient: bool,
}

impl ConnectError {
    /// Worth trying again later: the server was unreachable or turned us away for now. A
    /// refused TLS handshake or login will not fix itself.
    pub fn may_pass(&self) -> bool {
        self.transient || matches!(self.step, ConnectStep::Dns | ConnectStep::Tcp)
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let step = match self.step {
            ConnectStep::Dns => "finding the server",
            ConnectStep::Tcp => "connecting",
            ConnectStep::Tls => "securing the connection",
            ConnectStep::Auth => "logging in",
        };
        write!(f, "{step}: {}", self.message)
    }
}

pub struct Session {
    conn: AsyncSmtpConnection,
    timeout: Duration,
    /// The server takes MAIL, RCPT and DATA in one write (RFC 2920): two round trips fewer
    /// per message, which over the internet is most of a message's time.
    pipelining: bool,
}

/// Opens a session — DNS, TCP, TLS, AUTH — reporting each step to `report` as it ends.
pub async fn open(
    account: &SmtpAccount,
    report: impl FnMut(StepReport),
) -> Result<Session, ConnectError> {
    let timeout = account.timeout;
    let mut steps = Steps { report };
    let hello = ClientId::default();

    let started = Instant::now();
    let addresses = resolve(account, timeout).await.map(|a| {
        let shown = list(&a);
        (a, shown)
    });
    let addresses = steps.done(ConnectStep::Dns, started, addresses)?;

    let started = Instant::now();
    let tcp = connect_tcp(&addresses, timeout).await;
    let conn = match account.security {
        Security::Tls => {
            let (tcp, address) = steps.done(ConnectStep::Tcp, started, with_address(tcp))?;
            let started = Instant::now();
            let greeted = async {
                let tls = implicit_tls(account, tcp).await?;
                greet(Box::new(Wire(tls)), &hello, timeout).await
            };
            let conn = greeted.await.map(|c| (c, format!("TLS with {address}")));
            steps.done(ConnectStep::Tls, started, conn)?
        }
        Security::Starttls | Security::Insecure => {
            let greeted = async {
                let (tcp, address) = tcp?;
                let conn = greet(Box::new(tcp), &hello, timeout).await?;
                Ok((conn, address.to_string()))
            };
            let mut conn = steps.done(ConnectStep::Tcp, started, greeted.await)?;
            let started = Instant::now();
            let secured = if account.security == Security::Starttls {
                starttls(&mut conn, account, &hello, timeout)
                    .await
                    .map(|()| ((), "STARTTLS".to_string()))
            } else {
                Ok(((), "none: a server on this computer".to_string()))
            };
            steps.done(ConnectStep::Tls, started, secured)?;
            conn
        }
    };
    let mut session = Session {
        conn,
        timeout,
        pipelining: false,
    };
    // lettre keeps only the EHLO keywords it knows; asking again (allowed at any time before
    // a transaction, and before the login here) tells whether the server pipelines.
    session.pipelining = session.offers_pipelining(&hello).await;

    let started = Instant::now();
    let login = session.login(account).await;
    steps.done(ConnectStep::Auth, started, login)?;
    Ok(session)
}

/// Reports each step and turns a failed one into the error that ends the attempt.
struct Steps<F> {
    report: F,
}

impl<F: FnMut(StepReport)> Steps<F> {
    fn done<T>(
        &mut self,
        step: ConnectStep,
        started: Instant,
        result: Result<(T, String), String>,
    ) -> Result<T, ConnectError> {
        let millis = started.elapsed().as_millis().min(u32::MAX.into()) as u32;
        let (ok, detail) = match &result {
            Ok((_, detail)) => (true, detail.clone()),
            Err(message) => (false, message.clone()),
        };
        (self.report)(StepReport {
            step,
            ok,
            detail,
            millis,
        });
        result
            .map(|(value, _)| value)
            .map_err(|message| ConnectError {
                step,
                transient: message.starts_with("421"),
                message,
            })
    }
}

fn with_address<T>(
    result: Result<(T, SocketAddr), String>,
) -> Result<((T, SocketAddr), String), String> {
    result.map(|(value, address)| ((value, address), address.to_string()))
}

/// Reads the greeting and says EHLO.
async fn greet(
    stream: Box<dyn AsyncTokioStream>,
    hello: &ClientId,
    timeout: Duration,
) -> Result<AsyncSmtpConnection, String> {
    let greeting = AsyncSmtpConnection::connect_with_transport(stream, hello);
    within(timeout, greeting).await
}

async fn starttls(
    conn: &mut AsyncSmtpConnection,
    account: &SmtpAccount,
    hello: &ClientId,
    timeout: Duration,
) -> Result<(), String> {
    if !conn.can_starttls() {
        return Err("the server does not offer STARTTLS, which is required".into());
    }
    let parameters = tls_parameters(account)?;
    within(timeout, conn.starttls(parameters, hello)).await
}

/// Runs one exchange with the server within the timeout, its error as text.
async fn within<T>(
    timeout: Duration,
    exchange: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, String> {
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
    }
}

/// lettre's TLS settings for STARTTLS: the system's roots plus the account's own.
fn tls_parameters(account: &SmtpAccount) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(account.host.clone());
    for pem in &account.extra_roots {
        builder =
            builder.add_root_certificate(Certificate::from_pem(pem).map_err(|e| e.to_string())?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// TLS from the first byte (port 465), with the same roots as STARTTLS: done here because
/// lettre's implicit TLS opens its own socket, without TCP_NODELAY.
async fn implicit_tls(
    account: &SmtpAccount,
    tcp: TcpStream,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, String> {
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    for pem in &account.extra_roots {
        for cert in CertificateDer::pem_slice_iter(pem) {
            roots
                .add(cert.map_err(|e| format!("the extra root certificate: {e}"))?)
                .map_err(|e| format!("the extra root certificate: {e}"))?;
        }
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(account.host.clone()).map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let handshake = connector.connect(name, tcp);
    match tokio::time::timeout(account.timeout, handshake).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(format!(
            "no TLS handshake within {} s",
            account.timeout.as_secs()
        )),
    }
}

/// An implicit-TLS stream as lettre's connection takes it.
#[derive(Debug)]
struct Wire(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for Wire {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Wire {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Wire {
    fn peer_addr(&self) -> std::io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

/// How far a delivery got before something went wrong: up to the DATA command the server
/// cannot have taken the mail; after it, it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Envelope,
    Content,
}

impl Session {
    async fn login(&mut self, account: &SmtpAccount) -> Result<((), String), String> {
        let Some(user) = &account.user else {
            return Ok(((), "no login".into()));
        };
        let credentials =
            Credentials::new(user.clone(), account.password.clone().unwrap_or_default());
        let mechanisms = [Mechanism::Plain, Mechanism::Login];
        within(self.timeout, self.conn.auth(&mechanisms, &credentials)).await?;
        Ok(((), format!("logged in as {user}")))
    }

    /// Sends one message to one recipient and says what became of it. After anything but a
    /// clean reply the session is done for: `broken()` says so.
    pub async fn deliver(&mut self, from: &Address, to: &Address, message: &[u8]) -> Outcome {
        match self.transaction(from, to, message).await {
            Ok(reply) => outcome_of(ReplyKind::Accepted, None, &reply),
            Err((stage, error)) => {
                let outcome = classify(stage, &error);
                if !self.conn.has_broken() {
                    // A refused envelope leaves the session usable once reset.
                    if !matches!(self.answer(Ask::Command(Rset.to_string())).await, Ok(Ok(_))) {
                        self.abandon().await;
                    }
                }
                outcome
            }
        }
    }

    async fn offers_pipelining(&mut self, hello: &ClientId) -> bool {
        match tokio::time::timeout(self.timeout, self.conn.command(Ehlo::new(hello.clone()))).await
        {
            Ok(Ok(reply)) => reply
                .message()
                .any(|line| line.trim().eq_ignore_ascii_case("PIPELINING")),
            _ => false,
        }
    }

    async fn transaction(
        &mut self,
        from: &Address,
        to: &Address,
        message: &[u8],
    ) -> Result<String, (Stage, Failure)> {
        let envelope = |e| (Stage::Envelope, e);
        let options = self.mail_options(to, message).map_err(envelope)?;
        let mail = Mail::new(Some(from.clone()), options);
        let rcpt = Rcpt::new(to.clone(), Vec::new());
        if self.pipelining {
            self.envelope_pipelined(&mail, &rcpt)
                .await
                .map_err(envelope)?;
        } else {
            self.exchange(mail).await.map_err(envelope)?;
            self.exchange(rcpt).await.map_err(envelope)?;
            self.exchange(Data).await.map_err(envelope)?;
        }
        let reply = match self.answer(Ask::Message(message)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Err((Stage::Content, Failure::Smtp(e))),
            Err(failure) => return Err((Stage::Content, failure)),
        };
        Ok(format!(
            "{} {}",
            reply.code(),
            reply.message().collect::<Vec<_>>().join(" ")
        ))
    }

    async fn exchange(&mut self, command: impl std::fmt::Display) -> Result<(), Failure> {
        match self.answer(Ask::Command(command.to_string())).await? {
            Ok(_) => Ok(()),
            Err(e) => Err(Failure::Smtp(e)),
        }
    }

    /// MAIL, RCPT and DATA in one write, then their three replies in order. The first refusal
    /// is the answer; should a server take DATA all the same, the empty message is ended at
    /// once so the session stays in step (with no recipient, nobody gets it).
    async fn envelope_pipelined(&mut self, mail: &Mail, rcpt: &Rcpt) -> Result<(), Failure> {
        let mail = self
            .answer(Ask::Command(format!("{mail}{rcpt}{Data}")))
            .await?;
        let rcpt = self.answer(Ask::Reply).await?;
        let data = self.answer(Ask::Reply).await?;
        if data.is_ok() && (mail.is_err() || rcpt.is_err()) {
            self.answer(Ask::Message(b"")).await?.ok();
        }
        match [mail, rcpt, data].into_iter().find_map(Result::err) {
            Some(refusal) => Err(Failure::Smtp(refusal)),
            None => Ok(()),
        }
    }

    /// One reply of the server within the timeout — a refusal is a reply too (the inner
    /// result). No reply in time ends the session: a late one would answer the wrong command.
    async fn answer(&mut self, ask: Ask<'_>) -> Result<Result<Response, SmtpError>, Failure> {
        let timeout = self.timeout;
        let answered = match ask {
            Ask::Command(text) => tokio::time::timeout(timeout, self.conn.command(text)).await,
            Ask::Reply => tokio::time::timeout(timeout, self.conn.read_response()).await,
            Ask::Message(bytes) => tokio::time::timeout(timeout, self.conn.message(bytes)).await,
        };
        match answered {
            Ok(answer) => Ok(answer),
            Err(_) => {
                self.abandon().await;
                Err(Failure::Timeout(timeout))
            }
        }
    }

    /// Gives the session up: a polite QUIT if the server still answers, briefly; either way
    /// the connection counts as broken from here on.
    async fn abandon(&mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.conn.abort()).await;
    }

    /// SMTPUTF8 for an address beyond ASCII, 8BITMIME for content beyond it — each only when
    /// the server offers it, as RFC 6531 and RFC 6152 require.
    fn mail_options(&self, to: &Address, message: &[u8]) -> Result<Vec<MailParameter>, Failure> {
        let info = self.conn.server_info();
        let mut options = Vec::new();
        if !AsRef::<str>::as_ref(to).is_ascii() {
            if !info.supports_feature(Extension::SmtpUtfEight) {
                return Err(Failure::Refused(
                    "the address is not ASCII and the server does not take such addresses (SMTPUTF8)"
                        .into(),
                ));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if !message.is_ascii() {
            if !info.supports_feature(Extension::EightBitMime) {
                return Err(Failure::Refused(
                    "the message is not ASCII and the server does not take 8-bit mail".into(),
                ));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        Ok(options)
    }

    /// The session can carry another message.
    pub fn usable(&self) -> bool {
        !self.conn.has_broken()
    }

    /// Says goodbye politely; the server's answer does not matter any more.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.conn.quit()).await;
    }
}

/// What a session waits on the server for.
enum Ask<'a> {
    Command(String),
    /// The next reply of a pipelined group.
    Reply,
    Message(&'a [u8]),
}

type SmtpError = lettre::transport::smtp::Error;

enum Failure {
    Smtp(SmtpError),
    Timeout(Duration),
    /// Refused on our side before anything was sent.
    Refused(String),
}

/// Sorts a failed delivery by its reply and by how far it got: without a reply, the mail is
/// not sent if the connection went before the DATA command, and unknown after.
fn classify(stage: Stage, failure: &Failure) -> Outcome {
    match failure {
        Failure::Smtp(e) => {
            let kind = if e.is_permanent() {
                ReplyKind::Permanent
            } else if e.is_transient() {
                ReplyKind::Transient
            } else if e.is_tls() {
                ReplyKind::Tls
            } else if stage == Stage::Envelope {
                ReplyKind::LostBeforeData
            } else {
                ReplyKind::Lost
            };
            let code = e.status().map(|c| c.to_string());
            outcome_of(kind, code.as_deref(), &e.to_string())
        }
        Failure::Timeout(after) => {
            let kind = match stage {
                Stage::Envelope => ReplyKind::LostBeforeData,
                Stage::Content => ReplyKind::Lost,
            };
            outcome_of(
                kind,
                None,
                &format!("no answer within {} s", after.as_secs()),
            )
        }
        Failure::Refused(reason) => outcome_of(ReplyKind::Permanent, None, reason),
    }
}

fn list(addresses: &[SocketAddr]) -> String {
    addresses
        .iter()
        .map(|a| a.ip().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn resolve(account: &SmtpAccount, timeout: Duration) -> Result<Vec<SocketAddr>, String> {
    let lookup = tokio::net::lookup_host((account.host.as_str(), account.port));
    match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(addresses)) => {
            let addresses: Vec<SocketAddr> = addresses.collect();
            if addresses.is_empty() {
                Err(format!("{} has no address", account.host))
            } else {
                Ok(addresses)
            }
        }
        Ok(Err(e)) => Err(format!("{}: {e}", account.host)),
        Err(_) => Err(format!("{}: no answer from DNS", account.host)),
    }
}

/// The first address that takes the connection, with Nagle's algorithm off: SMTP is a dialogue
/// of small writes, each waiting for an answer.
async fn connect_tcp(
    addresses: &[SocketAddr],
    timeout: Duration,
) -> Result<(TcpStream, SocketAddr), String> {
    let mut last = String::from("no address to connect to");
    for address in addresses {
        match tokio::time::timeout(timeout, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                return Ok((stream, *address));
            }
            Ok(Err(e)) => last = format!("{address}: {e}"),
            Err(_) => last = format!("{address}: no answer"),
        }
    }
    Err(last)
}
