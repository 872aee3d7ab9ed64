import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { apiGet, connect, serverSdk, subscribe, subscriptionCountIs } from './lib/pusher.mjs';

// Every test reads the same state: one public subscriber, and on presence-api user 1001 with
// one socket and user 2002 with two.
const fixture = useServer({ shareClients: true, setup: occupy });

async function occupy(server) {
  const ada = await connect(server, { presenceData: { user_id: 1001, user_info: { name: 'Ada' } } });
  await subscribe(ada, 'api-public');
  await subscribe(ada, 'presence-api');
  for (let socket = 0; socket < 2; socket++) {
    const bob = await connect(server, { presenceData: { user_id: '2002' } });
    await subscribe(bob, 'presence-api');
  }
  await subscriptionCountIs(server, 'presence-api', 3);
}

function get(request) {
  return apiGet(fixture.server, request);
}

test('GET /channels lists every occupied channel', async () => {
  assert.deepEqual(await get({ path: '/channels' }), {
    status: 200,
    body: {
      channels: {
        'api-public': { subscription_count: 1, occupied: true },
        'presence-api': { subscription_count: 3, occupied: true },
      },
    },
  });
});

test('GET /channels with filter_by_prefix=presence- and info=user_count', async () => {
  assert.deepEqual(await get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } }), {
    status: 200,
    body: { channels: { 'presence-api': { subscription_count: 3, occupied: true, user_count: 2 } } },
  });
});

test('GET /channels/presence-api counts sockets and users', async () => {
  assert.deepEqual(await get({ path: '/channels/presence-api' }), {
    status: 200,
    body: { occupied: true, subscription_count: 3, user_count: 2 },
  });
});

test('GET /channels/presence-api/users lists each user once, ids as strings', async () => {
  assert.deepEqual(await get({ path: '/channels/presence-api/users' }), {
    status: 200,
    body: { users: [{ id: '1001' }, { id: '2002' }] },
  });
});

test('GET /channels/:name of an empty channel', async () => {
  assert.deepEqual(await get({ path: '/channels/nobody-here' }), {
    status: 200,
    body: { occupied: false, subscription_count: 0 },
  });
});

test('an SDK with the wrong secret gets 401', async () => {
  const sdk = serverSdk(fixture.server, { secret: 'wrong-secret' });

  await assert.rejects(sdk.get({ path: '/channels' }), { name: 'PusherRequestError', message: 'Unexpected status code 401', status: 401 });
  await assert.rejects(sdk.trigger('api-public', 'x', {}), { name: 'PusherRequestError', message: 'Unexpected status code 401', status: 401 });
});

test('an SDK with an unknown app id gets 404', async () => {
  const sdk = serverSdk(fixture.server, { appId: 'no-such-app' });

  await assert.rejects(sdk.get({ path: '/channels' }), { name: 'PusherRequestError', message: 'Unexpected status code 404', status: 404 });
  await assert.rejects(sdk.trigger('api-public', 'x', {}), { name: 'PusherRequestError', message: 'Unexpected status code 404', status: 404 });
});
