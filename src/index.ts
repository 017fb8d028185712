import { Hono } from 'hono';
import type { AppEnv } from './env';
import { databaseMiddleware } from './db/database';
import { handleError, handleNotFound } from './http/problem';
import { healthRoutes } from './health/health.routes';
import { adminRoutes } from './admin/admin.routes';
import { splitRoutes } from './splits/splits.routes';
import { treeRoutes } from './tree/tree.routes';
import { questionRoutes } from './questions/questions.routes';
import { imageRoutes } from './images/images.routes';
import { openApiRoutes } from './openapi/openapi.routes';
import { pageRoutes } from './pages/pages.routes';
import { scoringRoutes } from './scoring/scoring.routes';

export const app = new Hono<AppEnv>()
  .use('*', databaseMiddleware)
  .route('/v1', healthRoutes)
  .route('/v1', splitRoutes)
  .route('/v1', treeRoutes)
  .route('/v1', questionRoutes)
  .route('/v1', imageRoutes)
  .route('/v1', scoringRoutes)
  .route('/v1/admin', adminRoutes);
// Last: the document lists every route registered above (read lazily on the first request).
app.route('/', openApiRoutes(app));
app.route('/', pageRoutes(app));

app.onError(handleError);
app.notFound(handleNotFound);

export default app;
