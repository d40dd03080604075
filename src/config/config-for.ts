import { ConfigError, loadConfig, type Config, type ConfigOverrides } from './config.js';
import { EXIT } from './exit-status.js';

/**
 * Loads the configuration of a command or worker process; a bad value stops the process with
 * its name on stderr and exit status 2, as nothing has been done yet.
 */
export function configFor(flags: ConfigOverrides = {}): Config {
  try {
    return loadConfig({ env: process.env, flags });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`newsnorm: ${error.message}\n`);
      process.exit(EXIT.config);
    }
    throw error;
  }
}
