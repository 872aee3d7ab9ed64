// deploy/compose/redis.yml and split-roles.yml run as local processes: each soketi service as the
// image's ENTRYPOINT would run it (the binary at SOKETI_ORLEANS_DLL) with the environment that
// `docker-compose config` gives it, against a real redis-server, behind a real nginx with the
// service's configuration. Only what cannot be the same on one machine is replaced: container
// host names become 127.0.0.1 (SOKETI_DB_REDIS_HOST, and SOKETI_HOST, the address a container
// listens on and advertises), and every port that each container could have to itself becomes a
// free port per process (SOKETI_PORT, the Orleans and metrics ports, Redis', nginx's). The harness
// adds what it adds to every server it starts (its own TMPDIR, quick JIT: see docs/testing.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeConfig, runHealthcheck, soketiServices, startNginx, withFreePorts } from './lib/deploy.mjs';
import { apiGet, connectAndSubscribe, disconnectAll, nextEvent, serverSdk, subscriptionCountIs } from './lib/pusher.mjs';
import { startRedis } from './lib/redis.mjs';
import { freePort, startServer } from './lib/server.mjs';

async function localEnvironment(service, redis, serviceNames) {
  const env = await withFreePorts(service.environment);
  assert.equal(env.SOKETI_PORT, undefined, `${service.name} listens on the image's 6001, a free port here`);
  assert.equal(env.SOKETI_DB_REDIS_HOST, 'redis');
  env.SOKETI_DB_REDIS_HOST = '127.0.0.1';
  env.SOKETI_DB_REDIS_PORT = String(redis.port);
  env.SOKETI_HOST = '127.0.0.1';
  assert.deepEqual(Object.entries(env).filter(([name, value]) => name.endsWith('_HOST') && serviceNames.includes(value)), [], 'no other container name is left');
  return env;
}

/** The Compose file's soketi services as processes, in parallel as Compose starts them once Redis is healthy, and its nginx. */
async function startComposeFile(file, t) {
  const { config } = composeConfig(file);
  const services = soketiServices(config);
  const serviceNames = Object.keys(config.services);
  const running = { nodes: new Map(), redis: null, nginx: null };
  running.stop = async () => {
    disconnectAll();
    await running.nginx?.stop();
    // Gateways before the silos they use.
    const workers = new Set(services.filter(s => s.environment.SOKETI_MODE === 'worker').map(s => s.name));
    for (const [, server] of [...running.nodes].sort(([a], [b]) => workers.has(a) - workers.has(b))) {
      await server.stop();
    }
    await running.redis?.stop();
  };
  try {
    running.redis = await startRedis();
    const environments = await Promise.all(services.map(service => localEnvironment(service, running.redis, serviceNames)));
    const started = await Promise.allSettled(environments.map(env => startServer(env)));
    started.forEach((result, i) => result.status === 'fulfilled' && running.nodes.set(services[i].name, result.value));
    const failed = started.find(result => result.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    running.gateways = services.filter(s => s.environment.SOKETI_MODE !== 'worker').map(s => running.nodes.get(s.name));
    running.nginx = await startNginx(config.services.nginx, new Map(services.map(s => [s.name, running.nodes.get(s.name).port])));
    return running;
  } catch (error) {
    for (const [name, server] of running.nodes) {
      t.diagnostic(`${name}: ${server.output.slice(-4_000)}`);
    }
    await running.stop();
    throw error;
  }
}

async function status(server, path) {
  return (await fetch(`http://127.0.0.1:${server.port}${path}`)).status;
}

for (const [file, shape] of [['redis.yml', ['soketi-1', 'soketi-2', 'soketi-3']], ['split-roles.yml', ['server-1', 'server-2', 'worker-1', 'worker-2']]]) {
  test(`deploy/compose/${file} as processes: one cluster through every node and through nginx`, async t => {
    const running = await startComposeFile(file, t);
    try {
      assert.deepEqual([...running.nodes.keys()], shape);
      const [first, second] = running.gateways;
      const last = running.gateways.at(-1);

      // What the image's health check, the load balancer and Kubernetes' probes ask, on every process.
      for (const [name, server] of running.nodes) {
        assert.deepEqual([await status(server, '/ready'), await status(server, '/')], [200, 200], name);
        assert.equal(await runHealthcheck({ SOKETI_HOST: '127.0.0.1', SOKETI_PORT: String(server.port) }), 0, `${name}: HEALTHCHECK`);
      }
      assert.notEqual(await runHealthcheck({ SOKETI_HOST: '127.0.0.1', SOKETI_PORT: String(await freePort()) }), 0, 'HEALTHCHECK of a port nobody listens on');

      // An event published through the first gateway reaches a client of the last one, and one behind nginx.
      const onLast = await connectAndSubscribe(last, 'deploy-news');
      const behindNginx = await connectAndSubscribe(running.nginx, 'deploy-news');
      const received = [nextEvent(onLast, 'published'), nextEvent(behindNginx, 'published')];
      await serverSdk(first).trigger('deploy-news', 'published', { via: 'first gateway' });
      assert.deepEqual(await Promise.all(received), [{ via: 'first gateway' }, { via: 'first gateway' }]);

      // Presence members on the last gateway and behind nginx, counted alike by the first two gateways and nginx.
      await connectAndSubscribe(last, 'presence-deploy', { presenceData: { user_id: '1001', user_info: { name: 'Ada' } } });
      await connectAndSubscribe(running.nginx, 'presence-deploy', { presenceData: { user_id: '2002', user_info: { name: 'Bob' } } });
      await subscriptionCountIs(second, 'presence-deploy', 2);
      for (const server of [second, first, running.nginx]) {
        assert.deepEqual(await Promise.all([apiGet(server, { path: '/channels/presence-deploy' }), apiGet(server, { path: '/channels/presence-deploy/users' })]), [
          { status: 200, body: { occupied: true, subscription_count: 2, user_count: 2 } },
          { status: 200, body: { users: [{ id: '1001' }, { id: '2002' }] } },
        ]);
      }
    } finally {
      await running.stop();
    }
  });
}
