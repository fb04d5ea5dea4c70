export interface GatewayAnswer<T> {
  status: number;
  body: T;
}

/** Calls the gateway's JSON API with one key: a GET, or a POST when there is a body; `headers` besides (an Idempotency-Key). For tests and tools. */
export function gatewayClient(baseUrl: () => string, key: string) {
  return async <T>(path: string, body?: object, headers: Record<string, string> = {}): Promise<GatewayAnswer<T>> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { ...headers, 'x-api-key': key, 'content-type': 'application/json' },
      ...(body && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}
