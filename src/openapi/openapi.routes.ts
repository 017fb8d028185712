// /openapi.json (OpenAPI 3.1, generated from the same valibot schemas that validate requests) and
// /docs, an interactive reference rendered in the browser by Scalar from that document.
import { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import type { AppEnv } from '../env';
import { contentSecurityPolicy } from '../http/security-headers';

/**
 * Scalar's standalone bundle, copied from node_modules (@scalar/api-reference, pinned) into the
 * Worker's static assets by scripts/copy-vendor-assets.ts: the reference needs no network.
 */
const SCALAR_SCRIPT = '/vendor/scalar/standalone.js';
/** No fonts, telemetry or hosted services: everything the page loads comes from this Worker. */
const SCALAR_CONFIGURATION = {
  url: '/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  // Every operation listed in the sidebar from the start.
  defaultOpenAllTags: true,
};

const DESCRIPTION = `GMAI-MMBench, the medical visual question answering benchmark (VAL: answers public; TEST: answers withheld): filtered subsets, images, and scoring of model predictions with VLMEvalKit's exact-matching rules (each of its rule versions, see \`/v1/scorers\`).

Conventions:
- Filters (\`/v1/tree\`, \`/v1/questions\`): repeat a parameter to OR its values; different parameters are AND-ed. Unknown values match nothing; malformed values and unknown parameters are a 400 naming the parameter.
- The benchmark's N/A department is selected with \`department=N/A\` and appears as \`null\` in responses.
- \`label\` (the answer text) and the \`answer\`/\`category\` fields exist on VAL only.
- Scoring TEST needs \`Authorization: Bearer <token>\` (tokens from \`npm run token -- create <name>\`); VAL needs none.
- Errors are RFC 9457 \`application/problem+json\`.
- Dataset responses carry a weak ETag (dataset version + request) and \`Cache-Control: public, max-age=60\`; send \`If-None-Match\` for a 304.`;

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>GMAI-MMBench API reference</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/docs.css"></head>
<body>
<script id="api-reference" data-configuration="${JSON.stringify(SCALAR_CONFIGURATION).replaceAll('"', '&quot;')}"></script>
<script src="${SCALAR_SCRIPT}"></script>
</body>
</html>`;

/**
 * The strict policy (the bundled script is same-origin) plus what Scalar needs at run time: the styles
 * it injects, and eval (it compiles schema validators with `new Function`). Only this page, which shows
 * no data but the API document, gets them.
 */
const DOCS_CSP = contentSecurityPolicy({ 'script-src': ["'unsafe-eval'"], 'style-src': ["'unsafe-inline'"] });

export function openApiRoutes(app: Hono<AppEnv>) {
  return new Hono<AppEnv>()
    .get(
      '/openapi.json',
      openAPIRouteHandler(app, {
        documentation: {
          openapi: '3.1.0',
          info: { title: 'GMAI-MMBench API', version: '1.0.0', description: DESCRIPTION },
          tags: [
            { name: 'questions', description: 'Filtered subsets of questions and the lexical tree.' },
            { name: 'images', description: 'Content-addressed images.' },
            { name: 'scoring', description: "Accuracy of a model's predictions (VLMEvalKit exact matching, under each of its rule versions)." },
            { name: 'meta', description: 'Health and splits.' },
          ],
        },
      }),
    )
    .get('/docs', (c) => c.html(DOCS_PAGE, 200, { 'Content-Security-Policy': DOCS_CSP }));
}
