import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Faults } from './Faults.ts';
import { StreamSocket } from './StreamSocket.ts';

describe('StreamSocket', () => {
  let server: WebSocketServer | undefined;
  afterEach(() => server?.close());

  it('delivers every message in the order it was sent when latency with jitter delays each differently', async () => {
    server = new WebSocketServer({ port: 0 });
    await once(server, 'listening');
    const faults = new Faults(7);
    faults.set({ latency: { fixedMs: 1, jitterMs: 15 } });
    server.on('connection', (socket) => {
      const stream = new StreamSocket(socket, faults);
      for (let i = 0; i < 300; i++) stream.send({ i });
    });

    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: number[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received.push((JSON.parse(data.toString()) as { i: number }).i);
        if (received.length === 300) resolve();
      }),
    );
    await all;
    client.close();
    expect(received).toEqual([...Array(300).keys()]);
  });
});
