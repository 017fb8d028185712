// Dependency failures versus bugs. Every binding the app calls (D1, R2, the rate limiters) is
// wrapped on entry (guardBindings, the first middleware; once per env), so that whichever module
// makes the call, including modules added later, an I/O operation of a binding that rejects
// surfaces as a DependencyError: handleError answers it 503 with Retry-After. Anything else that
// throws is a bug and stays a 500. Neither answer echoes the error (D1 and R2 messages can carry
// SQL or key names); the log line is for operators.
//
// Only I/O is wrapped: prepare() and bind() do none, so a throw there is our bug. A call that never
// settles is not raced against a timer here: D1 rejects a query after its 30 s limit and R2
// operations fail on their own, both as rejections (→ 503), and workerd cancels a request whose
// client has gone. A response body streamed from R2 (images) is handed to the client as is: once
// the headers are out, a failing read can only break the transfer, which it does by itself.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Bindings } from '../env';
import { RATE_LIMITS } from './rate-limit-policy';

export type DependencyName = 'D1' | 'R2' | 'rate limiter' | 'internal API';

export class DependencyError extends Error {
  constructor(
    readonly dependency: DependencyName,
    override readonly cause: unknown,
  ) {
    super(`${dependency} failed`);
  }
}

/**
 * The DependencyError behind `err`, if any: query builders wrap a failing call in their own error
 * (drizzle's "Failed query: …", whose message also lists the bound values), keeping ours as `cause`.
 */
export function dependencyFailure(err: unknown): DependencyError | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (e instanceof DependencyError) return e;
  return null;
}

/** Seconds a client is asked to wait after a 503 (D1 and R2 incidents are mostly short). */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** The operation's rejection (or synchronous throw) as a DependencyError. */
async function io<T>(dependency: DependencyName, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw err instanceof DependencyError ? err : new DependencyError(dependency, err);
  }
}

/** The binding object under a guard (guards are unwrapped where the runtime needs its own objects, e.g. batch()). */
const UNGUARDED = Symbol('unguarded');
type Guarded<T> = T & { [UNGUARDED]: T };

function unguardedStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return (statement as Partial<Guarded<D1PreparedStatement>>)[UNGUARDED] ?? statement;
}

function guardStatement(statement: D1PreparedStatement): D1PreparedStatement {
  const guarded = {
    [UNGUARDED]: statement,
    bind: (...values: unknown[]) => guardStatement(statement.bind(...values)),
    first: (column?: string) => io('D1', () => (column === undefined ? statement.first() : statement.first(column))),
    run: () => io('D1', () => statement.run()),
    all: () => io('D1', () => statement.all()),
    raw: (options?: { columnNames?: boolean }) => io('D1', () => statement.raw(options as { columnNames?: false })),
  };
  return guarded as unknown as D1PreparedStatement;
}

function batchOf(target: { batch: D1Database['batch'] }) {
  return <T>(statements: D1PreparedStatement[]) => io('D1', () => target.batch<T>(statements.map(unguardedStatement)));
}

/** The D1 seam: what createDatabase (src/db/database.ts) hands to drizzle and every raw prepare/batch. */
export function guardD1(d1: D1Database): D1Database {
  const guarded: Guarded<D1Database> = {
    [UNGUARDED]: d1,
    prepare: (query) => guardStatement(d1.prepare(query)),
    batch: batchOf(d1),
    exec: (query) => io('D1', () => d1.exec(query)),
    withSession: (constraint) => {
      const session = d1.withSession(constraint);
      return { prepare: (query) => guardStatement(session.prepare(query)), batch: batchOf(session), getBookmark: () => session.getBookmark() };
    },
    dump: () => io('D1', () => d1.dump()),
  };
  return guarded;
}

/** Body reads that happen before the response is sent (arrayBuffer() and the like), guarded; `body` itself is not (see above). */
function guardObject<T extends R2Object | R2ObjectBody | null>(object: T): T {
  if (!object || !('body' in object)) return object;
  const reads = new Set<PropertyKey>(['arrayBuffer', 'bytes', 'text', 'json', 'blob']);
  return new Proxy(object, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (reads.has(property)) return (...args: unknown[]) => io('R2', () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/** The R2 seam: every bucket operation (images, scoring key blobs, ingest uploads). */
export function guardR2(bucket: R2Bucket): R2Bucket {
  const guarded: Guarded<R2Bucket> = {
    [UNGUARDED]: bucket,
    head: (key) => io('R2', () => bucket.head(key)),
    get: ((key: string, options?: R2GetOptions) => io('R2', async () => guardObject(await bucket.get(key, options)))) as R2Bucket['get'],
    put: ((key: string, value: Parameters<R2Bucket['put']>[1], options?: R2PutOptions) => io('R2', () => bucket.put(key, value, options))) as R2Bucket['put'],
    delete: (keys) => io('R2', () => bucket.delete(keys)),
    list: (options) => io('R2', () => bucket.list(options)),
    createMultipartUpload: (key, options) => io('R2', () => bucket.createMultipartUpload(key, options)),
    resumeMultipartUpload: (key, uploadId) => bucket.resumeMultipartUpload(key, uploadId),
  };
  return guarded;
}

function guardRateLimit(limiter: RateLimit): RateLimit {
  return { limit: (options) => io('rate limiter', () => limiter.limit(options)) };
}

/**
 * Each env's guarded twin, built once (an isolate serves many requests with the same env); a guarded
 * env maps to itself, so guarding is idempotent (pages dispatch to the app with the guarded env).
 */
const guardedOf = new WeakMap<Bindings, Bindings>();

/** The env with every binding under its guard. */
export function guardBindings(env: Bindings): Bindings {
  let guarded = guardedOf.get(env);
  if (!guarded) {
    guarded = { ...env, DB: guardD1(env.DB), IMAGES: guardR2(env.IMAGES) };
    for (const { binding } of Object.values(RATE_LIMITS)) guarded[binding] = guardRateLimit(env[binding]);
    guardedOf.set(env, guarded);
    guardedOf.set(guarded, guarded);
  }
  return guarded;
}

/** First middleware: the rest of the app only ever sees guarded bindings. */
export const guardedBindings: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.env = guardBindings(c.env);
  await next();
};
