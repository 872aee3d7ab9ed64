import assert from 'node:assert/strict';
import { test } from 'node:test';
import PusherServer from 'pusher';
import { useCluster } from './lib/fixtures.mjs';
import { apiGet, connect, eventually, record, serverSdk, silence, subscribe } from './lib/pusher.mjs';

// Processes A, B and C in one cluster. A holds the membership table, so C is the one killed.
const fixture = useCluster({ count: 3 });

/** The bound the server promises for a killed process to be gone from every channel. */
const EXACT_WITHIN_MS = 10_000;

/** Waits that span the recovery (failure detection, grains re-activated on the survivors). */
const RECOVERY_WAIT_MS = 30_000;

const CHANNEL_COUNT = 12;
const presenceChannels = Array.from({ length: CHANNEL_COUNT }, (_, i) => `presence-recovery-${i}`);
const publicChannels = Array.from({ length: CHANNEL_COUNT }, (_, i) => `recovery-news-${i}`);

const member = name => ({ user_id: name, user_info: { name } });
const [ann, bob, carl, sam] = ['ann', 'bob', 'carl', 'sam'].map(member);

/** A client on `server` as `presenceData`, subscribed to every channel in `channelNames`: resolves with client and channels. */
async function join(server, presenceData, channelNames) {
  const client = await connect(server, { presenceData });
  const channels = await Promise.all(channelNames.map(name => subscribe(client, name)));
  return { client, channels: new Map(channelNames.map((name, i) => [name, channels[i]])) };
}

/** The sorted user ids the HTTP API of `server` lists for `channelName`, or null while it answers 503 (failing over). */
async function listedUsers(server, channelName) {
  try {
    const { body } = await apiGet(server, { path: `/channels/${channelName}/users` });
    return body.users.map(user => user.id).sort();
  } catch (error) {
    if (error.status === 503) {
      return null;
    }
    throw error;
  }
}

/** Whether A's and B's HTTP API list exactly `userIds` on every presence channel. */
async function everyPresenceChannelLists(userIds) {
  const lists = await Promise.all([fixture.a, fixture.b].flatMap(server =>
    presenceChannels.map(channelName => listedUsers(server, channelName))));
  return lists.every(ids => JSON.stringify(ids) === JSON.stringify(userIds));
}

/** For a failure message: what each observer's channels without a member_removed show, and what A and B list. */
async function describePresence(memberEvents) {
  const waiting = memberEvents.filter(({ removed }) => removed.events.length === 0);
  const lines = await Promise.all(waiting.map(async ({ who, name, channel }) => {
    const members = [];
    channel.members.each(({ id }) => members.push(id));
    const listed = await Promise.all([fixture.a, fixture.b].map(server => listedUsers(server, name).catch(e => e.message)));
    return `${who}'s ${name} has members ${JSON.stringify(members.sort())}, A lists ${JSON.stringify(listed[0])}, B lists ${JSON.stringify(listed[1])}`;
  }));
  return `no member_removed yet: ${lines.join('; ')}`;
}

/** The `n` of every `e` on `channel` from now on, in arrival order, and whether `end` arrived. */
function receive(channel) {
  const received = { ns: [], ended: false };
  channel.bind('e', ({ n }) => received.ns.push(n));
  channel.bind('end', () => { received.ended = true; });
  return received;
}

/**
 * A backend publishing `{ n }` (n = 1, 2, …) to each of `channels` in turn, one request at a
 * time, alternating between `sdks`, until `stop()`. A trigger answered 200 acknowledges its n;
 * one answered 503 is the server's "failing over, retry" and only counted. Anything else ends the
 * loop, and `stop()` or a wait passed through `unlessFailed` rejects with it.
 */
function startPublishing(sdks, channels) {
  const publisher = {
    acknowledged: new Map(channels.map(channel => [channel, []])),
    published: 0,
    unavailable: 0,
    rounds: 0,
  };
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      for (const channel of channels) {
        const n = ++publisher.published;
        let response;
        try {
          response = await sdks[n % sdks.length].trigger(channel, 'e', { n });
        } catch (error) {
          if (error instanceof PusherServer.RequestError && error.status === 503) {
            publisher.unavailable++;
            continue;
          }
          throw new Error(`publish ${n} to ${channel} failed with neither 200 nor 503: ${error.message} `
            + `(status ${error.status}, body ${error.body}, cause ${error.error?.message})`, { cause: error });
        }
        assert.equal(response.status, 200, `publish ${n} to ${channel}`);
        publisher.acknowledged.get(channel).push(n);
      }
      publisher.rounds++;
    }
  })();
  // Rejects only when the loop failed, so that a wait does not hide the failure behind its timeout.
  const failed = loop.then(() => new Promise(() => {}));
  failed.catch(() => {});
  publisher.unlessFailed = wait => Promise.race([wait, failed]);
  /** Waits until `count` more rounds over every channel completed (each publish 200 or 503): all but the first began after the call. */
  publisher.moreRounds = (count, timeoutMs) => {
    const target = publisher.rounds + count;
    return publisher.unlessFailed(eventually(`${count} more publishing rounds (at ${publisher.rounds}, want ${target})`,
      () => publisher.rounds >= target, timeoutMs));
  };
  publisher.stop = async () => {
    stopping = true;
    await loop;
  };
  return publisher;
}

test('a process killed with SIGKILL leaves its members once, disconnects no survivor and loses no acknowledged publish', { timeout: 90_000 }, async t => {
  const [a, b, c] = fixture.servers;

  // Socket after socket, so every later member reaches the earlier ones as member_added.
  const annOnA = await join(a, ann, [...presenceChannels, ...publicChannels]);
  const bobOnB = await join(b, bob, [...presenceChannels, ...publicChannels]);
  const samOnB = await join(b, sam, presenceChannels);
  // carl also listens on the public channels, so the gateway that dies serves them too.
  await join(c, carl, [...presenceChannels, ...publicChannels]);
  await join(c, sam, presenceChannels);

  const observers = { ann: annOnA, bob: bobOnB };
  await eventually('ann and bob see ann, bob, carl and sam on every presence channel', () =>
    Object.values(observers).every(({ channels }) => presenceChannels.every(name => channels.get(name).members.count === 4)));
  await eventually('A and B list ann, bob, carl and sam on every presence channel',
    () => everyPresenceChannelLists(['ann', 'bob', 'carl', 'sam']));

  const stateChanges = Object.fromEntries([['ann', annOnA], ['bob', bobOnB], ['sam on B', samOnB]]
    .map(([who, { client }]) => [who, record(client.connection, 'state_change')]));
  const memberEvents = Object.entries(observers).flatMap(([who, { channels }]) => presenceChannels.map(name => ({
    who,
    name,
    channel: channels.get(name),
    added: record(channels.get(name), 'pusher:member_added'),
    removed: record(channels.get(name), 'pusher:member_removed'),
  })));
  const deliveries = Object.entries(observers).flatMap(([who, { channels }]) => publicChannels.map(name => ({
    who,
    name,
    received: receive(channels.get(name)),
  })));

  const publisher = startPublishing([serverSdk(a, { timeout: 20_000 }), serverSdk(b, { timeout: 20_000 })], publicChannels);
  // Should a wait below fail, the loop must not keep publishing into the next test or the teardown.
  t.after(() => { publisher.stop().catch(() => {}); });
  await publisher.moreRounds(2);

  const killedAt = performance.now();
  const seconds = ms => (ms / 1000).toFixed(1);
  await c.kill();

  await publisher.unlessFailed(eventually('A and B list exactly ann, bob and sam on every presence channel',
    () => everyPresenceChannelLists(['ann', 'bob', 'sam']), RECOVERY_WAIT_MS));
  const exactAfter = performance.now() - killedAt;
  t.diagnostic(`A and B listed exactly ann, bob and sam ${seconds(exactAfter)} s after the kill`);
  await publisher.unlessFailed(eventually('every presence channel on ann and bob fired member_removed',
    () => memberEvents.every(({ removed }) => removed.events.length >= 1), RECOVERY_WAIT_MS)
    .catch(async error => { throw new Error(`${error.message}; ${await describePresence(memberEvents)}`); }));
  t.diagnostic(`carl's member_removed reached ann and bob on every presence channel ${seconds(performance.now() - killedAt)} s after the kill`);
  // Publishes that the server accepted only after the recovery must arrive too.
  await publisher.moreRounds(2, RECOVERY_WAIT_MS);
  await publisher.stop();
  t.diagnostic(`${publisher.unavailable} of ${publisher.published} publishes answered 503`);

  await serverSdk(a).trigger(publicChannels, 'end', {});
  await eventually('ann and bob received end on every public channel',
    () => deliveries.every(({ received }) => received.ended), RECOVERY_WAIT_MS);
  await silence();

  for (const [who, changes] of Object.entries(stateChanges)) {
    assert.deepEqual(changes.events, [], `${who}'s connection changed state`);
  }

  for (const { who, name, added, removed } of memberEvents) {
    assert.deepEqual(removed.events, [{ id: 'carl', info: { name: 'carl' } }], `member_removed on ${who}'s ${name}`);
    assert.deepEqual(added.events, [], `member_added on ${who}'s ${name}`);
  }

  for (const [name, channel] of annOnA.channels) {
    if (presenceChannels.includes(name)) {
      const ids = [];
      channel.members.each(({ id }) => ids.push(id));
      assert.deepEqual(ids.sort(), ['ann', 'bob', 'sam'], `members of ann's ${name}`);
      assert.equal(channel.members.count, 3, `member count of ann's ${name}`);
    }
  }

  assert.ok(exactAfter < EXACT_WITHIN_MS, `the HTTP API was exact after ${exactAfter.toFixed(0)} ms, promised within ${EXACT_WITHIN_MS} ms`);

  for (const { who, name, received: { ns } } of deliveries) {
    assert.deepEqual(ns, [...new Set(ns)], `${who} received an event twice on ${name}`);
    assert.deepEqual(ns, [...ns].sort((x, y) => x - y), `${who} received the events on ${name} out of publish order`);
    const lost = publisher.acknowledged.get(name).filter(n => !ns.includes(n));
    assert.deepEqual(lost, [], `acknowledged publishes that ${who} never received on ${name}`);
  }
});
