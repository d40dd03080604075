import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, stopChild, waitForPort } from './redis-server.js';

/**
 * A real PostgreSQL server on 127.0.0.1: a throwaway cluster made with initdb in a temporary
 * folder, started for a test file and stopped (and removed) after it.
 */
export interface TestPostgres {
  /** `postgres://newsnorm:<password>@127.0.0.1:<port>/newsnorm` */
  url: string;
  password: string;
  port: number;
  dir: string;
  /** The postmaster's process id, for benchmarks that read its CPU time. */
  readonly pid: number;
  /** A connection pool to the test database, closed by stop(). */
  pool: pg.Pool;
  stop(): Promise<void>;
  /** Fast shutdown (open sessions are ended), `downMs` without a server, start again. */
  restart(downMs?: number): Promise<void>;
  /** Fast shutdown, leaving the cluster in place for start(). */
  halt(): Promise<void>;
  start(): Promise<void>;
}

/** Environment variable naming the folder of initdb and postgres, when not found by itself. */
const BIN_DIR_VARIABLE = 'POSTGRES_BIN_DIR';
const PASSWORD = 'pg-test-secret-Zq8';
const PROGRAMS = ['initdb', 'postgres'];

function hasPrograms(dir: string): boolean {
  return PROGRAMS.every((p) => existsSync(join(dir, p)));
}

/**
 * The folder holding initdb and postgres: POSTGRES_BIN_DIR, else `pg_config --bindir`, else the
 * newest /usr/lib/postgresql/<version>/bin (Debian keeps them off PATH), else PATH. Null when
 * there is none.
 */
export function postgresBinDir(): string | null {
  const given = process.env[BIN_DIR_VARIABLE];
  if (given) return hasPrograms(given) ? given : null;
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const fromConfig = pgConfig.status === 0 ? pgConfig.stdout.trim() : '';
  if (fromConfig && hasPrograms(fromConfig)) return fromConfig;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions)
      if (hasPrograms(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? join(which.stdout.trim(), '..') : '';
  return onPath && hasPrograms(onPath) ? onPath : null;
}

/** Why no test server can be started here; null when one can. */
export function postgresMissingReason(): string | null {
  if (postgresBinDir() === null) return MISSING_MESSAGE;
  if (serverUser() === undefined) return ROOT_MESSAGE;
  return null;
}

export function postgresAvailable(): boolean {
  return postgresMissingReason() === null;
}

/**
 * Whether the PostgreSQL tests run: when a server can be started, and always under CI=true,
 * where a missing server must fail the run rather than skip it.
 */
export function postgresTestsEnabled(): boolean {
  const reason = postgresMissingReason();
  if (reason === null || process.env.CI === 'true') return true;
  console.warn(`skipping PostgreSQL tests: ${reason}`);
  return false;
}

const MISSING_MESSAGE =
  'PostgreSQL server programs (initdb, postgres) not found: the PostgreSQL tests need a real ' +
  `server (Debian: apt-get install -y postgresql; or set ${BIN_DIR_VARIABLE})`;
const ROOT_MESSAGE =
  'the tests run as root, and initdb refuses root: a "postgres" system user is needed to run ' +
  'the test server (Debian: apt-get install -y postgresql makes it)';

/**
 * Who the server runs as: initdb and postgres refuse to run as root, so a root test run uses
 * the `postgres` system account (Debian's package makes it); undefined when there is none.
 */
function serverUser(): { uid: number; gid: number } | null | undefined {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Makes a cluster in a temporary folder and starts a server on a free port of 127.0.0.1. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error(MISSING_MESSAGE);
  const user = serverUser();
  if (user === undefined) throw new Error(ROOT_MESSAGE);
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const dir = mkdtempSync(join(tmpdir(), 'newsnorm-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${PASSWORD}\n`);
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  const init = spawnSync(
    join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'newsnorm',
      '--pwfile',
      pwfile,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ],
    { encoding: 'utf8', ...ids },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
  }
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    // A test server: no durability waits, few resources.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=100',
    '-c',
    'shared_buffers=32MB',
  ];
  let child: ChildProcess;
  let log = '';
  const launch = async () => {
    log = '';
    child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], ...ids });
    child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
    try {
      await waitForPort(port, 20_000);
      await waitForLogin(port);
    } catch (error) {
      throw new Error(`${(error as Error).message}\npostgres log:\n${log}`);
    }
  };
  // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, not waited for.
  const halt = () => stopChild(child, 'SIGINT');
  await launch();
  const admin = new pg.Client({ host: dir, port, user: 'newsnorm', database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE newsnorm');
  await admin.end();
  const url = `postgres://newsnorm:${PASSWORD}@127.0.0.1:${port}/newsnorm`;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // A restart ends the pool's idle connections; the pool drops them and connects anew.
  pool.on('error', () => {});
  return {
    url,
    password: PASSWORD,
    port,
    dir,
    pool,
    get pid() {
      return child.pid ?? 0;
    },
    async stop() {
      await pool.end().catch(() => {});
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(downMs = 0) {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    halt,
    start: launch,
  };
}

/** Waits until the server accepts logins (it listens a moment before it does). */
async function waitForLogin(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'newsnorm',
      password: PASSWORD,
      database: 'postgres',
    });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres never accepted a login: ${error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Every row of the sink's three tables, in a stable order: "nothing changed" is this being equal. */
export async function tableSnapshot(server: TestPostgres) {
  const q = async (sql: string) => (await server.pool.query(sql)).rows;
  return {
    records: await q('SELECT * FROM records ORDER BY id'),
    revisions: await q('SELECT * FROM record_revisions ORDER BY id, revision'),
    entities: await q('SELECT * FROM record_entities ORDER BY record_id, entity_id'),
  };
}
