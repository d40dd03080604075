import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { FetchConfig } from '../config/fetch-config.js';
import type { RetryableCode } from '../error-codes.js';
import { PermanentError, RetryableError, type PipelineError } from '../errors.js';
import type { RawPage } from '../raw/raw-page.js';
import { normalizeUrl } from '../record/record-id.js';
import type { AddressPolicy } from './address-policy.js';
import { ACCEPT_HEADER, checkContentType, type AcceptKind } from './content-type-gate.js';
import { FetchErrorCode } from './fetch-error-codes.js';
import { serverKey, type HostGate, type HostLease } from './host-gate.js';
import { toFetchError } from './map-fetch-error.js';
import { readBody } from './read-body.js';
import { resolveAllowedAddresses, type ResolveHost } from './resolve-host.js';
import { parseRetryAfter } from './retry-after.js';
import type { RobotsGate } from './robots.js';
import type { Validators, ValidatorStore } from './validator-store.js';

/** The statuses whose Location fetchPage follows. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Decodings servers are asked for; zlib undoes all three. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
/** Response headers not kept with the page: the body is stored decoded, and cookies are not ours to keep. */
const DROPPED_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'set-cookie',
  'transfer-encoding',
]);

/** The part of the config fetchPage reads. */
export type FetchSettings = Pick<
  FetchConfig,
  | 'userAgentName'
  | 'contactUrl'
  | 'headersTimeoutMs'
  | 'bodyTimeoutMs'
  | 'totalTimeoutMs'
  | 'maxBodyBytes'
  | 'maxContentEncodings'
  | 'maxRedirects'
  | 'minHostIntervalMs'
  | 'maxHostConcurrency'
  | 'maxHostWaitMs'
  | 'maxCrawlDelayMs'
>;

/** What fetchPage needs from outside. Only `dispatcher`, `config` and `policy` are required. */
export interface FetchDeps {
  /** An undici Agent, normally from createFetchDispatcher (its lookup refuses bad addresses too). */
  dispatcher: Dispatcher;
  config: FetchSettings;
  /** Which addresses may be connected to; checked on every hop before any connection. */
  policy: AddressPolicy;
  /** DNS for the address check. @default the system resolver */
  resolveHost?: ResolveHost;
  /** Per-host interval and concurrency; without one, requests go out unthrottled. */
  hostGate?: HostGate;
  /** robots.txt; without one, robots.txt is not consulted (robots fetches themselves). */
  robots?: RobotsGate;
  /** ETag / Last-Modified per URL, read to send conditional requests (saveValidators writes). */
  validators?: ValidatorStore;
  /** @default () => new Date() */
  now?: () => Date;
}

export interface FetchPageOptions {
  /** What the response must be. @default "page" */
  accept?: AcceptKind;
  /** Aborts the fetch (worker shutdown); it then fails as retryable FETCH_TIMEOUT. */
  signal?: AbortSignal;
  /**
   * Keep the first `maxBodyBytes` bytes of a longer body instead of failing (robots.txt).
   * @default false
   */
  truncateBody?: boolean;
}

/** A page fetched in full. */
export interface FetchedPage {
  status: 'fetched';
  page: RawPage;
  /** Every URL redirected through, in order, after the requested one. */
  redirects: string[];
}

/** The server said the page has not changed since the stored validators (304). */
export interface NotModified {
  status: 'not-modified';
  url: string;
  finalUrl: string;
  retrievedAt: string;
  redirects: string[];
}

export type FetchResult = FetchedPage | NotModified;

/** The User-Agent sent everywhere: the product token plus how to reach the operator. */
export function userAgent(config: Pick<FetchConfig, 'userAgentName' | 'contactUrl'>): string {
  return `${config.userAgentName} (+${config.contactUrl})`;
}

/** Parses and checks a URL fetchPage may request: http(s), no credentials. */
export function parseFetchUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new PermanentError(FetchErrorCode.URL_INVALID, `not a URL: ${url}`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PermanentError(
      FetchErrorCode.SCHEME_REFUSED,
      `only http and https are fetched, not ${parsed.protocol.replace(/:$/, '')}: (${url})`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new PermanentError(
      FetchErrorCode.CREDENTIALS_REFUSED,
      `URL carries credentials; refusing ${parsed.protocol}//${parsed.host}${parsed.pathname}`,
    );
  }
  return parsed;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function keptHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

function statusError(
  status: number,
  url: string,
  headers: IncomingHttpHeaders,
  now: Date,
): PipelineError {
  const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  const retryable = (code: RetryableCode, what: string): RetryableError => {
    const error = new RetryableError(code, `${what} (HTTP ${status}) from ${url}`);
    if (retryAfterMs !== null) error.retryAfterMs = retryAfterMs;
    return error;
  };
  if (status === 429) return retryable(FetchErrorCode.RATE_LIMITED, 'rate limited');
  if (status === 503) return retryable(FetchErrorCode.UNAVAILABLE, 'service unavailable');
  if (status === 408) return retryable(FetchErrorCode.TIMEOUT, 'server timed out the request');
  if (status >= 500) return retryable(FetchErrorCode.SERVER_ERROR, 'server error');
  if (status === 404 || status === 410) {
    return new PermanentError(FetchErrorCode.NOT_FOUND, `not found (HTTP ${status}): ${url}`);
  }
  return new PermanentError(FetchErrorCode.HTTP_STATUS, `HTTP ${status} from ${url}`);
}

function conditionalHeaders(validators: Validators | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

/**
 * Fetches one URL politely and safely, following at most `maxRedirects` redirects by hand.
 * Every hop is checked again before anything is sent: scheme, credentials, the resolved
 * addresses against the policy (a refused address means no connection attempt), robots.txt,
 * then the host gate's interval and concurrency. Sends stored validators and returns
 * `not-modified` on 304; new validators come back in the result for saveValidators. Throws RetryableError / PermanentError with FetchErrorCode codes.
 */
export async function fetchPage(
  url: string,
  deps: FetchDeps,
  options: FetchPageOptions = {},
): Promise<FetchResult> {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const accept = options.accept ?? 'page';
  const requested = parseFetchUrl(url);
  const validatorKey = normalizeUrl(requested.toString());
  const validators = (await deps.validators?.get(validatorKey)) ?? null;
  const visited = new Set<string>([validatorKey]);
  const redirects: string[] = [];
  let current = requested;
  const context: HopContext = {
    accept,
    validators,
    now,
    truncateBody: options.truncateBody ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  for (;;) {
    const hop = await fetchHop(current, deps, context);
    if (hop.kind === 'redirect') {
      let next: URL;
      try {
        next = parseFetchUrl(new URL(hop.location, current).toString());
      } catch (error) {
        if (error instanceof PermanentError && error.code !== FetchErrorCode.URL_INVALID)
          throw error;
        throw new PermanentError(
          FetchErrorCode.BAD_REDIRECT,
          `unusable redirect Location "${hop.location}" from ${current.href}`,
        );
      }
      const key = normalizeUrl(next.toString());
      if (visited.has(key)) {
        throw new PermanentError(
          FetchErrorCode.REDIRECT_LOOP,
          `redirect loop: ${[requested.href, ...redirects, next.href].join(' -> ')}`,
        );
      }
      if (redirects.length >= config.maxRedirects) {
        throw new PermanentError(
          FetchErrorCode.TOO_MANY_REDIRECTS,
          `more than fetch.maxRedirects (${config.maxRedirects}) redirects from ${requested.href}`,
        );
      }
      visited.add(key);
      redirects.push(next.href);
      current = next;
      continue;
    }
    const retrievedAt = now().toISOString();
    if (hop.kind === 'not-modified') {
      return { status: 'not-modified', url, finalUrl: current.href, retrievedAt, redirects };
    }
    const headers = keptHeaders(hop.headers);
    return {
      status: 'fetched',
      redirects,
      page: {
        kind: 'fetch',
        uri: url,
        url: current.href,
        retrievedAt,
        contentType: headers['content-type'] ?? null,
        headers,
        body: new Uint8Array(hop.body.buffer, hop.body.byteOffset, hop.body.byteLength),
      },
    };
  }
}

/**
 * Stores a fetched page's ETag / Last-Modified (from its headers) under its requested URL,
 * so the next fetchPage of that URL is conditional. fetchPage does not store them itself:
 * call this once the page is kept (raw store put, or a feed's links marked seen), or a
 * crash in between would turn the next fetch into a 304 for a page nobody has.
 */
export async function saveValidators(
  page: Pick<RawPage, 'uri' | 'headers'>,
  store: ValidatorStore | undefined,
): Promise<void> {
  const etag = page.headers['etag'];
  const lastModified = page.headers['last-modified'];
  if (!store || (!etag && !lastModified)) return;
  await store.set(normalizeUrl(page.uri), {
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  });
}

/**
 * fetchPage for a fetch job: the page, or null when the server said it has not changed
 * (304). Same errors as fetchPage. After storing the page, call saveValidators(page, ...).
 */
export async function fetchRawPage(
  url: string,
  deps: FetchDeps,
  signal?: AbortSignal,
): Promise<RawPage | null> {
  const result = await fetchPage(url, deps, signal ? { signal } : {});
  return result.status === 'fetched' ? result.page : null;
}

type HopResult =
  | { kind: 'redirect'; location: string }
  | { kind: 'not-modified' }
  | { kind: 'body'; headers: IncomingHttpHeaders; body: Buffer };

interface HopContext {
  accept: AcceptKind;
  validators: Validators | null;
  /** The caller's signal (shutdown); the whole-request deadline is added to it. */
  signal?: AbortSignal;
  /**
   * The whole request's deadline (fetch.totalTimeoutMs), set when the first hop's turn at its
   * host has come and shared by every later hop: redirects do not get a fresh allowance.
   */
  deadline?: AbortSignal;
  truncateBody: boolean;
  now: () => Date;
}

async function fetchHop(url: URL, deps: FetchDeps, context: HopContext): Promise<HopResult> {
  const { config } = deps;
  const addresses = await resolveAllowedAddresses(url.hostname, {
    policy: deps.policy,
    ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}),
  });
  // Politeness counts per server (the address connected to), not per host name.
  const server = serverKey(addresses[0]!, url);
  // Past the first hop, robots.txt and the host's turn count against the request's deadline.
  const waitSignal = signalOf(context);
  const robots = (await deps.robots?.check(url, waitSignal)) ?? { crawlDelayMs: null };
  const crawlDelayMs = Math.min(robots.crawlDelayMs ?? 0, config.maxCrawlDelayMs);
  let lease: HostLease | undefined;
  try {
    lease = await deps.hostGate?.acquire(
      server,
      {
        minIntervalMs: Math.max(config.minHostIntervalMs, crawlDelayMs),
        maxConcurrency: config.maxHostConcurrency,
        maxWaitMs: config.maxHostWaitMs,
      },
      waitSignal,
    );
    // The deadline starts once the first hop's turn has come: waiting politely is not slowness.
    context.deadline ??= AbortSignal.timeout(config.totalTimeoutMs);
    const signal = signalOf(context)!;
    const response = await deps.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: {
        'user-agent': userAgent(config),
        accept: ACCEPT_HEADER[context.accept],
        'accept-encoding': ACCEPT_ENCODING,
        ...conditionalHeaders(context.validators),
      },
      headersTimeout: config.headersTimeoutMs,
      bodyTimeout: config.bodyTimeoutMs,
      signal,
    });
    const { statusCode: status, headers } = response;
    if (status < 200 || status >= 300) {
      await response.body.dump().catch(() => undefined);
      if (status === 304) return { kind: 'not-modified' };
      const location = headerValue(headers, 'location');
      if (REDIRECT_STATUSES.has(status)) {
        if (!location) {
          throw new PermanentError(
            FetchErrorCode.BAD_REDIRECT,
            `HTTP ${status} without Location from ${url.href}`,
          );
        }
        return { kind: 'redirect', location };
      }
      const error = statusError(status, url.href, headers, context.now());
      if (error instanceof RetryableError && error.retryAfterMs !== undefined) {
        // The host asked every client to wait, not only this job: hold all workers back.
        await deps.hostGate?.defer(server, error.retryAfterMs);
      }
      throw error;
    }
    try {
      checkContentType(headerValue(headers, 'content-type'), context.accept);
      const declared = Number(headerValue(headers, 'content-length'));
      if (!context.truncateBody && Number.isFinite(declared) && declared > config.maxBodyBytes) {
        throw new PermanentError(
          FetchErrorCode.TOO_LARGE,
          `Content-Length ${declared} is larger than fetch.maxBodyBytes (${config.maxBodyBytes}): ${url.href}`,
        );
      }
    } catch (error) {
      // Destroying an unread body makes it emit an abort error nobody else listens for.
      response.body.on('error', () => undefined).destroy();
      throw error;
    }
    const body = await readBody(response.body, {
      contentEncoding: headerValue(headers, 'content-encoding'),
      maxBodyBytes: config.maxBodyBytes,
      maxContentEncodings: config.maxContentEncodings,
      overflow: context.truncateBody ? 'truncate' : 'fail',
      signal,
    });
    return { kind: 'body', headers, body };
  } catch (error) {
    if (context.deadline?.aborted && !context.signal?.aborted) {
      throw new RetryableError(
        FetchErrorCode.TIMEOUT,
        `timed out fetching ${url.href}: the request, redirects included, took longer than fetch.totalTimeoutMs (${config.totalTimeoutMs} ms)`,
        { cause: error },
      );
    }
    throw toFetchError(error, url.href);
  } finally {
    await lease?.release();
  }
}

/** The caller's signal and the request's deadline, whichever is set, as one signal. */
function signalOf(context: HopContext): AbortSignal | undefined {
  const signals = [context.signal, context.deadline].filter((s) => s !== undefined);
  return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
}
