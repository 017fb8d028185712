// Fault injection for worker tests: an env whose D1, R2 and rate-limiter bindings are the real
// miniflare bindings behind a wrapper that counts every I/O call (statement reads and runs,
// batches, bucket operations, body reads of R2 objects, limiter calls) and makes the N-th one fail
// the way a binding fails: a rejected promise (for an R2 body stream, a stream that errors after
// its first chunk). prepare() and bind() do no I/O and are not counted.
import { env as realEnv } from 'cloudflare:workers';
import type { Bindings } from '../../src/env';
import { RATE_LIMITS } from '../../src/http/rate-limit-policy';

/** Text of every injected error: a response containing it has leaked the error. */
export const INJECTED = 'injected-binding-fault';

const REAL = Symbol('real statement');

export class FaultyBindings {
  /** Names of the I/O calls made so far, in order ("D1 all", "R2 get", ...). */
  readonly calls: string[] = [];
  /** The call that was made to fail, once it has. */
  failed: string | null = null;

  /** `failAt` is 1-based; null only counts. */
  constructor(private readonly failAt: number | null) {}

  /** Throws on the N-th call. */
  private count(name: string): void {
    this.calls.push(name);
    if (this.calls.length === this.failAt) {
      this.failed = name;
      throw new Error(`D1_ERROR/R2 ${INJECTED} at call ${this.failAt} (${name})`);
    }
  }

  private async io<T>(name: string, operation: () => Promise<T>): Promise<T> {
    this.count(name);
    return operation();
  }

  env(): Bindings {
    const env = realEnv as unknown as Bindings;
    const faulty: Bindings = { ...env, DB: this.d1(env.DB), IMAGES: this.r2(env.IMAGES) };
    for (const { binding } of Object.values(RATE_LIMITS))
      faulty[binding] = { limit: (options) => this.io(`${binding} limit`, () => env[binding].limit(options)) };
    return faulty;
  }

  private statement(real: D1PreparedStatement): D1PreparedStatement {
    const wrapped = {
      [REAL]: real,
      bind: (...values: unknown[]) => this.statement(real.bind(...values)),
      first: (column?: string) => this.io('D1 first', () => (column === undefined ? real.first() : real.first(column))),
      run: () => this.io('D1 run', () => real.run()),
      all: () => this.io('D1 all', () => real.all()),
      raw: (options?: { columnNames?: false }) => this.io('D1 raw', () => real.raw(options)),
    };
    return wrapped as unknown as D1PreparedStatement;
  }

  private d1(real: D1Database): D1Database {
    const unwrap = (s: D1PreparedStatement) => (s as unknown as { [REAL]?: D1PreparedStatement })[REAL] ?? s;
    return {
      prepare: (query) => this.statement(real.prepare(query)),
      batch: (statements) => this.io('D1 batch', () => real.batch(statements.map(unwrap))),
      exec: (query) => this.io('D1 exec', () => real.exec(query)),
      withSession: () => {
        throw new Error('withSession is not wrapped by the fault harness: add it when the app uses it');
      },
      dump: () => this.io('D1 dump', () => real.dump()),
    };
  }

  private r2(real: R2Bucket): R2Bucket {
    return {
      head: (key) => this.io('R2 head', () => real.head(key)),
      get: ((key: string, options?: R2GetOptions) => this.io('R2 get', async () => this.object(await real.get(key, options)))) as R2Bucket['get'],
      put: ((key: string, value: Parameters<R2Bucket['put']>[1], options?: R2PutOptions) =>
        this.io('R2 put', () => real.put(key, value, options))) as R2Bucket['put'],
      delete: (keys) => this.io('R2 delete', () => real.delete(keys)),
      list: (options) => this.io('R2 list', () => real.list(options)),
      createMultipartUpload: (key, options) => this.io('R2 createMultipartUpload', () => real.createMultipartUpload(key, options)),
      resumeMultipartUpload: () => {
        throw new Error('resumeMultipartUpload is not wrapped by the fault harness: add it when the app uses it');
      },
    };
  }

  /** An object whose body reads count: arrayBuffer() and the like, and the body stream (one call, on access). */
  private object<T extends R2Object | R2ObjectBody | null>(object: T): T {
    if (!object || !('body' in object)) return object;
    const reads = new Set<PropertyKey>(['arrayBuffer', 'bytes', 'text', 'json', 'blob']);
    return new Proxy(object, {
      get: (target, property) => {
        if (property === 'body') return this.bodyStream((target as R2ObjectBody).body);
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (reads.has(property))
          return (...args: unknown[]) => this.io(`R2 ${String(property)}`, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  }

  /**
   * The body, counted as one call when the client first reads it (not when the handler passes it
   * on): a failing one sends its first chunk, then errors, as R2 failing mid-transfer would.
   */
  private bodyStream(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    let state: 'unread' | 'reading' | 'failing' = 'unread';
    let failure: unknown;
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (state === 'unread') {
            try {
              state = 'reading';
              this.count('R2 body stream');
            } catch (err) {
              [state, failure] = ['failing', err];
            }
          } else if (state === 'failing') {
            await reader.cancel();
            return controller.error(failure);
          }
          const chunk = await reader.read();
          if (chunk.done) return state === 'failing' ? controller.error(failure) : controller.close();
          controller.enqueue(chunk.value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }
}
