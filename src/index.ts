import { Hono } from 'hono';
import type { AppEnv } from './env';
import { databaseMiddleware } from './db/database';
import { guardedBindings } from './http/dependencies';
import { crossOrigin } from './http/cors';
import { handleError, handleNotFound } from './http/problem';
import { securityHeaders } from './http/security-headers';
import { healthRoutes } from './health/health.routes';
import { adminRoutes } from './admin/admin.routes';
import { splitRoutes } from './splits/splits.routes';
import { treeRoutes } from './tree/tree.routes';
import { questionRoutes } from './questions/questions.routes';
import { subsetRoutes } from './subsets/subsets.routes';
import { imageRoutes } from './images/images.routes';
import { openApiRoutes } from './openapi/openapi.routes';
import { pageRoutes } from './pages/pages.routes';
import { scoringRoutes } from './scoring/scoring.routes';
import { scorerRoutes } from './scoring/scorers.routes';
import { receiptRoutes } from './receipts/receipts.routes';
import { runRoutes } from './runs/runs.routes';
import { leaderboardRoutes } from './runs/leaderboard.routes';
import { compareRoutes } from './runs/compare.routes';

// Outermost first: bindings are guarded before anything can call them (a failing D1, R2 or limiter
// is a 503, see src/http/dependencies.ts); security and CORS headers land on every response, errors
// and 404s included; preflights are answered before any route (from the route table, read on the first request).
export const app: Hono<AppEnv> = new Hono<AppEnv>()
  .use('*', guardedBindings)
  .use('*', securityHeaders)
  .use(
    '*',
    crossOrigin(() => app.routes),
  )
  .use('*', databaseMiddleware)
  .route('/v1', healthRoutes)
  .route('/v1', splitRoutes)
  .route('/v1', treeRoutes)
  .route('/v1', questionRoutes)
  .route('/v1', subsetRoutes)
  .route('/v1', imageRoutes)
  .route('/v1', scoringRoutes)
  .route('/v1', scorerRoutes)
  .route('/v1', runRoutes)
  .route('/v1', leaderboardRoutes)
  .route('/v1', compareRoutes)
  .route('/', receiptRoutes)
  .route('/v1/admin', adminRoutes);
// Last: the document lists every route registered above (read lazily on the first request).
app.route('/', openApiRoutes(app));
app.route('/', pageRoutes(app));

app.onError(handleError);
app.notFound(handleNotFound);

export default app;
