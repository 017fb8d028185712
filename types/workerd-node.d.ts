// The Node APIs the Worker uses, from workerd's nodejs_compat (wrangler.toml), declared for the
// Worker's own typecheck (tsconfig.worker.json), which has no Node types: what is not listed here
// does not type-check in src/, so a Node-only API cannot slip into the Worker.
declare module 'node:zlib' {
  export function inflateRawSync(data: Uint8Array, options?: { maxOutputLength?: number }): Uint8Array;
  export function gunzipSync(data: Uint8Array, options?: { maxOutputLength?: number }): Uint8Array;
  export function gzipSync(data: Uint8Array | string): Uint8Array;
  export function crc32(data: Uint8Array | string, value?: number): number;
}
