/**
 * Calls the app the way its clients do: the web app with its session cookie and its own
 * Origin, scripts with an API key.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { PASSWORD } from './workspace.ts';

export const ORIGIN = 'http://localhost:80';

export interface Client {
  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

function makeClient(app: FastifyInstance, auth: Record<string, string>): Client {
  const request: Client['request'] = (method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: { host: 'localhost:80', origin: ORIGIN, ...auth, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  return {
    request,
    get: (url) => request('GET', url),
    post: (url, body, headers) => request('POST', url, body ?? {}, headers),
    patch: (url, body) => request('PATCH', url, body ?? {}),
    delete: (url) => request('DELETE', url),
  };
}

/** Signs in with the password and returns a client carrying the session cookie. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
): Promise<Client> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { host: 'localhost:80', origin: ORIGIN },
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ft_session');
  if (!cookie) throw new Error('no session cookie');
  return makeClient(app, { cookie: `ft_session=${cookie.value}` });
}

export function withKey(app: FastifyInstance, key: string): Client {
  return makeClient(app, { authorization: `Bearer ${key}` });
}

export function anonymous(app: FastifyInstance): Client {
  return makeClient(app, {});
}

/** Signs in with a one-time password and chooses PASSWORD, as the web app makes people do. */
export async function signInFirstTime(
  app: FastifyInstance,
  email: string,
  oneTimePassword: string,
): Promise<Client> {
  const client = await signIn(app, email, oneTimePassword);
  const res = await client.post('/api/auth/password', {
    currentPassword: oneTimePassword,
    newPassword: PASSWORD,
  });
  if (res.statusCode !== 204)
    throw new Error(`password change failed: ${res.statusCode} ${res.body}`);
  return client;
}
