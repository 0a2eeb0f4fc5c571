#!/usr/bin/env python3
"""`make demo`: an MCU's session with each profile through lwat-module,
against the aiocoap test LwM2M server on 127.0.0.1.

Prints the AT dialogue (`MCU> ...` sent, `MOD< ...` printed by the module)
and the server's view (`SRV: ...`) as it goes. Exits 0 only when every
expected line came within its time bound; otherwise says which did not.
Needs lwat-module built (LWAT_MODULE or the default build path) and runs
under the test server's venv python (make demo arranges both).
"""
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "net"))

from module import ModuleProcess  # noqa: E402
from netlib import AtSession, TestServer, module_args  # noqa: E402


class Demo:
    def __init__(self, srv):
        self.srv = srv
        self.seen = srv.call("events", since=0)["next"]

    def show_server(self):
        """Prints what the server did since the last look."""
        answer = self.srv.call("events", since=self.seen)
        self.seen = answer["next"]
        for e in answer["events"]:
            kind = e["kind"]
            query = " ".join(e.get("query") or [])
            if kind == "bootstrap_request":
                print(f"SRV: bootstrap request {query} -> {e['response']}")
            elif kind == "bs_step":
                print(f"SRV: bootstrap {e['step']} {e['path']} -> {e.get('response') or e.get('error')}")
            elif kind == "bootstrap_done":
                print(f"SRV: bootstrap finished ok={e['ok']}")
            elif kind == "register":
                q = dict(x.partition("=")[::2] for x in e["query"])
                print(f"SRV: register ep={q.get('ep')} lt={q.get('lt')} b={q.get('b')} lwm2m={q.get('lwm2m')}"
                      f" -> {e['response']} /rd/{e['id']}")
                print(f"SRV:   objects {e['payload']}")
            elif kind == "update":
                print(f"SRV: update {e['path']} {query} -> {e['response']}")
            elif kind == "deregister":
                print(f"SRV: deregister {e['path']} -> {e['response']}")
        sys.stdout.flush()

    def session(self, title, profile, maps, steps):
        print(f"\n=== {title} ===", flush=True)
        proc = ModuleProcess(module_args(profile, maps))
        proc.__enter__()
        at = AtSession(proc, profile, echo=lambda d, text: print(f"{d} {text}", flush=True))
        try:
            for line, expected, timeout in steps:
                at.at(line, *expected, timeout=timeout)
                time.sleep(0.1)  # let the server record what it answered
                self.show_server()
            at.quiet(0.5)
        finally:
            proc.close(5)


def main():
    python = sys.executable
    srv = TestServer(lifetime=300, python=python).start()
    failed = []
    try:
        srv.call("bootstrap_config", servers=[{"short_id": 1, "lifetime": 3000, "binding": "U"}])
        print(f"test LwM2M server on 127.0.0.1: lwm2m port {srv.lwm2m_port}, bootstrap port {srv.bs_port}")
        demo = Demo(srv)
        sessions = [
            ("onemo: seed 001 §5.1, OneNET through the bootstrap server", "onemo",
             [("nbiotbt.heclouds.com:5683", srv.bs_port)], [
                 ('AT+MIPLCREATEEX="nbiotbt.heclouds.com:5683",1,"cmiot"', ["+MIPLCREATEEX: 0", "OK"], 5),
                 ('AT+MIPLADDOBJ=0,3200,1,"1",0,1', ["OK"], 5),
                 ('AT+MIPLDISCOVERRSP=0,3200,1,4,"5750"', ["OK"], 5),
                 ("AT+MIPLOPEN=0,3000,30", ["OK", "+MIPLEVENT: 0,2", "+MIPLEVENT: 0,6"], 20),
                 ("AT+MIPLUPDATE=0,0,0", ["OK", "+MIPLEVENT: 0,11"], 10),
                 ("AT+MIPLCLOSE=0", ["OK", "+MIPLEVENT: 0,15"], 10),
                 ("AT+MIPLDELETE=0", ["OK"], 5),
             ]),
            ("bc260y: seed 003 §7.2.3 and §7.9, OneNET without bootstrap", "bc260y",
             [("183.230.40.40:5683", srv.lwm2m_port)], [
                 ('AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683', ["OK"], 5),
                 ("AT+MIPLCREATE", ["+MIPLCREATE: 0", "OK"], 5),
                 ('AT+MIPLADDOBJ=0,3311,1,"1",4,2', ["OK"], 5),
                 ("AT+MIPLOPEN=0,86400", ["OK", "+MIPLEVENT: 0,4", "+MIPLEVENT: 0,6"], 10),
                 ("AT+MIPLUPDATE=0,86400,0", ["OK", "+MIPLEVENT: 0,11"], 10),
                 ("AT+MIPLDELOBJ=0,3311", ["OK"], 5),
                 ("AT+MIPLCLOSE=0", ["OK", "+MIPLEVENT: 0,15"], 10),
                 ("AT+MIPLDELETE=0", ["OK"], 5),
             ]),
            ("qla: seed 004 §5.2, standard LwM2M (AEP)", "qla",
             [("221.229.214.202:5683", srv.lwm2m_port)], [
                 ('AT+QLACFG="platform",1', ["OK"], 5),
                 ('AT+QLACONFIG=0,"221.229.214.202",5683,"urn:imei-imsi:866971030603068-460111174747875",300,3',
                  ["OK"], 5),
                 ('AT+QLAADDOBJ=19,0,1,"0"', ["OK", "+QLAADDOBJ: 0"], 5),
                 ("AT+QLAREG", ["OK", "+QLAREG: 0"], 10),
                 ("AT+QLAUPDATE=0,100", ["+QLAUPDATE: {mid}", "OK", "+QLAUPDATE: 0,{mid}"], 10),
                 ("AT+QLADEREG", ["OK", "+QLADEREG: 0"], 10),
                 ("AT+QLADELOBJ=19", ["OK", "+QLADELOBJ: 0"], 5),
             ]),
        ]
        for title, profile, maps, steps in sessions:
            try:
                demo.session(title, profile, maps, steps)
                print(f"--- {profile}: every step done")
            except (AssertionError, TimeoutError) as e:
                print(f"--- {profile}: FAILED: {str(e).splitlines()[0]}", flush=True)
                failed.append(profile)
    finally:
        srv.stop()
    if failed:
        print(f"\ndemo: FAILED for {', '.join(failed)}")
        return 1
    print("\ndemo: all three profiles registered, updated and deregistered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
