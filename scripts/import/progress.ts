import type { ImportProgress } from './run-import';

/** A one-line rows/s, MB/s and ETA display, redrawn on a terminal and silent elsewhere. */
export class TerminalProgress implements ImportProgress {
  private startedAt = 0;
  private totalBytes = 0;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  start(totalBytes: number): void {
    this.startedAt = performance.now();
    this.totalBytes = totalBytes;
  }

  update(bytesRead: number, rows: number): void {
    const now = performance.now();
    if (!this.out.isTTY || now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const seconds = (now - this.startedAt) / 1000;
    const fraction = this.totalBytes ? Math.min(bytesRead / this.totalBytes, 1) : 0;
    const eta = fraction > 0 ? seconds / fraction - seconds : NaN;
    // Without a total (files still being written) there is no fraction to show.
    const done = this.totalBytes ? `  ${(fraction * 100).toFixed(0)}%  ETA ${formatSeconds(eta)}` : '';
    this.out.write(
      `\r${this.label}: ${rows.toLocaleString('en')} rows  ${(rows / seconds).toFixed(0)} rows/s  ${(bytesRead / 1e6 / seconds).toFixed(1)} MB/s${done}   `,
    );
  }

  stop(): void {
    if (this.out.isTTY && this.lastDraw) this.out.write('\n');
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
