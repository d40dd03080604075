import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processPage } from '../../src/pipeline/process-page.js';
import { readSourceFile } from '../../src/raw/read-source-file.js';
import { withRevision, type RecordDraft } from '../../src/record/build-record.js';
import { deliverRecord } from '../../src/delivery/deliver-record.js';
import { JsonlRecordFile, RecordsFileError } from '../../src/sinks/jsonl-record-file.js';
import { FileRevisionStore } from '../../src/delivery/revision-store.js';
import { ROOT } from '../helpers/cli.js';
import { loadRepoPipelineDeps } from '../helpers/pipeline-deps.js';

/** The seeds' records, as drafts (no revision yet). */
let drafts: RecordDraft[] = [];

beforeAll(async () => {
  const deps = await loadRepoPipelineDeps();
  const seeds = readdirSync(join(ROOT, 'seeds')).sort();
  drafts = await Promise.all(
    seeds.map(
      async (name) =>
        processPage(await readSourceFile(join(ROOT, 'seeds', name), 'file'), deps).record,
    ),
  );
});

const line = (draft: RecordDraft, revision: number) =>
  JSON.stringify(withRevision(draft, revision));

/** The same draft with other content: a revision. */
function changed(draft: RecordDraft, tag: string): RecordDraft {
  return {
    ...draft,
    body: `${draft.body} ${tag}`,
    contentHash: `${draft.contentHash.slice(0, -4)}${tag}`,
  };
}

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'newsnorm-records-'));
}

/** Gives drafts their revisions from the file's store and writes them, as `run` does. */
function upserter(file: JsonlRecordFile) {
  const store = new FileRevisionStore(file.revisions(), [file.name]);
  return async (draft: RecordDraft) =>
    (await deliverRecord(draft, null, { store, sinks: [file], leaseMs: 0 })).status;
}

async function write(path: string, records: RecordDraft[]) {
  const file = await JsonlRecordFile.open(path);
  const upsert = upserter(file);
  const statuses = [];
  for (const draft of records) statuses.push(await upsert(draft));
  await file.save();
  return statuses;
}

describe('JsonlRecordFile', () => {
  it('writes new records in order and leaves no spill or temporary file behind', async () => {
    const dir = freshDir();
    const path = join(dir, 'out', 'records.jsonl');
    expect(await write(path, drafts)).toEqual(drafts.map(() => 'new'));
    expect(readFileSync(path, 'utf8')).toBe(drafts.map((d) => `${line(d, 1)}\n`).join(''));
    expect(readdirSync(join(dir, 'out'))).toEqual(['records.jsonl']);
  });

  it('keeps lines in place: unchanged ones byte for byte, revised ones where they were, new ones last', async () => {
    const dir = freshDir();
    const path = join(dir, 'records.jsonl');
    const [a, b, c, d] = drafts as [RecordDraft, RecordDraft, RecordDraft, RecordDraft];
    // A file another tool wrote: a blank line, and a line with a carriage return kept as it is.
    writeFileSync(path, `${line(a, 1)}\n\n${line(b, 4)}\r\n${line(c, 2)}\n`);
    const before = readFileSync(path, 'utf8');

    expect(await write(path, [a, changed(b, 'a001'), d])).toEqual(['unchanged', 'revised', 'new']);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toEqual([line(a, 1), line(changed(b, 'a001'), 5), line(c, 2), line(d, 1), '']);

    // Running the same again changes nothing, to the byte.
    const after = readFileSync(path, 'utf8');
    expect(await write(path, [a, changed(b, 'a001'), c, d])).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(readFileSync(path, 'utf8')).toBe(after);
    expect(after).not.toBe(before);
  });

  it('reads and writes records longer than its 1 MiB chunks', async () => {
    const path = join(freshDir(), 'records.jsonl');
    const huge = changed(drafts[0]!, 'b001');
    const long = { ...huge, body: 'word '.repeat(500_000) };
    expect(await write(path, [drafts[1]!, long, drafts[2]!])).toEqual(['new', 'new', 'new']);
    expect(await write(path, [changed(drafts[2]!, 'c002')])).toEqual(['revised']);
    expect(readFileSync(path, 'utf8').split('\n')).toEqual([
      line(drafts[1]!, 1),
      line(long, 1),
      line(changed(drafts[2]!, 'c002'), 2),
      '',
    ]);
  });

  it('refuses to overwrite a file that changed after it was opened, and keeps its own lines', async () => {
    const dir = freshDir();
    const path = join(dir, 'records.jsonl');
    await write(path, drafts.slice(0, 2));
    const file = await JsonlRecordFile.open(path);
    await upserter(file)(drafts[2]!);
    // Another run saves first.
    appendFileSync(path, `${line(drafts[3]!, 1)}\n`);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const theirs = readFileSync(path, 'utf8');

    await expect(file.save()).rejects.toThrow(/changed while this run was writing it.*\.spill/);
    expect(readFileSync(path, 'utf8')).toBe(theirs);
    const spill = readdirSync(dir).find((name) => name.endsWith('.spill'))!;
    expect(readFileSync(join(dir, spill), 'utf8')).toBe(`${line(drafts[2]!, 1)}\n`);
  });

  it('says which file it cannot open or make a folder for, before any record', async () => {
    const dir = freshDir();
    const notFolder = join(dir, 'a-file');
    writeFileSync(notFolder, 'x');
    await expect(JsonlRecordFile.open(join(notFolder, 'records.jsonl'))).rejects.toThrow(
      new RecordsFileError(
        `${join(notFolder, 'records.jsonl')}: cannot make its folder (EEXIST: file already exists)`,
      ),
    );
    await expect(JsonlRecordFile.open(dir)).rejects.toThrow(
      new RegExp(`^${dir}: cannot read \\(EISDIR: `),
    );
  });

  it('says where its records are when it cannot write the file', async () => {
    const dir = freshDir();
    const path = join(dir, 'records.jsonl');
    const file = await JsonlRecordFile.open(path);
    await upserter(file)(drafts[0]!);
    // The temporary file's place is taken by a folder: the write fails, the spill stays.
    mkdirSync(`${path}.${process.pid}.tmp`);
    const error = await file.save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordsFileError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${path}: cannot write it: it is left as it is, and this run's new and revised records are in ${path}\\.\\d+\\.spill \\(EISDIR`,
      ),
    );
    expect(existsSync(path)).toBe(false);
    const spill = readdirSync(dir).find((name) => name.endsWith('.spill'))!;
    expect(readFileSync(join(dir, spill), 'utf8')).toBe(`${line(drafts[0]!, 1)}\n`);
  });

  it('removes the stale temporary file of a run that is gone, and names its spill file', async () => {
    const dir = freshDir();
    const path = join(dir, 'records.jsonl');
    await write(path, drafts.slice(0, 1));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const alive = process.ppid;
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const pid of [gone, alive]) {
      writeFileSync(`${path}.${pid}.tmp`, 'half a file');
      utimesSync(`${path}.${pid}.tmp`, anHourAgo, anHourAgo);
      writeFileSync(`${path}.${pid}.spill`, `${line(drafts[1]!, 1)}\n`);
    }
    // Its process is not ours to see (another container on a shared folder), but it is fresh.
    const foreign = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${path}.${foreign}.tmp`, 'a save in progress elsewhere');
    writeFileSync(`${path}.old`, 'a copy kept by hand');

    const file = await JsonlRecordFile.open(path);
    expect(file.leftovers).toEqual([`${path}.${gone}.spill`]);
    expect(readdirSync(dir).sort()).toEqual(
      [
        'records.jsonl',
        'records.jsonl.old',
        `records.jsonl.${alive}.spill`,
        `records.jsonl.${alive}.tmp`,
        `records.jsonl.${gone}.spill`,
        `records.jsonl.${foreign}.tmp`,
      ].sort(),
    );
  });

  it('names the file and line of a line that is not a record', async () => {
    const path = join(freshDir(), 'records.jsonl');
    writeFileSync(path, `${line(drafts[0]!, 1)}\n{"id":"x"}\n`);
    await expect(JsonlRecordFile.open(path)).rejects.toThrow(`${path}:2: not a canonical record`);
    writeFileSync(path, `${line(drafts[0]!, 1)}\n\n{"id":`);
    await expect(JsonlRecordFile.open(path)).rejects.toThrow(`${path}:3: not JSON`);
  });
});
