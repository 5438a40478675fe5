/**
 * The one HTTP client for requests to addresses people type or configure: webhooks, test events,
 * redeliveries and the `http` voice provider. Each connection resolves the host name once,
 * classifies every address it got (address-policy.ts), and opens the socket to the address it
 * checked (an undici dispatcher with its own connector), so a name that answers a public address
 * to the check and a private one afterwards (DNS rebinding) cannot reach the private network.
 * Redirects are not followed. Errors are plain sentences without socket codes.
 * FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS lifts the address rule (development and tests).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { classifyAddress } from './address-policy.ts';

export type Resolve = (host: string) => Promise<string[]>;

export interface OutboundOptions {
  /** FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: connect to loopback and private addresses too. */
  allowPrivate: boolean;
  /** Resolves a host name to its addresses (tests pass a stub). */
  resolve?: Resolve;
  /**
   * Tests only: the address the socket really opens, given the one the client checked and
   * pinned (so a test can see which address a public name would use, yet connect to loopback).
   */
  connectAddress?: (pinned: PinnedAddress) => string;
}

export interface PinnedAddress {
  host: string;
  address: string;
  family: 4 | 6;
}

export type OutboundErrorKind = 'refused' | 'unresolved' | 'unreachable' | 'timeout';

/** Why an outbound request did not get an answer, in words a person can act on. */
export class OutboundError extends Error {
  constructor(
    readonly kind: OutboundErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

export const refusedMessage = (address: string) =>
  `The address ${address} is not allowed (private or reserved network).`;

const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Resolves `host` once and answers the address to connect to: every address the name has must be
 * public unicast (unless private targets are allowed). Throws an OutboundError otherwise.
 */
export async function pinAddress(host: string, options: OutboundOptions): Promise<PinnedAddress> {
  const name = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(name)) {
    addresses = [name];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolve)(name);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) {
      throw new OutboundError('unresolved', `Could not connect: the name ${name} was not found.`);
    }
  }
  let pinned: PinnedAddress | null = null;
  for (const address of addresses) {
    const verdict = classifyAddress(address);
    if (!verdict) throw new OutboundError('unreachable', 'Could not connect.');
    if (!verdict.allowed && !options.allowPrivate) {
      throw new OutboundError('refused', refusedMessage(address));
    }
    pinned ??= { host: name, address: verdict.connectTo, family: verdict.family };
  }
  return pinned as PinnedAddress;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface OutboundClient {
  /** POSTs `body` and answers the status and (up to 64 KiB of) the answer; never follows redirects. */
  post(
    url: string | URL,
    init: { body: string; headers: Record<string, string>; timeoutMs: number },
  ): Promise<OutboundResponse>;
  close(): Promise<void>;
}

const MAX_ANSWER_BYTES = 64 * 1024;

export function createOutboundClient(options: OutboundOptions): OutboundClient {
  const base = buildConnector({ timeout: 10_000 });
  const agent = new Agent({
    connect(connectOptions, callback) {
      pinAddress(connectOptions.hostname, options).then(
        (pinned) => {
          const address = options.connectAddress?.(pinned) ?? pinned.address;
          base(
            {
              ...connectOptions,
              hostname: address,
              // TLS still names (and verifies) the host the URL gave.
              ...(isIP(pinned.host) ? {} : { servername: pinned.host }),
            },
            callback,
          );
        },
        (error: Error) => callback(error, null),
      );
    },
  });

  return {
    async post(target, init) {
      const url = typeof target === 'string' ? new URL(target) : target;
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new OutboundError(
          'unreachable',
          `Only http(s) URLs can be used, not ${url.protocol}`,
        );
      }
      const signal = AbortSignal.timeout(init.timeoutMs);
      try {
        const response = await request(url, {
          dispatcher: agent,
          method: 'POST',
          body: init.body,
          headers: init.headers,
          signal,
        });
        const text = await readAtMost(response.body, MAX_ANSWER_BYTES);
        return { status: response.statusCode, headers: response.headers, text };
      } catch (error) {
        if (error instanceof OutboundError) throw error;
        if (signal.aborted) {
          throw new OutboundError('timeout', 'The request did not get an answer in time.');
        }
        throw new OutboundError('unreachable', 'Could not connect.');
      }
    },
    close: () => agent.close(),
  };
}

async function readAtMost(body: AsyncIterable<Buffer> & { destroy?: () => void }, max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < max) chunks.push(chunk.subarray(0, max - size));
    size += chunk.length;
    if (size >= max) {
      body.destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
