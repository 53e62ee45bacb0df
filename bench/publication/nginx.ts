import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/**
 * nginx serving a publish directory exactly as docs/publication.md recommends (root = the
 * snapshot link, open_file_cache off, the same headers as the server). `workers` = 1 matches the
 * server's one event loop for the published files.
 */
export function nginxConfig(o: {
  root: string;
  port: number;
  dir: string;
  workers: number;
}): string {
  const headers = [
    'add_header Cache-Control "public, max-age=1" always;',
    `add_header Content-Security-Policy "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" always;`,
    'add_header X-Content-Type-Options nosniff always;',
    'add_header Referrer-Policy no-referrer always;',
    'add_header Access-Control-Allow-Origin * always;',
  ].join('\n      ');
  return `worker_processes ${o.workers};
daemon off;
pid ${o.dir}/nginx.pid;
error_log ${o.dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${o.dir}/tmp-body;
  proxy_temp_path ${o.dir}/tmp-proxy;
  fastcgi_temp_path ${o.dir}/tmp-fastcgi;
  uwsgi_temp_path ${o.dir}/tmp-uwsgi;
  scgi_temp_path ${o.dir}/tmp-scgi;
  types { text/html html; text/css css; application/json json; text/csv csv;
          application/xml xml; application/pkcs7-signature p7s; }
  server {
    listen 127.0.0.1:${o.port};
    root ${o.root};
    open_file_cache off;
    location / {
      index index.html;
      etag on;
      ${headers}
    }
  }
}
`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export type Nginx = { readonly url: string; readonly child: ChildProcess; stop(): Promise<void> };

/** Starts /usr/sbin/nginx in the foreground and waits until it answers. */
export async function startNginx(root: string, dir: string, workers = 1): Promise<Nginx> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, nginxConfig({ root, port, dir, workers }));
  const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/index.html`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGQUIT');
      await exited;
    },
  };
}
