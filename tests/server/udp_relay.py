#!/usr/bin/env python3
"""A loss-injecting UDP relay between an LwM2M client and server (loopback).

    python tests/server/udp_relay.py --upstream 127.0.0.1:5683 --loss 0.3 --seed 7 \
        [--loss-up P] [--loss-down P] [--dup P] [--reorder P] [--drop-up 0,2] \
        [--drop-down 1] [--lifetime 300] [--log FILE]

Listens on 127.0.0.1 (ephemeral port) and prints {"relay_port": N} on stdout.
Each client address gets its own upstream socket, so the server sees one
address per client as through a NAT. Datagrams client->server are "up",
server->client "down", numbered from 0 per direction.

Determinism: each direction has its own random.Random(f"{seed}:{dir}") and
draws exactly three numbers per datagram (drop, duplicate, reorder) whatever
the outcome, so the fate of datagram n depends only on the seed and n, never
on timing. `--drop-up 0,2` / `--drop-down 1` drop those datagrams for certain
(in addition to the random losses), for targeted retransmission tests.

A reordered datagram is held until the next datagram of its direction has
been forwarded, or `hold` seconds (0.2) pass. Every decision is logged as a
JSON line {"t", "dir", "n", "len", "action"} with action forward, drop,
duplicate or hold (then "release" when it goes out).
"""
import argparse
import asyncio
import json
import os
import random
import stat
import sys
import time


class Fate:
    """The seeded decision stream of one direction."""

    def __init__(self, seed, direction, loss, dup, reorder, forced_drops=()):
        self.rng = random.Random(f"{seed}:{direction}")
        self.loss, self.dup, self.reorder = loss, dup, reorder
        self.forced = set(forced_drops)
        self.count = 0

    def next(self):
        """-> (n, action) with action in drop / duplicate / hold / forward."""
        n = self.count
        self.count += 1
        r_drop, r_dup, r_reorder = self.rng.random(), self.rng.random(), self.rng.random()
        if n in self.forced or r_drop < self.loss:
            return n, "drop"
        if r_dup < self.dup:
            return n, "duplicate"
        if r_reorder < self.reorder:
            return n, "hold"
        return n, "forward"


class Relay:
    def __init__(self, upstream, seed=0, loss=0.0, loss_up=None, loss_down=None, dup=0.0, reorder=0.0,
                 drop_up=(), drop_down=(), hold=0.2, log=None):
        self.upstream = upstream
        self.fate = {
            "up": Fate(seed, "up", loss if loss_up is None else loss_up, dup, reorder, drop_up),
            "down": Fate(seed, "down", loss if loss_down is None else loss_down, dup, reorder, drop_down),
        }
        self.hold = hold
        self.log_file = log
        self.log = []
        self.start = time.monotonic()
        self.held = {"up": None, "down": None}
        self.clients = {}  # client addr -> upstream transport
        self.listen = None

    def note(self, direction, n, length, action):
        entry = {"t": round(time.monotonic() - self.start, 4), "dir": direction, "n": n, "len": length,
                 "action": action}
        self.log.append(entry)
        if self.log_file is not None:
            self.log_file.write(json.dumps(entry) + "\n")
            self.log_file.flush()

    async def open(self, host="127.0.0.1", port=0):
        loop = asyncio.get_running_loop()
        relay = self

        class Listen(asyncio.DatagramProtocol):
            def datagram_received(self, data, addr):
                relay.from_client(data, addr)

        self.listen, _ = await loop.create_datagram_endpoint(Listen, local_addr=(host, port))
        self.port = self.listen.get_extra_info("sockname")[1]
        return self

    def close(self):
        for transport in self.clients.values():
            transport.close()
        if self.listen is not None:
            self.listen.close()

    def from_client(self, data, addr):
        transport = self.clients.get(addr)
        if transport is None:
            relay = self

            class Up(asyncio.DatagramProtocol):
                def datagram_received(self, data, _server):
                    relay.pass_on("down", data, lambda d: relay.listen.sendto(d, addr))

            loop = asyncio.get_running_loop()
            # Created synchronously enough: hold the datagram until the socket exists.
            task = loop.create_task(loop.create_datagram_endpoint(Up, remote_addr=self.upstream))
            self.clients[addr] = task
            task.add_done_callback(lambda t: self._connected(addr, t, data))
            return
        if isinstance(transport, asyncio.Task):
            transport.add_done_callback(lambda t: self.pass_on("up", data, t.result()[0].sendto))
            return
        self.pass_on("up", data, transport.sendto)

    def _connected(self, addr, task, first):
        transport = task.result()[0]
        self.clients[addr] = transport
        self.pass_on("up", first, transport.sendto)

    def pass_on(self, direction, data, send):
        n, action = self.fate[direction].next()
        self.note(direction, n, len(data), action)
        if action == "drop":
            return
        if action == "hold":
            self.release(direction)  # never hold two at once
            handle = asyncio.get_running_loop().call_later(self.hold, self.release, direction)
            self.held[direction] = (n, data, send, handle)
            return
        send(data)
        if action == "duplicate":
            send(data)
        self.release(direction)

    def release(self, direction):
        held = self.held[direction]
        if held is None:
            return
        self.held[direction] = None
        n, data, send, handle = held
        handle.cancel()
        self.note(direction, n, len(data), "release")
        send(data)


def host_port(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def index_list(text):
    return [int(x) for x in text.split(",") if x]


async def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", type=host_port, required=True, help="server HOST:PORT")
    ap.add_argument("--port", type=int, default=0, help="listening port (default ephemeral)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--loss", type=float, default=0.0, help="drop probability, both directions")
    ap.add_argument("--loss-up", type=float)
    ap.add_argument("--loss-down", type=float)
    ap.add_argument("--dup", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--drop-up", type=index_list, default=[])
    ap.add_argument("--drop-down", type=index_list, default=[])
    ap.add_argument("--hold", type=float, default=0.2)
    ap.add_argument("--lifetime", type=float, default=300.0, help="exit after this many seconds (bound)")
    ap.add_argument("--log", type=argparse.FileType("w"), default=sys.stderr)
    args = ap.parse_args(argv)
    relay = await Relay(args.upstream, args.seed, args.loss, args.loss_up, args.loss_down, args.dup,
                        args.reorder, args.drop_up, args.drop_down, args.hold, args.log).open(port=args.port)
    print(json.dumps({"relay_port": relay.port}), flush=True)
    # Exit at --lifetime, or when stdin is a pipe and closes (a test's way to
    # stop us; a background job's /dev/null stdin is not watched).
    loop = asyncio.get_running_loop()
    if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        ended = reader.read()
    else:
        ended = asyncio.sleep(args.lifetime)
    try:
        await asyncio.wait_for(ended, args.lifetime)
    except asyncio.TimeoutError:
        pass
    relay.close()


if __name__ == "__main__":
    asyncio.run(main())
