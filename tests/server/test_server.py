"""The test LwM2M server against an independent client: aiocoap's own.

Each test starts a fresh server process (tests/server/server.py) through
harness.TestServer and plays an LwM2M client with aiocoap: registration,
update, de-registration, failure modes, requests to the client, observe,
and the whole bootstrap sequence (checking the TLV bytes it writes).
"""
import asyncio
import json
import os
import socket
import subprocess
import sys
import unittest

import aiocoap
import aiocoap.resource
from aiocoap import Code, Message
from aiocoap.optiontypes import OpaqueOption

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlv  # noqa: E402
from harness import ControlError, TestServer  # noqa: E402
from udp_relay import Relay  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LINKS = b'</>;rt="oma.lwm2m",</1/0>,</3/0>,</3303/0>'


class Recorder(aiocoap.resource.Resource):
    """The client side's resources: records every request and answers with
    what the test queued (default 2.04/2.05 and a text payload)."""

    def __init__(self):
        super().__init__()
        self.requests = []
        self.received = asyncio.Queue()

    async def render(self, request):
        self.requests.append(request)
        await self.received.put(request)
        path = "/" + "/".join(request.opt.uri_path)
        if request.code == Code.GET and path == "/3/0/0":
            return Message(code=Code.CONTENT, payload=b"lwat", content_format=0)
        if request.code == Code.DELETE:
            return Message(code=Code.DELETED)
        return Message(code=Code.CHANGED)


class ObservableTemp(aiocoap.resource.ObservableResource):
    def __init__(self):
        super().__init__()
        self.value = 20

    async def render_get(self, request):
        return Message(payload=str(self.value).encode(), content_format=0)

    def set(self, value):
        self.value = value
        self.updated_state()


class ClientSite(aiocoap.resource.Site):
    """Exact paths first (the observable temperature), anything else to the
    recorder, as a client answers requests on any path."""

    def __init__(self, fallback):
        super().__init__()
        self.fallback = fallback

    def _find_child_and_pathstripped_message(self, request):
        try:
            return super()._find_child_and_pathstripped_message(request)
        except KeyError:
            return self.fallback, request


class ServerTestCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.srv = await asyncio.to_thread(TestServer(lifetime=120).start)
        self.recorder = Recorder()
        self.client_site = ClientSite(self.recorder)
        self.temp = ObservableTemp()
        self.client_site.add_resource(["3303", "0", "5700"], self.temp)
        # One context for both directions: the server's requests reach the
        # port the client registered from, as with a real LwM2M client.
        self.client = await aiocoap.Context.create_server_context(
            self.client_site, bind=("127.0.0.1", 0), transports=["udp6"])

    async def asyncTearDown(self):
        await self.client.shutdown()
        await asyncio.to_thread(self.srv.stop)

    async def call(self, op, **fields):
        return await asyncio.to_thread(self.srv.call, op, **fields)

    async def wait(self, match, timeout=5, since=0):
        return await asyncio.to_thread(self.srv.wait, match, timeout, since)

    async def req(self, code, path, query=(), payload=b"", port=None, cf=None, options=(), timeout=10):
        port = port or self.srv.lwm2m_port
        msg = Message(code=code, uri=f"coap://127.0.0.1:{port}{path}", payload=payload)
        if query:
            msg.opt.uri_query = tuple(query)
        if cf is not None:
            msg.opt.content_format = cf
        for number, value in options:
            msg.opt.add_option(OpaqueOption(number, value))
        return await asyncio.wait_for(self.client.request(msg).response, timeout)

    async def register(self, ep="urn:imei:861234567890123", lt=300, **kw):
        resp = await self.req(Code.POST, "/rd", [f"ep={ep}", f"lt={lt}", "lwm2m=1.0", "b=U"],
                              LINKS, cf=40, **kw)
        return resp


class Registration(ServerTestCase):
    async def test_register_update_deregister(self):
        resp = await self.register(options=[(63, b"authcode1")])
        self.assertEqual(resp.code, Code.CREATED)
        self.assertEqual(resp.opt.location_path, ("rd", "1"))
        ev = await self.wait({"kind": "register"})
        self.assertEqual(ev["ep"], "urn:imei:861234567890123")
        self.assertEqual(ev["query"], ["ep=urn:imei:861234567890123", "lt=300", "lwm2m=1.0", "b=U"])
        self.assertEqual(ev["content_format"], 40)
        self.assertEqual(ev["payload"], LINKS.decode())
        self.assertEqual([link["href"] for link in ev["links"]], ["/", "/1/0", "/3/0", "/3303/0"])
        self.assertEqual(ev["links"][0]["attrs"], {"rt": "oma.lwm2m"})
        self.assertIn({"number": 63, "value_hex": b"authcode1".hex()}, ev["options"])
        self.assertEqual(ev["mtype"], "CON")

        regs = (await self.call("registrations"))["registrations"]
        self.assertEqual(len(regs), 1)
        self.assertEqual((regs[0]["id"], regs[0]["lt"], regs[0]["b"]), ("1", 300, "U"))

        resp = await self.req(Code.POST, "/rd/1", ["lt=600", "b=UQ"])
        self.assertEqual(resp.code, Code.CHANGED)
        ev = await self.wait({"kind": "update"})
        self.assertEqual((ev["id"], ev["response"], ev["payload"]), ("1", "2.04", ""))
        reg = (await self.call("registrations"))["registrations"][0]
        self.assertEqual((reg["lt"], reg["b"], reg["updates"]), (600, "UQ", 1))

        resp = await self.req(Code.POST, "/rd/1", payload=b"</1/0>,</3/0>", cf=40)
        self.assertEqual(resp.code, Code.CHANGED)
        reg = (await self.call("registrations"))["registrations"][0]
        self.assertEqual([link["href"] for link in reg["links"]], ["/1/0", "/3/0"])

        resp = await self.req(Code.DELETE, "/rd/1")
        self.assertEqual(resp.code, Code.DELETED)
        self.assertEqual((await self.call("registrations"))["registrations"], [])
        ev = await self.wait({"kind": "deregister"})
        self.assertEqual(ev["response"], "2.02")

    async def test_unknown_registration_is_not_found(self):
        self.assertEqual((await self.req(Code.POST, "/rd/99")).code, Code.NOT_FOUND)
        self.assertEqual((await self.req(Code.DELETE, "/rd/99")).code, Code.NOT_FOUND)
        self.assertEqual((await self.req(Code.GET, "/other")).code, Code.NOT_FOUND)
        kinds = [e["kind"] for e in await asyncio.to_thread(self.srv.events) if e["kind"] != "rx"]
        self.assertEqual(kinds, ["update", "deregister", "request"])

    async def test_register_without_endpoint_is_bad_request(self):
        resp = await self.req(Code.POST, "/rd", ["lt=300"], LINKS, cf=40)
        self.assertEqual(resp.code, Code.BAD_REQUEST)

    async def test_reregistration_replaces_the_old_one(self):
        await self.register()
        resp = await self.register()
        self.assertEqual(resp.opt.location_path, ("rd", "2"))
        regs = (await self.call("registrations"))["registrations"]
        self.assertEqual([r["id"] for r in regs], ["2"])
        self.assertEqual((await self.req(Code.POST, "/rd/1")).code, Code.NOT_FOUND)

    async def test_every_datagram_is_an_rx_event(self):
        await self.register()
        rx = await self.wait({"kind": "rx", "iface": "lwm2m", "path": "/rd"})
        self.assertEqual((rx["code"], rx["dropped"]), ("0.02", False))


class FailureModes(ServerTestCase):
    async def test_forbidden_then_normal(self):
        await self.call("fail", on="register", action="code", code="4.03", times=1)
        self.assertEqual((await self.register()).code, Code.FORBIDDEN)
        self.assertEqual((await self.register()).code, Code.CREATED)
        evs = await asyncio.to_thread(self.srv.events, 0, kind="register")
        self.assertEqual([e["response"] for e in evs], ["4.03", "2.01"])

    async def test_bad_request_until_cleared(self):
        await self.call("fail", on="register", action="code", code="4.00")
        self.assertEqual((await self.register()).code, Code.BAD_REQUEST)
        self.assertEqual((await self.register()).code, Code.BAD_REQUEST)
        await self.call("fail", on="register", action="none")
        self.assertEqual((await self.register()).code, Code.CREATED)

    async def test_ignore_sends_nothing_at_all(self):
        await self.call("fail", on="register", action="ignore", times=1)
        with self.assertRaises(asyncio.TimeoutError):
            await self.register(timeout=3)  # aiocoap retransmits at ~2-3 s: dropped too
        rx = await asyncio.to_thread(self.srv.events, 0, kind="rx")
        self.assertGreaterEqual(len(rx), 2)
        self.assertTrue(all(e["dropped"] for e in rx))
        self.assertEqual(len({e["mid"] for e in rx}), 1)
        # The rule was used up: a new registration (new message id) is answered.
        # A fresh client context: aiocoap's would keep retransmitting the
        # first request and queue the second behind it (NSTART 1).
        await self.client.shutdown()
        self.client = await aiocoap.Context.create_server_context(
            self.client_site, bind=("127.0.0.1", 0), transports=["udp6"])
        self.assertEqual((await self.register()).code, Code.CREATED)
        self.assertEqual((await self.call("registrations"))["registrations"][0]["id"], "1")

    async def test_delay_answers_late(self):
        await self.call("fail", on="update", action="delay", delay=1.0, times=1)
        await self.register()
        loop = asyncio.get_running_loop()
        start = loop.time()
        resp = await self.req(Code.POST, "/rd/1")
        self.assertEqual(resp.code, Code.CHANGED)
        self.assertGreaterEqual(loop.time() - start, 0.95)
        await self.wait({"kind": "delaying", "of": "update"})

    async def test_bad_control_commands(self):
        with self.assertRaises(ControlError):
            await self.call("fail", on="nothing", action="code", code="4.03")
        with self.assertRaises(ControlError):
            await self.call("no_such_op")
        with self.assertRaises(ControlError):
            await self.call("wait", match={"kind": "never"}, timeout=0.2)
        with self.assertRaises(ControlError):
            await self.call("request", ep="unregistered", path="/3/0/0")


class RequestsToClient(ServerTestCase):
    async def test_get_and_put(self):
        await self.register(ep="dev1")
        ans = await self.call("request", ep="dev1", method="GET", path="/3/0/0", accept=0, timeout=5)
        self.assertEqual(ans["response"]["code"], "2.05")
        self.assertEqual(ans["response"]["payload"], "lwat")
        got = self.recorder.requests[-1]
        self.assertEqual((got.code, got.opt.uri_path, got.opt.accept), (Code.GET, ("3", "0", "0"), 0))

        ans = await self.call("request", ep="dev1", method="PUT", path="/1/0/1",
                              payload_hex=tlv.resources({1: 600}).hex(), content_format=tlv.CONTENT_FORMAT)
        self.assertEqual(ans["response"]["code"], "2.04")
        got = self.recorder.requests[-1]
        # Resource 1 = 600: C2 01 02 58 (two-byte integer).
        self.assertEqual((got.code, got.payload, got.opt.content_format),
                         (Code.PUT, bytes.fromhex("C2010258"), tlv.CONTENT_FORMAT))

        ans = await self.call("request", ep="dev1", method="POST", path="/3/0/4")
        self.assertEqual(ans["response"]["code"], "2.04")
        ev = await self.wait({"kind": "response", "request_path": "/3/0/4"})
        self.assertEqual(ev["method"], "POST")

    async def test_observe_and_notifications(self):
        await self.register(ep="dev1")
        ans = await self.call("request", ep="dev1", method="GET", path="/3303/0/5700", observe=0)
        self.assertEqual(ans["response"]["payload"], "20")
        obs = ans["obs"]
        self.temp.set(21)
        ev = await self.wait({"kind": "notify", "obs": obs})
        self.assertEqual(ev["payload"], "21")
        self.assertIsNotNone(ev["observe"])
        await self.call("cancel_observe", obs=obs)
        with self.assertRaises(ControlError):
            await self.call("cancel_observe", obs=obs)

    async def test_request_to_silent_client_times_out_bounded(self):
        silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        silent.bind(("127.0.0.1", 0))
        try:
            port = silent.getsockname()[1]
            with self.assertRaises(ControlError) as cm:
                await self.call("request", to=f"127.0.0.1:{port}", method="GET", path="/x", timeout=0.5)
            self.assertIn("TimeoutError", str(cm.exception))
            data, _ = silent.recvfrom(2048)
            self.assertEqual(data[1], 0x01)  # the GET did go out
        finally:
            silent.close()


class Bootstrap(ServerTestCase):
    async def test_full_sequence_with_tlv_bytes(self):
        resp = await self.req(Code.POST, "/bs", ["ep=dev1"], port=self.srv.bs_port)
        self.assertEqual(resp.code, Code.CHANGED)
        done = await self.wait({"kind": "bootstrap_done"}, timeout=10)
        self.assertTrue(done["ok"])

        reqs = self.recorder.requests
        self.assertEqual([(r.code, "/" + "/".join(r.opt.uri_path)) for r in reqs],
                         [(Code.DELETE, "/"), (Code.PUT, "/0/1"), (Code.PUT, "/1/0"), (Code.POST, "/bs")])
        uri = f"coap://127.0.0.1:{self.srv.lwm2m_port}".encode()
        # Security /0/1: URI, Bootstrap-Server false, mode 3 (NoSec), empty
        # keys, short server id 1 -- worked out by hand from TS 1.0 §6.4.3.
        expected_security = (bytes([0xC8, 0x00, len(uri)]) + uri
                             + bytes.fromhex("C10100" "C10203" "C003" "C004" "C005" "C10A01"))
        self.assertEqual(reqs[1].payload, expected_security)
        self.assertEqual(reqs[1].opt.content_format, 11542)
        # Server /1/0: short id 1, lifetime 300, notification storing true, binding U.
        self.assertEqual(reqs[2].payload, bytes.fromhex("C10001" "C201012C" "C10601" "C10755"))
        self.assertEqual(reqs[2].opt.content_format, 11542)
        # All from the bootstrap server's port.
        self.assertTrue(all(r.remote.hostinfo == f"127.0.0.1:{self.srv.bs_port}" for r in reqs))

        steps = await asyncio.to_thread(self.srv.events, 0, kind="bs_step")
        self.assertEqual([(s["step"], s["path"], s["response"]) for s in steps],
                         [("delete", "/", "2.02"), ("write", "/0/1", "2.04"), ("write", "/1/0", "2.04"),
                          ("finish", "/bs", "2.04")])

    async def test_configured_sequence(self):
        ans = await self.call("bootstrap_config", delete_first=False, instance_wrapper=True,
                              servers=[{"short_id": 7, "lifetime": 86400, "binding": "UQ",
                                        "uri": "coap://127.0.0.1:5683", "security_instance": 0,
                                        "server_instance": 2}])
        self.assertEqual([w["path"] for w in ans["writes"]], ["/0/0", "/1/2"])
        await self.req(Code.POST, "/bs", ["ep=dev1"], port=self.srv.bs_port)
        self.assertTrue((await self.wait({"kind": "bootstrap_done"}, timeout=10))["ok"])
        reqs = self.recorder.requests
        self.assertEqual(["/" + "/".join(r.opt.uri_path) for r in reqs], ["/0/0", "/1/2", "/bs"])
        [(kind, iid, inner)] = tlv.decode(reqs[1].payload)
        self.assertEqual((kind, iid), (tlv.OBJECT_INSTANCE, 2))
        self.assertEqual(inner, [(tlv.RESOURCE, 0, b"\x07"), (tlv.RESOURCE, 1, bytes.fromhex("00015180")),
                                 (tlv.RESOURCE, 6, b"\x01"), (tlv.RESOURCE, 7, b"UQ")])

    async def test_bootstrap_request_needs_endpoint(self):
        resp = await self.req(Code.POST, "/bs", port=self.srv.bs_port)
        self.assertEqual(resp.code, Code.BAD_REQUEST)

    async def test_bootstrap_failure_mode(self):
        await self.call("fail", on="bootstrap", action="code", code="4.03")
        resp = await self.req(Code.POST, "/bs", ["ep=dev1"], port=self.srv.bs_port)
        self.assertEqual(resp.code, Code.FORBIDDEN)
        await asyncio.sleep(0.3)
        self.assertEqual(self.recorder.requests, [])

    async def test_failed_write_stops_the_sequence(self):
        # A client answering 4.00 to the Security write: the server stops and says so.
        original = self.recorder.render

        async def refuse_security(request):
            if tuple(request.opt.uri_path) == ("0", "1"):
                self.recorder.requests.append(request)
                return Message(code=Code.BAD_REQUEST)
            return await original(request)

        self.recorder.render = refuse_security
        await self.req(Code.POST, "/bs", ["ep=dev1"], port=self.srv.bs_port)
        done = await self.wait({"kind": "bootstrap_done"}, timeout=10)
        self.assertFalse(done["ok"])
        self.assertEqual(["/" + "/".join(r.opt.uri_path) for r in self.recorder.requests], ["/", "/0/1"])


class ThroughLossyRelay(ServerTestCase):
    async def test_registration_survives_30_percent_loss(self):
        # Seeded relay between aiocoap's client and the server; the first
        # Register is dropped for certain, so CoAP retransmission must work.
        relay = await Relay(("127.0.0.1", self.srv.lwm2m_port), seed=4, loss=0.3, drop_up=[0]).open()
        try:
            resp = await self.register(port=relay.port, timeout=30)
            self.assertEqual(resp.code, Code.CREATED)
        finally:
            relay.close()
        self.assertEqual(relay.log[0], {**relay.log[0], "dir": "up", "n": 0, "action": "drop"})
        rx = await asyncio.to_thread(self.srv.events, 0, kind="rx")
        forwarded_up = [e for e in relay.log if e["dir"] == "up" and e["action"] == "forward"]
        self.assertEqual(len(rx), len(forwarded_up))
        # All copies are one request: one mid, one register event.
        self.assertEqual(len({e["mid"] for e in rx}), 1)
        self.assertEqual(len(await asyncio.to_thread(self.srv.events, 0, kind="register")), 1)


class Lifecycle(unittest.TestCase):
    """The process side: stdin control, bounded lifetime, clean exits."""

    def start(self, *args):
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), *args],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.addCleanup(lambda: (proc.poll() is None and proc.kill(), proc.wait(), proc.stdout.close()))
        ports = json.loads(proc.stdout.readline())
        self.assertEqual(set(ports), {"lwm2m_port", "bs_port", "control_port", "pid"})
        self.assertEqual(len({ports["lwm2m_port"], ports["bs_port"], ports["control_port"]}), 3)
        return proc

    def test_control_over_stdin_and_exit_on_eof(self):
        proc = self.start()
        proc.stdin.write(b'{"id": 1, "op": "ping"}\n{"id": 2, "op": "nope"}\nnot json\n')
        proc.stdin.flush()
        answers = [json.loads(proc.stdout.readline()) for _ in range(3)]
        self.assertIn({"id": 1, "ok": True}, answers)
        self.assertIn({"id": 2, "ok": False, "error": "ValueError: unknown op 'nope'"}, answers)
        self.assertTrue(any(a["id"] is None and not a["ok"] for a in answers))
        proc.stdin.close()
        self.assertEqual(proc.wait(timeout=10), 0)

    def test_shutdown_command(self):
        proc = self.start()
        proc.stdin.write(b'{"id": 1, "op": "shutdown"}\n')
        proc.stdin.flush()
        self.assertEqual(json.loads(proc.stdout.readline()), {"id": 1, "ok": True})
        self.assertEqual(proc.wait(timeout=10), 0)

    def test_lifetime_bounds_the_process(self):
        proc = self.start("--lifetime", "1")
        self.assertEqual(proc.wait(timeout=10), 0)


if __name__ == "__main__":
    unittest.main()
