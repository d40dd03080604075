import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { PermanentError } from '../../src/errors.js';

/** A program whose one command fails with `error`. */
function failingProgram(error: unknown): Command {
  const program = new Command('newsnorm');
  program.command('boom').action(() => {
    throw error;
  });
  return program;
}

async function stderrOf(error: unknown, logLevel?: string): Promise<string> {
  vi.stubEnv('LOG_LEVEL', logLevel ?? '');
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await main(['node', 'newsnorm', 'boom'], failingProgram(error));
    return write.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    write.mockRestore();
  }
}

describe('newsnorm: an error that escapes a command', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.unstubAllEnvs();
  });

  it('is one line and exit status 1, with a pointer to its stack', async () => {
    const out = await stderrOf(new Error('EACCES: permission denied, open /data/x'));
    expect(out).toBe(
      'newsnorm: EACCES: permission denied, open /data/x (LOG_LEVEL=debug prints where)\n',
    );
    expect(process.exitCode).toBe(1);
  });

  it('names the code of a known failure', async () => {
    const out = await stderrOf(new PermanentError('RULES_INVALID', 'rules.json: not JSON'));
    expect(out).toBe('newsnorm: rules.json: not JSON [RULES_INVALID]\n');
    expect(process.exitCode).toBe(1);
  });

  it('prints the stack with LOG_LEVEL=debug', async () => {
    const out = await stderrOf(new Error('unexpected'), 'debug');
    expect(out).toMatch(/^newsnorm: unexpected\nError: unexpected\n\s+at /);
  });
});
