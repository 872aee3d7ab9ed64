// A real redis-server on a free loopback port, without persistence, for the redis mode's tests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.mjs';

const READY_TIMEOUT_MS = 20_000;

export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'soketi-orleans-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const redis = {
    port,
    /** SOKETI_* variables that put a server in redis mode against this Redis. */
    env: { SOKETI_ADAPTER_DRIVER: 'redis', SOKETI_DB_REDIS_HOST: '127.0.0.1', SOKETI_DB_REDIS_PORT: String(port) },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!await answersPing(port)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await redis.stop();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise(resolveDelay => setTimeout(resolveDelay, 50));
  }
  return redis;
}

/** Whether something on the port answers Redis' PING with +PONG. */
function answersPing(port) {
  return new Promise(resolvePing => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', data => { socket.destroy(); resolvePing(data.toString().startsWith('+PONG')); });
    socket.once('error', () => resolvePing(false));
    socket.once('timeout', () => { socket.destroy(); resolvePing(false); });
  });
}
