/**
 * Arranging data through the HTTP API, as an admin with a session cookie (the same origin as
 * the server, as the API requires for changes).
 */

export interface ApiClient {
  get: <T>(path: string) => Promise<T>;
  post: <T>(path: string, body: unknown) => Promise<T>;
}

export async function apiClient(baseUrl: string, email: string, password: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`Sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: {
        cookie,
        origin: baseUrl,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  } satisfies ApiClient;
}

let phoneCounter = 0;

/** A new contact with a unique, valid US number. */
export async function createContact(
  api: ApiClient,
  fields: {
    firstName: string;
    lastName: string;
    timezone?: string | null;
    region?: string | null;
    /** The phone's North American area code (default 312, Chicago). */
    areaCode?: string;
  },
): Promise<{ id: string; name: string; phone: string }> {
  const { areaCode = '312', ...body } = fields;
  for (let tries = 0; tries < 20; tries++) {
    phoneCounter++;
    const line = String(4000 + ((Date.now() + phoneCounter * 7919) % 5999)).padStart(4, '0');
    const phone = `+1${areaCode}${String(200 + (phoneCounter % 700)).padStart(3, '0')}${line}`;
    try {
      return await api.post('/contacts', { ...body, phone, company: 'E2E Test Co' });
    } catch (error) {
      if (!String(error).includes(' 409 ')) throw error;
    }
  }
  throw new Error('Could not find a free phone number for a test contact.');
}
