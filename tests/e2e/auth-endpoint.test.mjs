// pusher-js authorizing through the app's HTTP auth endpoints (its `ajax` transport), the way web
// apps use it, instead of the in-process customHandler the other files use.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startAuthBackend } from './lib/auth-backend.mjs';
import { useServer } from './lib/fixtures.mjs';
import { connect, eventually, nextEvent, serverSdk, subscribe } from './lib/pusher.mjs';

const USERS = {
  'ada-token': { id: 'ada', info: { name: 'Ada' } },
  'bob-token': { id: 'bob', info: { name: 'Bob' } },
};

let backend;
const fixture = useServer({ setup: async server => { backend = await startAuthBackend(server, USERS); } });
after(() => backend?.close());

/** A pusher-js client of the user with `token`, pointed at the backend's endpoints as an app configures it. */
function connectAs(token) {
  const headers = { Authorization: `Bearer ${token}` };
  return connect(fixture.server, {
    channelAuthorization: { endpoint: `${backend.url}/pusher/auth`, transport: 'ajax', headers },
    userAuthentication: { endpoint: `${backend.url}/pusher/user-auth`, transport: 'ajax', headers },
  });
}

/** The backend's requests for this socket (and channel). */
function requestsOf(client, channelName) {
  return backend.requests.filter(r => r.form.socket_id === client.connection.socket_id && r.form.channel_name === channelName);
}

function byId(members) {
  const all = [];
  members.each(member => all.push(member));
  return all.sort((x, y) => x.id.localeCompare(y.id));
}

test('a private channel authorized by the auth endpoint receives events', async () => {
  const client = await connectAs('ada-token');
  const channel = await subscribe(client, 'private-endpoint-ledger');
  const received = nextEvent(channel, 'entry');

  await serverSdk(fixture.server).trigger('private-endpoint-ledger', 'entry', { amount: 12.5, currency: 'EUR' });

  assert.deepEqual(await received, { amount: 12.5, currency: 'EUR' });
  assert.deepEqual(requestsOf(client, 'private-endpoint-ledger'), [{
    method: 'POST',
    path: '/pusher/auth',
    contentType: 'application/x-www-form-urlencoded',
    form: { socket_id: client.connection.socket_id, channel_name: 'private-endpoint-ledger' },
    userId: 'ada',
  }]);
});

test('a presence channel authorized by the auth endpoint has the members the backend vouched for and receives events', async () => {
  const ada = await connectAs('ada-token');
  const adaChannel = await subscribe(ada, 'presence-endpoint-room');
  const added = nextEvent(adaChannel, 'pusher:member_added');

  const bob = await connectAs('bob-token');
  const bobChannel = await subscribe(bob, 'presence-endpoint-room');

  assert.deepEqual(await added, { id: 'bob', info: { name: 'Bob' } });
  assert.deepEqual(byId(bobChannel.members), [{ id: 'ada', info: { name: 'Ada' } }, { id: 'bob', info: { name: 'Bob' } }]);
  assert.deepEqual(bobChannel.members.me, { id: 'bob', info: { name: 'Bob' } });
  const received = [nextEvent(adaChannel, 'announcement'), nextEvent(bobChannel, 'announcement')];
  await serverSdk(fixture.server).trigger('presence-endpoint-room', 'announcement', { text: 'standup in 5' });
  assert.deepEqual(await Promise.all(received), [{ text: 'standup in 5' }, { text: 'standup in 5' }]);
  assert.equal(requestsOf(bob, 'presence-endpoint-room').length, 1);
});

test('signin() through the user-authentication endpoint signs the user in and sendToUser reaches it', async () => {
  const client = await connectAs('ada-token');

  client.signin();
  await client.user.signinDonePromise;

  assert.deepEqual(client.user.user_data, { id: 'ada', user_info: { name: 'Ada' } });
  assert.deepEqual(requestsOf(client, undefined).map(r => [r.method, r.path, r.form]),
    [['POST', '/pusher/user-auth', { socket_id: client.connection.socket_id }]]);
  await eventually('pusher-js to be subscribed to #server-to-user-ada', () => client.user.serverToUserChannel?.subscribed);
  const received = nextEvent(client.user, 'invoice-paid');
  await serverSdk(fixture.server).sendToUser('ada', 'invoice-paid', { invoice: 42 });
  assert.deepEqual(await received, { invoice: 42 });
});
