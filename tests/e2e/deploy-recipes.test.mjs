// The deploy/ recipes checked offline, with no container engine and no Kubernetes cluster: the
// Compose files by docker-compose itself, the Kubernetes manifests against the API's schemas, the
// Dockerfile by a Dockerfile linter; then what a schema cannot see (names that must match across
// objects, the server's variables, timings that must fit together).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validate as lintDockerfile } from 'dockerfile-utils';
import * as kubernetes from 'kubernetes-models';
import {
  COMPOSE_FILES, DEPLOY, composeConfig, dockerfileInstructions, knownVariables, kubernetesObjects, longestStopMs, soketiServices, startUpUntilThePort,
} from './lib/deploy.mjs';

/** What the server says when the port it should listen on is taken: it read and accepted its configuration first. */
function busyPort(port) {
  return `Port ${port} (SOKETI_PORT) is already in use on 127.0.0.1; stop what holds it or choose another port\n`;
}

/** Seconds in a Compose duration such as `15s` or `1m30s`. */
function seconds(duration) {
  return [...String(duration).matchAll(/(\d+)(h|m|s)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * { h: 3600, m: 60, s: 1 }[unit], 0);
}

for (const file of COMPOSE_FILES) {
  test(`deploy/compose/${file} is valid for docker-compose and gives the server known variables and time to stop`, () => {
    const { status, stderr, config } = composeConfig(file);

    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
    const known = knownVariables();
    const services = soketiServices(config);
    assert.ok(services.length > 0);
    for (const service of services) {
      // The process is the image's ENTRYPOINT as it is: the run tests start exactly that.
      assert.equal(service.command, undefined, service.name);
      assert.equal(service.entrypoint, undefined, service.name);
      assert.deepEqual(Object.keys(service.environment).filter(name => !known.has(name)), [], `${service.name}: variables the server does not read`);
      assert.ok(seconds(service.stop_grace_period) * 1000 > longestStopMs(service.environment),
        `${service.name}: stop_grace_period ${service.stop_grace_period} must exceed ${longestStopMs(service.environment)} ms`);
    }
  });

  test(`deploy/compose/${file}: the server accepts each service's configuration`, async () => {
    for (const service of soketiServices(composeConfig(file).config)) {
      const { code, stderr, port } = await startUpUntilThePort({ env: service.environment });

      assert.deepEqual({ code, stderr }, { code: 1, stderr: busyPort(port) }, service.name);
    }
  });
}

/** The model class of a manifest's apiVersion and kind, e.g. apps/v1 Deployment → kubernetes.apps.v1.Deployment. */
function modelOf({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const models = group === '' ? kubernetes.v1 : kubernetes[group.replace(/\.k8s\.io$/, 'K8sIo').replace(/\.(\w)/g, (_, c) => c.toUpperCase())][version];
  return models[kind];
}

/**
 * Validates `object` against its kind's schema and returns the fields the schema does not know: the
 * schemas allow any extra field, so a misspelled one would pass unseen. Every property the
 * validator reads is recorded; a field it never read is unknown to the schema.
 */
function validateStrictly(object) {
  const model = modelOf(object);
  assert.ok(model, `${object.apiVersion} ${object.kind} has a schema`);
  const reads = new Map();
  const record = value => {
    if (value === null || typeof value !== 'object') {
      return value;
    }
    if (!reads.has(value)) {
      reads.set(value, new Set());
    }
    return new Proxy(value, {
      get(target, key) {
        if (typeof key === 'string') {
          reads.get(target).add(key);
        }
        return record(target[key]);
      },
    });
  };
  model.prototype.validate.call(record(object));
  const unknown = [];
  const walk = (value, path) => {
    if (value === null || typeof value !== 'object') {
      return;
    }
    for (const key of Object.keys(value)) {
      if (!Array.isArray(value) && !reads.get(value)?.has(key)) {
        unknown.push(`${path}/${key}`);
      }
      walk(value[key], `${path}/${key}`);
    }
  };
  walk(object, '');
  return unknown;
}

test('deploy/kubernetes: every manifest is valid for the Kubernetes API schemas, with no unknown field', () => {
  const objects = kubernetesObjects();

  assert.deepEqual(objects.map(({ file, object }) => `${file} ${object.kind}/${object.metadata.name}`), [
    '00-namespace.yaml Namespace/soketi',
    '10-rbac.yaml ServiceAccount/soketi',
    '10-rbac.yaml Role/soketi-orleans-hosting',
    '10-rbac.yaml RoleBinding/soketi-orleans-hosting',
    '20-redis.yaml Deployment/redis',
    '20-redis.yaml Service/redis',
    '30-config.yaml Secret/soketi-app',
    '30-config.yaml ConfigMap/soketi-config',
    '40-soketi.yaml Deployment/soketi',
    '40-soketi.yaml Service/soketi',
    '40-soketi.yaml Service/soketi-silos',
    '40-soketi.yaml PodDisruptionBudget/soketi',
  ]);
  for (const { file, object } of objects) {
    assert.deepEqual(validateStrictly(object), [], `${file} ${object.kind}/${object.metadata.name}: fields unknown to the schema`);
  }
});

test('the strict validation finds a misspelled field and a wrong type', () => {
  const deployment = structuredClone(kubernetesObjects().find(o => o.object.kind === 'Deployment' && o.object.metadata.name === 'soketi').object);
  deployment.spec.template.spec.terminationGracePeriodSecond = 25;

  assert.deepEqual(validateStrictly(deployment), ['/spec/template/spec/terminationGracePeriodSecond']);
  deployment.spec.replicas = '3';
  assert.throws(() => validateStrictly(deployment), /replicas must be integer/);
});

test('deploy/kubernetes: the soketi Deployment, its rights, Services and budget fit together and fit the server', () => {
  const objects = kubernetesObjects().map(o => o.object);
  const find = (kind, name) => objects.find(o => o.kind === kind && o.metadata.name === name);
  const deployment = find('Deployment', 'soketi');
  const pod = deployment.spec.template;
  const [container] = pod.spec.containers;
  const env = Object.fromEntries(container.env.map(e => [e.name, e.value ?? e.valueFrom]));
  const labels = pod.metadata.labels;
  const matches = selector => Object.entries(selector).every(([k, v]) => labels[k] === v);

  for (const object of objects.filter(o => o.kind !== 'Namespace')) {
    assert.equal(object.metadata.namespace, 'soketi', `${object.kind}/${object.metadata.name}`);
  }
  assert.deepEqual(Object.keys(env).filter(name => !knownVariables().has(name)), []);

  // The pod variables of Orleans' Kubernetes hosting, from the Downward API.
  assert.deepEqual([env.POD_NAME, env.POD_NAMESPACE, env.POD_IP], [
    { fieldRef: { fieldPath: 'metadata.name' } },
    { fieldRef: { fieldPath: 'metadata.namespace' } },
    { fieldRef: { fieldPath: 'status.podIP' } },
  ]);
  assert.equal(env.SOKETI_ADAPTER_DRIVER, 'redis');
  assert.ok(find('Service', env.SOKETI_DB_REDIS_HOST), 'SOKETI_DB_REDIS_HOST names the redis Service');
  // The package selects the silos' pods by these labels, valued with the server's service and cluster ids (defaults).
  assert.deepEqual([labels['orleans/serviceId'], labels['orleans/clusterId']], ['soketi', 'soketi']);

  // Its rights: the Role the package's own error message asks for, bound to the pod's account.
  const binding = find('RoleBinding', 'soketi-orleans-hosting');
  assert.ok(find('ServiceAccount', pod.spec.serviceAccountName));
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: pod.spec.serviceAccountName, namespace: 'soketi' }]);
  assert.deepEqual(find('Role', binding.roleRef.name).rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list', 'patch'] }]);

  // Probes and ports: /ready for traffic, / for liveness, on the server's port.
  const ports = Object.fromEntries(container.ports.map(p => [p.name, p.containerPort]));
  assert.deepEqual(ports, { http: 6001, metrics: 9601, 'orleans-silo': Number(env.SOKETI_ORLEANS_SILO_PORT), 'orleans-gateway': Number(env.SOKETI_ORLEANS_GATEWAY_PORT) });
  assert.deepEqual(container.readinessProbe.httpGet, { path: '/ready', port: 'http' });
  assert.deepEqual(container.livenessProbe.httpGet, { path: '/', port: 'http' });
  assert.equal(Number(env.SOKETI_METRICS_SERVER_PORT), ports.metrics);

  // Stopping: Kubernetes kills the pod after terminationGracePeriodSeconds.
  assert.ok(pod.spec.terminationGracePeriodSeconds * 1000 > longestStopMs(env), `terminationGracePeriodSeconds must exceed ${longestStopMs(env)} ms`);
  assert.ok(Number(env.SOKETI_SHUTDOWN_DRAIN_DELAY) > 0, 'a drain delay covers the removal of the pod from the endpoints');
  assert.equal(container.lifecycle, undefined, 'no preStop hook: the drain delay does its work');

  // What the pod refers to exists.
  assert.ok(find('Secret', container.envFrom[0].secretRef.name));
  const configMap = find('ConfigMap', pod.spec.volumes.find(v => v.name === 'config').configMap.name);
  assert.deepEqual(container.args, [`--config=${container.volumeMounts.find(m => m.name === 'config').mountPath}/config.json`]);
  assert.doesNotThrow(() => JSON.parse(configMap.data['config.json']));

  // Services and the budget select these pods, on ports the container names.
  for (const name of ['soketi', 'soketi-silos']) {
    const service = find('Service', name);
    assert.ok(matches(service.spec.selector), name);
    for (const port of service.spec.ports) {
      assert.equal(ports[port.targetPort], port.port, `${name} ${port.name}`);
    }
  }
  assert.equal(find('Service', 'soketi-silos').spec.clusterIP, 'None');
  assert.ok(matches(find('PodDisruptionBudget', 'soketi').spec.selector.matchLabels));
  assert.ok(matches(deployment.spec.selector.matchLabels));
});

/** The soketi container's start-up (see startUpUntilThePort), with the ConfigMap's config.json as `editConfig` leaves it. */
function startUpOfTheSoketiContainer(editConfig = text => text) {
  const objects = kubernetesObjects().map(o => o.object);
  const find = (kind, name) => objects.find(o => o.kind === kind && o.metadata.name === name);
  const pod = find('Deployment', 'soketi').spec.template.spec;
  const [container] = pod.containers;
  const mount = container.volumeMounts.find(m => m.name === 'config');
  const configMap = find('ConfigMap', pod.volumes.find(v => v.name === mount.name).configMap.name);
  // The Downward API's values, made up.
  const downward = { 'metadata.name': 'soketi-5f7d8c9b4-x2x7k', 'metadata.namespace': 'soketi', 'status.podIP': '127.0.0.1' };
  return startUpUntilThePort({
    args: container.args,
    env: {
      ...find('Secret', container.envFrom[0].secretRef.name).stringData,
      ...Object.fromEntries(container.env.map(e => [e.name, e.value ?? downward[e.valueFrom.fieldRef.fieldPath]])),
    },
    files: { [`${mount.mountPath}/config.json`]: editConfig(configMap.data['config.json']) },
  });
}

test('deploy/kubernetes: the server accepts the soketi container\'s configuration (variables, Secret, config.json)', async () => {
  const { code, stderr, port } = await startUpOfTheSoketiContainer();

  assert.deepEqual({ code, stderr }, { code: 1, stderr: busyPort(port) });
});

test('deploy/kubernetes: a config.json key the server refuses stops that same start-up first', async () => {
  const { code, stderr } = await startUpOfTheSoketiContainer(text => text.replace('"presence.maxMembersPerChannel": 100', '"presence.maxMembersPerChannel": "many"'));

  assert.equal(code, 2);
  assert.match(stderr, /^Invalid configuration:\n {2}- presence\.maxMembersPerChannel/);
});

test('deploy/Dockerfile passes the Dockerfile linter and runs the published server as a non-root user, JIT-compiled (DOTNET_ReadyToRun=0)', () => {
  const text = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');

  assert.deepEqual(lintDockerfile(text), []);
  const instructions = dockerfileInstructions();
  const froms = instructions.filter(i => i.keyword === 'FROM').map(i => i.args);
  assert.deepEqual(froms, ['mcr.microsoft.com/dotnet/sdk:10.0 AS build', 'mcr.microsoft.com/dotnet/aspnet:10.0-noble']);
  const runtime = instructions.slice(instructions.findIndex(i => i.args === froms[1]));
  const of = keyword => runtime.filter(i => i.keyword === keyword).map(i => i.args);
  assert.ok(instructions.some(i => i.keyword === 'RUN' && i.args === 'dotnet publish Silo -c Release --no-restore -o /app'));
  assert.deepEqual(of('USER'), ['$APP_UID']);
  assert.deepEqual(of('ENV'), ['ASPNETCORE_HTTP_PORTS=', 'DOTNET_ReadyToRun=0']);
  assert.deepEqual(of('EXPOSE'), ['6001 9601']);
  assert.deepEqual(of('ENTRYPOINT'), ['["dotnet", "SoketiOrleans.Silo.dll"]']);
  assert.equal(of('HEALTHCHECK').length, 1);
});
