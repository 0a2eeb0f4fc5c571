"""Profile bc260y (seed 003) against the test LwM2M server through
lwat-module: the registration examples §7.2.1-§7.2.3, OPEN/CLOSE/UPDATE
(§3.3.7, §3.3.8, §3.3.16), events (§5.7), update example §7.9, automatic
update (§3.3.1 <auto_update>, §3.3.7 "actual lifetime = lifetime x 0.9").

Each test names the manual section it encodes; message ids may differ.
"""
import time

from netlib import IMEI, IMSI, NetTest, links, slow

ONENET_EP = f"{IMEI};{IMSI}"
DEFAULT_BS = "183.230.40.39:5683"  # seed 003 §7.2.1: the default Bootstrap address
DIRECT = "183.230.40.40:5683"      # seed 003 §7.2.3


class BC260Y(NetTest):
    def start(self, config=None, maps=None, bs_lifetime=86400):
        srv = self.server()
        srv.call("bootstrap_config", servers=[{"short_id": 1, "lifetime": bs_lifetime, "binding": "U"}])
        m = self.module("bc260y", maps=maps or [(DEFAULT_BS, srv.bs_port), (DIRECT, srv.lwm2m_port)])
        if config:
            m.at(config, "OK")
        m.at("AT+MIPLCREATE", "+MIPLCREATE: 0", "OK")
        m.at('AT+MIPLADDOBJ=0,3311,1,"1",4,2', "OK")
        return srv, m

    def close_and_delete(self, srv, m, reg):
        m.at("AT+MIPLDELOBJ=0,3311", "OK")
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=10)
        dereg = srv.wait({"kind": "deregister"})
        self.assertEqual(dereg["path"], f"/rd/{reg['id']}")
        m.at("AT+MIPLDELETE=0", "OK")
        m.quiet(1)
        self.assertEqual((self.count("register"), self.count("deregister")), (1, 1))

    def test_s7_2_1_default_config_bootstraps_then_registers(self):
        srv, m = self.start()
        m.at("AT+MIPLOPEN=0,86400", "OK", "+MIPLEVENT: 0,1", "+MIPLEVENT: 0,2", "+MIPLEVENT: 0,4",
             "+MIPLEVENT: 0,6", timeout=20)
        self.assertEqual(srv.wait({"kind": "bootstrap_request"})["query"], [f"ep={ONENET_EP}"])
        reg = self.registration()
        self.assert_register(reg, ONENET_EP, 86400, payload=links("/3311/0"), auth_code=None)
        self.close_and_delete(srv, m, reg)

    def test_s7_2_2_bootstrap_enabled_by_miplconfig(self):
        srv, m = self.start(config='AT+MIPLCONFIG=0,1,1,"183.230.40.39",5683')
        m.at("AT+MIPLOPEN=0,86400", "OK", "+MIPLEVENT: 0,1", "+MIPLEVENT: 0,2", "+MIPLEVENT: 0,4",
             "+MIPLEVENT: 0,6", timeout=20)
        self.assertTrue(srv.wait({"kind": "bootstrap_done"})["ok"])
        reg = self.registration()
        self.assert_register(reg, ONENET_EP, 86400, payload=links("/3311/0"))
        self.close_and_delete(srv, m, reg)

    def test_s7_2_3_bootstrap_disabled_registers_directly(self):
        srv, m = self.start(config='AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683')
        m.at("AT+MIPLOPEN=0,86400", "OK", "+MIPLEVENT: 0,4", "+MIPLEVENT: 0,6", timeout=10)
        reg = self.registration()
        self.assert_register(reg, ONENET_EP, 86400, payload=links("/3311/0"))
        self.assertEqual(self.count("bootstrap_request"), 0)
        self.close_and_delete(srv, m, reg)

    def test_s7_9_update_lifetime_86400(self):
        srv, m = self.start(config='AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683,0')
        m.at("AT+MIPLOPEN=0,3600", "OK", "+MIPLEVENT: 0,4", "+MIPLEVENT: 0,6", timeout=10)
        reg = self.registration()
        m.at("AT+MIPLUPDATE=0,86400,0", "OK", "+MIPLEVENT: 0,11", timeout=10)
        upd = srv.wait({"kind": "update"})
        self.assertEqual(upd["path"], f"/rd/{reg['id']}")
        self.assertEqual(self.update_query(upd).get("lt"), "86400")
        m.quiet(0.5)
        self.assertEqual(self.count("update"), 1)

    @slow
    def test_s3_3_7_auto_update_at_nine_tenths_of_lifetime(self):
        # <auto_update>=1 (§3.3.1); lifetime 15 (the smallest, §3.3.7) -> Update at 13.5 s.
        srv, m = self.start(config='AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683,1')
        m.at("AT+MIPLOPEN=0,15", "OK", "+MIPLEVENT: 0,4", "+MIPLEVENT: 0,6", timeout=10)
        reg = self.registration()
        m.urcs("+MIPLEVENT: 0,11", timeout=17)
        upd = srv.wait({"kind": "update"}, timeout=1)
        self.assertAlmostEqual(upd["t"] - reg["t"], 13.5, delta=1.5)
        m.at("AT+MIPLCLOSE=0", "OK", "+MIPLEVENT: 0,15", timeout=10)

    def test_s5_7_register_rejected_4_03_gives_event_7(self):
        srv, m = self.start(config='AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683')
        srv.call("fail", on="register", action="code", code="4.03")
        m.at("AT+MIPLOPEN=0,300", "OK", "+MIPLEVENT: 0,4", "+MIPLEVENT: 0,7", timeout=10)
        m.quiet(1)
        self.assertEqual(self.count("register"), 1)

    def test_s5_7_server_silent_gives_event_8_at_open_timeout(self):
        srv, m = self.start(config='AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683')
        srv.call("fail", on="register", action="ignore")
        start = time.monotonic()
        m.at("AT+MIPLOPEN=0,300,5", "OK", "+MIPLEVENT: 0,4")
        m.urcs("+MIPLEVENT: 0,8", timeout=10)
        self.assertAlmostEqual(time.monotonic() - start, 5, delta=1.5)
        m.quiet(1)


if __name__ == "__main__":
    import unittest
    unittest.main()
