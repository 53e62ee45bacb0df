import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoadBalancer, type LoadBalancer } from '../../../cli/demo/nginx.ts';
import { findFreePort } from '../../../cli/demo/workspace.ts';

/*
 * The demo's load balancer: Debian's nginx with the generated configuration, in front of two
 * real HTTP servers. What the two-server demo relies on: requests reach both, and a request the
 * first server cannot answer — a server gone, a connection cut mid-request — is answered by the
 * other, POST with its body included.
 */
type Backend = { server: Server; port: number; seen: string[]; cutNext: boolean };

async function backend(name: string): Promise<Backend> {
  const b: Backend = { server: createServer(), port: 0, seen: [], cutNext: false };
  b.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (b.cutNext) {
        b.cutNext = false;
        req.socket.destroy(); // the server dies with the request in its hands
        return;
      }
      b.seen.push(body);
      res.end(JSON.stringify({ server: name, body }));
    });
  });
  await new Promise<void>((resolve) => b.server.listen(0, '127.0.0.1', resolve));
  b.port = (b.server.address() as AddressInfo).port;
  return b;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'wahlkoffer-nginx-'));
let a: Backend;
let b: Backend;
let balancer: LoadBalancer;

beforeAll(async () => {
  [a, b] = [await backend('a'), await backend('b')];
  balancer = await startLoadBalancer({
    dir,
    host: '127.0.0.1',
    port: await findFreePort(),
    upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`],
  });
});
afterAll(async () => {
  await balancer?.stop();
  a.server.close();
  b.server.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (body: string) => {
  const response = await fetch(`${balancer.url}/api/v1/reports`, { method: 'POST', body });
  return {
    status: response.status,
    json: (await response.json()) as { server: string; body: string },
  };
};

describe('the demo load balancer (nginx)', () => {
  it('spreads requests over both servers', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(`r${i}`)));
    expect(answers.every((x) => x.status === 200)).toBe(true);
    expect(new Set(answers.map((x) => x.json.server))).toEqual(new Set(['a', 'b']));
  });

  it('passes a POST whose connection was cut to the other server, body and all', async () => {
    a.cutNext = true;
    const answers = [];
    // until the request that server a cuts off has come and gone (round robin: one of the next two)
    for (let i = 0; a.cutNext && i < 10; i++) answers.push(await post(`cut-${i}`));
    expect(a.cutNext).toBe(false);
    expect(answers.map((x) => x.status)).toEqual(answers.map(() => 200));
    expect(answers.map((x) => x.json.body)).toEqual(answers.map((_, i) => `cut-${i}`));
  });

  it('answers every request from the other server while one is gone', async () => {
    await new Promise<void>((resolve) => a.server.close(() => resolve()));
    a.server.closeAllConnections();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(`gone-${i}`)));
    expect(answers.map((x) => x.json.server)).toEqual(Array(6).fill('b'));
  });
});
