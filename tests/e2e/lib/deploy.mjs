// The deploy/ recipes read as the tools that use them read them: Compose files resolved by
// `docker-compose config`, Kubernetes manifests as YAML documents, the Dockerfile by a Dockerfile
// parser, and nginx run for real in front of local processes.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { parse, parseAllDocuments } from 'yaml';
import { freePort, serverDll } from './server.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEPLOY = join(REPO, 'deploy');
export const COMPOSE_FILES = ['local.yml', 'redis.yml', 'split-roles.yml', 'cluster.yml'];

// Debian installs nginx in /usr/sbin, which is not on every user's PATH.
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** The longest the server gives itself to stop: the drain delay, twice the grace period, and 5 s. */
export function longestStopMs(env) {
  return Number(env.SOKETI_SHUTDOWN_DRAIN_DELAY ?? 0) + 2 * Number(env.SOKETI_SHUTDOWN_GRACE_PERIOD ?? 3000) + 5000;
}

/**
 * `docker-compose config` of a file under deploy/compose: validated against the Compose schema and
 * resolved (anchors merged, `${VAR:-default}` filled in). Run without SOKETI_* variables, so that
 * the file's own defaults are what is read.
 */
export function composeConfig(file) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SOKETI_')));
  const result = spawnSync('docker-compose', ['-f', join(DEPLOY, 'compose', file), 'config'], { encoding: 'utf8', env });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, stderr: result.stderr, config: result.status === 0 ? parse(result.stdout) : null };
}

/** The services that run the server: built from deploy/Dockerfile. */
export function soketiServices(config) {
  return Object.entries(config.services)
    .filter(([, service]) => service.build?.dockerfile === 'deploy/Dockerfile')
    .map(([name, service]) => ({ name, ...service }));
}

/** Every Kubernetes object in deploy/kubernetes, in file order. */
export function kubernetesObjects() {
  const dir = join(DEPLOY, 'kubernetes');
  return readdirSync(dir).filter(f => f.endsWith('.yaml')).sort().flatMap(file =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map(doc => ({ file, object: doc.toJS() })));
}

/** Environment variable names the server reads: every one in docs/configuration.md (prefixed, unprefixed, Kubernetes'). */
export function knownVariables() {
  const doc = readFileSync(join(REPO, 'docs', 'configuration.md'), 'utf8');
  return new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(m => m[1]));
}

/** deploy/Dockerfile's instructions, as `{ keyword, args }`. */
export function dockerfileInstructions() {
  return DockerfileParser.parse(readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8')).getInstructions()
    .map(i => ({ keyword: i.getKeyword(), args: i.getArgumentsContent() }));
}

/** Ports a recipe fixes because each container or pod has them to itself. */
const PER_PROCESS_PORTS = ['SOKETI_ORLEANS_SILO_PORT', 'SOKETI_ORLEANS_GATEWAY_PORT', 'SOKETI_METRICS_SERVER_PORT'];

/** `env` with each port of PER_PROCESS_PORTS it sets replaced by a free port, for a process on this machine. */
export async function withFreePorts(env) {
  const local = { ...env };
  for (const name of PER_PROCESS_PORTS.filter(n => n in local)) {
    local[name] = String(await freePort());
  }
  return local;
}

/**
 * Runs the server binary with a recipe's `args` and `env` (its fixed ports made free ones), its `files` (container path → content)
 * in a local folder whose path replaces their folder in the arguments, on 127.0.0.1 with its port
 * held by this function: the server reads and checks its whole configuration (exit 2 with every
 * problem), then stops at the busy port (exit 1) before it starts anything or reaches another
 * service. Resolves with its exit code, its stderr and the port.
 */
export async function startUpUntilThePort({ args = [], env, files = {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'soketi-orleans-startup-'));
  const held = createServer().listen(0, '127.0.0.1');
  await once(held, 'listening');
  const { port } = held.address();
  try {
    let localArgs = args;
    for (const [path, content] of Object.entries(files)) {
      writeFileSync(join(dir, basename(path)), content);
      localArgs = localArgs.map(arg => arg.replace(dirname(path), dir));
    }
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SOKETI_')));
    const result = spawnSync('dotnet', [serverDll, ...localArgs], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...inherited, ...await withFreePorts(env), SOKETI_HOST: '127.0.0.1', SOKETI_PORT: String(port) },
    });
    return { code: result.status, stderr: result.stderr, port };
  } finally {
    held.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the image's HEALTHCHECK command here, with `env`; resolves with its exit code. */
export async function runHealthcheck(env) {
  const healthcheck = dockerfileInstructions().find(i => i.keyword === 'HEALTHCHECK');
  const [command, ...args] = JSON.parse(healthcheck.args.replace(/^CMD\s+/, ''));
  const child = spawn(command, args, { stdio: 'ignore', env: { PATH: process.env.PATH, ...env } });
  const [code] = await once(child, 'exit');
  return code;
}

/**
 * nginx as the Compose file's `nginx` service runs it, on this machine: each file it mounts is
 * copied into a folder of its own, with the container paths of the other mounts and the gateways'
 * `service:6001` replaced by that folder and by `127.0.0.1:port` of the local process; it listens
 * on a free loopback port instead of 6001. The image's nginx.conf (which includes conf.d/*.conf
 * in `http`) is replaced by a minimal one that includes the same file. Checked with `nginx -t`
 * first; resolves once it accepts connections.
 * @param {object} service the `nginx` service of a resolved Compose file
 * @param {Map<string, number>} ports each gateway service's name and local port
 */
export async function startNginx(service, ports) {
  const dir = mkdtempSync(join(tmpdir(), 'soketi-orleans-nginx-'));
  // nginx started as root runs its workers as another user, who must reach the temp folders in it.
  chmodSync(dir, 0o755);
  const mounts = service.volumes.map(volume => {
    const [source, target] = volume.split(':');
    return { source, target, local: join(dir, basename(target)) };
  });
  const port = await freePort();
  for (const mount of mounts) {
    let text = readFileSync(mount.source, 'utf8');
    for (const other of mounts) {
      text = text.replaceAll(other.target, other.local);
    }
    for (const [name, localPort] of ports) {
      text = text.replaceAll(`${name}:6001`, `127.0.0.1:${localPort}`);
    }
    writeFileSync(mount.local, text.replace(/listen 6001;/, `listen 127.0.0.1:${port};`));
  }
  const siteConfig = mounts.find(m => m.target.startsWith('/etc/nginx/conf.d/')).local;
  const main = join(dir, 'nginx.conf');
  writeFileSync(main, [
    `pid ${dir}/nginx.pid;`,
    'error_log stderr warn;',
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(kind => `  ${kind}_temp_path ${dir}/${kind};`),
    `  include ${siteConfig};`,
    '}',
  ].join('\n'));
  const args = ['-e', 'stderr', '-p', dir, '-c', main];

  const test = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
  if (test.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx -t failed:\n${test.stderr}`);
  }

  const child = spawn(NGINX, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.setEncoding('utf8').on('data', chunk => { output += chunk; });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = once(child, 'exit');
  const nginx = {
    port,
    get output() { return output; },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitForListener(nginx, child);
  return nginx;
}

async function waitForListener(nginx, child) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${nginx.port}/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await nginx.stop();
        throw new Error(`nginx did not accept connections on ${nginx.port}: ${error.message}\n${nginx.output}`);
      }
      await new Promise(resolveDelay => setTimeout(resolveDelay, 50));
    }
  }
}
