//! Client-initiated bootstrap (LwM2M 1.0 §5.2.7): after `POST /bs?ep=..`
//! the Bootstrap-Server deletes and writes the Security (/0) and Server
//! (/1) objects, then `POST /bs` (Bootstrap-Finish) hands over to the
//! LwM2M Server of the Security instance whose Bootstrap-Server resource
//! is false.

use super::super::server_object::{self, Write};
use super::super::{Event, Path, Phase};
use super::{Client, Events};
use crate::coap::{Code, Instant, Repr};
use crate::host::Host;
use crate::model::ObjectList;

/// What the bootstrap has told us so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct State {
    /// The Security instance of the LwM2M Server account we keep.
    account: Option<u16>,
    /// The Security instance of the Bootstrap-Server itself.
    bootstrap_account: Option<u16>,
}

impl State {
    pub const fn new() -> State {
        State {
            account: None,
            bootstrap_account: None,
        }
    }
}

impl Client {
    /// A Bootstrap-Server request (`path`: its Uri-Path, `None` when not
    /// numeric). Returns the code to answer with, or
    /// `None` when already answered (Bootstrap-Finish).
    pub(super) fn bootstrap_request<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        msg: &Repr<'e>,
        path: Option<Path>,
        objects: &dyn ObjectList,
        events: &mut Events<'_, 'e>,
    ) -> Option<Code> {
        // Bootstrap fails when no Bootstrap-Server message arrives in time.
        self.alarm = Instant::after(now_ms, super::super::BOOTSTRAP_IDLE_MS);
        let Some(path) = path else {
            // `bs` is not a numeric path.
            let mut segments = msg.options.uri_path();
            if msg.code == Code::POST && segments.next() == Some(b"bs") && segments.next().is_none() {
                self.bootstrap_finish(host, now_ms, msg, objects, events);
                return None;
            }
            return Some(Code::BAD_REQUEST);
        };
        let cf = msg.options.content_format();
        Some(match (msg.code, path.as_slice()) {
            (Code::DELETE, [] | [0] | [0, _]) => {
                let instance = path.as_slice().get(1).copied();
                if instance.is_none() || self.bs.account == instance {
                    self.bs.account = None;
                }
                Code::DELETED
            }
            // Nothing of /1 is kept beyond lifetime and binding, which stay.
            (Code::DELETE, [1] | [1, _]) => Code::DELETED,
            (Code::PUT, [object @ (0 | 1), ..]) => {
                let decoded = server_object::decode(&path, cf, msg.payload, &mut |i, w| {
                    if *object == 0 {
                        self.keep_security(i, w)
                    } else {
                        self.keep_server(w)
                    }
                });
                decoded.map_or_else(|code| code, |_| Code::CHANGED)
            }
            _ => Code::BAD_REQUEST,
        })
    }

    fn keep_security(&mut self, instance: u16, write: &Write<'_>) {
        match write.bootstrap {
            Some(true) => {
                self.bs.bootstrap_account = Some(instance);
                if self.bs.account == Some(instance) {
                    self.bs.account = None;
                }
                return;
            }
            Some(false) if self.bs.bootstrap_account == Some(instance) => self.bs.bootstrap_account = None,
            // More resources of the Bootstrap-Server's own account.
            None if self.bs.bootstrap_account == Some(instance) => return,
            _ => {}
        }
        // server_object::Write checked the URI and its host length.
        if let Some(server) = write.uri {
            super::refill(self.server.host.as_mut_view(), server.host);
            self.server.port = server.port;
            self.bs.account = Some(instance);
        }
        if self.bs.account.is_none_or(|a| a == instance) {
            if let Some(mode) = write.mode {
                self.security_mode = mode;
            }
            if let Some(id) = write.short_id {
                self.short_server_id = id;
            }
        }
    }

    fn keep_server(&mut self, write: &Write<'_>) {
        if let Some(lifetime) = write.lifetime_s {
            self.lifetime_s = lifetime;
        }
        if let Some(binding) = write.binding {
            self.binding = binding;
        }
        if let Some(id) = write.short_id {
            self.short_server_id = id;
        }
    }

    /// Bootstrap-Finish: 2.04 and Register with the new server, or 4.06
    /// (LwM2M 1.0 §5.2.7.3) when no server account was written.
    fn bootstrap_finish<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        msg: &Repr<'_>,
        objects: &dyn ObjectList,
        events: &mut Events<'_, '_>,
    ) {
        let accepted = self.bs.account.is_some();
        self.answer(host, msg, if accepted { Code::CHANGED } else { Code::NOT_ACCEPTABLE });
        // The Bootstrap-Server's endpoint and everything of its exchanges
        // go; the LwM2M Server gets a fresh endpoint. (Refused or not
        // opened: the session ends, one call site for both.)
        let give_up = self.until;
        self.close(host);
        let endpoint = if accepted {
            host.udp_open(&self.server.host, self.server.port)
        } else {
            -1
        };
        if endpoint < 0 {
            return events(Event::BootstrapFailed);
        }
        self.endpoint = endpoint;
        self.phase = Phase::Registering;
        self.until = give_up;
        events(Event::BootstrapFinished);
        if self.start(host, now_ms, Phase::Registering, Some(objects)).is_err() {
            self.end(host, Event::RegisterFailed { code: Code::EMPTY }, events);
        }
    }
}
