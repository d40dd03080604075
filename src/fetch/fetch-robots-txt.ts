import { PipelineError, RetryableError } from '../errors.js';
import { FetchErrorCode } from './fetch-error-codes.js';
import { fetchPage, type FetchDeps } from './fetch-page.js';
import type { FetchRobotsTxt } from './robots.js';

/**
 * Fetches robots.txt with fetchPage itself (same address policy, host gate and redirects),
 * without consulting robots.txt, keeping its first `maxRobotsBytes` bytes. 4xx means no robots.txt (null: allow all);
 * 5xx, timeouts and network errors become RetryableError ROBOTS_UNAVAILABLE, keeping the
 * server's Retry-After.
 */
export function createRobotsFetcher(
  deps: Omit<FetchDeps, 'robots' | 'validators'>,
  maxRobotsBytes: number,
): FetchRobotsTxt {
  // RFC 9309 §2.5: a crawler may stop parsing after 500 KiB; what follows is read no further.
  const robotsDeps: FetchDeps = {
    ...deps,
    config: { ...deps.config, maxBodyBytes: maxRobotsBytes },
  };
  return async (robotsUrl, signal) => {
    try {
      const result = await fetchPage(robotsUrl, robotsDeps, {
        accept: 'any',
        truncateBody: true,
        ...(signal ? { signal } : {}),
      });
      if (result.status !== 'fetched') return null;
      return Buffer.from(result.page.body).toString('utf8');
    } catch (error) {
      if (error instanceof RetryableError) {
        const unavailable = new RetryableError(
          FetchErrorCode.ROBOTS_UNAVAILABLE,
          `robots.txt unavailable, not crawling meanwhile: ${error.message}`,
          { cause: error },
        );
        unavailable.retryAfterMs = error.retryAfterMs;
        throw unavailable;
      }
      if (
        error instanceof PipelineError &&
        (error.code === FetchErrorCode.NOT_FOUND || error.code === FetchErrorCode.HTTP_STATUS)
      ) {
        return null;
      }
      throw error;
    }
  };
}
