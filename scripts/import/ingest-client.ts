// HTTP client of the admin ingest API; the same calls work against wrangler dev and a deployed Worker.
import { encodeImagePack, IMAGE_PACK_CONTENT_TYPE } from '../../src/formats/image-pack';
import type { StagedRow } from '../../src/ingest/contract';
import type { DecodedImage } from './row-image';

export class IngestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface CommitResult {
  status: 'committed' | 'unchanged';
  rows: number;
  answers: number;
  dataset_version: string;
}

const RETRIES = 4;

export class IngestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async createImport(split: string): Promise<string> {
    return ((await this.json('POST', '/v1/admin/imports', { split })) as { import_id: string }).import_id;
  }

  async stageRows(importId: string, rows: StagedRow[]): Promise<void> {
    try {
      await this.json('POST', `/v1/admin/imports/${importId}/rows`, { rows });
    } catch (err) {
      // A batch is staged by one statement, all or nothing, and the importer never sends an index
      // twice: every row of the batch "already staged" means a retry of a batch whose reply was lost.
      if (!(err instanceof IngestError && err.status === 422 && err.problem?.duplicate_count === rows.length)) throw err;
    }
  }

  async missingImages(sha256: string[]): Promise<string[]> {
    return ((await this.json('POST', '/v1/admin/images/missing', { sha256 })) as { missing: string[] }).missing;
  }

  /** Several small images in one request (one R2 object, one D1 statement); see formats/image-pack. */
  async putImages(images: DecodedImage[]): Promise<void> {
    await this.request('POST', '/v1/admin/images', Buffer.concat(encodeImagePack(images)), { 'Content-Type': IMAGE_PACK_CONTENT_TYPE });
  }

  async putImage(image: DecodedImage): Promise<void> {
    await this.request('PUT', `/v1/admin/images/${image.sha256}`, image.bytes, { 'Content-Type': image.contentType });
  }

  async commit(importId: string, contentSha256: string, rows: number): Promise<CommitResult> {
    try {
      return (await this.json('POST', `/v1/admin/imports/${importId}/commit`, { content_sha256: contentSha256, rows })) as CommitResult;
    } catch (err) {
      // A retried commit whose first attempt went through (its reply was lost) finds the import committed.
      if (!(err instanceof IngestError && err.status === 409 && err.problem?.import_status === 'committed')) throw err;
      const health = (await (await this.request('GET', '/v1/health')).json()) as { dataset_version: string };
      return { status: 'committed', rows, answers: Number.NaN, dataset_version: health.dataset_version };
    }
  }

  async abort(importId: string): Promise<void> {
    await this.request('DELETE', `/v1/admin/imports/${importId}`);
  }

  private async json(method: string, path: string, body: unknown): Promise<unknown> {
    const res = await this.request(method, path, JSON.stringify(body), { 'Content-Type': 'application/json' });
    return res.json();
  }

  /** Retries network failures and 5xx/429 with backoff; any other error is final. */
  private async request(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined;
      try {
        res = await fetch(this.baseUrl + path, { method, body, headers: { ...headers, Authorization: `Bearer ${this.token}` } });
      } catch (err) {
        if (attempt >= RETRIES) throw new IngestError(`cannot reach ${this.baseUrl} (${(err as Error).message})`);
      }
      if (res?.ok) return res;
      if (res && res.status < 500 && res.status !== 429) {
        const text = await res.text();
        throw new IngestError(`${method} ${path}: ${res.status} ${text}`, res.status, parseProblem(text));
      }
      if (res && attempt >= RETRIES) throw new IngestError(`${method} ${path}: ${res.status} ${await res.text()}`);
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

function parseProblem(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
