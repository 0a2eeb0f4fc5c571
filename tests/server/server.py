#!/usr/bin/env python3
"""Integration-test LwM2M server on aiocoap, loopback only.

    python tests/server/server.py [--lifetime S] [--lwm2m-port P] [--bs-port P]

Binds 127.0.0.1 (ephemeral ports unless given) and prints one JSON line on
stdout: {"lwm2m_port": .., "bs_port": .., "control_port": .., "pid": ..}.
Then it takes control commands as JSON lines on stdin (answers on stdout)
and on TCP 127.0.0.1:<control_port> (any number of connections). It exits
on stdin EOF, on {"op": "shutdown"}, or after --lifetime seconds.

The control protocol is described in tests/server/README.md.
"""
import argparse
import asyncio
import itertools
import json
import os
import sys
import time

import aiocoap
import aiocoap.resource
from aiocoap import Code, Message
from aiocoap.numbers.types import Type
from aiocoap.optiontypes import OpaqueOption

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlv  # noqa: E402

HOST = "127.0.0.1"
LINK_FORMAT = 40


# ---------------------------------------------------------------- helpers ---

def code_text(code):
    return f"{int(code) >> 5}.{int(code) & 0x1F:02d}"


def parse_code(text):
    cls, detail = text.split(".")
    return Code(int(cls) << 5 | int(detail))


def parse_query(items):
    """('ep=x', 'lt=5', 'b') -> {'ep': 'x', 'lt': '5', 'b': ''}"""
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def split_path(path):
    return tuple(p for p in path.split("/") if p)


def payload_fields(payload):
    fields = {"payload_hex": payload.hex()}
    try:
        fields["payload"] = payload.decode("utf-8")
    except UnicodeDecodeError:
        fields["payload"] = None
    return fields


def message_fields(msg):
    """What a test may want to assert about one CoAP message."""
    cf = msg.opt.content_format
    fields = {
        "code": code_text(msg.code),
        "mtype": msg.mtype.name if msg.mtype is not None else None,
        "mid": msg.mid,
        "token_hex": msg.token.hex() if msg.token is not None else None,
        "path": "/" + "/".join(msg.opt.uri_path),
        "query": list(msg.opt.uri_query),
        "content_format": int(cf) if cf is not None else None,
        "observe": msg.opt.observe,
        "options": [{"number": int(o.number), "value_hex": o.encode().hex()} for o in msg.opt.option_list()],
    }
    fields.update(payload_fields(msg.payload))
    return fields


def parse_links(payload):
    """Link-format registration payload -> list of hrefs with attributes."""
    links = []
    for part in payload.decode("utf-8", "replace").split(","):
        part = part.strip()
        if not part.startswith("<"):
            continue
        href, _, attrs = part[1:].partition(">")
        attributes = {}
        for attr in attrs.split(";"):
            if attr:
                k, _, v = attr.partition("=")
                attributes[k] = v.strip('"')
        links.append({"href": href, "attrs": attributes})
    return links


# ------------------------------------------------------------ the server ---

class FailureRule:
    """What to do instead of the normal answer for one kind of request.

    action "code": answer with `code`; "ignore": drop the request at the
    message layer (no ACK, no response, retransmissions dropped too);
    "delay": answer normally after `delay` seconds (aiocoap sends an empty
    ACK first, so the answer is a separate response). `times` requests are
    affected (None: until cleared)."""

    def __init__(self, action, code=None, delay=0.0, times=None):
        self.action = action
        self.code = parse_code(code) if code else None
        self.delay = float(delay)
        self.times = times

    def take(self):
        if self.times is not None:
            self.times -= 1
        return self


class Server:
    KINDS = ("register", "update", "deregister", "bootstrap")

    def __init__(self):
        self.start = time.monotonic()
        self.events = []
        self.event_added = asyncio.Event()
        self.registrations = {}  # id -> dict
        self.reg_ids = itertools.count(1)
        self.failures = {}  # kind -> FailureRule
        self.ignored = set()  # (iface, remote, mid) dropped by an "ignore" rule
        self.observations = {}  # obs id -> aiocoap observation
        self.obs_ids = itertools.count(1)
        self.bootstrap = {
            "servers": [{"short_id": 1, "lifetime": 300, "binding": "U",
                         "security_instance": 1, "server_instance": 0}],
            "delete_first": True,
            "instance_wrapper": False,
            "step_timeout": 30.0,
            "start_delay": 0.05,
        }
        self.ctx = {}
        self.ports = {}
        self.done = asyncio.Event()

    # -- events --

    async def record(self, kind, **fields):
        return self.record_now(kind, **fields)

    def record_now(self, kind, **fields):
        event = {"seq": len(self.events), "t": round(time.monotonic() - self.start, 4), "kind": kind}
        event.update(fields)
        self.events.append(event)
        # Wake every waiter; each waits on the Event current when it looked.
        self.event_added.set()
        self.event_added = asyncio.Event()
        return event

    @staticmethod
    def matches(event, match):
        return all(event.get(k) == v for k, v in match.items())

    async def wait_event(self, match, timeout, since=0):
        deadline = time.monotonic() + timeout
        seen = since
        while True:
            for event in self.events[seen:]:
                if self.matches(event, match):
                    return event
            seen = max(seen, len(self.events))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self.event_added.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    # -- classification and failure rules --

    @staticmethod
    def classify(iface, code, path):
        if iface == "lwm2m" and path == ("rd",) and code == Code.POST:
            return "register"
        if iface == "lwm2m" and len(path) == 2 and path[0] == "rd":
            if code == Code.POST:
                return "update"
            if code == Code.DELETE:
                return "deregister"
        if iface == "bs" and path == ("bs",) and code == Code.POST:
            return "bootstrap"
        return None

    def rule_for(self, kind):
        rule = self.failures.get(kind)
        if rule is None:
            return None
        if rule.times is not None and rule.times <= 0:
            del self.failures[kind]
            return None
        return rule

    def install_filter(self, iface, ctx):
        """Wraps the message layer so an "ignore" rule drops requests before
        aiocoap ACKs them, and every incoming message becomes an "rx" event."""
        mman = ctx.request_interfaces[0].token_interface
        original = mman.dispatch_message

        def dispatch(message):
            dropped = False
            try:
                fields = message_fields(message)
                fields["remote"] = message.remote.hostinfo
                key = (iface, message.remote.hostinfo, message.mid)
                if message.code.is_request():
                    kind = self.classify(iface, message.code, tuple(message.opt.uri_path))
                    rule = self.rule_for(kind) if kind else None
                    if key in self.ignored:
                        dropped = True
                    elif rule is not None and rule.action == "ignore":
                        rule.take()
                        self.ignored.add(key)
                        dropped = True
                self.record_now("rx", iface=iface, dropped=dropped, **fields)
            except Exception as e:  # never let bookkeeping lose a message
                self.record_now("rx_error", iface=iface, error=repr(e))
            if not dropped:
                original(message)

        mman.dispatch_message = dispatch

    # -- LwM2M registration interface --

    async def render_lwm2m(self, request):
        path = tuple(request.opt.uri_path)
        kind = self.classify("lwm2m", request.code, path)
        query = parse_query(request.opt.uri_query)
        base = dict(message_fields(request), remote=request.remote.hostinfo)
        rule = self.rule_for(kind) if kind else None
        if rule is not None:
            rule.take()
            if rule.action == "code":
                await self.record(kind or "request", iface="lwm2m", response=code_text(rule.code),
                                  failure="code", **base)
                return Message(code=rule.code)
            if rule.action == "delay":
                await self.record("delaying", iface="lwm2m", of=kind, delay=rule.delay, **base)
                await asyncio.sleep(rule.delay)

        if kind == "register":
            ep = query.get("ep")
            if not ep:
                await self.record("register", iface="lwm2m", response="4.00", **base)
                return Message(code=Code.BAD_REQUEST)
            # A new registration of the same endpoint replaces the old one.
            for rid in [r for r, reg in self.registrations.items() if reg["ep"] == ep]:
                del self.registrations[rid]
            rid = str(next(self.reg_ids))
            self.registrations[rid] = {
                "id": rid, "ep": ep, "lt": int(query.get("lt", "86400") or 86400),
                "lwm2m": query.get("lwm2m", "1.0"), "b": query.get("b", "U"),
                "links": parse_links(request.payload), "remote": request.remote.hostinfo,
                "_remote": request.remote, "registered_at": time.monotonic() - self.start,
                "updates": 0,
            }
            await self.record("register", iface="lwm2m", response="2.01", id=rid, ep=ep,
                              links=self.registrations[rid]["links"], **base)
            return Message(code=Code.CREATED, location_path=["rd", rid])

        if kind in ("update", "deregister"):
            rid = path[1]
            reg = self.registrations.get(rid)
            if reg is None:
                await self.record(kind, iface="lwm2m", response="4.04", id=rid, **base)
                return Message(code=Code.NOT_FOUND)
            if kind == "deregister":
                del self.registrations[rid]
                await self.record(kind, iface="lwm2m", response="2.02", id=rid, ep=reg["ep"], **base)
                return Message(code=Code.DELETED)
            if "lt" in query:
                reg["lt"] = int(query["lt"])
            if "b" in query:
                reg["b"] = query["b"]
            if request.payload:
                reg["links"] = parse_links(request.payload)
            reg["remote"] = request.remote.hostinfo
            reg["_remote"] = request.remote
            reg["updates"] += 1
            await self.record(kind, iface="lwm2m", response="2.04", id=rid, ep=reg["ep"], **base)
            return Message(code=Code.CHANGED)

        await self.record("request", iface="lwm2m", response="4.04", **base)
        return Message(code=Code.NOT_FOUND)

    # -- bootstrap interface --

    async def render_bs(self, request):
        path = tuple(request.opt.uri_path)
        kind = self.classify("bs", request.code, path)
        query = parse_query(request.opt.uri_query)
        base = dict(message_fields(request), remote=request.remote.hostinfo)
        rule = self.rule_for(kind) if kind else None
        if rule is not None:
            rule.take()
            if rule.action == "code":
                await self.record("bootstrap_request", iface="bs", response=code_text(rule.code),
                                  failure="code", **base)
                return Message(code=rule.code)
            if rule.action == "delay":
                await self.record("delaying", iface="bs", of=kind, delay=rule.delay, **base)
                await asyncio.sleep(rule.delay)
        if kind != "bootstrap":
            await self.record("request", iface="bs", response="4.04", **base)
            return Message(code=Code.NOT_FOUND)
        ep = query.get("ep")
        if not ep:
            await self.record("bootstrap_request", iface="bs", response="4.00", **base)
            return Message(code=Code.BAD_REQUEST)
        await self.record("bootstrap_request", iface="bs", response="2.04", ep=ep, **base)
        asyncio.ensure_future(self.run_bootstrap(ep, request.remote))
        return Message(code=Code.CHANGED)

    def bootstrap_writes(self):
        """The (path, TLV payload) pairs of the configured sequence."""
        cfg = self.bootstrap
        writes = []
        for server in cfg["servers"]:
            uri = server.get("uri") or f"coap://{HOST}:{self.ports['lwm2m']}"
            sec = {0: uri, 1: False, 2: int(server.get("security_mode", 3)),
                   3: bytes.fromhex(server.get("identity_hex", "")),
                   4: b"", 5: bytes.fromhex(server.get("secret_key_hex", "")),
                   10: int(server["short_id"])}
            srv = {0: int(server["short_id"]), 1: int(server["lifetime"]), 6: True,
                   7: server.get("binding", "U")}
            for obj, iid, values in ((0, server.get("security_instance", 1), sec),
                                     (1, server.get("server_instance", 0), srv)):
                payload = tlv.object_instance(iid, values) if cfg["instance_wrapper"] else tlv.resources(values)
                writes.append((f"/{obj}/{iid}", payload))
        return writes

    async def run_bootstrap(self, ep, remote):
        cfg = self.bootstrap
        await asyncio.sleep(cfg["start_delay"])
        steps = []
        if cfg["delete_first"]:
            steps.append(("delete", Code.DELETE, "/", b""))
        steps += [("write", Code.PUT, path, payload) for path, payload in self.bootstrap_writes()]
        steps.append(("finish", Code.POST, "/bs", b""))
        ok = True
        for step, code, path, payload in steps:
            msg = Message(code=code, uri_path=split_path(path), payload=payload)
            msg.remote = remote
            if step == "write":
                msg.opt.content_format = tlv.CONTENT_FORMAT
            try:
                resp = await asyncio.wait_for(self.ctx["bs"].request(msg).response, cfg["step_timeout"])
                got = code_text(resp.code)
            except Exception as e:  # timeout or transport error: recorded, sequence stops
                got = None
                await self.record("bs_step", ep=ep, step=step, path=path, error=type(e).__name__,
                                  **payload_fields(payload))
                ok = False
                break
            await self.record("bs_step", ep=ep, step=step, path=path, response=got, **payload_fields(payload))
            if not resp.code.is_successful():
                ok = False
                break
        await self.record("bootstrap_done", ep=ep, ok=ok)

    # -- requests to a client --

    def target(self, cmd):
        """(context, remote or None, uri) for a control 'request' command: the
        client registered as "ep" (or with registration id "reg"), else "to"."""
        iface = cmd.get("iface", "lwm2m")
        ctx = self.ctx[iface]
        if "ep" in cmd or "reg" in cmd:
            regs = [r for r in self.registrations.values()
                    if r["ep"] == cmd.get("ep") or r["id"] == cmd.get("reg")]
            if not regs:
                raise LookupError("no such registration")
            return ctx, regs[-1]["_remote"], None
        if "to" in cmd:
            return ctx, None, f"coap://{cmd['to']}"
        raise LookupError("request needs ep, id or to")

    async def send_request(self, cmd):
        ctx, remote, base_uri = self.target(cmd)
        kwargs = {"code": Code[cmd.get("method", "GET").upper()],
                  "mtype": Type.NON if cmd.get("non") else Type.CON}
        payload = bytes.fromhex(cmd["payload_hex"]) if "payload_hex" in cmd else cmd.get("payload", "").encode()
        msg = Message(payload=payload, **kwargs)
        if remote is not None:
            msg.remote = remote
            msg.opt.uri_path = split_path(cmd.get("path", "/"))
        else:
            msg.set_request_uri(base_uri + cmd.get("path", "/"))
        if "query" in cmd:
            msg.opt.uri_query = tuple(cmd["query"])
        if cmd.get("content_format") is not None:
            msg.opt.content_format = cmd["content_format"]
        if cmd.get("accept") is not None:
            msg.opt.accept = cmd["accept"]
        if cmd.get("observe") is not None:
            msg.opt.observe = cmd["observe"]
        for number, value_hex in cmd.get("options", []):
            msg.opt.add_option(OpaqueOption(number, bytes.fromhex(value_hex)))
        req = ctx.request(msg)
        resp = await asyncio.wait_for(req.response, float(cmd.get("timeout", 10)))
        result = {"response": message_fields(resp)}
        if cmd.get("observe") == 0 and resp.opt.observe is not None:
            obs = next(self.obs_ids)
            self.observations[obs] = req.observation
            result["obs"] = obs
            asyncio.ensure_future(self.follow(obs, req.observation, cmd.get("path", "/")))
        await self.record("response", request_path=cmd.get("path", "/"), method=kwargs["code"].name,
                          obs=result.get("obs"), **result["response"])
        return result

    async def follow(self, obs, observation, path):
        try:
            async for notification in observation:
                await self.record("notify", obs=obs, request_path=path, **message_fields(notification))
        except Exception as e:  # the observation ended (cancelled, error, RST)
            await self.record("observe_end", obs=obs, reason=type(e).__name__)
            return
        await self.record("observe_end", obs=obs, reason="done")

    # -- control commands --

    async def control(self, cmd):
        op = cmd.get("op")
        if op == "ping":
            return {}
        if op == "ports":
            return dict(self.ports_json())
        if op == "events":
            since = int(cmd.get("since", 0))
            events = [e for e in self.events[since:] if self.matches(e, cmd.get("match", {}))]
            return {"events": events, "next": len(self.events)}
        if op == "wait":
            event = await self.wait_event(cmd.get("match", {}), min(float(cmd.get("timeout", 5)), 600),
                                          int(cmd.get("since", 0)))
            if event is None:
                raise TimeoutError("no matching event")
            return {"event": event}
        if op == "registrations":
            return {"registrations": [{k: v for k, v in r.items() if not k.startswith("_")}
                                      for r in self.registrations.values()]}
        if op == "fail":
            on = cmd["on"]
            if on not in self.KINDS:
                raise ValueError(f"on must be one of {self.KINDS}")
            if cmd.get("action", "none") == "none":
                self.failures.pop(on, None)
            else:
                if cmd["action"] not in ("code", "ignore", "delay"):
                    raise ValueError("action must be code, ignore, delay or none")
                self.failures[on] = FailureRule(cmd["action"], cmd.get("code"), cmd.get("delay", 0),
                                                cmd.get("times"))
            self.ignored.clear()
            return {}
        if op == "bootstrap_config":
            for key in ("servers", "delete_first", "instance_wrapper", "step_timeout", "start_delay"):
                if key in cmd:
                    self.bootstrap[key] = cmd[key]
            return {"writes": [{"path": p, "payload_hex": b.hex()} for p, b in self.bootstrap_writes()]}
        if op == "request":
            return await self.send_request(cmd)
        if op == "cancel_observe":
            observation = self.observations.pop(int(cmd["obs"]), None)
            if observation is None:
                raise LookupError("no such observation")
            observation.cancel()
            return {}
        if op == "shutdown":
            self.done.set()
            return {}
        raise ValueError(f"unknown op {op!r}")

    async def handle_line(self, line):
        try:
            cmd = json.loads(line)
            if not isinstance(cmd, dict):
                raise ValueError("a command is a JSON object")
        except ValueError as e:
            return {"id": None, "ok": False, "error": f"bad json: {e}"}
        try:
            result = await self.control(cmd)
            return {"id": cmd.get("id"), "ok": True, **result}
        except Exception as e:
            return {"id": cmd.get("id"), "ok": False, "error": f"{type(e).__name__}: {e}"}

    def ports_json(self):
        return {"lwm2m_port": self.ports["lwm2m"], "bs_port": self.ports["bs"],
                "control_port": self.ports["control"], "pid": os.getpid()}


class Root(aiocoap.resource.Resource):
    """Catch-all site: every path of one interface goes to one render function
    so nothing is answered without being recorded."""

    def __init__(self, render):
        super().__init__()
        self._render = render

    async def render(self, request):
        return await self._render(request)


def bound_port(ctx):
    transport = ctx.request_interfaces[0].token_interface.message_interface.transport
    return transport.get_extra_info("socket").getsockname()[1]


async def serve_stream(server, reader, writer):
    """JSON-lines control over one stream; commands run concurrently and each
    answer carries the command's "id"."""
    lock = asyncio.Lock()
    tasks = set()

    async def one(line):
        answer = await server.handle_line(line)
        async with lock:
            writer.write((json.dumps(answer) + "\n").encode())
            await writer.drain()

    while True:
        line = await reader.readline()
        if not line:
            break
        if line.strip():
            task = asyncio.ensure_future(one(line))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    for task in list(tasks):
        await task


async def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lwm2m-port", type=int, default=0)
    ap.add_argument("--bs-port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=600.0, help="exit after this many seconds (bound)")
    args = ap.parse_args(argv)

    server = Server()
    for iface, port, render in (("lwm2m", args.lwm2m_port, server.render_lwm2m),
                                ("bs", args.bs_port, server.render_bs)):
        ctx = await aiocoap.Context.create_server_context(Root(render), bind=(HOST, port), transports=["udp6"])
        server.ctx[iface] = ctx
        server.ports[iface] = bound_port(ctx)
        server.install_filter(iface, ctx)

    tcp = await asyncio.start_server(lambda r, w: serve_stream(server, r, w), HOST, 0)
    server.ports["control"] = tcp.sockets[0].getsockname()[1]

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    w_transport, w_protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, sys.stdout)
    writer = asyncio.StreamWriter(w_transport, w_protocol, None, loop)
    writer.write((json.dumps(server.ports_json()) + "\n").encode())
    await writer.drain()

    stdin_task = asyncio.ensure_future(serve_stream(server, reader, writer))
    done_task = asyncio.ensure_future(server.done.wait())
    await asyncio.wait([stdin_task, done_task], timeout=args.lifetime, return_when=asyncio.FIRST_COMPLETED)

    for task in (stdin_task, done_task):
        task.cancel()
    tcp.close()
    for ctx in server.ctx.values():
        try:
            await asyncio.wait_for(ctx.shutdown(), 2)
        except Exception:
            pass


if __name__ == "__main__":
    asyncio.run(main())
