/** A JSON response as tests read it: field by field, with expect() checking the shapes. */
// biome-ignore lint/suspicious/noExplicitAny: test code inspects responses field by field
export type JsonBody = any;

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: JsonBody;
}

/** fetch with a JSON body in and out; never throws on a 4xx/5xx, so tests can assert on them. */
export async function http(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<JsonResponse> {
  const hasBody = options.body !== undefined || options.raw !== undefined;
  const res = await fetch(url, {
    method: options.method ?? (hasBody ? "POST" : "GET"),
    headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...options.headers },
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  let body: JsonBody = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}
