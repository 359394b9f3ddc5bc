#!/usr/bin/env python3
"""A TCP proxy that makes a loopback path look like one with a round-trip time of RTT ms (a
benchmark aid for testenv/latency.sh, not a test). The kernel here has no netem, so the delay is
added in user space: every chunk is delivered RTT/2 ms after it arrived, in each direction, in
order; and the first bytes towards the server wait one more RTT, for the TCP handshake the
client's connect() to this proxy did not pay. A fresh HTTPS fetch (TCP, TLS 1.3, one request)
then costs three round trips, as on a real network.

usage: delay-proxy.py LISTEN_PORT TARGET_HOST:TARGET_PORT RTT_MS
Prints "ready" once listening; runs until killed.
"""
import asyncio
import sys


async def pump(reader, writer, one_way, first_extra):
    """Copies reader to writer, each chunk delivered `one_way` s after it arrived."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except OSError:
            pass

    task = asyncio.create_task(deliver())
    extra = first_extra
    try:
        while True:
            data = await reader.read(65536)
            queue.put_nowait((loop.time() + one_way + extra, data or None))
            extra = 0
            if not data:
                break
    except OSError:
        queue.put_nowait((loop.time(), None))
    await task


async def main():
    port, target, rtt_ms = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    host, tport = target.rsplit(":", 1)
    one_way = rtt_ms / 2000

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, int(tport))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump(client_reader, server_writer, one_way, 2 * one_way),
            pump(server_reader, client_writer, one_way, 0),
            return_exceptions=True,
        )
        for w in (client_writer, server_writer):
            w.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
