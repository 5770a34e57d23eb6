import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a test server, so a test can cut every live connection
 * (a WebSocket drop) or refuse new ones (an RPC outage) and then restore service.
 */
export interface TcpProxy {
  port: number;
  /** Destroys every open connection (both sides). */
  cutAll(): void;
  /** While down, new connections are destroyed at once and open ones are cut. */
  setDown(down: boolean): void;
  /** How many connections were accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const live = new Set<Socket>();
  let down = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    if (down) { client.destroy(); return; }
    accepted++;
    const upstream = connect(targetPort, '127.0.0.1');
    live.add(client);
    live.add(upstream);
    const kill = () => { client.destroy(); upstream.destroy(); live.delete(client); live.delete(upstream); };
    client.on('error', kill).on('close', kill);
    upstream.on('error', kill).on('close', kill);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('proxy has no port');
  const cutAll = () => { for (const s of live) s.destroy(); live.clear(); };
  return {
    port: addr.port,
    cutAll,
    setDown(d: boolean) { down = d; if (d) cutAll(); },
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => { cutAll(); server.close(() => resolve()); }),
  };
}
