"""QLA session recovery after deep sleep (seed 004 §3.15 AT+QLARECOVER,
§4.13 +QLAURC: "recovered", §3.2 "recovery_mode", §3.1 note 1: the
registration survives in NV).

Deep sleep is simulated by killing lwat-module (SIGKILL: no goodbye) and
starting it again on the same `--nv DIR` with `--slept-ms N`, the time the
module slept. ASSUMPTION (the engine's entry point is not in lwat.h yet):
lwat-module passes it to `int32_t lwat_resume(lwat_ctx *, uint64_t now_ms,
uint64_t slept_ms)` right after lwat_init (examples-c/posix-module/src/
resume.{h,c} is the one place to adapt); without that symbol the module
exits 2 and these tests fail at the restart.
"""
import os
import signal
import time

from netlib import NetTest

AEP_EP = "urn:imei-imsi:866971030603068-460111174747875"
HOST = "221.229.214.202:5683"


class Recovery(NetTest):
    def setUp(self):
        import tempfile
        self.nv = tempfile.mkdtemp(prefix="lwat-nv-")
        self.addCleanup(lambda: __import__("shutil").rmtree(self.nv, ignore_errors=True))

    def nv_state(self):
        return {n: os.stat(os.path.join(self.nv, n)).st_mtime_ns for n in os.listdir(self.nv)
                if not n.endswith(".tmp")}

    def register_then_sleep(self, recovery_mode, lifetime=300):
        """Registers with `--nv`, waits until the session is in NV, kills the module."""
        srv = self.server()
        m = self.module("qla", maps=[(HOST, srv.lwm2m_port)], extra=["--nv", self.nv], name="before sleep")
        m.at(f'AT+QLACFG="recovery_mode",{recovery_mode}', "OK")
        m.at('AT+QLACFG="lifetime_enable",0', "OK")
        m.at(f'AT+QLACONFIG=0,"221.229.214.202",5683,"{AEP_EP}",{lifetime},3', "OK")
        m.at('AT+QLAADDOBJ=19,0,1,"0"', "OK", "+QLAADDOBJ: 0")
        before = self.nv_state()
        m.at("AT+QLAREG", "OK", "+QLAREG: 0", timeout=10)
        deadline = time.monotonic() + 3
        while self.nv_state() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertNotEqual(self.nv_state(), before, "no NV record written after +QLAREG: 0")
        time.sleep(0.2)
        m.proc.proc.send_signal(signal.SIGKILL)
        m.proc.close(5)
        reg = self.registration()
        return srv, reg

    def wake(self, srv, slept_ms):
        return self.module("qla", maps=[(HOST, srv.lwm2m_port)],
                           extra=["--nv", self.nv, "--slept-ms", str(slept_ms)], name="after sleep")

    def test_s4_13_recovery_mode_0_updates_by_itself(self):
        srv, reg = self.register_then_sleep(recovery_mode=0)
        since = srv.call("events", since=0)["next"]
        m = self.wake(srv, slept_ms=5000)
        m.urcs('+QLAURC: "recovered",0', timeout=10)
        upd = srv.wait({"kind": "update"}, since=since, timeout=2)
        self.assertEqual((upd["path"], upd["response"]), (f"/rd/{reg['id']}", "2.04"))
        m.at("AT+QLASTATUS?", "+QLASTATUS: 2", "OK")
        m.quiet(1)
        self.assertEqual(self.count("register"), 1)
        # The recovered session de-registers the same registration.
        m.at("AT+QLADEREG", "OK", "+QLADEREG: 0", timeout=10)
        self.assertEqual(srv.wait({"kind": "deregister"})["path"], f"/rd/{reg['id']}")

    def test_s3_15_recovery_mode_1_waits_for_qlarecover(self):
        srv, reg = self.register_then_sleep(recovery_mode=1)
        since = srv.call("events", since=0)["next"]
        m = self.wake(srv, slept_ms=5000)
        m.quiet(2)  # manual mode: nothing is sent, nothing printed
        self.assertEqual(srv.events(since=since, kind="update"), [])
        # §3.15 example: "+QLASTATUS: 7 //此状态表示可以恢复 LwM2M 上下文"
        m.at("AT+QLASTATUS?", "+QLASTATUS: 7", "OK")
        m.at("AT+QLARECOVER", "OK", '+QLAURC: "recovered",0', timeout=10)
        upd = srv.wait({"kind": "update"}, since=since, timeout=2)
        self.assertEqual(upd["path"], f"/rd/{reg['id']}")
        m.at("AT+QLASTATUS?", "+QLASTATUS: 2", "OK")
        self.assertEqual(self.count("register"), 1)

    def test_s4_13_lifetime_ran_out_during_sleep_recovered_3_unregistered(self):
        srv, reg = self.register_then_sleep(recovery_mode=0, lifetime=300)
        since = srv.call("events", since=0)["next"]
        m = self.wake(srv, slept_ms=301_000)  # longer than the 300 s lifetime
        m.urcs('+QLAURC: "recovered",3', timeout=10)  # chapter 6: 3 recovery failed
        m.at("AT+QLASTATUS?", "+QLASTATUS: 0", "OK")
        m.quiet(1)
        self.assertEqual(srv.events(since=since, kind="update"), [])


if __name__ == "__main__":
    import unittest
    unittest.main()
