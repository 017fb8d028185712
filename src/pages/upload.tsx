// GET/POST /upload: a plain multipart form (works without JavaScript; /assets/upload.js adds
// drag-and-drop) whose file is scored on VAL by POST /v1/scores and shown as a run report, or, with a
// token, stored by POST /v1/runs and shown on its run page.
import type { FC } from 'hono/jsx';

export const UPLOAD_SCRIPT = '/assets/upload.js';

export const UploadForm: FC<{ fileName?: string }> = ({ fileName }) => (
  <form class="upload" method="post" action="/upload" enctype="multipart/form-data">
    <div class="drop" data-drop>
      <label for="file">VLMEvalKit prediction file (.xlsx, .tsv, .csv, .json or .jsonl) for VAL</label>
      <input id="file" name="file" type="file" required accept=".xlsx,.tsv,.csv,.json,.jsonl,.ndjson" aria-describedby="file-help" />
      <p id="file-help" class="muted">
        For example <code>Model_GMAI-MMBench_VAL.xlsx</code> as VLMEvalKit writes it. Or drop the file here.
        {fileName ? (
          <>
            {' '}
            Last file: <code>{fileName}</code>.
          </>
        ) : null}
      </p>
    </div>
    <fieldset aria-describedby="save-help">
      <legend>Save as a run (optional)</legend>
      <label>
        Model name <input name="model" type="text" maxlength={200} />
      </label>
      <label>
        Token <input name="token" type="password" autocomplete="off" />
      </label>
      <label>
        Visibility
        <select name="visibility">
          <option value="public">public (leaderboards and lists)</option>
          <option value="private">private (only this token sees it)</option>
        </select>
      </label>
      <p id="save-help" class="muted">
        Without a token the file is scored on VAL and nothing is stored. With a token (scope <code>runs:write</code>) it is saved as a run with its own page;
        the model name defaults to the file's (<code>Model</code> of <code>Model_GMAI-MMBench_VAL.xlsx</code>).
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
