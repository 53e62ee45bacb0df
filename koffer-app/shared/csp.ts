/**
 * The kit's Content Security Policy, sent with every response of the app protocol (and by the
 * Chromium harness for the same files). Deny by default; scripts, styles, fonts and images only
 * from the app itself (images also as data: URLs for the QR code); no network at all — the
 * renderer talks to main through the bridge, and only main talks to the election office.
 */
export const KIT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The custom protocol the app is served from (Electron checklist: not file://). */
export const APP_SCHEME = 'app' as const;
export const APP_ORIGIN = 'app://kit' as const;
