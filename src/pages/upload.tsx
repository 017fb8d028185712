// GET/POST /upload: a plain multipart form (works without JavaScript; /assets/upload.js adds
// drag-and-drop) whose file is scored on VAL by POST /v1/scores and shown as a run report.
import type { FC } from 'hono/jsx';

export const UPLOAD_SCRIPT = '/assets/upload.js';

export const UploadForm: FC<{ fileName?: string }> = ({ fileName }) => (
  <form class="upload" method="post" action="/upload" enctype="multipart/form-data">
    <div class="drop" data-drop>
      <label for="file">VLMEvalKit prediction file (.xlsx, .tsv, .csv, .json or .jsonl) for VAL</label>
      <input id="file" name="file" type="file" required accept=".xlsx,.tsv,.csv,.json,.jsonl,.ndjson" aria-describedby="file-help" />
      <p id="file-help" class="muted">
        For example <code>Model_GMAI-MMBench_VAL.xlsx</code> as VLMEvalKit writes it. Or drop the file here.
        {fileName ? <> Last file: <code>{fileName}</code>.</> : null}
      </p>
    </div>
    <fieldset disabled aria-describedby="save-help">
      <legend>Save as a run (coming later)</legend>
      <label>
        Model name <input name="model" type="text" />
      </label>
      <label>
        Token <input name="token" type="password" autocomplete="off" />
      </label>
      <p id="save-help" class="muted">
        Scoring VAL needs no token and stores nothing.
      </p>
    </fieldset>
    <button type="submit">Score on VAL</button>
  </form>
);

/** `Qwen2-VL-7B-Instruct_GMAI-MMBench_VAL.xlsx` → `Qwen2-VL-7B-Instruct` (VLMEvalKit's file naming). */
export function modelOfFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '');
  return base.replace(/_GMAI-MMBench_VAL$/i, '') || 'Model';
}
