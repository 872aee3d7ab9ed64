import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, connectAndSubscribe, nextEvent, record, silence, subscribe, subscriptionCountIs } from './lib/pusher.mjs';

const fixture = useServer();

const ada = { user_id: 1001, user_info: { name: 'Ada' } };
const bob = { user_id: '2002', user_info: { name: 'Bob', roles: ['admin'] } };

function join(presenceData, channelName) {
  return connectAndSubscribe(fixture.server, channelName, { presenceData });
}

/** What members.each yields, in order. */
function eachMember(members) {
  const yielded = [];
  members.each(member => yielded.push(member));
  return yielded;
}

test('subscription_succeeded gives count, me and each; member ids are strings', async () => {
  const client = await connect(fixture.server, { presenceData: ada });
  const succeeded = nextEvent(client.subscribe('presence-lobby'), 'pusher:subscription_succeeded');

  const members = await succeeded;

  assert.equal(members.count, 1);
  // pusher-js takes me.id from the channel_data of its own auth (a number here) and me.info from
  // the server's snapshot, looked up by that id: the member hash is keyed by the string '1001'.
  assert.deepEqual(members.me, { id: 1001, info: { name: 'Ada' } });
  assert.deepEqual(eachMember(members), [{ id: '1001', info: { name: 'Ada' } }]);
});

test('a second member is added on the first client and removed when it unsubscribes', async () => {
  const first = await join(ada, 'presence-room-1');
  const added = nextEvent(first, 'pusher:member_added');

  const bobClient = await connect(fixture.server, { presenceData: bob });
  const second = await subscribe(bobClient, 'presence-room-1');

  assert.deepEqual(await added, { id: '2002', info: { name: 'Bob', roles: ['admin'] } });
  assert.equal(first.members.count, 2);
  assert.equal(second.members.count, 2);
  assert.deepEqual(eachMember(second.members), [
    { id: '1001', info: { name: 'Ada' } },
    { id: '2002', info: { name: 'Bob', roles: ['admin'] } },
  ]);

  const removed = nextEvent(first, 'pusher:member_removed');
  bobClient.unsubscribe('presence-room-1');

  assert.deepEqual(await removed, { id: '2002', info: { name: 'Bob', roles: ['admin'] } });
  assert.equal(first.members.count, 1);
});

test('a member is removed when its client disconnects', async () => {
  const first = await join(ada, 'presence-room-2');
  const bobClient = await connect(fixture.server, { presenceData: bob });
  await subscribe(bobClient, 'presence-room-2');
  const removed = nextEvent(first, 'pusher:member_removed');

  bobClient.disconnect();

  assert.deepEqual(await removed, { id: '2002', info: { name: 'Bob', roles: ['admin'] } });
  assert.equal(first.members.count, 1);
});

test('one user on two clients is one member until both left', async () => {
  const observer = await join(ada, 'presence-room-3');
  const added = record(observer, 'pusher:member_added');
  const removed = record(observer, 'pusher:member_removed');

  const bobOnPhone = await connect(fixture.server, { presenceData: bob });
  await subscribe(bobOnPhone, 'presence-room-3');
  await added.atLeast(1);
  const bobOnLaptop = await connect(fixture.server, { presenceData: bob });
  const laptopChannel = await subscribe(bobOnLaptop, 'presence-room-3');

  assert.equal(laptopChannel.members.count, 2);
  await silence();
  assert.deepEqual(added.events, [{ id: '2002', info: { name: 'Bob', roles: ['admin'] } }]);
  assert.equal(observer.members.count, 2);

  bobOnPhone.disconnect();
  await subscriptionCountIs(fixture.server, 'presence-room-3', 2);
  await silence();
  assert.deepEqual(removed.events, []);
  assert.equal(observer.members.count, 2);

  bobOnLaptop.disconnect();
  assert.deepEqual(await removed.atLeast(1), [{ id: '2002', info: { name: 'Bob', roles: ['admin'] } }]);
  assert.equal(observer.members.count, 1);
});
