"""Profile onemo (seed 001) against the test LwM2M server, end to end
through lwat-module: the manual's access examples (§5.1, §5.3, §5.5, §5.6,
without DTLS), OPEN/UPDATE/CLOSE (§3.6-§3.8), events (§3.20), the
endpoint-name pattern (§4.1), automatic update (§4.5).

Each test names the manual section it encodes. Message ids may differ from
the manual's; every other character of every line must match.
"""
import time

from netlib import IMEI, IMSI, NetTest, links, slow

ONENET_EP = f"{IMEI};{IMSI}"  # seed 001 §4.1 pattern 2, the OneNET default


class OneMO(NetTest):
    def onenet_bootstrap(self, lifetime=3000):
        """seed 001 §5.1 up to +MIPLEVENT: 0,6 (bootstrap via CREATEEX flag 1)."""
        srv = self.server()
        srv.call("bootstrap_config", servers=[{"short_id": 1, "lifetime": lifetime, "binding": "U"}])
        m = self.module("onemo", maps=[("nbiotbt.heclouds.com:5683", srv.bs_port)])
        m.at('AT+MIPLCREATEEX="nbiotbt.heclouds.com:5683",1,"cmiot"', "+MIPLCREATEEX: 0", "OK")
        m.at('AT+MIPLADDOBJ=0,3200,1,"1",0,1', "OK")
        m.at('AT+MIPLDISCOVERRSP=0,3200,1,4,"5750"', "OK")
        m.at(f"AT+MIPLOPEN=0,{lifetime},30", "OK", "+MIPLEVENT: 0,2", "+MIPLEVENT: 0,6", timeout=20)
        return srv, m

    def direct(self, createex, cfg=(), objects=(("0,3200,1,\"1\",0,1", "/3200/0"),), lifetime=300,
               timeout=30, host="221.229.214.202:5683", setup=()):
        """A direct (flag 0) registration to `host` mapped to the server."""
        srv = self.server()
        m = self.module("onemo", maps=[(host, srv.lwm2m_port)])
        m.at(createex, "+MIPLCREATEEX: 0", "OK")
        for line in cfg:
            m.at(line, "OK")
        for params, _ in objects:
            m.at(f"AT+MIPLADDOBJ={params}", "OK")
        for line in setup:
            m.at(line, "OK")
        return srv, m

    # -- §5.1 ---------------------------------------------------------------

    def test_s5_1_onenet_bootstrap_register_close_delete(self):
        srv, m = self.onenet_bootstrap()
        boot = srv.wait({"kind": "bootstrap_request"})
        self.assertEqual(boot["query"], [f"ep={ONENET_EP}"])
        self.assertTrue(srv.wait({"kind": "bootstrap_done"})["ok"])
        reg = self.registration()
        self.assert_register(reg, ONENET_EP, 3000, payload=links("/3200/0"), auth_code="cmiot")
        # seed 001 §5.1 "设备退出平台"
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=10)
        dereg = srv.wait({"kind": "deregister"})
        self.assertEqual((dereg["path"], dereg["response"]), (f"/rd/{reg['id']}", "2.02"))
        m.at("AT+MIPLDELETE=0", "OK")
        m.quiet(1)
        self.assertEqual((self.count("register"), self.count("deregister")), (1, 1))

    # -- §5.3 / §5.5 / §5.6: other platforms, endpoint name IMEI ---------------

    def test_s5_3_ctwing_direct_register_ep_imei_no_auth_code(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0', cfg=['AT+MIPLCFG="platform",0,1'],
                             objects=[('0,19,2,"11",0,0', None)], setup=['AT+MIPLDISCOVERRSP=0,19,1,3,"1;0"'])
        m.at("AT+MIPLOPEN=0,3000,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        self.assert_register(self.registration(), IMEI, 3000, payload=links("/19/0", "/19/1"), auth_code=None)
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=10)
        m.at("AT+MIPLDELETE=0", "OK")
        srv.wait({"kind": "deregister"})
        m.quiet(0.5)

    def test_s5_5_dmp_direct_register_ep_imei(self):
        srv, m = self.direct('AT+MIPLCREATEEX="dmp-coap.cuiot.cn:5683",0', cfg=['AT+MIPLCFG="platform",0,2'],
                             objects=[('0,3300,1,"1",0,1', None)], host="dmp-coap.cuiot.cn:5683",
                             setup=['AT+MIPLDISCOVERRSP=0,3300,1,4,"5700"'])
        m.at("AT+MIPLOPEN=0,3000,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        self.assert_register(self.registration(), IMEI, 3000, payload=links("/3300/0"))
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=10)
        m.quiet(0.5)

    def test_s5_6_huawei_default_port_5683_ep_imei(self):
        # The host has no port: seed 001 §4.6 "port不设置时默认5683".
        host = "iot-coaps.cn-north-4.myhuaweicloud.com"
        srv, m = self.direct(f'AT+MIPLCREATEEX="{host}",0', cfg=['AT+MIPLCFG="platform",0,3'],
                             objects=[('0,19,2,"11",0,0', None)], host=f"{host}:5683",
                             setup=['AT+MIPLDISCOVERRSP=0,19,1,3,"1;0"'])
        m.at("AT+MIPLOPEN=0,3000,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        self.assert_register(self.registration(), IMEI, 3000, payload=links("/19/0", "/19/1"))
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=10)
        m.quiet(0.5)

    def test_s4_1_onenet_pattern_1_endpoint_is_imei(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0', cfg=['AT+MIPLCFG="platform",0,0,1'])
        m.at("AT+MIPLOPEN=0,300,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        self.assert_register(self.registration(), IMEI, 300, payload=links("/3200/0"))

    def test_s3_6_open_query_before_and_after_register(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0')
        m.at("AT+MIPLOPEN?", "+CIS ERROR: 602")  # §3.6 note: not logged in
        m.at("AT+MIPLOPEN=0,300,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        m.at("AT+MIPLOPEN?", "OK", "+MIPLEVENT: 0,6", timeout=5)
        m.quiet(0.5)

    # -- §3.7 update, §4.5 automatic update ------------------------------------

    def test_s3_7_update_lifetime_below_10_is_86400_with_auth_code(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0,"cmiot"')
        m.at("AT+MIPLOPEN=0,300,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        reg = self.registration()
        self.assert_register(reg, ONENET_EP, 300, auth_code="cmiot")
        m.at("AT+MIPLUPDATE=0,0,0", "OK", "+MIPLEVENT: 0,11", timeout=10)
        upd = srv.wait({"kind": "update"})
        self.assertEqual(upd["path"], f"/rd/{reg['id']}")
        self.assertEqual(self.update_query(upd).get("lt"), "86400")
        self.assert_auth_code(upd, "cmiot")
        m.quiet(0.5)
        self.assertEqual(self.count("update"), 1)

    @slow
    def test_s4_5_updateset_updates_30s_before_expiry(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0', setup=["AT+MIPLUPDATESET=0,1"])
        m.at("AT+MIPLOPEN=0,60,30", "OK", "+MIPLEVENT: 0,6", timeout=10)
        reg = self.registration()
        m.urcs("+MIPLEVENT: 0,11", timeout=34)
        upd = srv.wait({"kind": "update"}, timeout=1)
        self.assertAlmostEqual(upd["t"] - reg["t"], 30, delta=2)  # lifetime 60 - 30 s
        self.assertEqual(self.count("update"), 1)

    # -- failures ---------------------------------------------------------------

    def test_s3_6_register_rejected_4_03_gives_event_7(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0')
        srv.call("fail", on="register", action="code", code="4.03")
        m.at("AT+MIPLOPEN=0,300,30", "OK", "+MIPLEVENT: 0,7", timeout=10)
        m.quiet(1)
        self.assertEqual(self.count("register"), 1)

    def test_s3_6_server_silent_gives_event_7_at_open_timeout(self):
        srv, m = self.direct('AT+MIPLCREATEEX="221.229.214.202:5683",0')
        srv.call("fail", on="register", action="ignore")
        start = time.monotonic()
        m.at("AT+MIPLOPEN=0,300,5", "OK")
        m.urcs("+MIPLEVENT: 0,7", timeout=10)
        self.assertAlmostEqual(time.monotonic() - start, 5, delta=1.5)  # <timeout> 5 s
        m.quiet(1)

    def test_s3_6_bootstrap_rejected_gives_event_3(self):
        srv = self.server()
        srv.call("fail", on="bootstrap", action="code", code="4.03")
        m = self.module("onemo", maps=[("nbiotbt.heclouds.com:5683", srv.bs_port)])
        m.at('AT+MIPLCREATEEX="nbiotbt.heclouds.com:5683",1', "+MIPLCREATEEX: 0", "OK")
        m.at('AT+MIPLADDOBJ=0,3200,1,"1",0,1', "OK")
        m.at("AT+MIPLOPEN=0,300,30", "OK", "+MIPLEVENT: 0,3", timeout=10)
        m.quiet(1)
        self.assertEqual(self.count("register"), 0)


if __name__ == "__main__":
    import unittest
    unittest.main()
