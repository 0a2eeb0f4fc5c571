"""Network faults between lwat-module and the server, through the seeded
relay (tests/server/udp_relay.py): 30% loss each way, duplicated and
reordered datagrams, lost Updates and lost replies. CoAP (RFC 7252 §4.2,
§4.5) under the manuals' flows: the MCU must see each URC once, the server
each registration once.

Seed 0 at 30% loss (worked out from udp_relay.Fate): Register loses its
reply once, Update its request once and its reply once, De-register its
request once, so each of the three exchanges is retransmitted, in both
directions, and still completes in a bounded time.
"""
import time

from netlib import NetTest, slow

AEP_EP = "urn:imei-imsi:866971030603068-460111174747875"
LOSSY_SEED = 0


class Flows:
    """Register, update, deregister per profile through `port` (a relay)."""

    def onemo(self, port, timeout):
        m = self.module("onemo", maps=[("221.229.214.202:5683", port)])
        m.at('AT+MIPLCREATEEX="221.229.214.202:5683",0', "+MIPLCREATEEX: 0", "OK")
        m.at('AT+MIPLADDOBJ=0,3200,1,"1",0,1', "OK")
        m.at("AT+MIPLOPEN=0,300,60", "OK", "+MIPLEVENT: 0,6", timeout=timeout)
        m.at("AT+MIPLUPDATE=0,300,0", "OK", "+MIPLEVENT: 0,11", timeout=timeout)
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=timeout)
        return m

    def bc260y(self, port, timeout):
        m = self.module("bc260y", maps=[("183.230.40.40:5683", port)])
        m.at('AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683,0', "OK")
        m.at("AT+MIPLCREATE", "+MIPLCREATE: 0", "OK")
        m.at('AT+MIPLADDOBJ=0,3311,1,"1",4,2', "OK")
        m.at("AT+MIPLOPEN=0,300,60", "OK", "+MIPLEVENT: 0,4", "+MIPLEVENT: 0,6", timeout=timeout)
        m.at("AT+MIPLUPDATE=0,300,0", "OK", "+MIPLEVENT: 0,11", timeout=timeout)
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=timeout)
        return m

    def qla(self, port, timeout, lifetime=300, cfg=()):
        m = self.module("qla", maps=[("221.229.214.202:5683", port)])
        for line in cfg:
            m.at(line, "OK")
        m.at(f'AT+QLACONFIG=0,"221.229.214.202",5683,"{AEP_EP}",{lifetime},3', "OK")
        m.at('AT+QLAADDOBJ=19,0,1,"0"', "OK", "+QLAADDOBJ: 0")
        m.at("AT+QLAREG", "OK", "+QLAREG: 0", timeout=timeout)
        m.at("AT+QLAUPDATE=0,100", "+QLAUPDATE: {mid}", "OK", "+QLAUPDATE: 0,{mid}", timeout=timeout)
        m.at("AT+QLADEREG", "OK", "+QLADEREG: 0", timeout=timeout)
        return m


class Loss30(NetTest, Flows):
    """30% loss each way: registration, update and de-registration complete."""

    def lossy(self, profile):
        srv = self.server()
        relay = self.relay(srv.lwm2m_port, seed=LOSSY_SEED, loss=0.3)
        m = getattr(self, profile)(relay.port, timeout=25)
        m.quiet(1)
        self.assertEqual([self.count(k, response=r) for k, r in (("register", "2.01"), ("update", "2.04"),
                                                                  ("deregister", "2.02"))], [1, 1, 1])
        log = relay.log()
        self.assertTrue(any(e["dir"] == "up" and e["action"] == "drop" for e in log))
        self.assertTrue(any(e["dir"] == "down" and e["action"] == "drop" for e in log))

    @slow
    def test_loss_30pct_onemo_register_update_close(self):
        self.lossy("onemo")

    @slow
    def test_loss_30pct_bc260y_register_update_close(self):
        self.lossy("bc260y")

    @slow
    def test_loss_30pct_qla_register_update_deregister(self):
        self.lossy("qla")


class DuplicatesAndReordering(NetTest, Flows):
    """Every datagram may come twice or late: each URC once, each request once."""

    def noisy(self, profile):
        srv = self.server()
        relay = self.relay(srv.lwm2m_port, seed=3, dup=0.5, reorder=0.3)
        m = getattr(self, profile)(relay.port, timeout=15)
        m.quiet(1.5)
        self.assertEqual([self.count(k) for k in ("register", "update", "deregister")], [1, 1, 1])
        actions = {e["action"] for e in relay.log()}
        self.assertIn("duplicate", actions)

    def test_duplicated_reordered_onemo_no_duplicate_urc_or_registration(self):
        self.noisy("onemo")

    def test_duplicated_reordered_bc260y_no_duplicate_urc_or_registration(self):
        self.noisy("bc260y")

    def test_duplicated_reordered_qla_no_duplicate_urc_or_registration(self):
        self.noisy("qla")


class LostUpdates(NetTest, Flows):
    def start_qla(self, lifetime, relay_opts, cfg=()):
        srv = self.server()
        relay = self.relay(srv.lwm2m_port, **relay_opts)
        m = self.module("qla", maps=[("221.229.214.202:5683", relay.port)])
        for line in cfg:
            m.at(line, "OK")
        m.at(f'AT+QLACONFIG=0,"221.229.214.202",5683,"{AEP_EP}",{lifetime},3', "OK")
        m.at('AT+QLAADDOBJ=19,0,1,"0"', "OK", "+QLAADDOBJ: 0")
        m.at("AT+QLAREG", "OK", "+QLAREG: 0", timeout=10)
        return srv, relay, m

    def test_lost_update_is_retransmitted_and_answered_once(self):
        # Up datagram 0 is the Register, 1 the Update: dropped, so the client
        # retransmits it (RFC 7252 §4.2, same message id) and the server
        # answers the copy: one "+QLAUPDATE: 0,<mid>" (seed 004 §3.4), one update.
        srv, relay, m = self.start_qla(300, {"drop_up": [1]})
        m.at("AT+QLAUPDATE=0,100", "+QLAUPDATE: {mid}", "OK", "+QLAUPDATE: 0,{mid}", timeout=10)
        m.quiet(1.5)
        updates = srv.events(kind="update")
        self.assertEqual(len(updates), 1)
        self.assertEqual(updates[0]["mid"], m.vars["mid"])
        sent = [e for e in relay.log() if e["dir"] == "up"]
        self.assertEqual([e["action"] for e in sent[:3]], ["forward", "drop", "forward"])

    def test_lost_update_reply_is_retransmitted_and_answered_once(self):
        # Down datagram 1 (the Update's reply) is lost: the server sees the
        # retransmission, answers it from its dedup cache, one URC, one update.
        srv, relay, m = self.start_qla(300, {"drop_down": [1]})
        m.at("AT+QLAUPDATE=0,100", "+QLAUPDATE: {mid}", "OK", "+QLAUPDATE: 0,{mid}", timeout=10)
        m.quiet(1.5)
        self.assertEqual(self.count("update"), 1)
        rx = [e for e in srv.events(kind="rx") if e["path"].startswith("/rd/")]
        self.assertEqual([e["mid"] for e in rx], [m.vars["mid"]] * 2)

    @slow
    def test_update_with_all_replies_lost_keeps_registration_until_lifetime(self):
        # Every reply after the Register's is lost. §3.2 retransmit 2 s x 1:
        # the Update gives up after 2 + 4 s with status 1 (chapter 6 timeout);
        # the registration stays (§3.16 status 2) until its lifetime (20 s,
        # automatic update off) runs out, then the client is unregistered (0).
        srv, relay, m = self.start_qla(20, {"drop_down": list(range(1, 60))},
                                       cfg=['AT+QLACFG="retransmit",2,1', 'AT+QLACFG="lifetime_enable",0'])
        registered_at = time.monotonic()
        m.at("AT+QLAUPDATE=0,20", "+QLAUPDATE: {mid}", "OK", timeout=5)
        m.urcs("+QLAUPDATE: 1,{mid}", timeout=10)
        m.at("AT+QLASTATUS?", "+QLASTATUS: 2", "OK")
        self.assertEqual(self.count("update"), 1)  # the server got it, once
        # Still registered shortly before the lifetime ends ...
        time.sleep(max(0.0, registered_at + 17.5 - time.monotonic()))
        m.at("AT+QLASTATUS?", "+QLASTATUS: 2", "OK")
        # ... and no longer after it.
        time.sleep(max(0.0, registered_at + 21.5 - time.monotonic()))
        m.at("AT+QLASTATUS?", "+QLASTATUS: 0", "OK")


if __name__ == "__main__":
    import unittest
    unittest.main()
