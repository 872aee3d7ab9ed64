// laravel-echo (broadcaster 'pusher') as a Laravel app's resources/js/echo.js sets it up, against
// the server and a backend serving Laravel's /broadcasting/auth routes; events are triggered with
// the `pusher` SDK as Laravel's Pusher broadcaster does (event name = the event class, or its
// broadcastAs name, which Echo listens to with a leading '.').
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { startAuthBackend } from './lib/auth-backend.mjs';
import { useServer } from './lib/fixtures.mjs';
import { nextEvent, recorder, serverSdk, silence } from './lib/pusher.mjs';
import { APP } from './lib/server.mjs';

const ADA = { id: 'ada', name: 'Ada' };
const BOB = { id: 'bob', name: 'Bob' };
const USERS = { 'ada-token': { id: ADA.id, info: ADA }, 'bob-token': { id: BOB.id, info: BOB } };

let backend;
const fixture = useServer({
  env: { SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: 'true' }, // whispers are client events
  setup: async server => { backend = await startAuthBackend(server, USERS); },
});

const echos = new Set();
afterEach(() => {
  for (const echo of echos) {
    echo.disconnect();
  }
  echos.clear();
});
after(() => backend?.close());

/** Echo for the user with `token`, configured as in a Laravel app (`window.Pusher` passed as `Pusher`). */
function echoFor(token) {
  const headers = { Authorization: `Bearer ${token}` };
  const echo = new Echo({
    broadcaster: 'pusher',
    Pusher,
    key: APP.key,
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: fixture.server.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    authEndpoint: `${backend.url}/broadcasting/auth`,
    // Headers of our own rather than Echo's `bearerToken`: Echo writes that token into its default
    // options object, which all Echo instances share, and this process runs two users.
    auth: { headers },
    userAuthentication: { endpoint: `${backend.url}/broadcasting/user-auth`, headers },
  });
  echos.add(echo);
  return echo;
}

/** Resolves once the Echo channel's pusher-js subscription succeeded. */
function subscribed(echoChannel) {
  return nextEvent(echoChannel.subscription, 'pusher:subscription_succeeded');
}

test('Echo.channel().listen() hears a broadcastAs name with a leading dot and an event class through the App.Events namespace', async () => {
  const echo = echoFor('ada-token');
  const byName = recorder('.order.shipped');
  const byClass = recorder('OrderShipped');
  const channel = echo.channel('orders').listen('.order.shipped', byName.callback).listen('OrderShipped', byClass.callback);
  await subscribed(channel);
  const sdk = serverSdk(fixture.server);

  await sdk.trigger('orders', 'order.shipped', { id: 1, carrier: 'DHL' });
  await sdk.trigger('orders', 'App\\Events\\OrderShipped', { order: { id: 2, total: '19.99' } });

  assert.deepEqual(await byName.atLeast(1), [{ id: 1, carrier: 'DHL' }]);
  assert.deepEqual(await byClass.atLeast(1), [{ order: { id: 2, total: '19.99' } }]);
  await silence();
  assert.deepEqual([byName.events.length, byClass.events.length], [1, 1]);
});

test('Echo.private() is authorized by /broadcasting/auth and hears the event the SDK triggered', async () => {
  const echo = echoFor('ada-token');
  const heard = recorder('InvoicePaid');
  const channel = echo.private('App.Models.User.ada').listen('InvoicePaid', heard.callback);
  await subscribed(channel);

  await serverSdk(fixture.server).trigger('private-App.Models.User.ada', 'App\\Events\\InvoicePaid', { invoice: 42, paid: true });

  assert.deepEqual(await heard.atLeast(1), [{ invoice: 42, paid: true }]);
  assert.deepEqual(
    backend.requests.filter(r => r.form.socket_id === echo.socketId()).map(r => [r.path, r.form.channel_name, r.userId]),
    [['/broadcasting/auth', 'private-App.Models.User.ada', 'ada']]);
});

test('Echo.join() calls here, joining and leaving with the user info the backend vouched for', async () => {
  const ada = echoFor('ada-token');
  const adaHere = recorder('here on ada');
  const joining = recorder('joining');
  const leaving = recorder('leaving');
  ada.join('chat.1').here(adaHere.callback).joining(joining.callback).leaving(leaving.callback);
  assert.deepEqual(await adaHere.atLeast(1), [[ADA]]);

  const bob = echoFor('bob-token');
  const bobHere = recorder('here on bob');
  bob.join('chat.1').here(bobHere.callback);

  const [membersForBob] = await bobHere.atLeast(1);
  assert.deepEqual([...membersForBob].sort((x, y) => x.id.localeCompare(y.id)), [ADA, BOB]);
  assert.deepEqual(await joining.atLeast(1), [BOB]);
  bob.leave('chat.1');
  assert.deepEqual(await leaving.atLeast(1), [BOB]);
  await silence();
  assert.deepEqual([adaHere.events.length, joining.events.length, leaving.events.length], [1, 1, 1]);
});

test('a whisper on a private channel reaches listenForWhisper of the other user and not the sender', async () => {
  const ada = echoFor('ada-token');
  const bob = echoFor('bob-token');
  const heardByAda = recorder('typing whisper on ada');
  const heardByBob = recorder('typing whisper on bob');
  const adaChannel = ada.private('chat.2').listenForWhisper('typing', heardByAda.callback);
  const bobChannel = bob.private('chat.2').listenForWhisper('typing', heardByBob.callback);
  await Promise.all([subscribed(adaChannel), subscribed(bobChannel)]);

  adaChannel.whisper('typing', { name: 'Ada', typing: true });

  assert.deepEqual(await heardByBob.atLeast(1), [{ name: 'Ada', typing: true }]);
  await silence();
  assert.deepEqual([heardByAda.events, heardByBob.events.length], [[], 1]);
});
