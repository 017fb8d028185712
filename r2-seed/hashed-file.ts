// A file written line by line (never whole in memory) that knows its size and SHA-256.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';

export interface WrittenFile {
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export class HashedFile {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private rows = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Writes one line; `isRow` says whether it counts as a data row (not the header). */
  write(line: string, isRow = true): void {
    const data = Buffer.from(line, 'utf8');
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done);
    this.hash.update(data);
    this.bytes += data.length;
    if (isRow) this.rows++;
  }

  close(): WrittenFile {
    closeSync(this.fd);
    return { name: basename(this.path), rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}
