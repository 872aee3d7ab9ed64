// The real server binary as a child process on free loopback ports.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The default app (soketi's SOKETI_DEFAULT_APP_* variables), set explicitly on every server. */
export const APP = Object.freeze({ id: 'app-id', key: 'app-key', secret: 'app-secret' });

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export const serverDll = process.env.SOKETI_ORLEANS_DLL
  || resolve(dirname(fileURLToPath(import.meta.url)), '../../../Silo/bin/Release/net10.0/SoketiOrleans.Silo.dll');

// Ports handed to the servers are picked outside the kernel's ephemeral range (ip_local_port_range):
// one from inside it, even one just found free, can be taken as the source port of any outgoing
// connection before the server binds it. Handed out in turn from a random start, each checked free.
const SPAN = 12_000;
const [ephemeralLow, ephemeralHigh] = (() => {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    return [32768, 60999];
  }
})();
const FIRST = ephemeralLow - SPAN >= 1024 ? ephemeralLow - SPAN : ephemeralHigh + 1;
let cursor = Math.floor(Math.random() * SPAN);

/** A free port on 127.0.0.1 outside the ephemeral range. */
export async function freePort() {
  for (let tried = 0; tried < SPAN; tried++) {
    const port = FIRST + (cursor++ % SPAN);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in ${FIRST}-${FIRST + SPAN - 1}`);
}

async function isFree(port) {
  const listener = createServer();
  try {
    listener.listen(port, '127.0.0.1');
    await once(listener, 'listening');
  } catch {
    return false;
  }
  listener.close();
  await once(listener, 'close');
  return true;
}

/**
 * Starts the server and waits until GET /ready answers 200.
 * @param {Record<string, string>} [env] extra SOKETI_* variables (e.g. SOKETI_ORLEANS_PRIMARY_SILO_PORT)
 * @param {{ ca: string }} [tls] for a server given SOKETI_SSL_*: the PEM CA its certificate chains to (it is probed over https)
 */
export async function startServer(env = {}, tls = undefined) {
  const port = await freePort();
  const siloPort = await freePort();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SOKETI_')));
  // Its own empty folder: the server reads a .env file from its working directory.
  const cwd = mkdtempSync(join(tmpdir(), 'soketi-orleans-'));
  const child = spawn('dotnet', [serverDll], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      SOKETI_HOST: '127.0.0.1',
      SOKETI_PORT: String(port),
      SOKETI_ORLEANS_SILO_PORT: String(siloPort),
      SOKETI_DEFAULT_APP_ID: APP.id,
      SOKETI_DEFAULT_APP_KEY: APP.key,
      SOKETI_DEFAULT_APP_SECRET: APP.secret,
      // Temporary files (cluster mode's Raft log) go with the folder, also after a kill.
      TMPDIR: cwd,
      // Quick first compilation: a second less start-up per server (see Silo.csproj); behaviour is the same.
      DOTNET_TC_QuickJit: '1',
      ...env,
    },
  });

  const server = new ServerProcess(child, port, siloPort, cwd, tls?.ca);
  try {
    await server.waitUntilReady();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Process A, then `count - 1` processes joined to A's silo one after the other: one cluster with a
 * gateway per process. The default is A and B.
 * @param {Record<string, string>} [env] extra SOKETI_* variables for every process
 * @param {number} [count] how many processes
 */
export async function startCluster(env = {}, count = 2) {
  const servers = [await startServer(env)];
  try {
    while (servers.length < count) {
      servers.push(await startServer({ ...env, SOKETI_ORLEANS_PRIMARY_SILO_PORT: String(servers[0].siloPort) }));
    }
    return servers;
  } catch (error) {
    // Joined processes first: the first one holds the cluster's membership table.
    for (const server of servers.reverse()) {
      await server.stop();
    }
    throw error;
  }
}

class ServerProcess {
  #child;
  #output = [];
  #exited;
  #ca;

  constructor(child, port, siloPort, cwd, ca) {
    this.#child = child;
    this.#ca = ca;
    this.port = port;
    this.siloPort = siloPort;
    this.pid = child.pid;
    this.url = `${ca ? 'https' : 'http'}://127.0.0.1:${port}`;
    child.stdout.setEncoding('utf8').on('data', chunk => this.#output.push(chunk));
    child.stderr.setEncoding('utf8').on('data', chunk => this.#output.push(chunk));
    // Should the test process end without `stop` (a crash), the server must not outlive it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.#exited = new Promise(resolveExit => {
      child.once('exit', (code, signal) => {
        process.off('exit', killOnExit);
        rmSync(cwd, { recursive: true, force: true });
        resolveExit({ code, signal });
      });
      child.once('error', error => {
        this.#output.push(`spawn failed: ${error.message}\n`);
        resolveExit({ code: null, signal: null });
      });
    });
  }

  /** Everything the server wrote to stdout and stderr so far. */
  get output() {
    return this.#output.join('');
  }

  get hasExited() {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  async waitUntilReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.hasExited) {
        throw new Error(`The server (${serverDll}) exited before it was ready:\n${this.output}`);
      }
      try {
        if (await this.#probe('/ready') === 200) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise(resolveDelay => setTimeout(resolveDelay, 100));
    }
    throw new Error(`The server was not ready within ${READY_TIMEOUT_MS} ms:\n${this.output}`);
  }

  /** The status of a GET; over https trusting only the server's CA (fetch cannot be given a CA). */
  #probe(path) {
    if (!this.#ca) {
      return fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(2_000) }).then(response => response.status);
    }
    return new Promise((resolveStatus, reject) => {
      const request = httpsGet(`${this.url}${path}`, { ca: this.#ca, timeout: 2_000 }, response => {
        response.resume();
        resolveStatus(response.statusCode);
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', reject);
    });
  }

  /** SIGTERM by PID, then SIGKILL when it has not exited within the timeout. */
  async stop() {
    if (this.hasExited) {
      return;
    }
    this.#child.kill('SIGTERM');
    let timer;
    const timedOut = new Promise(resolveTimeout => { timer = setTimeout(() => resolveTimeout('timeout'), STOP_TIMEOUT_MS); });
    const outcome = await Promise.race([this.#exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#child.kill('SIGKILL');
      await this.#exited;
    }
  }

  /** SIGKILL by PID, as a crash would end it (no shutdown code runs); resolves once it exited. */
  async kill() {
    if (!this.hasExited) {
      this.#child.kill('SIGKILL');
    }
    await this.#exited;
  }
}
