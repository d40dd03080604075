import type { SinksConfig } from '../config/sinks-config.js';
import { postgresSettings } from './postgres-settings.js';
import { PostgresSink } from './postgres-sink.js';
import { SinkWriter } from './sink-writer.js';

/**
 * The sinks `newsnorm run` and `reprocess` write beside their records file: postgres, when
 * NEWSNORM_SINKS names it (the other sinks belong to the workers); null when none. Opened
 * before any page is run: a database that cannot be reached or whose schema is behind stops
 * the command with the reason.
 */
export async function openLocalSinks(config: SinksConfig): Promise<SinkWriter | null> {
  if (!config.enabled.includes('postgres')) return null;
  const sink = await PostgresSink.open(postgresSettings(config));
  return new SinkWriter([sink], config.postgresPoolSize);
}
