"""Profile qla (seed 004) against the test LwM2M server through lwat-module:
the examples §5.1 (AndLink, bootstrap), §5.2 (AEP), §5.3 (Telit) end to end
with QLAREG/QLAUPDATE/QLADEREG (§3.3-§3.5), bootstrap URCs (§4.7, §4.12),
the automatic update interval (§3.1) with "ping" (§4.1), status (§3.16) and
the status codes of chapter 6.

Each test names the manual section it encodes; message ids may differ.
"""
from netlib import NetTest, links, slow

AEP_EP = "urn:imei-imsi:866971030603068-460111174747875"


class QLA(NetTest):
    def direct(self, platform=1, lifetime=300, extra_cfg=()):
        """seed 004 §5.2.2 up to AT+QLAREG (the manual's host,port string)."""
        srv = self.server()
        m = self.module("qla", maps=[("221.229.214.202:5683", srv.lwm2m_port)])
        m.at(f'AT+QLACFG="platform",{platform}', "OK")
        for line in extra_cfg:
            m.at(line, "OK")
        m.at(f'AT+QLACONFIG=0,"221.229.214.202,5683","{AEP_EP}",{lifetime},3', "OK")
        m.at('AT+QLAADDOBJ=19,0,1,"0"', "OK", "+QLAADDOBJ: 0")
        return srv, m

    def update_and_deregister(self, srv, m, reg):
        # seed 004 §3.4 / §5.x: the printed <messageID> is the Update's CoAP message id.
        m.at("AT+QLAUPDATE=0,100", "+QLAUPDATE: {mid}", "OK", "+QLAUPDATE: 0,{mid}", timeout=10)
        upd = srv.wait({"kind": "update"})
        self.assertEqual(upd["path"], f"/rd/{reg['id']}")
        self.assertEqual(self.update_query(upd).get("lt"), "100")
        self.assertEqual(upd["mid"], m.vars["mid"])
        # seed 004 §3.5
        m.at("AT+QLADEREG", "OK", "+QLADEREG: 0", timeout=10)
        self.assertEqual(srv.wait({"kind": "deregister"})["path"], f"/rd/{reg['id']}")
        m.quiet(1)
        self.assertEqual([self.count(k) for k in ("register", "update", "deregister")], [1, 1, 1])

    def test_s5_1_andlink_bootstrap_register_update_deregister(self):
        srv = self.server()
        # The bootstrap server assigns what the MCU configured (lifetime 30, U):
        # the manual's sequence shows no "lifetime_changed".
        srv.call("bootstrap_config", servers=[{"short_id": 1, "lifetime": 30, "binding": "U"}])
        m = self.module("qla", maps=[("lwm.home.komect.com:5683", srv.bs_port)])
        m.at('AT+QLACFG="platform",2', "OK")
        m.at('AT+QLACFG="cfg_res",3,0,17,500677', "OK")
        m.at("AT+QLAADDOBJ=19,1,1,0", "OK", "+QLAADDOBJ: 0")
        m.at('AT+QLACONFIG=1,"lwm.home.komect.com",5683,"866971031275899",30,3', "OK")
        m.at("AT+QLAREG", "OK", '+QLAURC: "binding_changed",U', '+QLAURC: "bs_finished"', "+QLAREG: 0",
             timeout=20)
        self.assertEqual(srv.wait({"kind": "bootstrap_request"})["query"], ["ep=866971031275899"])
        reg = self.registration()
        self.assert_register(reg, "866971031275899", 30, payload=links("/19/1"), auth_code=None)
        self.update_and_deregister(srv, m, reg)

    def test_s5_2_aep_register_update_deregister(self):
        srv, m = self.direct()
        m.at("AT+QLAREG", "OK", "+QLAREG: 0", timeout=10)
        reg = self.registration()
        self.assert_register(reg, AEP_EP, 300, payload=links("/19/0"), auth_code=None)
        m.at("AT+QLASTATUS?", "+QLASTATUS: 2", "OK")  # §3.16: 2 registered
        self.update_and_deregister(srv, m, reg)

    def test_s5_3_telit_bare_host_register_update_deregister(self):
        srv = self.server()
        m = self.module("qla", maps=[("device1-api.10646.cn:5683", srv.lwm2m_port)])
        m.at('AT+QLACFG="platform",0', "OK")
        m.at('AT+QLACONFIG=0,device1-api.10646.cn,5683,"867726030187399",300,3', "OK")
        m.at('AT+QLAADDOBJ=19,0,1,"0"', "OK", "+QLAADDOBJ: 0")
        m.at("AT+QLAREG", "OK", "+QLAREG: 0", timeout=10)
        reg = self.registration()
        self.assert_register(reg, "867726030187399", 300, payload=links("/19/0"))
        self.update_and_deregister(srv, m, reg)

    @slow
    def test_s3_1_auto_update_interval_lifetime_20_is_10s_with_ping(self):
        # §3.1: lifetime <= 30 -> actual update interval = lifetime / 2; §4.1 "ping".
        srv, m = self.direct(lifetime=20, extra_cfg=['AT+QLACFG="lifetime_enable",1'])
        m.at("AT+QLAREG", "OK", "+QLAREG: 0", timeout=10)
        reg = self.registration()
        m.urcs('+QLAURC: "ping",0', timeout=13)
        upd = srv.wait({"kind": "update"}, timeout=1)
        self.assertEqual(upd["path"], f"/rd/{reg['id']}")
        self.assertAlmostEqual(upd["t"] - reg["t"], 10, delta=1.5)
        m.at("AT+QLADEREG", "OK", "+QLADEREG: 0", timeout=10)
        self.assertEqual(self.count("update"), 1)

    def test_ch6_register_rejected_4_03_gives_status_13(self):
        srv, m = self.direct()
        srv.call("fail", on="register", action="code", code="4.03")
        m.at("AT+QLAREG", "OK", "+QLAREG: 13", timeout=10)  # chapter 6: 13 forbidden
        m.at("AT+QLASTATUS?", "+QLASTATUS: 0", "OK")
        m.quiet(1)
        self.assertEqual(self.count("register"), 1)

    def test_ch6_server_silent_gives_status_1_timeout(self):
        # §3.2 retransmit 2 s x 0 retransmissions: the give-up comes within seconds.
        srv, m = self.direct(extra_cfg=['AT+QLACFG="retransmit",2,0'])
        srv.call("fail", on="register", action="ignore")
        m.at("AT+QLAREG", "OK", "+QLAREG: 1", timeout=12)  # chapter 6: 1 timeout
        m.at("AT+QLASTATUS?", "+QLASTATUS: 0", "OK")
        m.quiet(1)


if __name__ == "__main__":
    import unittest
    unittest.main()
