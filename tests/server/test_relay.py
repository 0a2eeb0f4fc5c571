"""The loss-injecting relay: seeded determinism, rates, forced drops, and
the real datagram path (client -> relay -> echo server -> relay -> client)."""
import asyncio
import json
import os
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from udp_relay import Fate, Relay  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def pattern(seed, direction="up", n=200, **kw):
    params = dict(loss=0.3, dup=0.1, reorder=0.1)
    params.update(kw)
    fate = Fate(seed, direction, **params)
    return [fate.next()[1] for _ in range(n)]


class Determinism(unittest.TestCase):
    def test_same_seed_same_pattern(self):
        self.assertEqual(pattern(7), pattern(7))
        self.assertEqual(pattern(7, "down"), pattern(7, "down"))

    def test_other_seed_or_direction_other_pattern(self):
        self.assertNotEqual(pattern(7), pattern(8))
        self.assertNotEqual(pattern(7, "up"), pattern(7, "down"))

    def test_drop_decisions_do_not_depend_on_other_rates(self):
        # Three draws per datagram whatever happens: changing dup/reorder
        # rates leaves the drop pattern alone.
        a = [x == "drop" for x in pattern(3, dup=0.0, reorder=0.0)]
        b = [x == "drop" for x in pattern(3, dup=0.5, reorder=0.5)]
        self.assertEqual(a, b)

    def test_rates_roughly_as_configured(self):
        p = pattern(1, n=5000)
        self.assertAlmostEqual(p.count("drop") / 5000, 0.3, delta=0.03)
        self.assertAlmostEqual(p.count("duplicate") / 5000, 0.7 * 0.1, delta=0.02)
        self.assertEqual(pattern(1, loss=0.0, dup=0.0, reorder=0.0, n=100), ["forward"] * 100)
        self.assertEqual(pattern(1, loss=1.0, n=100), ["drop"] * 100)

    def test_forced_drops(self):
        p = pattern(5, loss=0.0, dup=0.0, reorder=0.0, n=5, forced_drops=[0, 2])
        self.assertEqual(p, ["drop", "forward", "drop", "forward", "forward"])


class EchoServer(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
        self.received = []

    def datagram_received(self, data, addr):
        self.received.append(data)
        self.transport.sendto(b"echo:" + data, addr)


class Path(unittest.IsolatedAsyncioTestCase):
    async def run_through(self, **kw):
        loop = asyncio.get_running_loop()
        echo_t, echo = await loop.create_datagram_endpoint(EchoServer, local_addr=("127.0.0.1", 0))
        relay = await Relay(echo_t.get_extra_info("sockname"), **kw).open()
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.setblocking(False)
        client.connect(("127.0.0.1", relay.port))
        got = []
        try:
            for i in range(100):
                client.send(b"%03d" % i)
                await asyncio.sleep(0.002)
            await asyncio.sleep(0.5)  # past any hold
            while True:
                try:
                    got.append(client.recv(100))
                except BlockingIOError:
                    break
        finally:
            client.close()
            relay.close()
            echo_t.close()
        return relay.log, echo.received, got

    async def test_what_arrives_is_what_the_log_says(self):
        log, at_server, at_client = await self.run_through(seed=11, loss=0.3)
        up_sent = [e["n"] for e in log if e["dir"] == "up" and e["action"] == "forward"]
        self.assertEqual(at_server, [b"%03d" % n for n in up_sent])
        down_sent = [e["n"] for e in log if e["dir"] == "down" and e["action"] == "forward"]
        self.assertEqual(len(at_client), len(down_sent))
        # And the log is the seeded pattern.
        fate_up = Fate(11, "up", 0.3, 0.0, 0.0)
        self.assertEqual([e["action"] for e in log if e["dir"] == "up"], [fate_up.next()[1] for _ in range(100)])

    async def test_duplicate_and_reorder(self):
        log, at_server, _ = await self.run_through(seed=2, dup=0.2, reorder=0.2)
        ups = [e for e in log if e["dir"] == "up"]
        dups = [e["n"] for e in ups if e["action"] == "duplicate"]
        held = [e["n"] for e in ups if e["action"] == "hold"]
        self.assertTrue(dups and held)
        self.assertEqual(len(at_server), 100 + len(dups))
        self.assertEqual(sorted(set(at_server)), [b"%03d" % i for i in range(100)])
        # A held datagram arrives after its successor.
        n = held[0]
        self.assertLess(at_server.index(b"%03d" % (n + 1)), at_server.index(b"%03d" % n))


class Cli(unittest.TestCase):
    def test_prints_port_and_exits_on_stdin_eof(self):
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "udp_relay.py"), "--upstream",
                                 "127.0.0.1:9", "--lifetime", "20"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            line = proc.stdout.readline()
            self.assertGreater(json.loads(line)["relay_port"], 0)
            proc.stdin.close()
            self.assertEqual(proc.wait(timeout=10), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()

    def test_lifetime_bounds_it(self):
        proc = subprocess.run([sys.executable, os.path.join(HERE, "udp_relay.py"), "--upstream",
                               "127.0.0.1:9", "--lifetime", "0.5"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=10)
        self.assertEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
