/**
 * glibc's `malloc_trim(0)`, reached through koffi (an FFI with prebuilt binaries, decision 0106):
 * gives the free pages inside glibc's heaps back to the system. Only glibc has it; on musl, macOS
 * or where koffi cannot load, loading says why and the server runs without trimming.
 */

/** The loaded function. */
export type MallocTrim = {
  /**
   * Calls `malloc_trim(0)` on a thread of libuv's pool (the event loop keeps running while glibc
   * walks its heaps); resolves with glibc's answer: true when some memory was returned.
   */
  readonly call: () => Promise<boolean>;
};

export type MallocTrimLoad =
  | { readonly ok: true; readonly trim: MallocTrim }
  | { readonly ok: false; readonly reason: string };

/** glibc's C library on Linux (the soname the dynamic linker knows it by). */
export const GLIBC = 'libc.so.6';

/**
 * Loads `malloc_trim` from `library` (default glibc's). Never throws: a platform without glibc, a
 * library without the symbol or a koffi that cannot load becomes `{ ok: false, reason }`.
 */
export async function loadMallocTrim(
  library: string = GLIBC,
  platform: NodeJS.Platform = process.platform,
): Promise<MallocTrimLoad> {
  if (platform !== 'linux') return { ok: false, reason: `no glibc on ${platform}` };
  try {
    // imported here, not at the top: a server that does not trim never loads the native module
    const koffi = (await import('koffi')).default;
    const fn = koffi.load(library).func('int malloc_trim(size_t pad)');
    const call = () =>
      new Promise<boolean>((resolve, reject) => {
        fn.async(0, (error: unknown, released: number) => {
          if (error !== null && error !== undefined) reject(asError(error));
          else resolve(released === 1);
        });
      });
    return { ok: true, trim: { call } };
  } catch (error) {
    return { ok: false, reason: `${library}: ${asError(error).message}` };
  }
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
