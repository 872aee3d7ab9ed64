import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiGet, connect, connectAndSubscribe, nextEvent, record, serverSdk, silence, subscribe, subscriptionCountIs } from './pusher.mjs';

/**
 * What two gateways of one cluster must do for pusher-js and the pusher SDK, whatever the cluster's
 * shape: `fixture.a` and `fixture.b` are two processes that serve clients, with client events on.
 */
export function defineClusterTests(fixture) {
  const ada = { user_id: 1001, user_info: { name: 'Ada' } };
  const bob = { user_id: '2002', user_info: { name: 'Bob' } };
  const bobInfo = { id: '2002', info: { name: 'Bob' } };

  function join(server, presenceData, channelName) {
    return connectAndSubscribe(server, channelName, { presenceData });
  }

  test('an event triggered through A reaches a client on B, and through B a client on A', async () => {
    const onA = await connectAndSubscribe(fixture.a, 'cluster-news');
    const onB = await connectAndSubscribe(fixture.b, 'cluster-news');
    const fromAtoB = nextEvent(onB, 'from-a');
    const fromBtoA = nextEvent(onA, 'from-b');

    await serverSdk(fixture.a).trigger('cluster-news', 'from-a', { sent: 'via A' });
    await serverSdk(fixture.b).trigger('cluster-news', 'from-b', { sent: 'via B' });

    assert.deepEqual(await fromAtoB, { sent: 'via A' });
    assert.deepEqual(await fromBtoA, { sent: 'via B' });
  });

  test('presence members on A and on B see each other', async () => {
    const onA = await join(fixture.a, ada, 'presence-cluster-1');
    const added = nextEvent(onA, 'pusher:member_added');

    const onB = await join(fixture.b, bob, 'presence-cluster-1');

    assert.deepEqual(await added, bobInfo);
    assert.equal(onA.members.count, 2);
    assert.equal(onB.members.count, 2);
    assert.deepEqual(onB.members.get('1001'), { id: '1001', info: { name: 'Ada' } });
  });

  test('the same user on A and on B is one user in the HTTP API of both', async () => {
    await join(fixture.a, bob, 'presence-cluster-2');
    await join(fixture.b, bob, 'presence-cluster-2');

    for (const server of [fixture.a, fixture.b]) {
      assert.deepEqual(await apiGet(server, { path: '/channels/presence-cluster-2' }), {
        status: 200,
        body: { occupied: true, subscription_count: 2, user_count: 1 },
      });
      assert.deepEqual(await apiGet(server, { path: '/channels/presence-cluster-2/users' }), {
        status: 200,
        body: { users: [{ id: '2002' }] },
      });
    }
  });

  test('an observer sees one member_added for a user on A and on B, and member_removed after both left', async () => {
    const observer = await join(fixture.b, ada, 'presence-cluster-3');
    const added = record(observer, 'pusher:member_added');
    const removed = record(observer, 'pusher:member_removed');
    const bobOnA = await connect(fixture.a, { presenceData: bob });
    await subscribe(bobOnA, 'presence-cluster-3');
    const bobOnB = await connect(fixture.b, { presenceData: bob });
    await subscribe(bobOnB, 'presence-cluster-3');

    await added.atLeast(1);
    await silence();
    assert.deepEqual(added.events, [bobInfo]);
    assert.equal(observer.members.count, 2);

    bobOnA.disconnect();
    await subscriptionCountIs(fixture.b, 'presence-cluster-3', 2);
    await silence();
    assert.deepEqual(removed.events, []);

    bobOnB.disconnect();
    assert.deepEqual(await removed.atLeast(1), [bobInfo]);
    assert.equal(observer.members.count, 1);
  });

  test('A and B answer channel reads identically', async () => {
    await join(fixture.a, ada, 'presence-cluster-4');
    await join(fixture.b, bob, 'presence-cluster-4');
    await join(fixture.b, bob, 'presence-cluster-4');
    await subscriptionCountIs(fixture.a, 'presence-cluster-4', 3);
    const reads = [
      { path: '/channels/presence-cluster-4' },
      { path: '/channels/presence-cluster-4/users' },
      { path: '/channels', params: { filter_by_prefix: 'presence-cluster-4', info: 'user_count' } },
    ];

    const fromA = await Promise.all(reads.map(read => apiGet(fixture.a, read)));
    const fromB = await Promise.all(reads.map(read => apiGet(fixture.b, read)));

    assert.deepEqual(fromA, [
      { status: 200, body: { occupied: true, subscription_count: 3, user_count: 2 } },
      { status: 200, body: { users: [{ id: '1001' }, { id: '2002' }] } },
      { status: 200, body: { channels: { 'presence-cluster-4': { subscription_count: 3, occupied: true, user_count: 2 } } } },
    ]);
    assert.deepEqual(fromB, fromA);
  });

  test('a whisper from a presence member on A reaches the member on B with its user_id, not the sender', async () => {
    const onA = await join(fixture.a, ada, 'presence-cluster-whisper');
    const onB = await join(fixture.b, bob, 'presence-cluster-whisper');
    const received = new Promise(resolve => onB.bind('client-typing', (data, metadata) => resolve({ data, metadata })));
    const echoed = record(onA, 'client-typing');

    onA.trigger('client-typing', { typing: true });

    assert.deepEqual(await received, { data: { typing: true }, metadata: { user_id: '1001' } });
    await silence();
    assert.deepEqual(echoed.events, []);
  });

  test('a cache channel filled through A replays its last event to a client on B', async () => {
    await serverSdk(fixture.a).trigger('cache-cluster-status', 'status', { up: true });

    const onB = await connect(fixture.b);

    assert.deepEqual(await nextEvent(onB.subscribe('cache-cluster-status'), 'status'), { up: true });
  });
}
