// One server (or one two-process cluster) per test file; clients are disconnected after each test
// (or, with shareClients, once after the file so tests can read state that `setup` made).
import { after, afterEach, before } from 'node:test';
import { disconnectAll } from './pusher.mjs';
import { startRedis } from './redis.mjs';
import { freePort, startCluster, startServer } from './server.mjs';

const OUTPUT_TAIL_CHARS = 8_000;

/**
 * Registers the hooks; `servers[0]` (…) are set once `before` ran. `setup(...servers)` runs in the
 * same hook, as a second root-level `before` would run concurrently with it in Node 20.
 */
function useServers(start, { shareClients = false, setup = async () => {} } = {}, stopped = async () => {}) {
  const servers = [];
  before(async () => {
    servers.push(...await start());
    await setup(...servers);
  });
  afterEach(t => {
    if (!shareClients) {
      disconnectAll();
    }
    if (!t.passed) {
      for (const server of servers) {
        t.diagnostic(`output of the server on port ${server.port} (pid ${server.pid}):`);
        for (const line of server.output.slice(-OUTPUT_TAIL_CHARS).split('\n')) {
          t.diagnostic(line);
        }
      }
    }
  });
  after(async () => {
    disconnectAll();
    // Joined processes first: the first one holds the cluster's membership table.
    for (const server of [...servers].reverse()) {
      await server.stop();
    }
    await stopped();
  });
  return servers;
}

/**
 * A single server process for the current file; `options.env` adds SOKETI_* variables, `options.tls`
 * (`{ ca }`) is given to a TLS server's probe (see startServer).
 */
export function useServer(options = {}) {
  const servers = useServers(async () => [await startServer(options.env, options.tls)], options);
  return { get server() { return servers[0]; } };
}

/**
 * Process A and process B (or `options.count` processes) joined to A's cluster, for the current
 * file; `options.env` goes to every process.
 */
export function useCluster(options = {}) {
  const servers = useServers(() => startCluster(options.env, options.count), options);
  return {
    get a() { return servers[0]; },
    get b() { return servers[1]; },
    get servers() { return servers; },
  };
}

/**
 * A redis mode cluster for the current file: its own redis-server, then one process per entry of
 * `options.roles` (SOKETI_MODE: full, server or worker), in that order. `a` and `b` are the first two
 * processes that serve clients; `options.env` goes to every process.
 */
export function useRedisCluster(options = {}) {
  let redis;
  const roles = options.roles ?? ['full', 'full'];
  const servers = useServers(async () => {
    redis = await startRedis();
    const started = [];
    try {
      for (const role of roles) {
        started.push(await startServer({ ...options.env, ...redis.env, SOKETI_MODE: role }));
      }
      return started;
    } catch (error) {
      for (const server of started.reverse()) {
        await server.stop();
      }
      await redis.stop();
      throw error;
    }
  }, options, async () => redis?.stop());
  const gateways = () => servers.filter((_, i) => roles[i] !== 'worker');
  return {
    get a() { return gateways()[0]; },
    get b() { return gateways()[1]; },
    get servers() { return servers; },
  };
}

/**
 * A cluster mode cluster for the current file: `options.count` processes (default 3) that find each
 * other by UDP discovery on loopback, set the way soketi's docs write it (unprefixed ADAPTER_DRIVER
 * and CLUSTER_* variables). Each has its own loopback address 127.S.0.i as CLUSTER_HOST, so discovery
 * goes to the loopback broadcast address; the discovery port is free and the cluster's own.
 */
export function useDiscoveryCluster(options = {}) {
  const subnet = 1 + Math.floor(Math.random() * 250);
  const servers = useServers(async () => {
    const discoveryPort = String(await freePort());
    const started = [];
    try {
      for (let i = 0; i < (options.count ?? 3); i++) {
        started.push(await startServer({ ...options.env, ADAPTER_DRIVER: 'cluster', CLUSTER_HOST: `127.${subnet}.0.${i + 2}`, CLUSTER_PORT: discoveryPort }));
      }
      return started;
    } catch (error) {
      for (const server of started.reverse()) {
        await server.stop();
      }
      throw error;
    }
  }, options);
  return {
    get a() { return servers[0]; },
    get b() { return servers[1]; },
    get servers() { return servers; },
  };
}
