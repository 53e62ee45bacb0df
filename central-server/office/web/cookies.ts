/** The cookies of a request, parsed by hand (one header, no dependency); later names win never. */
export function readCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined || header.length > 8192) return cookies;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (!cookies.has(name) && /^[A-Za-z0-9_-]{1,200}$/.test(value)) cookies.set(name, value);
  }
  return cookies;
}

export type CookieOptions = {
  readonly httpOnly: boolean;
  readonly secure: boolean;
  /** seconds; none = a session cookie, gone when the browser closes */
  readonly maxAge?: number;
};

/** A Set-Cookie value: Path=/, SameSite=Strict always; HttpOnly and Secure as asked. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    'Path=/',
    'SameSite=Strict',
    options.httpOnly ? 'HttpOnly' : null,
    options.secure ? 'Secure' : null,
    options.maxAge === undefined ? null : `Max-Age=${options.maxAge}`,
  ]
    .filter((p) => p !== null)
    .join('; ');
}
